"""Tables that hold any name at any width: a 120-character name (the longest allowed) on the
readiness grid, the learner page and question analysis, at phone and desktop width. The name
never widens its column past a readable size, module columns keep theirs, no header breaks
inside a word, the full name stays available, and the page never scrolls sideways."""

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, WIDTHS, axe_violations, login, screenshot
from tests.factories import add_learners, create_account, make_cohort

pytestmark = pytest.mark.browser

SPACED_NAME = (
    "Maria-Fernanda Alexandrina Konstantinopoulou-Vanderbilt de la Cruz y "
    "Montenegro-Wolfeschlegelsteinhausenberger Ortega II"
)
UNBROKEN_NAME = ("Bartholomew" + "Featherstonehaugh" * 7)[:120]
COHORT_NAME = (
    "Advanced negotiation workshop for the regional procurement, facilities and estates "
    "teams of the northern hospital trusts"
)
TRAINER = "long-names-trainer@example.com"

# At most this wide, in CSS pixels, whatever the name: (phone, desktop).
LEARNER_COLUMN_MAX = {"phone": 200, "desktop": 320}
MODULE_COLUMN_MIN = 112  # 7rem: "○ not started" and a two-word module title fit
QUESTION_COLUMN_MIN = 200
ANALYSIS = ".matrix-wrap table"  # the question analysis table

# Each visible word of a column header whose characters lie on more than one line.
BROKEN_HEADER_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll('th[scope=col]')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()]
          .filter(rect => rect.width > 0).map(rect => Math.round(rect.top)));
        if (lines.size > 1) broken.push(`${th.textContent.trim()} (${word[0]})`);
      }
    }
  }
  return broken;
}"""
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def widths(page, selector: str) -> list[float]:
    """The rendered width of each element the selector finds, in CSS pixels."""
    return page.eval_on_selector_all(
        selector, "els => els.map(el => el.getBoundingClientRect().width)"
    )


def layout_problems(page, name: str, width_name: str) -> dict:
    """Sideways scrolling of the page, and column headers broken inside a word."""
    problems = {}
    overflow = page.evaluate(SIDEWAYS)
    if overflow > 0:
        problems[f"{name} at {width_name}"] = f"scrolls sideways by {overflow}px"
    broken = page.evaluate(BROKEN_HEADER_WORDS)
    if broken:
        problems[f"{name} headers at {width_name}"] = broken
    return problems


@pytest.fixture(scope="module")
def long_names(live_server):
    """A cohort with a 120-character name, two learners with 120-character names (one with
    spaces, one without) and three learners with answers, so every column has something."""
    app, base = live_server
    assert len(SPACED_NAME) == len(UNBROKEN_NAME) == len(COHORT_NAME) == 120
    trainer = create_account(
        app, TRAINER, name="Lena Long-Names", role="instructor", password=PASSWORD
    )
    spaced = create_account(app, "long-spaced@example.com", name=SPACED_NAME)
    unbroken = create_account(app, "long-unbroken@example.com", name=UNBROKEN_NAME)
    course = app.extensions["parley_content"].course("impasse")
    cohort = make_cohort(
        app,
        trainer,
        name=COHORT_NAME,
        workshop_date=date.today() + timedelta(days=5),
        modules={module.id: None for module in course.modules},
        members=[spaced, unbroken],
    )
    add_learners(app, cohort.id, start=9000, count=3)
    url = f"/instructor/cohorts/{cohort.id}"
    return base, url, {SPACED_NAME: spaced, UNBROKEN_NAME: unbroken}


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_grid_holds_a_120_character_name(long_names, new_page, width_name):
    base, url, learners = long_names
    page = new_page(width=WIDTHS[width_name], bypass_csp=True)  # for axe-core
    login(page, base, TRAINER)
    page.goto(base + url)
    screenshot(page, f"long-names-grid-{width_name}")
    problems = layout_problems(page, "grid", width_name)
    learner_columns = widths(page, ".matrix tbody th[scope=row]")
    assert len(learner_columns) == 5
    if max(learner_columns) > LEARNER_COLUMN_MAX[width_name]:
        problems["learner column"] = f"{max(learner_columns):.0f}px wide"
    module_columns = widths(page, ".matrix thead th:not(:first-child, :last-child)")
    assert len(module_columns) >= 3
    if min(module_columns) < MODULE_COLUMN_MIN:
        problems["module columns"] = f"one is {min(module_columns):.0f}px wide"
    for name in learners:
        link = page.get_by_role("link", name=name, exact=True)
        if link.count() != 1 or link.get_attribute("title") != name:
            problems[f"full name {name[:20]}…"] = "not the link's accessible name and title"
    if width_name == "desktop":
        violations = axe_violations(page)
        if violations:
            problems["grid (axe)"] = violations
    assert problems == {}, "\n".join(f"{key}: {value}" for key, value in problems.items())
    page.get_by_role("link", name=SPACED_NAME, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == SPACED_NAME


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_learner_page_holds_a_120_character_name(long_names, new_page, width_name):
    base, url, learners = long_names
    page = new_page(width=WIDTHS[width_name], bypass_csp=True)  # for axe-core
    login(page, base, TRAINER)
    problems = {}
    for name, user_id in learners.items():
        page.goto(base + f"{url}/learners/{user_id}")
        kind = "spaced" if " " in name else "unbroken"
        screenshot(page, f"long-names-learner-{kind}-{width_name}")
        problems |= layout_problems(page, f"learner page ({kind} name)", width_name)
        if page.get_by_role("heading", level=1).inner_text() != name:
            problems[f"{kind} name"] = "the heading is not the full name"
        remove = page.get_by_role("button", name=f"Remove {name} from this cohort", exact=True)
        if not remove.is_visible():
            problems[f"{kind} name"] = "no button to remove them by their full name"
        if width_name == "desktop":
            violations = axe_violations(page)
            if violations:
                problems[f"learner page ({kind} name, axe)"] = violations
    assert problems == {}, "\n".join(f"{key}: {value}" for key, value in problems.items())


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_question_analysis_shows_prompts_at_any_width(long_names, new_page, width_name):
    base, url, _ = long_names
    page = new_page(width=WIDTHS[width_name], bypass_csp=True)  # for axe-core
    login(page, base, TRAINER)
    page.goto(base + f"{url}/questions")
    screenshot(page, f"long-names-question-analysis-{width_name}")
    problems = layout_problems(page, "question analysis", width_name)
    if page.get_by_role("link", name=COHORT_NAME, exact=True).count() != 1:
        problems["breadcrumb"] = "the cohort's full name is not a link"
    question_columns = widths(page, f"{ANALYSIS} tbody td:nth-child(2)")
    if not question_columns or min(question_columns) < QUESTION_COLUMN_MIN:
        problems["question column"] = f"widths {sorted(question_columns)[:1]}"
    first = page.locator(f"{ANALYSIS} tbody tr").first
    walkouts = "Should Gethin commit to the franchise, or walk away? If he walks, for which reason?"
    row = page.locator(f"{ANALYSIS} tbody tr", has_text=walkouts).first
    if not row.is_visible():
        problems["prompt"] = f"no row shows {walkouts!r}: {first.inner_text()!r}"
    if width_name == "desktop":
        violations = axe_violations(page)
        if violations:
            problems["question analysis (axe)"] = violations
    assert problems == {}, "\n".join(f"{key}: {value}" for key, value in problems.items())

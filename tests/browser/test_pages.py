"""Every page type: no serious accessibility violation in either theme, no sideways scrolling
at phone or desktop width, labelled controls, and a screenshot of each for people to look at."""

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, WIDTHS, answer_quiz, axe_violations, login, screenshot
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser
TOUR = {"lesson", "quiz-result", "dashboard", "instructor-grid"}  # shown in the README


@pytest.fixture(scope="module")
def site(live_server):
    """A learner with an attempt, an instructor with a cohort: every page has something to show."""
    app, base = live_server
    learner = create_account(
        app, "pages-learner@example.com", name="Priya Pages", password=PASSWORD
    )
    trainer = create_account(
        app, "pages-trainer@example.com", name="Tom Pages", role="instructor", password=PASSWORD
    )
    course = app.extensions["parley_content"].course("impasse")
    cohort = make_cohort(
        app,
        trainer,
        name="Pages cohort",
        workshop_date=date.today() + timedelta(days=3),
        description="Everything on show.",
        modules={module.id: None for module in course.modules},
        members=[learner],
    )
    ids = {"cohort": cohort.id, "learner": learner, "token": cohort.invite_token}
    return app, base, ids


@pytest.fixture(scope="module")
def attempt_url(site, chromium):
    app, base, _ = site
    context = chromium.new_context()
    page = context.new_page()
    login(page, base, "pages-learner@example.com")
    page.goto(base + "/courses/impasse/lessons/impasse-defined")
    library = app.extensions["parley_content"]
    page.goto(base + "/courses/impasse/quizzes/walkouts")
    answer_quiz(
        page, library.quiz("impasse", "walkouts"), library.quizzes("impasse").rulebook, wrong=4
    )
    url = page.url.split("#")[0].removeprefix(base)
    context.close()
    return url


def page_types(ids, attempt_url):
    cohort = f"/instructor/cohorts/{ids['cohort']}"
    return {
        None: {
            "landing": "/",
            "catalogue": "/courses",
            "login": "/login",
            "register": "/register",
            "join-invitation": f"/join/{ids['token']}",
            "not-found": "/no-such-page",
        },
        "pages-learner@example.com": {
            "dashboard": "/dashboard",
            "course": "/courses/impasse",
            "module": "/courses/impasse/modules/strategies",
            "lesson": "/courses/impasse/lessons/choosing-a-strategy",
            "quiz": "/courses/impasse/quizzes/ready-for-the-workshop",
            "quiz-result": attempt_url,
            "quiz-attempts": attempt_url.rsplit("/", 1)[0],
            "mastery": "/courses/impasse/mastery",
            "join-code": "/join",
            "account": "/account",
            "password": "/account/password",
            "forbidden": "/instructor/",
        },
        "pages-trainer@example.com": {
            "instructor-cohorts": "/instructor/",
            "instructor-grid": cohort,
            "instructor-time-zone": f"{cohort}/time-zone",
            "instructor-learner": f"{cohort}/learners/{ids['learner']}",
            "question-analysis": f"{cohort}/questions",
            "debrief": f"{cohort}/debrief/impasse/walkouts/1",
        },
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_is_accessible_and_fits_both_widths(site, attempt_url, new_page, scheme):
    _, base, ids = site
    problems = {}
    for who, pages in page_types(ids, attempt_url).items():
        for width_name, width in WIDTHS.items():
            page = new_page(width=width, scheme=scheme, bypass_csp=True)
            if who:
                login(page, base, who)
            for name, path in pages.items():
                page.goto(base + path)
                screenshot(page, f"{name}-{width_name}-{scheme}")
                if name in TOUR and width_name == "desktop" and scheme == "light":
                    screenshot(page, f"tour-{name}", full_page=False)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    problems[f"{name} at {width}px"] = f"scrolls sideways by {overflow}px"
                unlabelled = page.evaluate("""() => [...document.querySelectorAll(
                    'input:not([type=hidden]), select, textarea')].filter(el =>
                    !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.closest('label')).map(el => el.name)""")
                if unlabelled:
                    problems[f"{name}: unlabelled"] = unlabelled
                if width_name == "desktop":
                    violations = axe_violations(page)
                    if violations:
                        problems[f"{name} ({scheme})"] = violations
    assert problems == {}, "\n".join(f"{key}: {value}" for key, value in problems.items())


def test_quiz_and_lesson_work_without_javascript(site, chromium):
    _, base, _ = site
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, base, "pages-learner@example.com")
    page.goto(base + "/courses/impasse/lessons/after-a-walkout")
    assert page.get_by_role("heading", name="What you'll learn").is_visible()
    page.goto(base + "/courses/impasse/quizzes/walkouts")
    assert page.get_by_role("button", name="Submit answers").is_visible()
    page.get_by_role("button", name="Submit answers").click()
    assert page.get_by_text("Please answer question").is_visible()
    context.close()


def test_status_is_never_shown_by_colour_alone(site, new_page):
    _, base, ids = site
    page = new_page()
    login(page, base, "pages-trainer@example.com")
    page.goto(base + f"/instructor/cohorts/{ids['cohort']}")
    for cell in page.locator("td.cell").all():
        assert cell.locator(".cell-status").inner_text().strip() in {
            "not started",
            "in progress",
            "completed",
            "passed",
        }
    assert page.locator(".legend").is_visible()

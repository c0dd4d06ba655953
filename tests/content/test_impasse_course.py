"""The shipped course "Negotiation: Overcoming Impasse": originality, shape and coverage.

These guard the numbers issue #4 promises, so later edits cannot quietly break them.
"""

import hashlib
import re
from pathlib import Path

import pytest

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.content.coverage import coverage
from tests.factories import texts

SEED_HASHES = Path(__file__).parent.parent / "data" / "seed_8gram_hashes.txt"
COVERED_KINDS = ("strategy", "walkout-step", "no-agreement")


@pytest.fixture(scope="module")
def shipped():
    library, report = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    return library, report


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def test_no_eight_word_run_is_taken_from_the_seed():
    seed = {line for line in SEED_HASHES.read_text().splitlines() if not line.startswith("#")}
    files = sorted((PROJECT_ROOT / "courses" / "impasse").rglob("*.md")) + sorted(
        (PROJECT_ROOT / "quizzes" / "impasse").glob("*.yaml")
    )
    copied = []
    for path in files:
        words = words_of(path.read_text(encoding="utf-8"))
        for i in range(len(words) - 7):
            run = " ".join(words[i : i + 8])
            if hashlib.sha1(run.encode()).hexdigest()[:16] in seed:
                copied.append(f"{path.relative_to(PROJECT_ROOT)}: {run}")
    assert copied == []


def test_content_loads_with_no_errors_or_warnings(shipped):
    _, report = shipped
    assert [str(p) for p in report.problems] == []


def test_four_modules_in_order_with_an_introduction(shipped):
    library, _ = shipped
    course = library.course("impasse")
    assert [m.id for m in course.modules] == [
        "what-is-impasse",
        "strategies",
        "walkouts",
        "no-agreement",
    ]
    headings = texts(course.intro_html, "h2")
    assert "Who it is for" in headings and "How long it takes" in headings
    assert re.search(r"\b\d+ (to \d+ )?minutes in total\b", course.intro_html)


def test_every_lesson_has_objectives_an_example_and_key_takeaways(shipped):
    library, _ = shipped
    for lesson in library.course("impasse").lessons:
        assert 2 <= len(lesson.objectives) <= 4, lesson.id
        assert "Key takeaways" in lesson.html, lesson.id
        assert 'class="admonition example"' in lesson.html or "<blockquote>" in lesson.html, (
            lesson.id
        )
        assert len(words_of(lesson.html)) > 500, lesson.id


def test_at_least_forty_module_questions_and_a_ready_check_of_about_twelve(shipped):
    library, _ = shipped
    quizzes = library.quizzes("impasse")
    module_questions = sum(len(q.questions) for q in quizzes.quizzes if q.module_id)
    assert module_questions >= 40
    ready = [q for q in quizzes.quizzes if q.module_id is None]
    assert len(ready) == 1 and 10 <= len(ready[0].questions) <= 14
    assert {q.module_id for q in quizzes.quizzes if q.module_id} == {
        "what-is-impasse",
        "strategies",
        "walkouts",
        "no-agreement",
    }
    kinds = {question.kind for question in quizzes.questions}
    assert kinds == {"best", "all-that-apply", "commit-or-walk", "order", "branching", "diagnose"}


def test_every_strategy_step_and_condition_is_right_twice_and_a_distractor_twice(shipped):
    library, _ = shipped
    found = coverage(library.course("impasse"), library.quizzes("impasse"))
    short = {
        item.strategy_id: (len(item.right_in), len(item.distractor_in))
        for item in found.strategies.values()
        if item.kind in COVERED_KINDS and (len(item.right_in) < 2 or len(item.distractor_in) < 2)
    }
    assert short == {}


def test_every_mistake_is_a_distractor_in_at_least_two_questions(shipped):
    library, _ = shipped
    found = coverage(library.course("impasse"), library.quizzes("impasse"))
    rare = {
        item.strategy_id: len(item.distractor_in)
        for item in found.strategies.values()
        if item.kind == "mistake" and len(item.distractor_in) < 2
    }
    assert rare == {}


def test_every_module_quiz_has_at_least_two_diagnose_questions(shipped):
    library, _ = shipped
    diagnose = {
        quiz.module_id: sum(q.kind == "diagnose" for q in quiz.questions)
        for quiz in library.quizzes("impasse").quizzes
        if quiz.module_id
    }
    assert min(diagnose.values()) >= 2, diagnose


def test_every_objective_is_assessed_by_at_least_three_questions(shipped):
    library, _ = shipped
    found = coverage(library.course("impasse"), library.quizzes("impasse"))
    thin = {objective: len(q) for objective, q in found.objectives.items() if len(q) < 3}
    assert thin == {}


def test_every_option_that_can_be_wrong_has_scenario_feedback(shipped):
    library, _ = shipped
    missing = []
    for question in library.quizzes("impasse").questions:
        options = question.options or tuple(o for s in question.steps for o in s.options)
        missing += [f"{question.id}:{o.strategy_id}" for o in options if not o.feedback]
    assert missing == []

"""The guessability report: learners who answer without reading, over the real shuffle."""

import random

import yaml

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.content.errors import ContentReport
from parley.content.guessability import (
    Eliminator,
    First,
    Last,
    Longest,
    blind_attempts,
    guessability,
    never_right,
    report_guessability,
)
from tests.factories import DATA, write_quizzes

SHOWN = [("a", "Short"), ("b", "A much longer label"), ("c", "Mid label"), ("d", "Tiny")]


def test_position_learners_take_the_first_the_last_or_the_longest():
    assert (First().one(SHOWN), Last().one(SHOWN), Longest().one(SHOWN)) == ("a", "d", "b")
    assert First().some(SHOWN) == ["a", "b"]
    assert Last().some(SHOWN) == ["c", "d"]
    assert Longest().some(SHOWN) == ["b", "c"]
    assert First().some(SHOWN[:3]) == ["a", "b"]  # half, rounded up
    assert First().order(SHOWN) == ["a", "b", "c", "d"]
    assert Last().order(SHOWN) == ["d", "c", "b", "a"]
    assert Longest().order(SHOWN) == ["b", "c", "a", "d"]


def test_the_eliminator_never_picks_a_struck_strategy_while_another_is_left():
    learner = Eliminator({"a", "b"}, random.Random(1))
    assert {learner.one(SHOWN) for _ in range(50)} == {"c", "d"}
    assert all(set(learner.some(SHOWN)) <= {"c", "d"} for _ in range(50))
    assert all(learner.some(SHOWN) for _ in range(50))  # at least one pick, as the form asks
    assert Eliminator({"a", "b", "c", "d"}, random.Random(1)).one(SHOWN) in "abcd"


def load(root):
    library, report = load_library(PROJECT_ROOT / "courses", root)
    assert report.errors == []
    return library


def test_a_position_learner_sees_a_new_order_on_every_attempt(tmp_path):
    library = load(write_quizzes(tmp_path / "quizzes"))
    quizzes = library.quizzes_by_course["impasse"]
    quiz = quizzes.quiz("walkouts")
    scores = blind_attempts(quiz, quizzes.rulebook, lambda _n: First(), attempts=40)
    assert len(set(scores)) > 1  # the same learner, different orders, different scores


def test_the_test_quiz_is_guessable_and_says_why(tmp_path):
    """Most of the test quiz's distractors are moves never right anywhere in its course."""
    library = load(write_quizzes(tmp_path / "quizzes"))
    course, quizzes = library.course("impasse"), library.quizzes_by_course["impasse"]
    (found,) = guessability(course, quizzes, attempts=100)
    assert [s.learner for s in found.scores] == ["first", "last", "longest", "eliminator"]
    assert "batna-as-threat" in never_right(course, quizzes)
    assert found.never_right_distractors > 0.3 * found.distractors
    eliminator = found.scores[-1]
    assert eliminator.mean >= 0.6 and [s.learner for s in found.too_guessable] == ["eliminator"]
    report = ContentReport()
    report_guessability([found], report)
    assert [str(p) for p in report.errors] == [
        "error: quizzes/impasse/walkouts.yaml: quiz 'walkouts' can be passed without reading: "
        f"the eliminator learner scores {eliminator.mean:.0%} on average, at or above 60% (the "
        "pass mark minus 20%)"
    ]
    assert [str(p).split(":")[0] for p in report.warnings] == ["warning"]


def test_a_quiz_whose_answer_is_always_the_longest_label_fails(tmp_path):
    quiz = yaml.safe_load((DATA / "test_quiz.yaml").read_text())
    long = "Do exactly what the situation calls for, carefully and with a great deal of thought"
    best = quiz["questions"][0]
    best["options"] = [
        {"strategy": "apologise", "label": long},
        {"strategy": "small-gracious-moves", "label": "Be nice"},
        {"strategy": "keep-door-open", "label": "Keep in touch"},
    ]
    quiz["questions"] = [best]
    library = load(write_quizzes(tmp_path / "quizzes", yaml.safe_dump(quiz, sort_keys=False)))
    (found,) = guessability(
        library.course("impasse"), library.quizzes_by_course["impasse"], attempts=20
    )
    longest = next(s for s in found.scores if s.learner == "longest")
    assert (longest.mean, longest.passes) == (1.0, 20)
    assert "longest" in [s.learner for s in found.too_guessable]

"""Flip-one-fact pairs: the same story with one fact changed, and a different right move."""

import pytest
from click.testing import CliRunner

from parley.cli import check_command
from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.content.flip_pairs import flip_pairs, stated_facts

# Written on purpose as pairs (#16): each pair shares one story, and one fact decides.
PAIRS = [
    ("m1-cider-listing-no-fallback", "m1-cider-listing-fallback-known", "batna"),
    ("m1-oak-tables-misread", "m1-oak-tables-read-right", "reading"),
    ("m2-print-contract-diagnose", "m2-print-contract-their-remark", "caused_by"),
    ("m2-data-engineer-salary", "m2-data-engineer-salary-deadline", "time"),
    ("m3-ferry-berth-their-walkout", "m3-ferry-berth-own-walkout", "walked_out"),
    ("m3-trade-fair-diagnose", "m3-camping-expo-diagnose", "counterpart"),
    ("m4-bike-franchise-terms", "m4-bike-franchise-fair-trades", "other_side_aim"),
    ("m4-wedding-barn-bypass-cancelled", "m4-wedding-barn-bypass-confirmed", "circumstances"),
    (
        "m4-interpreting-contract-tender-split",
        "m4-interpreting-contract-hard-bargain",
        "ethics_gap",
    ),
]


@pytest.fixture(scope="module")
def impasse():
    library, report = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    assert report.errors == []
    return library.quizzes_by_course["impasse"]


def test_the_impasse_course_has_at_least_eight_flip_pairs_and_each_changes_the_key(impasse):
    assert len(PAIRS) >= 8
    found = {(p.first, p.second): p for p in flip_pairs(impasse)}
    questions = {q.id: (q, quiz) for quiz in impasse.quizzes for q in quiz.questions}
    for first, second, fact in PAIRS:
        pair = found.get((first, second)) or found.get((second, first))
        assert pair is not None, (first, second)
        assert pair.fact == fact
        (one, one_quiz), (other, other_quiz) = questions[first], questions[second]
        differing = {
            name
            for name in stated_facts(one)
            if stated_facts(one)[name] != stated_facts(other).get(name)
        }
        assert differing == {fact}
        assert one_quiz.keys[first].answer != other_quiz.keys[second].answer


def test_content_check_lists_the_pairs_it_finds():
    result = CliRunner().invoke(check_command, [])
    lines = result.output.splitlines()
    heading = next(
        line for line in lines if line.startswith("flip-one-fact pairs of course 'impasse'")
    )
    listed = lines[lines.index(heading) + 1 :]
    assert any(
        line.startswith("  m3-ferry-berth-their-walkout / m3-ferry-berth-own-walkout: walked_out ")
        for line in listed
    )

"""Reading quiz forms: every kind survives a round trip through its form fields."""

from werkzeug.datastructures import MultiDict

from parley.grading import Response, derive
from parley.learning.answers import parse_answers
from tests.factories import answer_fields, book, option, question, step


def test_every_kind_round_trips_through_the_form():
    questions = (
        question(
            "best", {"driver": "emotions", "caused_by": "us"}, ["apologise", "gesture"], qid="b"
        ),
        question(
            "all-that-apply",
            {"driver": "emotions", "caused_by": "us"},
            ["apologise", "gesture", "threaten"],
            qid="a",
        ),
        question(
            "commit-or-walk",
            {"aim": "win-lose"},
            ["commit", "walk-win-lose", "walk-ethics"],
            qid="c",
        ),
        question("order", {}, ["swap-people", "assess", "say-sorry"], qid="o"),
        question(
            "branching",
            {"driver": "emotions"},
            qid="r",
            steps=[
                step(
                    "s1",
                    {"walkout": "fresh"},
                    option("assess", next_step="s2"),
                    option("threaten", next_step="s2"),
                ),
                step("s2", {"walkout": "apologised"}, option("swap-people"), option("threaten")),
            ],
        ),
    )
    responses = {q.id: Response(derive(book(), q).answer, "sure") for q in questions}
    parsed = parse_answers(questions, book(), MultiDict(answer_fields(questions, responses)))
    assert parsed.problems == [] and parsed.missing == [] and parsed.unfinished == []
    assert parsed.responses == responses

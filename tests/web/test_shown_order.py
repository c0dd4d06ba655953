"""Each attempt shows its choices in its own order, fixed by its form's token and the app's
secret; the order is stored with the attempt and shown back in reviews and exports."""

import csv
import io
import re

import pytest
from sqlalchemy import event, select

from parley.extensions import db
from parley.grading.kinds.base import shuffled
from parley.models import Answer
from tests.factories import (
    QUIZ_URL,
    RIGHT_ANSWERS,
    create_cohort_on_the_web,
    form_fields,
    join_by_link,
    signed_in,
    texts,
)

BEST_IDS = ("apologise", "batna-as-threat", "small-gracious-moves")
BEST_LABELS = {
    "apologise": "Apologise",
    "batna-as-threat": "Threaten the other side with your alternative",
    "small-gracious-moves": "Make small gracious moves",
}


def shown(page: str, field: str) -> list[str]:
    """The values of a group of radio buttons or checkboxes, in the order the page shows them."""
    return re.findall(rf'name="{re.escape(field)}" value="([^"]+)"', page)


def order_rows(page: str) -> list[str]:
    return re.findall(r'<select id="q-demo-order-([a-z-]+)"', page)


def secret(app) -> bytes:
    return app.secret_key.encode()


@pytest.fixture
def learner(quiz_app):
    return signed_in(quiz_app, "lee@example.com", name="Lee")


def test_each_form_shows_the_order_its_token_and_the_secret_give(quiz_app, learner):
    seen = set()
    for _ in range(8):
        page = learner.get(QUIZ_URL).text
        arrange = shuffled(secret(quiz_app), form_fields(page)["submission"])
        assert shown(page, "q-demo-best") == list(arrange("demo-best", BEST_IDS))
        assert order_rows(page) == list(
            arrange(
                "demo-order",
                ("change-both-negotiators", "assess-finality", "apologise-unequivocally"),
            )
        )
        assert shown(page, "q-demo-branch-start") == list(
            arrange("demo-branch/start", ("assess-finality", "change-both-negotiators"))
        )
        assert shown(page, "q-demo-commit-decision") == list(
            arrange("demo-commit/decision", ("commit", "walk"))
        )
        seen.add(tuple(shown(page, "q-demo-best")))
    assert len(seen) > 1  # 8 forms in one order: 1 chance in 6**7


def test_an_order_needs_the_secret():
    token = "same-token-for-both-apps-0123"
    orders = {
        tuple(shuffled(key, token)("q", tuple("abcdefgh"))) for key in (b"one secret", b"another")
    }
    assert len(orders) == 2


def test_a_form_shown_again_keeps_the_order_it_showed(learner):
    page = learner.get(QUIZ_URL).text
    partly = {k: v for k, v in RIGHT_ANSWERS.items() if k != "q-demo-best"}
    again = learner.post(QUIZ_URL, data={**form_fields(page), **partly})
    assert again.status_code == 400
    assert "Please answer question 1 before submitting." in again.text
    for field in ("q-demo-best", "q-demo-all", "q-demo-commit-decision", "q-demo-commit-reason"):
        assert shown(again.text, field) == shown(page, field)
    assert order_rows(again.text) == order_rows(page)
    assert form_fields(again.text)["submission"] == form_fields(page)["submission"]


def test_showing_the_quiz_writes_nothing(quiz_app, learner):
    learner.get(QUIZ_URL)  # the first look may store nothing either; the second is measured
    writes = []
    engine = db.engine(quiz_app)

    def remember(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert learner.get(QUIZ_URL).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert writes == []


def test_reviews_and_exports_show_the_learners_own_order(quiz_app):
    trainer = signed_in(quiz_app, "tess@example.com", name="Tess", role="instructor")
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    learner = signed_in(quiz_app, "lee@example.com", name="Lee")
    join_by_link(learner, link)
    page = learner.get(QUIZ_URL).text
    order = shown(page, "q-demo-best")
    answers = {**RIGHT_ANSWERS, "q-demo-best": "small-gracious-moves"}
    result = learner.post(QUIZ_URL, data={**form_fields(page), **answers})
    assert result.status_code == 303
    attempt_url = result.headers["Location"]

    with quiz_app.app_context():
        stored = db.session.scalars(select(Answer).order_by(Answer.position)).all()
        assert stored[0].shown == {"demo-best": order}
        assert stored[4].shown["demo-branch/start"] == shown(page, "q-demo-branch-start")

    labels = [BEST_LABELS[i] for i in order]
    review = learner.get(attempt_url).text
    chosen = order.index("small-gracious-moves")
    as_listed = [label + (" (chosen)" if n == chosen else "") for n, label in enumerate(labels)]
    assert texts(review, "div.shown-order ol")[0] == " ".join(as_listed)
    attempt_id = attempt_url.rsplit("/", 1)[1]
    user_page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    learner_link = re.search(rf"/instructor/cohorts/{cohort_id}/learners/(\d+)", user_page)
    instructor_view = trainer.get(
        f"/instructor/cohorts/{cohort_id}/learners/{learner_link.group(1)}/attempts/{attempt_id}"
    ).text
    assert texts(instructor_view, "div.shown-order ol")[0] == " ".join(as_listed)

    rows = list(
        csv.DictReader(
            io.StringIO(trainer.get(f"/instructor/cohorts/{cohort_id}/export/answers.csv").text)
        )
    )
    best = next(row for row in rows if row["question_id"] == "demo-best")
    assert (best["response"], best["positions_shown"]) == ("small-gracious-moves", str(chosen + 1))
    commit = next(row for row in rows if row["question_id"] == "demo-commit")
    decisions = shown(page, "q-demo-commit-decision")
    reasons = shown(page, "q-demo-commit-reason")
    assert commit["positions_shown"] == (
        f"{decisions.index('walk') + 1}|{reasons.index('walk-changed-circumstances') + 1}"
    )
    branch = next(row for row in rows if row["question_id"] == "demo-branch")
    second_step = shuffled(secret(quiz_app), form_fields(page)["submission"])(
        "demo-branch/assessed", ("apologise-unequivocally", "qualified-apology")
    )
    assert branch["positions_shown"] == (
        f"{shown(page, 'q-demo-branch-start').index('assess-finality') + 1}|"
        f"{second_step.index('apologise-unequivocally') + 1}"
    )

    debrief = trainer.get(f"/instructor/cohorts/{cohort_id}/debrief/impasse/walkouts/1").text
    assert [t.split(" ")[0] for t in texts(debrief, "ul.share-list li")] == [
        "Apologise",
        "Threaten",
        "Make",
    ]  # the debrief keeps the authored order, whatever each learner saw


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("q-demo-best", "not-an-option"),
        ("q-demo-best", "2"),  # a position is not an answer: answers are option ids
        ("q-demo-order-assess-finality", "4"),  # a place outside 1..3
    ],
)
def test_an_answer_outside_the_question_is_refused_and_nothing_is_stored(
    quiz_app, learner, field, value
):
    page = learner.get(QUIZ_URL).text
    sent = learner.post(QUIZ_URL, data={**form_fields(page), **RIGHT_ANSWERS, field: value})
    assert sent.status_code == 400
    assert re.search(r"Question \d: ", sent.text)
    with quiz_app.app_context():
        assert db.session.scalars(select(Answer)).all() == []

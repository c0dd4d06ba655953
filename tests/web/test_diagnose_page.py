"""A diagnose question through the real pages: loaded from its file, asked on the quiz page,
refused when a part is unknown or unanswered, graded, reviewed and debriefed."""

from __future__ import annotations

import pytest

from parley import create_app
from parley.config import PROJECT_ROOT
from parley.content import load_library
from tests.factories import (
    create_account,
    form_fields,
    log_in,
    make_cohort,
    text_of,
    texts,
    write_quizzes,
)

QUIZ_URL = "/courses/impasse/quizzes/walkouts"
QUIZ = """\
title: Reading an impasse
module: walkouts
questions:
  - id: diag-remark
    kind: diagnose
    objectives: [emotions-or-issues, actor-or-receiver]
    scenario: |
      Priya's colleague mocked Tom's team, and the two firms are also 6% apart on price.
      Tom has gone quiet, but the talks are still on.
    prompt: What should Priya do first?
    facts: {driver: both, caused_by: us, talks: ongoing}
    diagnose: [driver, caused_by]
    options:
      - {strategy: apologise, label: Tell Tom the remark was wrong and that she is sorry}
      - {strategy: small-gracious-moves, label: Send Tom a small thank-you and wait}
      - {strategy: batna-as-threat, label: Tell Tom they have other suppliers}
    expect: apologise
"""
RIGHT = {
    "q-diag-remark-driver": "both",
    "q-diag-remark-caused_by": "us",
    "q-diag-remark": "apologise",
}


@pytest.fixture
def diagnose_app(app_config, tmp_path):
    """An app whose walkouts quiz is one diagnose question, on the shipped rule book."""
    app_config["QUIZZES_DIR"] = str(write_quizzes(tmp_path / "quizzes", QUIZ))
    return create_app(app_config)


def test_the_quiz_page_asks_each_fact_by_its_label_then_the_move(diagnose_app):
    create_account(diagnose_app, "ana@example.com", name="Ana")
    page = log_in(diagnose_app, "ana@example.com").get(QUIZ_URL).text
    assert text_of(page, "section.question h2") == "Question 1 Diagnose, then decide"
    assert texts(page, "fieldset.diagnosis legend") == [
        "What is holding the talks up?",
        "Who caused the impasse?",
    ]
    assert sorted(texts(page, "fieldset.diagnosis label")[:3]) == [
        "Both Both hurt feelings and a real gap on the terms are holding the talks up.",
        "Feelings Feelings such as hurt pride, anger or distrust are what holds the talks up.",
        "The terms A substantive gap on terms, not feelings, is what holds the talks up.",
    ]
    assert text_of(page, "fieldset.moves legend") == "What should Priya do first?"
    assert sorted(texts(page, "fieldset.moves label")) == [
        "Send Tom a small thank-you and wait",
        "Tell Tom the remark was wrong and that she is sorry",
        "Tell Tom they have other suppliers",
    ]
    assert page.count('name="q-diag-remark-caused_by"') == 4


def test_a_diagnosis_is_refused_until_every_part_is_known_then_graded_and_reviewed(
    diagnose_app,
):
    create_account(diagnose_app, "ana@example.com", name="Ana")
    learner = log_in(diagnose_app, "ana@example.com")
    fields = form_fields(learner.get(QUIZ_URL).text)

    unknown = learner.post(
        QUIZ_URL, data={**fields, **RIGHT, "q-diag-remark-caused_by": "nobody-knows"}
    )
    assert unknown.status_code == 400
    assert "Question 1: one of the answers is not an option here." in unknown.text

    unanswered = {k: v for k, v in RIGHT.items() if k != "q-diag-remark-caused_by"}
    partly = learner.post(QUIZ_URL, data={**fields, **unanswered})
    assert partly.status_code == 400
    assert (
        "Question 1: answer every part: “Who caused the impasse?” has no answer yet." in partly.text
    )
    assert 'name="q-diag-remark-driver" value="both" checked' in partly.text

    misread = {**RIGHT, "q-diag-remark-caused_by": "them"}
    sent = learner.post(QUIZ_URL, data={**fields, **misread})
    assert sent.status_code == 303
    review = learner.get(sent.headers["Location"]).text
    assert text_of(review, "h1") == "Your result: 75%"
    assert text_of(review, "p.summary") == (
        "Your reading: 1 of 2 facts right. Your move: Right: Apologise."
    )
    verdicts = texts(review, "section.review li.verdict")
    assert verdicts[0].startswith(
        "right What is holding the talks up? Both (your choice) Both hurt feelings and a real "
        "gap on the terms are holding the talks up."
    )
    assert verdicts[1].startswith(
        "mistake Who caused the impasse? The other side (your choice) Read right, it is “Your "
        "side”: Your side caused the impasse. Read as “The other side”, the rules point to Make "
        "small gracious moves; read right, they point to Apologise, because feelings are "
        "blocking the talks and your side contributed."
    )
    assert verdicts[2].startswith(
        "right Tell Tom the remark was wrong and that she is sorry (your choice)"
    )
    assert len(verdicts) == 3


def test_the_debrief_shows_how_the_cohort_read_each_fact_and_chose_the_move(diagnose_app):
    learners = []
    for email, caused_by in (("ana@example.com", "us"), ("ben@example.com", "them")):
        learner_id = create_account(diagnose_app, email, name=email[:3].title())
        learner = log_in(diagnose_app, email)
        page = learner.get(QUIZ_URL).text
        answers = {**RIGHT, "q-diag-remark-caused_by": caused_by}
        assert learner.post(QUIZ_URL, data={**form_fields(page), **answers}).status_code == 303
        learners.append(learner_id)
    instructor_id = create_account(diagnose_app, "tess@example.com", name="Tess", role="instructor")
    cohort_id = make_cohort(diagnose_app, instructor_id, members=learners).id
    instructor = log_in(diagnose_app, "tess@example.com")
    debrief = instructor.get(f"/instructor/cohorts/{cohort_id}/debrief/impasse/walkouts").text
    assert texts(debrief, "section.debrief-part h2") == [
        "What is holding the talks up? (2 answers before class)",
        "Who caused the impasse? (2 answers before class)",
        "The move (2 answers before class)",
    ]
    assert texts(debrief, "ul.share-list li")[3:7] == [
        "Your side 50% 50%",
        "The other side 50% 50%",
        "Both sides 0% 0%",
        "It is hard to say 0% 0%",
    ]
    assert texts(debrief, "ul.share-list li")[7] == (
        "Tell Tom the remark was wrong and that she is sorry 100% 100%"
    )
    assert "Ana" not in debrief and "Ben" not in debrief


def load_errors(tmp_path, quiz_text: str) -> list[str]:
    _, report = load_library(PROJECT_ROOT / "courses", write_quizzes(tmp_path, quiz_text))
    return [p.message for p in report.errors]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("diagnose: [driver, caused_by]", "diagnose: [driver, walked_out]"),
            "question 'diag-remark': diagnoses 'walked_out', but its facts do not state it",
        ),
        (
            ("diagnose: [driver, caused_by]", "diagnose: [driver]"),
            "question 'diag-remark': a diagnose question names 2 to 4 facts under 'diagnose' "
            "(this one names 1)",
        ),
        (
            ("kind: diagnose", "kind: best"),
            "question 'diag-remark': only a diagnose question may say 'diagnose'",
        ),
    ],
)
def test_content_check_names_a_diagnosis_it_cannot_ask(tmp_path, change, message):
    assert load_errors(tmp_path, QUIZ) == []
    assert message in load_errors(tmp_path / "broken", QUIZ.replace(*change))

"""A question kind lives in one object: a kind defined only here goes through loading, the
form, submission, review and the debrief without a change anywhere else."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from parley import create_app
from parley.grading import KINDS, Key, Question, QuestionResult, RuleBook
from parley.grading.debrief import DebriefPart, option_shares
from parley.grading.feedback import verdict_for
from parley.grading.kinds.base import QuestionKind, Reading, ResponseError, one_value
from parley.grading.rules import evaluate
from tests.factories import (
    create_account,
    form_fields,
    log_in,
    make_cohort,
    text_of,
    write_quizzes,
)


class SoundOrNot(QuestionKind):
    """Is the one move offered sound here? Yes when the rule book recommends it."""

    name = "sound-or-not"
    title = "Sound or not"
    prompt = "Is this a sound move here?"

    def shape_problem(self, question: Question) -> str | None:
        return None if len(question.options) == 1 else "offers exactly one move"

    def derive(self, book: RuleBook, question: Question) -> Key:
        (option,) = question.options
        outcomes = evaluate(book, question.facts, [option.strategy_id])
        sound = outcomes[option.strategy_id].status == "recommended"
        return Key(("yes",) if sound else ("no",), outcomes)

    def grade(self, book, question, key, response) -> QuestionResult:
        if response.choices not in (("yes",), ("no",)):
            raise ResponseError("say yes or no")
        (option,) = question.options
        outcome = key.outcomes[option.strategy_id]
        right = response.choices == key.answer
        verdict = verdict_for(
            book, option, outcome, chosen=True, in_key=right, key=outcome if right else None
        )
        summary = "Right." if right else f"The rule book says {key.answer[0]}."
        return QuestionResult(question.id, float(right), (verdict,), summary, key.answer)

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        value = one_value(form, f"q-{question.id}")
        if value not in ("", "yes", "no"):
            return Reading(problem="say yes or no.")
        return Reading((value,), filled=value) if value else Reading(missing=True)

    def form_body(self, question, book, filled, arrange) -> dict:
        return {"move": question.options[0].label, "said": filled or ""}

    def answer_text(self, snapshot, stored: list[str]) -> str:
        return f"You said {stored[0]} to {snapshot['options'][0]['label']}"

    def debrief(self, book, question, key, responses) -> list[DebriefPart]:
        (option,) = question.options
        said_yes = sum(1 for response in responses if response == ["yes"])
        right = {option.strategy_id} if key.answer == ("yes",) else set()
        counts = {option.strategy_id: said_yes}
        shares = option_shares(
            book, question.facts, question.options, right, counts, len(responses)
        )
        return [DebriefPart("Said it is sound", "", len(responses), shares)]

    def template_source(self) -> str:
        return (
            "{% macro take(q) %}<p class='sound-move'>Move: {{ q.body.move }}</p>"
            "{% for v in ('yes', 'no') %}<label><input type='radio' name='q-{{ q.id }}' "
            "value='{{ v }}'{% if q.body.said == v %} checked{% endif %}>{{ v }}</label>"
            "{% endfor %}{% endmacro %}"
            "{% macro review(item) %}<p class='sound-review'>{{ item.answer_text }}: "
            "{{ item.summary }}</p>{% endmacro %}"
            "{% macro debrief(part, number) %}<p class='sound-debrief'>{{ part.heading }}: "
            "{{ part.options[0].count }} of {{ part.respondents }}</p>{% endmacro %}"
        )


QUIZ = """\
title: Sound moves
module: walkouts
questions:
  - id: sound-apology
    kind: sound-or-not
    objectives: [emotions-or-issues]
    scenario: Priya's colleague insulted Tom's team, and Tom ended the call.
    facts: {driver: emotions, caused_by: us, talks: ongoing}
    options: [apologise]
    expect: "yes"
"""


@pytest.fixture
def sound_app(app_config, tmp_path, monkeypatch):
    """An app whose walkouts quiz is one sound-or-not question, with that kind registered."""
    monkeypatch.setitem(KINDS, SoundOrNot.name, SoundOrNot())
    app_config["QUIZZES_DIR"] = str(write_quizzes(tmp_path / "quizzes", QUIZ))
    return create_app(app_config)


def test_a_kind_registered_in_one_table_is_loaded_taken_reviewed_and_debriefed(sound_app):
    quiz = sound_app.extensions["parley_content"].quiz("impasse", "walkouts")
    assert [q.kind for q in quiz.questions] == ["sound-or-not"]

    learner_id = create_account(sound_app, "ana@example.com", name="Ana")
    learner = log_in(sound_app, "ana@example.com")
    page = learner.get("/courses/impasse/quizzes/walkouts").text
    assert text_of(page, "p.sound-move") == "Move: Apologise"
    assert text_of(page, "section.question h2") == "Question 1 Sound or not"
    fields = form_fields(page)

    refused = learner.post(
        "/courses/impasse/quizzes/walkouts", data={**fields, "q-sound-apology": "maybe"}
    )
    assert refused.status_code == 400
    assert "Question 1: say yes or no." in refused.text

    sent = learner.post(
        "/courses/impasse/quizzes/walkouts", data={**fields, "q-sound-apology": "yes"}
    )
    assert sent.status_code == 303
    review = learner.get(sent.headers["Location"]).text
    assert text_of(review, "h1") == "Your result: 100%"
    assert "<p class='sound-review'>You said yes to Apologise: Right.</p>" in review

    instructor_id = create_account(sound_app, "tess@example.com", name="Tess", role="instructor")
    instructor = log_in(sound_app, "tess@example.com")
    cohort_id = make_cohort(
        sound_app,
        instructor_id,
        name="Monday",
        workshop_date=date.today() + timedelta(days=7),
        members=[learner_id],
    ).id
    debrief = instructor.get(f"/instructor/cohorts/{cohort_id}/debrief/impasse/walkouts").text
    assert "<p class='sound-debrief'>Said it is sound: 1 of 1</p>" in debrief

"""Read a quiz form into responses, and say plainly what is missing or wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parley.grading import CONFIDENCES, Question, Response, RuleBook, kind_of
from parley.grading.kinds.base import one_value


@dataclass
class ParsedAnswers:
    """Everything the learner sent, complete or not, so a form can be shown again as it was."""

    responses: dict[str, Response] = field(default_factory=dict)
    filled: dict[str, Any] = field(default_factory=dict)  # by question id, as its kind reads it
    confidences: dict[str, str] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    unfinished: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def expected_fields(questions: tuple[Question, ...]) -> set[str]:
    """Every field name a form of these questions may send."""
    names = set()
    for question in questions:
        names.add(f"c-{question.id}")
        names |= kind_of(question.kind).field_names(question)
    return names


def parse_answers(questions: tuple[Question, ...], book: RuleBook, form) -> ParsedAnswers:
    """Parse form (a MultiDict) against questions."""
    parsed = ParsedAnswers()
    expected = expected_fields(questions)
    if any(name.startswith(("q-", "c-")) and name not in expected for name in form):
        parsed.problems.append(
            "This form has answers for questions that are not in this quiz, so nothing was "
            "saved. Answer the questions shown below."
        )
    for number, question in enumerate(questions, start=1):
        confidence = one_value(form, f"c-{question.id}")
        if confidence and confidence not in CONFIDENCES:
            parsed.problems.append(f"Question {number}: choose sure, unsure or guessing.")
            confidence = ""
        if confidence:
            parsed.confidences[question.id] = confidence
        reading = kind_of(question.kind).read(question, book, form)
        if reading.filled is not None:
            parsed.filled[question.id] = reading.filled
        if reading.problem:
            parsed.problems.append(f"Question {number}: {reading.problem}")
        elif reading.unfinished:
            parsed.unfinished.append(number)
        elif reading.missing:
            parsed.missing.append(number)
        elif reading.choices is not None:
            parsed.responses[question.id] = Response(reading.choices, confidence or None)
    return parsed

"""Factories the tests share: build what a test needs in one call. Tests import from here,
never from conftest or from one another."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.grading import Question, Response


def answer_fields(
    questions: Sequence[Question], responses: Mapping[str, Response]
) -> list[tuple[str, str]]:
    """The form fields a browser sends to give these responses, written from the form's markup
    (independently of the code that reads them, so a round trip tests something)."""
    fields: list[tuple[str, str]] = []
    for question in questions:
        response = responses[question.id]
        name = f"q-{question.id}"
        choices = response.choices
        if question.kind in ("best", "all-that-apply"):
            fields += [(name, choice) for choice in choices]
        elif question.kind == "commit-or-walk":
            fields.append((f"{name}-decision", choices[0]))
            fields += [(f"{name}-reason", reason) for reason in choices[1:]]
        elif question.kind == "order":
            fields += [(f"{name}-{choice}", str(n)) for n, choice in enumerate(choices, start=1)]
        elif question.kind == "branching":
            step = question.steps[0]
            for choice in choices:
                fields.append((f"{name}-{step.id}", choice))
                option = next(o for o in step.options if o.strategy_id == choice)
                step = question.step(option.next_step) if option.next_step else None
        else:
            raise ValueError(f"answer_fields does not know the kind {question.kind!r}")
        if response.confidence:
            fields.append((f"c-{question.id}", response.confidence))
    return fields

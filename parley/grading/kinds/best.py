"""Best move: one option is the strongest the rule book recommends."""

from __future__ import annotations

from typing import Any

from parley.grading.derive import Key, best_of
from parley.grading.feedback import option_verdicts
from parley.grading.kinds.base import (
    MANY,
    NOT_AN_OPTION,
    QuestionKind,
    Reading,
    ResponseError,
    check_known,
    one_value,
    strategy_name,
)
from parley.grading.model import Question, QuestionResult, Response, RuleBook


class BestMove(QuestionKind):
    name = "best"
    title = "Best move"
    prompt = "What is the best move?"

    def derive(self, book: RuleBook, question: Question) -> Key:
        step = best_of(book, question.facts, question.options)
        return Key((step.best,), step.outcomes)

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        if len(response.choices) != 1:
            raise ResponseError("choose exactly one option")
        check_known(question, response.choices)
        chosen, best = response.choices[0], key.answer[0]
        verdicts = option_verdicts(
            book,
            question.options,
            key.outcomes,
            chosen={chosen},
            in_key={best},
            key=key.outcomes[best],
        )
        right = chosen == best
        summary = (
            f"Right: {strategy_name(book, best)}."
            if right
            else f"Not the best move here. The rules point to {strategy_name(book, best)}."
        )
        return QuestionResult(question.id, 1.0 if right else 0.0, verdicts, summary, key.answer)

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        value = one_value(form, f"q-{question.id}")
        if value == MANY:
            return Reading(problem="choose only one option.")
        if not value:
            return Reading(missing=True)
        if question.option(value) is None:
            return Reading(problem=NOT_AN_OPTION)
        return Reading((value,), filled=(value,))


KIND = BestMove()

"""Best move: one option is the strongest the rule book recommends."""

from __future__ import annotations

from typing import Any

from parley.grading.derive import Key, best_of
from parley.grading.feedback import is_sound, option_verdicts
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


def best_move_score(book: RuleBook, key: Key, chosen: str) -> tuple[float, str]:
    """The score and summary of choosing one move where key holds the best: full credit for the
    best, the rule book's credit for a sound second-best, nothing otherwise."""
    best = key.answer[0]
    if chosen == best:
        return 1.0, f"Right: {strategy_name(book, best)}."
    if is_sound(key.outcomes[chosen]):
        return book.acceptable_credit, (
            f"Second-best: {strategy_name(book, chosen)} is sound here, but the better move is "
            f"{strategy_name(book, best)}."
        )
    return 0.0, f"Not the best move here. The rules point to {strategy_name(book, best)}."


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
        score, summary = best_move_score(book, key, chosen)
        return QuestionResult(question.id, score, verdicts, summary, key.answer)

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

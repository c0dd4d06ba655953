"""All that apply: every option the rule book recommends, and none it does not."""

from __future__ import annotations

from typing import Any

from parley.grading.derive import DerivationError, Key, facts_text
from parley.grading.feedback import option_verdicts
from parley.grading.kinds.base import (
    NOT_AN_OPTION,
    QuestionKind,
    Reading,
    ResponseError,
    check_known,
    shown_options,
)
from parley.grading.model import Question, QuestionResult, Response, RuleBook
from parley.grading.rules import evaluate


class AllThatApply(QuestionKind):
    name = "all-that-apply"
    title = "All that apply"
    prompt = "Which of these fit the situation? Choose all that apply."

    def same_answer(self, expected: tuple[str, ...], derived: tuple[str, ...]) -> bool:
        return set(expected) == set(derived)

    def derive(self, book: RuleBook, question: Question) -> Key:
        outcomes = evaluate(book, question.facts, [o.strategy_id for o in question.options])
        right = tuple(
            o.strategy_id
            for o in question.options
            if outcomes[o.strategy_id].status == "recommended"
        )
        if not right:
            raise DerivationError(
                "the rule book derives no answer: no option is recommended when "
                f"{facts_text(question.facts)}"
            )
        return Key(right, outcomes)

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        picks = set(response.choices)
        if len(picks) != len(response.choices):
            raise ResponseError("an option was picked twice")
        check_known(question, response.choices)
        right = set(key.answer)
        # An acceptable option (sound, but not what the rules call for here) is neither
        # required nor penalised.
        acceptable = {i for i, o in key.outcomes.items() if o.status == "acceptable"}
        right_picks, wrong_picks = len(picks & right), len(picks - right - acceptable)
        score = max(0, right_picks - wrong_picks) / len(right)
        verdicts = option_verdicts(
            book, question.options, key.outcomes, chosen=picks, in_key=right, key=None
        )
        summary = (
            f"{right_picks} of {len(right)} right options picked, "
            f"{wrong_picks} wrong pick{'s' if wrong_picks != 1 else ''}."
        )
        if picks & acceptable:
            summary += (
                " Sound but not required here: "
                + ", ".join(
                    o.label for o in question.options if o.strategy_id in picks & acceptable
                )
                + "."
            )
        return QuestionResult(question.id, score, verdicts, summary, key.answer)

    def plausible_mistake(self, book, question, key, rng) -> tuple[str, ...]:
        others = [o.strategy_id for o in question.options if o.strategy_id not in key.answer]
        return (key.answer[0], *others[:1])

    def guess(self, question, book, arrange, guesser) -> tuple[str, ...]:
        return tuple(guesser.some(shown_options(arrange, question.id, question.options)))

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        values = [v for v in form.getlist(f"q-{question.id}") if v != ""]
        if not values:
            return Reading(missing=True)
        if any(question.option(v) is None for v in values):
            return Reading(problem=NOT_AN_OPTION)
        unique = tuple(dict.fromkeys(values))
        return Reading(unique, filled=unique)


KIND = AllThatApply()

"""Order the steps: place every step of one rule-book sequence first to last."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

from parley.grading.debrief import DebriefPart, option_shares
from parley.grading.derive import DerivationError, Key
from parley.grading.kinds.base import (
    MANY,
    Arrangement,
    Choice,
    QuestionKind,
    Reading,
    ResponseError,
    in_order,
    one_value,
    shown_options,
)
from parley.grading.model import OptionVerdict, Question, QuestionResult, Response, RuleBook
from parley.grading.rules import evaluate


class OrderTheSteps(QuestionKind):
    name = "order"
    title = "Order the steps"
    prompt = "Put these steps in the order you would take them."

    def describe(self, answer: tuple[str, ...]) -> str:
        return " -> ".join(answer)

    def roles(self, book: RuleBook, question: Question, key: Key) -> None:
        """Every step of an order question is in its key, so it shows no distractor."""
        return None

    def derive(self, book: RuleBook, question: Question) -> Key:
        strategies = [book.strategies[o.strategy_id] for o in question.options]
        sequences = {s.sequence for s in strategies}
        if None in sequences or len(sequences) != 1:
            raise DerivationError(
                "every option of an order question must be a step of one sequence"
            )
        steps = [s.step for s in strategies]
        if len(set(steps)) != len(steps):
            raise DerivationError("two options of this order question have the same step number")
        ordered = tuple(s.id for s in sorted(strategies, key=lambda s: s.step or 0))
        return Key(ordered, evaluate(book, question.facts, ordered))

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        given = response.choices
        if sorted(given) != sorted(key.answer):
            raise ResponseError("place every step exactly once")
        position = {strategy_id: index for index, strategy_id in enumerate(given)}
        pairs = list(combinations(key.answer, 2))
        in_order = sum(1 for first, later in pairs if position[first] < position[later])
        score = in_order / len(pairs) if pairs else 1.0
        sequence = book.sequences.get(book.strategies[key.answer[0]].sequence or "")
        verdicts = []
        for index, strategy_id in enumerate(key.answer):
            option = question.option(strategy_id)
            assert option is not None
            strategy = book.strategies[strategy_id]
            placed = position[strategy_id]
            where = f"Step {index + 1} of {len(key.answer)}: {strategy.statement}"
            if strategy.last_resort:
                where += " It is the last resort."
            reason = f"{where} {sequence.because}" if sequence else where
            verdicts.append(
                OptionVerdict(
                    strategy_id=strategy_id,
                    label=option.label,
                    chosen=True,
                    verdict="right" if placed == index else "mistake",
                    rule_id=sequence.rule_id if sequence else None,
                    rule_title=f"{sequence.name}: the order of the steps" if sequence else "",
                    reason=reason,
                    teaches=strategy.teaches,
                    note=option.feedback if placed != index else "",
                )
            )
        summary = f"{in_order} of {len(pairs)} pairs of steps in the right order."
        return QuestionResult(question.id, score, tuple(verdicts), summary, key.answer)

    def plausible_mistake(self, book, question, key, rng) -> tuple[str, ...]:
        return tuple(reversed(key.answer))

    def guess(self, question, book, arrange, guesser) -> tuple[str, ...]:
        return tuple(guesser.order(shown_options(arrange, question.id, question.options)))

    def field_names(self, question: Question) -> set[str]:
        return {f"q-{question.id}-{o.strategy_id}" for o in question.options}

    def form_fields(self, question: Question, choices: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(f"q-{question.id}-{choice}", str(n)) for n, choice in enumerate(choices, start=1)]

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        size = len(question.options)
        given = {
            o.strategy_id: one_value(form, f"q-{question.id}-{o.strategy_id}")
            for o in question.options
        }
        filled = {k: v for k, v in given.items() if v and v != MANY}
        if all(not v for v in given.values()):
            return Reading(filled=filled, missing=True)
        allowed = {str(n) for n in range(1, size + 1)}
        if any(v not in allowed for v in given.values()):
            return Reading(filled=filled, problem=f"give every step a place from 1 to {size}.")
        if len(set(given.values())) != size:
            return Reading(filled=filled, problem="give each step a different place.")
        ordered = tuple(sorted(given, key=lambda strategy_id: int(given[strategy_id])))
        return Reading(ordered, filled=filled)

    def form_body(
        self, question: Question, book: RuleBook, filled: Any, arrange: Arrangement
    ) -> tuple[Choice, ...]:
        places = filled or {}
        return tuple(
            Choice(o.strategy_id, o.label, value=places.get(o.strategy_id, ""), part=question.id)
            for o in in_order(arrange, question.id, question.options)
        )

    def answer_text(self, snapshot: Mapping[str, Any], stored: list[str]) -> str:
        labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
        return " → ".join(labels.get(choice, choice) for choice in stored)

    def debrief(
        self, book: RuleBook, question: Question, key: Key, responses: list[list[str]]
    ) -> list[DebriefPart]:
        counts: dict[str, int] = {}
        for response in responses:
            if response:
                counts[response[0]] = counts.get(response[0], 0) + 1
        shares = option_shares(
            book, question.facts, question.options, {key.answer[0]}, counts, len(responses)
        )
        return [DebriefPart("Placed first", "", len(responses), shares)]


KIND = OrderTheSteps()

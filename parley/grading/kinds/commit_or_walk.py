"""Commit or walk away: commit to the deal, or walk away for the condition that holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parley.grading.debrief import DebriefPart, option_shares
from parley.grading.derive import DerivationError, Key, facts_text
from parley.grading.feedback import option_verdicts
from parley.grading.kinds.base import (
    MANY,
    Arrangement,
    Choice,
    QuestionKind,
    Reading,
    ResponseError,
    check_known,
    in_order,
    one_value,
    shown_options,
    strategy_name,
)
from parley.grading.model import Option, Question, QuestionResult, Response, RuleBook
from parley.grading.rules import evaluate


@dataclass(frozen=True)
class Decision:
    """The form's two parts: the decision, and the reasons to walk away to choose from."""

    decision: str  # "commit", "walk" or ""
    decisions: tuple[Choice, ...]
    reasons: tuple[Choice, ...]


DECISIONS = {"commit": "Commit to the agreement", "walk": "Walk away"}


def _decision_part(question: Question) -> str:
    return f"{question.id}/decision"


def _commit_options(book: RuleBook, question: Question) -> list[Option]:
    return [o for o in question.options if book.strategies[o.strategy_id].kind == "commit"]


def _reasons(book: RuleBook, question: Question) -> list[Option]:
    return [o for o in question.options if book.strategies[o.strategy_id].kind == "no-agreement"]


def _holding_reasons(book: RuleBook, question: Question, key: Key) -> list[str]:
    """The reasons to walk away that the rule book recommends under the question's facts."""
    return [
        o.strategy_id
        for o in _reasons(book, question)
        if key.outcomes[o.strategy_id].status == "recommended"
    ]


class CommitOrWalk(QuestionKind):
    name = "commit-or-walk"
    title = "Commit or walk away"
    prompt = "Should they commit to the agreement or walk away? If walking away, why?"

    def expected(self, expect: tuple[str, ...]) -> tuple[str, ...]:
        if expect and expect[0] not in ("commit", "walk"):
            return ("walk", *expect)
        return expect

    def describe(self, answer: tuple[str, ...]) -> str:
        if answer[0] == "commit":
            return "commit"
        return f"walk away because {', '.join(answer[1:])}"

    def roles(self, book: RuleBook, question: Question, key: Key) -> tuple[set[str], set[str]]:
        if key.answer == ("commit",):
            right = {o.strategy_id for o in _commit_options(book, question)}
        else:
            right = set(key.answer[1:])
        return right, {o.strategy_id for o in question.options} - right

    def derive(self, book: RuleBook, question: Question) -> Key:
        commits, reasons = _commit_options(book, question), _reasons(book, question)
        if len(commits) != 1 or len(reasons) + 1 != len(question.options) or not reasons:
            raise DerivationError(
                "a commit-or-walk question needs exactly one option of kind commit and at least "
                "one of kind no-agreement (and nothing else)"
            )
        outcomes = evaluate(book, question.facts, [o.strategy_id for o in question.options])
        walking = [o for o in reasons if outcomes[o.strategy_id].status == "recommended"]
        if walking:
            # Several conditions may hold at once; any of them is a right reason, and the key
            # names the strongest (the first written, when they weigh the same).
            strongest = max(walking, key=lambda o: outcomes[o.strategy_id].weight)
            return Key(("walk", strongest.strategy_id), outcomes)
        if outcomes[commits[0].strategy_id].status != "recommended":
            raise DerivationError(
                "the rule book derives no answer: neither committing nor any reason to walk "
                f"away applies when {facts_text(question.facts)}"
            )
        return Key(("commit",), outcomes)

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        choices = response.choices
        if not choices or choices[0] not in ("commit", "walk") or len(choices) > 2:
            raise ResponseError("choose to commit or to walk away")
        if choices[0] == "commit" and len(choices) != 1:
            raise ResponseError("committing takes no reason to walk away")
        reason = choices[1] if len(choices) == 2 else None
        if reason is not None:
            check_known(question, (reason,))
            if book.strategies[reason].kind != "no-agreement":
                raise ResponseError(f"'{reason}' is not a reason to walk away")
        commit_id = _commit_options(book, question)[0].strategy_id
        walk_right = key.answer[0] == "walk"
        # When several conditions for walking away hold, any of them is a right reason.
        right_reasons = set(_holding_reasons(book, question, key)) if walk_right else set()
        if not walk_right:
            score = 1.0 if choices[0] == "commit" else 0.0
        else:
            walked = choices[0] == "walk"
            score = 0.0 if not walked else 0.5 + (0.5 if reason in right_reasons else 0.0)
        chosen_ids = {commit_id} if choices[0] == "commit" else ({reason} if reason else set())
        if walk_right:
            key_ids = {reason} if reason in right_reasons else {key.answer[1]}
        else:
            key_ids = {commit_id}
        favourite = key.outcomes[next(iter(key_ids))]
        verdicts = option_verdicts(
            book, question.options, key.outcomes, chosen=chosen_ids, in_key=key_ids, key=favourite
        )
        if walk_right:
            holding = " and ".join(
                strategy_name(book, o.strategy_id)
                for o in _reasons(book, question)
                if o.strategy_id in right_reasons
            )
            summary = f"Walking away is right here, because of: {holding}."
            if choices[0] == "walk" and reason not in right_reasons:
                summary = f"Walking away was right, but for a different reason: {holding}."
        else:
            summary = "Committing is right here: no condition for walking away applies."
        return QuestionResult(question.id, score, verdicts, summary, key.answer)

    def plausible_mistake(self, book, question, key, rng) -> tuple[str, ...]:
        if key.answer[0] == "commit":
            return ("walk", _reasons(book, question)[0].strategy_id)
        return ("commit",)

    def guess(self, question, book, arrange, guesser) -> tuple[str, ...]:
        part = _decision_part(question)
        decision = guesser.one([(d, DECISIONS[d]) for d in arrange(part, tuple(DECISIONS))])
        if decision == "commit":
            return ("commit",)
        return ("walk", guesser.one(shown_options(arrange, question.id, _reasons(book, question))))

    def field_names(self, question: Question) -> set[str]:
        return {f"q-{question.id}-decision", f"q-{question.id}-reason"}

    def form_fields(self, question: Question, choices: tuple[str, ...]) -> list[tuple[str, str]]:
        fields = [(f"q-{question.id}-decision", choices[0])]
        return fields + [(f"q-{question.id}-reason", reason) for reason in choices[1:]]

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        decision = one_value(form, f"q-{question.id}-decision")
        reason = one_value(form, f"q-{question.id}-reason")
        if MANY in (decision, reason):
            return Reading(problem="choose one decision and at most one reason.")
        if decision and decision not in ("commit", "walk"):
            return Reading(problem="choose to commit or to walk away.")
        if reason and reason not in {o.strategy_id for o in _reasons(book, question)}:
            return Reading(problem="that reason is not one of the options.")
        filled = (decision, reason)
        if not decision:
            return Reading(filled=filled, missing=True)
        if decision == "walk" and not reason:
            return Reading(filled=filled, problem="say which condition makes walking away right.")
        return Reading(("commit",) if decision == "commit" else ("walk", reason), filled=filled)

    def choice_groups(
        self, question: Question, book: RuleBook
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (
            (_decision_part(question), tuple(DECISIONS)),
            (question.id, tuple(o.strategy_id for o in _reasons(book, question))),
        )

    def form_body(
        self, question: Question, book: RuleBook, filled: Any, arrange: Arrangement
    ) -> Decision:
        decision, reason = filled or ("", "")
        part = _decision_part(question)
        decisions = tuple(
            Choice(value, DECISIONS[value], value == decision, part=part)
            for value in arrange(part, tuple(DECISIONS))
        )
        reasons = tuple(
            Choice(o.strategy_id, o.label, o.strategy_id == reason, part=question.id)
            for o in in_order(arrange, question.id, _reasons(book, question))
        )
        return Decision(decision, decisions, reasons)

    def answer_text(self, snapshot: Mapping[str, Any], stored: list[str]) -> str:
        if stored[:1] == ["commit"]:
            return DECISIONS["commit"]
        if len(stored) < 2:
            return ""
        labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
        return f"{DECISIONS['walk']}: " + labels.get(stored[1], stored[1])

    def debrief(
        self, book: RuleBook, question: Question, key: Key, responses: list[list[str]]
    ) -> list[DebriefPart]:
        commit_id = _commit_options(book, question)[0].strategy_id
        counts: dict[str, int] = {}
        for response in responses:
            walked = response[:1] == ["walk"] and len(response) > 1
            choice = response[1] if walked else commit_id
            counts[choice] = counts.get(choice, 0) + 1
        right = {key.answer[1]} if key.answer[0] == "walk" else {commit_id}
        shares = option_shares(
            book, question.facts, question.options, right, counts, len(responses)
        )
        return [DebriefPart("Decision (and reason for walking away)", "", len(responses), shares)]


KIND = CommitOrWalk()

"""Diagnose, then decide: read the situation along two to four facts, then choose the move.

The learner is graded on both halves: half the score is the share of facts read right, half
is the move, graded as a best-move question. The feedback says which facts were misread and
how reading them right changes the move the rule book points to.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parley.grading.debrief import DebriefPart, OptionShare, option_shares
from parley.grading.derive import DerivationError, Key, best_of
from parley.grading.kinds import best
from parley.grading.kinds.base import (
    MANY,
    NOT_AN_OPTION,
    Arrangement,
    Choice,
    Guesser,
    QuestionKind,
    Reading,
    ResponseError,
    check_known,
    in_order,
    one_value,
    shown_options,
    strategy_name,
)
from parley.grading.model import (
    Fact,
    OptionVerdict,
    Question,
    QuestionResult,
    Response,
    RuleBook,
)

MIN_FACTS, MAX_FACTS = 2, 4


@dataclass(frozen=True)
class FactGroup:
    """One fact to read, as the form asks it: the field, the question, and a choice per value."""

    field: str
    legend: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Diagnosis:
    """The form's parts: the facts to read, then the moves to choose from."""

    facts: tuple[FactGroup, ...]
    moves: tuple[Choice, ...]


def _part(question: Question, fact: str) -> str:
    """The part id of a fact's group of values (see base.Arrangement)."""
    return f"{question.id}/{fact}"


def _field(question: Question, fact: str) -> str:
    return f"q-{question.id}-{fact}"


def _sentence(text: str) -> str:
    """A fact value's meaning (a clause) as a sentence."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _clause(text: str) -> str:
    """A rule's reason (sentences) to follow "because": its first letter in lower case, unless
    the first word is an acronym or "I"."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first == "A" or first[1:2].islower() else text


def _row_label(fact: Fact, value: str) -> str:
    """ "<fact label>: <value label>", or with a space after a label that is a question."""
    joiner = " " if fact.label.endswith("?") else ": "
    return f"{fact.label}{joiner}{fact.value_label(value)}"


def _count_problem(diagnose: tuple[str, ...]) -> str | None:
    if not MIN_FACTS <= len(diagnose) <= MAX_FACTS:
        return (
            f"a diagnose question names {MIN_FACTS} to {MAX_FACTS} facts under 'diagnose' "
            f"(this one names {len(diagnose)})"
        )
    twice = sorted({fact for fact in diagnose if diagnose.count(fact) > 1})
    if twice:
        return f"fact '{twice[0]}' is named twice under 'diagnose'"
    return None


def diagnosis_problem(book: RuleBook, question: Question) -> str | None:
    """Say why the question's facts to diagnose cannot be asked, if they cannot: 2 to 4 facts,
    each stated by the question and labelled, with every value, in the rule book."""
    problem = _count_problem(question.diagnose)
    if problem:
        return problem
    for name in question.diagnose:
        fact = book.facts.get(name)
        if fact is None:
            return f"diagnoses '{name}', which is not a fact of the rule book"
        if name not in question.facts:
            return f"diagnoses '{name}', but its facts do not state it"
        if not fact.label:
            return (
                f"diagnoses '{name}', which has no learner-facing label in rules.yaml "
                "(give the fact a label:)"
            )
        unlabelled = [value for value in fact.values if not fact.value_labels.get(value)]
        if unlabelled:
            return (
                f"diagnoses '{name}', whose value '{unlabelled[0]}' has no learner-facing label "
                "in rules.yaml (write the value as {label: ..., meaning: ...})"
            )
    return None


class Diagnose(QuestionKind):
    name = "diagnose"
    title = "Diagnose, then decide"
    prompt = "So what is the best move?"

    # -- authoring --------------------------------------------------------------------------
    def shape_problem(self, question: Question) -> str | None:
        return super().shape_problem(question) or _count_problem(question.diagnose)

    def same_answer(self, expected: tuple[str, ...], derived: tuple[str, ...]) -> bool:
        """`expect:` may give the move alone, or the values read and then the move."""
        return expected in (derived, derived[-1:])

    def describe(self, answer: tuple[str, ...]) -> str:
        if len(answer) == 1:
            return answer[0]
        return f"a reading of {', '.join(answer[:-1])}, then {answer[-1]}"

    def roles(self, book: RuleBook, question: Question, key: Key) -> tuple[set[str], set[str]]:
        """The facts read are not strategies: only the move counts."""
        right = {key.answer[-1]}
        return right, {o.strategy_id for o in question.options} - right

    # -- the rule book ----------------------------------------------------------------------
    def derive(self, book: RuleBook, question: Question) -> Key:
        """The true value of each fact to diagnose, in order, then the best move."""
        problem = diagnosis_problem(book, question)
        if problem:
            raise DerivationError(problem)
        step = best_of(book, question.facts, question.options)
        truth = tuple(question.facts[name] for name in question.diagnose)
        return Key((*truth, step.best), step.outcomes)

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        count = len(question.diagnose)
        if len(response.choices) != count + 1:
            raise ResponseError(f"read each of the {count} facts and choose one move")
        *reading, move = response.choices
        for name, value in zip(question.diagnose, reading, strict=True):
            if value not in book.facts[name].values:
                raise ResponseError(f"'{value}' is not a value of fact '{name}'")
        check_known(question, (move,))
        # The move is graded as a best-move question is, tiers and all.
        move_key = Key(key.answer[-1:], key.outcomes)
        moved = best.KIND.grade(book, question, move_key, Response((move,)))
        truth = key.answer[:-1]
        read_right = sum(value == true for value, true in zip(reading, truth, strict=True))
        rows = tuple(
            self._fact_verdict(book, question, key, name, value)
            for name, value in zip(question.diagnose, reading, strict=True)
        )
        summary = f"Your reading: {read_right} of {count} facts right."
        misread = {
            name: value
            for name, value, true in zip(question.diagnose, reading, truth, strict=True)
            if value != true
        }
        if len(misread) > 1:  # one misread fact's effect is told in its own row
            summary += " " + _what_it_changes(book, question, key, misread, "Read your way")
        summary += f" Your move: {moved.summary}"
        score = 0.5 * read_right / count + 0.5 * moved.score
        return QuestionResult(question.id, score, rows + moved.verdicts, summary, key.answer)

    def _fact_verdict(
        self, book: RuleBook, question: Question, key: Key, name: str, value: str
    ) -> OptionVerdict:
        """One fact as the learner read it: right or misread, the right reading and its
        meaning, and what reading it this way alone changes."""
        fact = book.facts[name]
        true = key.answer[question.diagnose.index(name)]
        meaning = _sentence(fact.values[true])
        if value == true:
            reason = meaning
        else:
            reason = f"Read right, it is “{fact.value_label(true)}”: {meaning} " + _what_it_changes(
                book, question, key, {name: value}, f"Read as “{fact.value_label(value)}”"
            )
        outcome = key.outcomes[key.answer[-1]]
        rule = outcome.deciding_rule
        cites = rule is not None and any(c.fact == name for c in rule.conditions)
        return OptionVerdict(
            strategy_id=f"{name}={value}",
            label=_row_label(fact, value),
            chosen=True,
            verdict="right" if value == true else "mistake",
            rule_id=rule.id if cites and rule is not None else None,
            reason=reason,
            teaches=rule.teaches if rule is not None and rule.teaches else outcome.strategy.teaches,
        )

    def plausible_mistake(
        self, book: RuleBook, question: Question, key: Key, rng: random.Random
    ) -> tuple[str, ...]:
        """The first fact misread, and the right move all the same."""
        first = question.diagnose[0]
        others = [value for value in book.facts[first].values if value != key.answer[0]]
        return (rng.choice(others), *key.answer[1:])

    def guess(
        self, question: Question, book: RuleBook, arrange: Arrangement, guesser: Guesser
    ) -> tuple[str, ...]:
        """One value of each fact, then one move, each picked from its group as shown."""
        reading = []
        for name in question.diagnose:
            fact, part = book.facts[name], _part(question, name)
            shown = [(v, fact.value_label(v)) for v in arrange(part, tuple(fact.values))]
            reading.append(guesser.one(shown))
        move = guesser.one(shown_options(arrange, question.id, question.options))
        return (*reading, move)

    # -- the form ---------------------------------------------------------------------------
    def field_names(self, question: Question) -> set[str]:
        return {f"q-{question.id}", *(_field(question, name) for name in question.diagnose)}

    def form_fields(self, question: Question, choices: tuple[str, ...]) -> list[tuple[str, str]]:
        *reading, move = choices
        fields = [(_field(question, n), v) for n, v in zip(question.diagnose, reading, strict=True)]
        return [*fields, (f"q-{question.id}", move)]

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        sent = [one_value(form, _field(question, name)) for name in question.diagnose]
        move = one_value(form, f"q-{question.id}")
        if MANY in (*sent, move):
            return Reading(problem="choose one answer in each part.")
        for name, value in zip(question.diagnose, sent, strict=True):
            if value and value not in book.facts[name].values:
                return Reading(problem=NOT_AN_OPTION)
        if move and question.option(move) is None:
            return Reading(problem=NOT_AN_OPTION)
        filled = (*sent, move)
        if not any(filled):
            return Reading(filled=filled, missing=True)
        unanswered = [
            f"“{book.facts[name].label}”"
            for name, value in zip(question.diagnose, sent, strict=True)
            if not value
        ]
        if not move:
            unanswered.append("the move")
        if unanswered:
            problem = f"answer every part: {unanswered[0]} has no answer yet."
            return Reading(filled=filled, problem=problem)
        return Reading(filled, filled=filled)

    def choice_groups(
        self, question: Question, book: RuleBook
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        facts = tuple(
            (_part(question, name), tuple(book.facts[name].values)) for name in question.diagnose
        )
        return (*facts, (question.id, tuple(o.strategy_id for o in question.options)))

    def form_body(
        self, question: Question, book: RuleBook, filled: Any, arrange: Arrangement
    ) -> Diagnosis:
        *sent, move = filled or ("",) * (len(question.diagnose) + 1)
        groups = []
        for name, value in zip(question.diagnose, sent, strict=True):
            fact, part = book.facts[name], _part(question, name)
            choices = tuple(
                Choice(
                    v, fact.value_label(v), v == value, part=part, hint=_sentence(fact.values[v])
                )
                for v in arrange(part, tuple(fact.values))
            )
            groups.append(FactGroup(_field(question, name), fact.label, choices))
        moves = tuple(
            Choice(o.strategy_id, o.label, o.strategy_id == move, part=question.id)
            for o in in_order(arrange, question.id, question.options)
        )
        return Diagnosis(tuple(groups), moves)

    # -- what is stored and shown back ------------------------------------------------------
    def snapshot_extra(self, question: Question, book: RuleBook) -> dict[str, Any]:
        """The facts read, with the labels the learner saw, for the review."""
        return {
            "diagnose": [
                {
                    "fact": name,
                    "label": book.facts[name].label,
                    "values": {v: book.facts[name].value_label(v) for v in book.facts[name].values},
                }
                for name in question.diagnose
            ]
        }

    def answer_text(self, snapshot: Mapping[str, Any], stored: list[str]) -> str:
        """The values read, then the move. The values are named by the labels the snapshot
        carries under "diagnose" ([{"label": ..., "values": {value: label}}], one per fact),
        or by the values themselves when it carries none."""
        if not stored:
            return ""
        *reading, move = stored
        facts = list(snapshot.get("diagnose") or ())
        read = []
        for index, value in enumerate(reading):
            fact = facts[index] if index < len(facts) else {}
            said = (fact.get("values") or {}).get(value) or value.replace("-", " ")
            read.append(f"{fact['label']} {said}" if fact.get("label") else said)
        labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
        return f"Reading: {'; '.join(read)}. Move: {labels.get(move, move)}"

    # -- the debrief ------------------------------------------------------------------------
    def debrief(
        self, book: RuleBook, question: Question, key: Key, responses: list[list[str]]
    ) -> list[DebriefPart]:
        """A part per fact (how the group read it, value by value), then the move."""
        count = len(question.diagnose)
        answered = [r for r in responses if len(r) == count + 1]  # as this version asks it
        parts = []
        for index, name in enumerate(question.diagnose):
            fact, true = book.facts[name], key.answer[index]
            read = Counter(r[index] for r in answered)
            shares = tuple(
                OptionShare(
                    fact.value_label(value),
                    read[value],
                    read[value] / len(answered) if answered else 0.0,
                    value == true,
                    None,
                    _sentence(meaning),
                )
                for value, meaning in fact.values.items()
            )
            parts.append(DebriefPart(fact.label, "", len(answered), shares))
        moves = Counter(r[-1] for r in answered)
        shares = option_shares(
            book, question.facts, question.options, set(key.answer[-1:]), moves, len(answered)
        )
        parts.append(DebriefPart("The move", "", len(answered), shares))
        return parts


def _best_under(book: RuleBook, question: Question, facts: Mapping[str, str]) -> str | None:
    """The move the rules point to under these facts, or None if they give no clear one."""
    try:
        return best_of(book, facts, question.options).best
    except DerivationError:
        return None


def _what_it_changes(
    book: RuleBook, question: Question, key: Key, reading: Mapping[str, str], read_as: str
) -> str:
    """How the move the rules point to differs between a reading and the right one."""
    right = key.answer[-1]
    rule = key.outcomes[right].deciding_rule
    because = f", because {_clause(rule.because)}" if rule is not None else "."
    theirs = _best_under(book, question, {**question.facts, **reading})
    if theirs == right:
        return (
            f"{read_as}, the rules still point to {strategy_name(book, right)}, so this "
            "reading does not change the move here."
        )
    said = (
        "the rules give no clear move"
        if theirs is None
        else f"the rules point to {strategy_name(book, theirs)}"
    )
    return f"{read_as}, {said}; read right, they point to {strategy_name(book, right)}{because}"


KIND = Diagnose()

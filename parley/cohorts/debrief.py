"""What the debrief shows for one question: how the cohort answered, and each option's rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from parley.grading import Option, Question, RuleBook, derive
from parley.grading.derive import merged_facts
from parley.grading.feedback import explain
from parley.grading.rules import evaluate


@dataclass(frozen=True)
class OptionShare:
    label: str
    count: int
    share: float
    right: bool
    rule_id: str | None
    reason: str

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class DebriefPart:
    heading: str
    situation_html: str
    respondents: int
    options: tuple[OptionShare, ...]


def _shares(
    book, facts, options: tuple[Option, ...], right: set[str], counts: Counter, respondents: int
) -> tuple[OptionShare, ...]:
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    key = next((outcomes[o.strategy_id] for o in options if o.strategy_id in right), None)
    shares = []
    for option in options:
        outcome = outcomes[option.strategy_id]
        in_key = option.strategy_id in right
        rule_id, reason = explain(book, outcome, None if in_key else key)
        count = counts.get(option.strategy_id, 0)
        shares.append(
            OptionShare(
                option.label,
                count,
                count / respondents if respondents else 0.0,
                in_key,
                rule_id,
                reason,
            )
        )
    return tuple(shares)


def debrief_parts(book: RuleBook, question: Question, responses: Iterable[list[str]]):
    """Shares per option (no names) and the rule behind each option, per step if branching."""
    responses = [list(r) for r in responses]
    key = derive(book, question)
    if question.kind == "branching":
        parts = []
        for number, step in enumerate(question.steps, start=1):
            best = next(k.best for k in key.steps if k.step_id == step.id)
            ids = {o.strategy_id for o in step.options}
            reached = [r for r in responses if any(choice in ids for choice in r)]
            counts = Counter(c for r in reached for c in r if c in ids)
            parts.append(
                DebriefPart(
                    f"Step {number}",
                    step.situation_html,
                    len(reached),
                    _shares(
                        book,
                        merged_facts(question, step),
                        step.options,
                        {best},
                        counts,
                        len(reached),
                    ),
                )
            )
        return parts
    if question.kind == "order":
        counts = Counter(r[0] for r in responses if r)
        heading = "Placed first"
        right = {key.answer[0]}
    elif question.kind == "commit-or-walk":
        counts = Counter(r[1] if r[:1] == ["walk"] and len(r) > 1 else "commit" for r in responses)
        commit_ids = [
            o.strategy_id
            for o in question.options
            if book.strategies[o.strategy_id].kind == "commit"
        ]
        counts = Counter({(commit_ids[0] if k == "commit" else k): v for k, v in counts.items()})
        heading = "Decision (and reason for walking away)"
        right = {key.answer[1]} if key.answer[0] == "walk" else set(commit_ids)
    else:
        counts = Counter(c for r in responses for c in set(r))
        heading = "Chosen by"
        right = set(key.answer)
    return [
        DebriefPart(
            heading,
            "",
            len(responses),
            _shares(book, question.facts, question.options, right, counts, len(responses)),
        )
    ]

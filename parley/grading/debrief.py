"""How a group answered a question, option by option, with the rule behind each option."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parley.grading.feedback import explain, is_sound, rule_title
from parley.grading.model import Option, RuleBook
from parley.grading.rules import evaluate


@dataclass(frozen=True)
class OptionShare:
    label: str
    count: int
    share: float
    right: bool
    rule_id: str | None
    reason: str
    rule_title: str = ""  # the rule in words
    second_best: bool = False  # sound here, but not the rule book's answer

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class DebriefPart:
    """One decision of a question (the question itself, or one step of a scenario)."""

    heading: str
    situation_html: str
    respondents: int
    options: tuple[OptionShare, ...]


def option_shares(
    book: RuleBook,
    facts: Mapping[str, str],
    options: tuple[Option, ...],
    right: set[str],
    counts: Mapping[str, int],
    respondents: int,
) -> tuple[OptionShare, ...]:
    """Each option's share of the respondents, in authored order, and the rule behind it."""
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    key = next((outcomes[o.strategy_id] for o in options if o.strategy_id in right), None)
    shares = []
    for option in options:
        in_key = option.strategy_id in right
        rule_id, reason = explain(book, outcomes[option.strategy_id], None if in_key else key)
        count = counts.get(option.strategy_id, 0)
        share = count / respondents if respondents else 0.0
        rule = book.rule(rule_id) if rule_id else None
        shares.append(
            OptionShare(
                option.label,
                count,
                share,
                in_key,
                rule_id,
                reason,
                rule_title(book, rule) if rule is not None else "",
                not in_key and is_sound(outcomes[option.strategy_id]),
            )
        )
    return tuple(shares)

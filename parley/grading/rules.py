"""Evaluate the rule book on a scenario's facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parley.grading.model import Condition, Rule, RuleBook, Strategy


@dataclass(frozen=True)
class Outcome:
    """How one strategy stands under one set of facts."""

    strategy: Strategy
    recommended_by: tuple[Rule, ...]
    mistaken_by: tuple[Rule, ...]
    accepted_by: tuple[Rule, ...] = ()

    @property
    def status(self) -> str:
        """mistake, recommended, acceptable (sound but second-best) or neutral, in that order."""
        if self.mistaken_by:
            return "mistake"
        if self.recommended_by:
            return "recommended"
        return "acceptable" if self.accepted_by else "neutral"

    @property
    def weight(self) -> int:
        if self.status != "recommended":
            return 0
        return max(rule.weight for rule in self.recommended_by)

    @property
    def deciding_rule(self) -> Rule | None:
        """The rule that decides the status: the first mistake, else the strongest reason, else
        the first rule that accepts it."""
        if self.mistaken_by:
            return self.mistaken_by[0]
        if self.recommended_by:
            return max(self.recommended_by, key=lambda rule: rule.weight)
        return self.accepted_by[0] if self.accepted_by else None


def evaluate(
    book: RuleBook, facts: Mapping[str, str], strategy_ids: Iterable[str]
) -> dict[str, Outcome]:
    """Return each named strategy's outcome under facts."""
    outcomes = {}
    for strategy_id in strategy_ids:
        strategy = book.strategies[strategy_id]
        outcomes[strategy_id] = Outcome(
            strategy=strategy,
            recommended_by=tuple(r for r in strategy.recommended if r.fires(facts)),
            mistaken_by=tuple(r for r in strategy.mistakes if r.fires(facts)),
            accepted_by=tuple(r for r in strategy.acceptable if r.fires(facts)),
        )
    return outcomes


def describe_conditions(book: RuleBook, conditions: Iterable[Condition]) -> str:
    """Say in words what conditions require, using the facts' meanings."""
    parts = []
    for condition in conditions:
        fact = book.facts.get(condition.fact)
        meanings = [
            (fact.values.get(value, value) if fact else value).rstrip(".")
            for value in sorted(condition.values)
        ]
        text = " or ".join(meanings)
        parts.append(f"not ({text})" if condition.negated else text)
    return "; ".join(parts)

"""Answer keys and the helpers every kind uses to derive one: authors never type a key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parley.grading.model import Option, Question, RuleBook, Step
from parley.grading.rules import Outcome, evaluate


class DerivationError(ValueError):
    """The rule book cannot give one clear answer for this question; says why."""


@dataclass(frozen=True)
class StepKey:
    """The derived best choice at one situation, with every option's outcome."""

    step_id: str | None
    best: str
    outcomes: Mapping[str, Outcome]


@dataclass(frozen=True)
class Key:
    """The derived answer: `answer` has the same shape as a Response's choices."""

    answer: tuple[str, ...]
    outcomes: Mapping[str, Outcome]
    steps: tuple[StepKey, ...] = ()


def facts_text(facts: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(facts.items()))


def ranked(outcomes: Mapping[str, Outcome]) -> list[Outcome]:
    """The recommended outcomes, strongest first."""
    return sorted(
        (o for o in outcomes.values() if o.status == "recommended"),
        key=lambda o: o.weight,
        reverse=True,
    )


def best_of(book: RuleBook, facts: Mapping[str, str], options: tuple[Option, ...]) -> StepKey:
    """Return the single strongest recommended option, or raise DerivationError."""
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    best = ranked(outcomes)
    if not best:
        raise DerivationError(
            f"the rule book derives no answer: no option is recommended when {facts_text(facts)}"
        )
    if len(best) > 1 and best[0].weight == best[1].weight:
        tied = [o.strategy.id for o in best if o.weight == best[0].weight]
        raise DerivationError(
            f"two equally best answers: {' and '.join(tied)} (both weight {best[0].weight})"
        )
    return StepKey(None, best[0].strategy.id, outcomes)


def merged_facts(question: Question, step: Step) -> dict[str, str]:
    return {**question.facts, **step.facts}

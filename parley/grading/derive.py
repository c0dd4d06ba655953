"""Derive a question's answer key from the rule book: authors never type it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parley.grading.model import Option, Question, RuleBook, Step
from parley.grading.rules import Outcome, evaluate

MIN_BRANCH_STEPS, MAX_BRANCH_STEPS = 2, 4


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


def _facts_text(facts: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(facts.items()))


def best_of(book: RuleBook, facts: Mapping[str, str], options: tuple[Option, ...]) -> StepKey:
    """Return the single strongest recommended option, or raise DerivationError."""
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    ranked = sorted(
        (o for o in outcomes.values() if o.status == "recommended"),
        key=lambda o: o.weight,
        reverse=True,
    )
    if not ranked:
        raise DerivationError(
            f"the rule book derives no answer: no option is recommended when {_facts_text(facts)}"
        )
    if len(ranked) > 1 and ranked[0].weight == ranked[1].weight:
        tied = [o.strategy.id for o in ranked if o.weight == ranked[0].weight]
        raise DerivationError(
            f"two equally best answers: {' and '.join(tied)} (both weight {ranked[0].weight})"
        )
    return StepKey(None, ranked[0].strategy.id, outcomes)


def _derive_best(book: RuleBook, question: Question) -> Key:
    step = best_of(book, question.facts, question.options)
    return Key((step.best,), step.outcomes)


def _derive_all(book: RuleBook, question: Question) -> Key:
    outcomes = evaluate(book, question.facts, [o.strategy_id for o in question.options])
    right = tuple(
        o.strategy_id for o in question.options if outcomes[o.strategy_id].status == "recommended"
    )
    if not right:
        raise DerivationError(
            "the rule book derives no answer: no option is recommended when "
            f"{_facts_text(question.facts)}"
        )
    return Key(right, outcomes)


def _derive_commit(book: RuleBook, question: Question) -> Key:
    commits = [o for o in question.options if book.strategies[o.strategy_id].kind == "commit"]
    reasons = [o for o in question.options if book.strategies[o.strategy_id].kind == "no-agreement"]
    if len(commits) != 1 or len(reasons) + 1 != len(question.options) or not reasons:
        raise DerivationError(
            "a commit-or-walk question needs exactly one option of kind commit and at least "
            "one of kind no-agreement (and nothing else)"
        )
    outcomes = evaluate(book, question.facts, [o.strategy_id for o in question.options])
    walking = [o for o in reasons if outcomes[o.strategy_id].status == "recommended"]
    if walking:
        step = best_of(book, question.facts, tuple(walking))
        return Key(("walk", step.best), outcomes)
    if outcomes[commits[0].strategy_id].status != "recommended":
        raise DerivationError(
            "the rule book derives no answer: neither committing nor any reason to walk away "
            f"applies when {_facts_text(question.facts)}"
        )
    return Key(("commit",), outcomes)


def _derive_order(book: RuleBook, question: Question) -> Key:
    strategies = [book.strategies[o.strategy_id] for o in question.options]
    sequences = {s.sequence for s in strategies}
    if None in sequences or len(sequences) != 1:
        raise DerivationError("every option of an order question must be a step of one sequence")
    steps = [s.step for s in strategies]
    if len(set(steps)) != len(steps):
        raise DerivationError("two options of this order question have the same step number")
    ordered = tuple(s.id for s in sorted(strategies, key=lambda s: s.step or 0))
    outcomes = evaluate(book, question.facts, ordered)
    return Key(ordered, outcomes)


def _derive_branching(book: RuleBook, question: Question) -> Key:
    if not question.steps:
        raise DerivationError("a branching question needs steps")
    by_id = {step.id: step for step in question.steps}
    for step in question.steps:
        for option in step.options:
            if option.next_step is not None and option.next_step not in by_id:
                raise DerivationError(
                    f"step '{step.id}': option '{option.strategy_id}' leads to unknown step "
                    f"'{option.next_step}'"
                )
    keys: dict[str, StepKey] = {}
    for step in question.steps:
        try:
            found = best_of(book, merged_facts(question, step), step.options)
        except DerivationError as exc:
            raise DerivationError(f"step '{step.id}': {exc}") from exc
        keys[step.id] = StepKey(step.id, found.best, found.outcomes)
    _check_paths(question.steps[0], by_id)
    path: list[StepKey] = []
    step: Step | None = question.steps[0]
    while step is not None:
        path.append(keys[step.id])
        chosen = next(o for o in step.options if o.strategy_id == keys[step.id].best)
        step = by_id.get(chosen.next_step) if chosen.next_step else None
    if not MIN_BRANCH_STEPS <= len(path) <= MAX_BRANCH_STEPS:
        raise DerivationError(
            f"the right path through this scenario has {len(path)} steps; "
            f"it must have {MIN_BRANCH_STEPS} to {MAX_BRANCH_STEPS}"
        )
    return Key(tuple(k.best for k in path), {}, tuple(keys[s.id] for s in question.steps))


def _check_paths(start: Step, by_id: Mapping[str, Step]) -> None:
    """Refuse cycles and steps that no choice reaches."""
    reached = set()

    def walk(step: Step, trail: tuple[str, ...]) -> None:
        if step.id in trail:
            raise DerivationError(f"step '{step.id}' leads back to itself: {' -> '.join(trail)}")
        reached.add(step.id)
        for option in step.options:
            if option.next_step:
                walk(by_id[option.next_step], (*trail, step.id))

    walk(start, ())
    unreached = [step_id for step_id in by_id if step_id not in reached]
    if unreached:
        raise DerivationError(f"no choice leads to step(s) {', '.join(unreached)}")


def merged_facts(question: Question, step: Step) -> dict[str, str]:
    return {**question.facts, **step.facts}


DERIVERS = {
    "best": _derive_best,
    "all-that-apply": _derive_all,
    "commit-or-walk": _derive_commit,
    "order": _derive_order,
    "branching": _derive_branching,
}


def derive(book: RuleBook, question: Question) -> Key:
    """Return the answer key the rule book gives for question, or raise DerivationError."""
    # Keys are kept on the rule book, so grading a submission derives nothing again.
    kept = book.derived.get(question.id)
    if kept is not None and kept[0] is question:
        return kept[1]
    key = DERIVERS[question.kind](book, question)
    book.derived[question.id] = (question, key)
    return key

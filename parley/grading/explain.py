"""Explain, for authors, why the rule book derives a question's key."""

from __future__ import annotations

from collections.abc import Mapping

from parley.grading.derive import DerivationError
from parley.grading.kinds import kind_of
from parley.grading.model import Option, Question, RuleBook
from parley.grading.rules import evaluate


def _facts_lines(book: RuleBook, facts: Mapping[str, str], indent: str) -> list[str]:
    lines = []
    for name, value in facts.items():
        fact = book.facts.get(name)
        meaning = fact.values.get(value, "?") if fact else "?"
        lines.append(f"{indent}{name} = {value}: {meaning}")
    return lines


def _option_lines(
    book: RuleBook, facts: Mapping[str, str], options: tuple[Option, ...], indent: str
) -> list[str]:
    lines = []
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    for option in options:
        outcome = outcomes[option.strategy_id]
        status = outcome.status + (f" (weight {outcome.weight})" if outcome.weight else "")
        goes = f" -> step {option.next_step}" if option.next_step else ""
        lines.append(f"{indent}{option.strategy_id}: {status}{goes}")
        for rule in outcome.recommended_by + outcome.mistaken_by:
            lines.append(f"{indent}    fired {rule.id} ({rule.verdict}): {rule.because}")
    return lines


def explain(book: RuleBook, question: Question) -> list[str]:
    """Return the lines `content explain` prints for one question."""
    kind = kind_of(question.kind)
    lines = [f"question {question.id} ({question.source}), kind {question.kind}"]
    lines.append(f"objectives: {', '.join(question.objectives)}")
    lines.append("facts:")
    lines += _facts_lines(book, question.facts, "  ")
    situations = kind.situations(question)
    if situations[0][0] is None:
        lines.append("options and the rules that fired:")
    for step_id, facts, options in situations:
        if step_id is not None:
            lines.append(f"step {step_id}:")
            step = question.step(step_id)
            lines += _facts_lines(book, step.facts if step else {}, "  override ")
        lines += _option_lines(book, facts, options, "  ")
    try:
        key = kind.derive(book, question)
    except DerivationError as exc:
        lines.append(f"no answer can be derived: {exc}")
        return lines
    lines.append(f"derived answer: {kind.describe(key.answer)}")
    return lines

"""Explain, for authors, why the rule book derives a question's key."""

from __future__ import annotations

from collections.abc import Mapping

from parley.grading.derive import DerivationError, derive, merged_facts
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
    lines = [f"question {question.id} ({question.source}), kind {question.kind}"]
    lines.append(f"objectives: {', '.join(question.objectives)}")
    lines.append("facts:")
    lines += _facts_lines(book, question.facts, "  ")
    if question.kind == "branching":
        for step in question.steps:
            lines.append(f"step {step.id}:")
            lines += _facts_lines(book, step.facts, "  override ")
            lines += _option_lines(book, merged_facts(question, step), step.options, "  ")
    else:
        lines.append("options and the rules that fired:")
        lines += _option_lines(book, question.facts, question.options, "  ")
    try:
        key = derive(book, question)
    except DerivationError as exc:
        lines.append(f"no answer can be derived: {exc}")
        return lines
    if question.kind == "commit-or-walk":
        answer = "commit" if key.answer == ("commit",) else f"walk away because {key.answer[1]}"
    elif question.kind == "branching":
        answer = "right path: " + " -> ".join(key.answer)
    else:
        answer = ", ".join(key.answer)
    lines.append(f"derived answer: {answer}")
    return lines

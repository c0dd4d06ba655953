"""Explain, for authors, why the rule book derives a question's key, or why it cannot."""

from __future__ import annotations

from collections.abc import Mapping

from parley.grading.derive import DerivationError, merged_facts, ranked
from parley.grading.kinds import KINDS
from parley.grading.model import Condition, Option, Question, Rule, RuleBook
from parley.grading.rules import Outcome, evaluate

Situation = tuple[str | None, dict, tuple[Option, ...]]


def _facts_lines(book: RuleBook, facts: Mapping[str, str], indent: str) -> list[str]:
    lines = []
    for name, value in facts.items():
        fact = book.facts.get(name)
        if fact is None:
            meaning = "(not a fact of the rule book)"
        else:
            meaning = fact.values.get(value, f"(not a value of {name})")
        lines.append(f"{indent}{name} = {value}: {meaning}")
    return lines


def _condition_line(book: RuleBook, condition: Condition, facts: Mapping[str, str]) -> str:
    """One condition of a rule: whether it holds here, and the value that decides it."""
    if condition.fact not in book.facts:
        here = "not a fact of the rule book"
    elif condition.fact in facts:
        here = f"here {facts[condition.fact]}"
    else:
        here = "the question does not state it"
    held = "held" if condition.holds(facts) else "did not hold"
    return f"{held}: {condition.describe()} ({here})"


def _status(outcome: Outcome) -> str:
    status = outcome.status
    if status == "recommended":
        return f"recommended (weight {outcome.weight})"
    if status == "acceptable":
        return "acceptable (second-best)"
    if status == "neutral":
        return "neutral (no rule fired)"
    return status


def _rule_lines(book: RuleBook, rule: Rule, facts: Mapping[str, str], indent: str) -> list[str]:
    weight = f", weight {rule.weight}" if rule.verdict == "recommended" else ""
    if rule.fires(facts):
        lines = [f"{indent}fired {rule.id} ({rule.verdict}){weight}: {rule.because}"]
    else:
        lines = [f"{indent}did not fire {rule.id} ({rule.verdict}){weight}"]
    lines += [f"{indent}  {_condition_line(book, c, facts)}" for c in rule.conditions]
    if not rule.conditions:
        lines.append(f"{indent}  (no conditions: it always fires)")
    return lines


def _option_lines(
    book: RuleBook, facts: Mapping[str, str], options: tuple[Option, ...], indent: str
) -> list[str]:
    """Each option's status, and every rule of its strategy with each of its conditions."""
    lines = []
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    for option in options:
        outcome = outcomes[option.strategy_id]
        strategy = outcome.strategy
        goes = f" -> step {option.next_step}" if option.next_step else ""
        place = ""
        if strategy.sequence is not None:
            unknown = "" if strategy.sequence in book.sequences else " (not in the rule book)"
            place = f", step {strategy.step} of sequence {strategy.sequence}{unknown}"
        lines.append(f"{indent}{option.strategy_id}: {_status(outcome)}{place}{goes}")
        for rule in strategy.rules:
            lines += _rule_lines(book, rule, facts, indent + "  ")
    return lines


def _nearest(outcome: Outcome, facts: Mapping[str, str]) -> str:
    """What keeps an option from being recommended, and the least change that would."""
    if outcome.recommended_by:
        mistakes = ", ".join(rule.id for rule in outcome.mistaken_by)
        return f"{outcome.recommended_by[0].id} fired, but {mistakes} makes it a mistake here"
    rules = outcome.strategy.recommended
    if not rules:
        return "has no recommended rule"
    missing = {rule.id: [c for c in rule.conditions if not c.holds(facts)] for rule in rules}
    nearest = min(rules, key=lambda rule: len(missing[rule.id]))
    needs = " and ".join(c.describe() for c in missing[nearest.id])
    accepted = " (it is only acceptable, second-best, here)" if outcome.accepted_by else ""
    return f"{nearest.id} would fire if {needs}{accepted}"


def _why_not(book: RuleBook, situation: Situation) -> list[str]:
    """Why the rules give no single best option here: none is recommended, or several tie."""
    step_id, facts, options = situation
    where = f"at step {step_id}: " if step_id is not None else ""
    outcomes = evaluate(book, facts, [o.strategy_id for o in options])
    recommended = ranked(outcomes)
    if not recommended:
        lines = [f"  {where}no option is recommended: no recommended rule fired for any of them"]
        lines += [
            f"    {outcome.strategy.id}: {_nearest(outcome, facts)}"
            for outcome in outcomes.values()
        ]
        return lines
    top = recommended[0].weight
    tied = [o for o in recommended if o.weight == top]
    if len(tied) < 2:
        return []
    names = " and ".join(o.strategy.id for o in tied)
    rules = ", ".join(rule.id for o in tied if (rule := o.deciding_rule) is not None)
    return [f"  {where}{names} tie at weight {top} (by {rules})"]


def _situations(question: Question) -> list[Situation]:
    kind = KINDS.get(question.kind)
    if kind is not None:
        return kind.situations(question)
    return [(None, dict(question.facts), question.options)] + [
        (s.id, merged_facts(question, s), s.options) for s in question.steps
    ]


def explain(book: RuleBook, question: Question) -> list[str]:
    """Return the lines `content explain` prints for one question, also for one whose key
    cannot be derived: its facts, every rule of each option and whether it fired, and the
    derived answer, or why there is none."""
    lines = [f"question {question.id} ({question.source}), kind {question.kind}"]
    lines.append(f"objectives: {', '.join(question.objectives)}")
    lines.append("facts:")
    lines += _facts_lines(book, question.facts, "  ")
    situations = _situations(question)
    if situations and situations[0][0] is None:
        lines.append("options, and every rule of each:")
    for step_id, facts, options in situations:
        if step_id is not None:
            lines.append(f"step {step_id}:")
            step = question.step(step_id)
            lines += _facts_lines(book, step.facts if step else {}, "  override ")
        lines += _option_lines(book, facts, options, "  ")
    kind = KINDS.get(question.kind)
    if kind is None:
        lines.append(f"no answer can be derived: there is no kind '{question.kind}'")
        return lines
    problem = kind.shape_problem(question)
    if problem:
        lines.append(f"no answer can be derived: {problem}")
        return lines
    try:
        key = kind.derive(book, question)
    except DerivationError as exc:
        lines.append(f"no answer can be derived: {exc}")
        # Only when the rules themselves give no single answer (the messages of derive.best_of
        # and of the kinds that count recommended options), not when the options do not fit
        # the kind, as an order question's options outside one sequence.
        from_rules = any(words in str(exc) for words in ("derives no answer", "equally best"))
        why = [line for situation in situations for line in _why_not(book, situation)]
        if why and from_rules:
            lines.append("why:")
            lines += why
        return lines
    lines.append(f"derived answer: {kind.describe(key.answer)}")
    return lines

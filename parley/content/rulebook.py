"""Load quizzes/<course>/rules.yaml into a RuleBook, reporting every problem at rules.yaml."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from parley.content.errors import ContentReport, did_you_mean
from parley.content.model import Course
from parley.content.schema import ConditionValue, FactSpec, RuleBookSpec, RuleSpec
from parley.content.yamlfile import load_spec
from parley.grading import Condition, Fact, LessonRef, Rule, RuleBook, Sequence, Strategy
from parley.grading.model import STRATEGY_KINDS


@dataclass(frozen=True)
class LoadedBook:
    """A rule book as far as rules.yaml lets it be built; broken: strategies with errors."""

    rulebook: RuleBook
    version: str
    broken: frozenset[str]
    has_errors: bool


def fingerprint(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rule_conditions(
    rule: RuleSpec, facts: Mapping[str, Fact], where: str, report: ContentReport, name: str
) -> tuple[Condition, ...]:
    """The rule's conditions as written; an unknown fact or value is reported, and a
    condition on it never holds."""
    conditions = []
    for fact_name, raw in rule.when.items():
        negated = False
        value: ConditionValue = raw
        if isinstance(raw, dict):
            if set(raw) != {"not"}:
                report.error(name, f"{where}: condition on '{fact_name}' may only use 'not'")
                continue
            negated, value = True, raw["not"]
        values = frozenset([value] if isinstance(value, str) else value)
        known_fact(facts, fact_name, values, report, name, where)
        conditions.append(Condition(fact_name, values, negated))
    return tuple(conditions)


def load_rulebook(
    path: Path, course: Course, report: ContentReport, name: str
) -> LoadedBook | None:
    """The rule book as far as it can be built, or None if rules.yaml cannot be read. Every
    problem is reported here, at rules.yaml; a strategy with one is listed as broken."""
    data, spec = load_spec(path, RuleBookSpec, report, name)
    if spec is None:
        return None
    errors_before = len(report.errors)
    facts = {n: declared_fact(n, f) for n, f in spec.facts.items()}
    sequences = {i: Sequence(i, s.name, s.because) for i, s in spec.sequences.items()}
    strategies: dict[str, Strategy] = {}
    broken: set[str] = set()
    rule_ids: set[str] = set()
    for item in spec.strategies:
        where = f"strategy '{item.id}'"
        strategy_errors = len(report.errors)
        if item.id in strategies:
            report.error(name, f"{where} is declared twice")
            broken.add(item.id)
            continue
        if item.kind not in STRATEGY_KINDS:
            report.error(
                name, f"{where}: unknown kind '{item.kind}' (one of {', '.join(STRATEGY_KINDS)})"
            )
        check_section(item.teaches.lesson, item.teaches.section, course, report, name, where)
        if item.sequence is not None and item.sequence not in sequences:
            report.error(
                name,
                f"{where}: unknown sequence '{item.sequence}'"
                + did_you_mean(item.sequence, sequences),
            )
        if (item.sequence is None) != (item.step is None):
            report.error(name, f"{where}: a sequence and a step go together")
        if item.kind == "mistake" and not item.mistakes:
            report.error(name, f"{where}: a strategy of kind mistake needs a mistakes rule")
        if item.kind != "mistake" and not item.recommended:
            report.error(name, f"{where}: has no recommended rule, so it can never be right")
        rules: dict[str, list[Rule]] = {"recommended": [], "acceptable": [], "mistake": []}
        for verdict, specs in (
            ("recommended", item.recommended),
            ("acceptable", item.acceptable),
            ("mistake", item.mistakes),
        ):
            for rule in specs:
                if rule.id in rule_ids:
                    report.error(name, f"rule id '{rule.id}' is used twice")
                rule_ids.add(rule.id)
                conditions = rule_conditions(rule, facts, f"rule '{rule.id}'", report, name)
                teaches = None
                if rule.teaches is not None:
                    check_section(
                        rule.teaches.lesson,
                        rule.teaches.section,
                        course,
                        report,
                        name,
                        f"rule '{rule.id}'",
                    )
                    teaches = LessonRef(rule.teaches.lesson, rule.teaches.section)
                rules[verdict].append(
                    Rule(
                        rule.id,
                        item.id,
                        verdict,
                        conditions,
                        rule.because.strip(),
                        rule.weight,
                        teaches,
                    )
                )
        if len(report.errors) > strategy_errors:
            broken.add(item.id)
        strategies[item.id] = Strategy(
            id=item.id,
            name=item.name,
            kind=item.kind,
            statement=item.statement,
            teaches=LessonRef(item.teaches.lesson, item.teaches.section),
            recommended=tuple(rules["recommended"]),
            mistakes=tuple(rules["mistake"]),
            sequence=item.sequence,
            step=item.step,
            last_resort=item.last_resort,
            acceptable=tuple(rules["acceptable"]),
        )
    book = RuleBook(course.id, facts, strategies, sequences, spec.acceptable_credit)
    warn_unread_facts(book, report, name)
    has_errors = len(report.errors) > errors_before
    return LoadedBook(book, fingerprint(data), frozenset(broken), has_errors)


def warn_unread_facts(book: RuleBook, report: ContentReport, name: str) -> None:
    """Warn about each declared fact that no rule's conditions read: stating it in a scenario
    changes no answer, so it either lacks its rules or should not be declared."""
    read = {
        condition.fact
        for strategy in book.strategies.values()
        for rule in strategy.rules
        for condition in rule.conditions
    }
    for fact_name in book.facts:
        if fact_name not in read:
            report.warning(
                name,
                f"fact '{fact_name}' is declared but no rule reads it, so stating it changes no "
                "answer (give it a rule, or remove it)",
            )


def declared_fact(name: str, spec: FactSpec) -> Fact:
    """A declared fact; a value is its meaning alone, or a label and a meaning."""
    meanings = {v: d if isinstance(d, str) else d.meaning for v, d in spec.values.items()}
    labels = {v: d.label for v, d in spec.values.items() if not isinstance(d, str)}
    return Fact(name, spec.meaning, meanings, spec.label or "", labels)


def check_section(lesson_id, anchor, course, report, name, where) -> None:
    lesson = course.lessons_by_id.get(lesson_id)
    if lesson is None:
        report.error(
            name,
            f"{where}: teaches lesson '{lesson_id}', which does not exist"
            + did_you_mean(lesson_id, course.lessons_by_id),
        )
    elif anchor not in lesson.anchors:
        report.error(
            name,
            f"{where}: lesson '{lesson_id}' has no section with anchor '{anchor}' "
            f"(it has: {', '.join(sorted(lesson.anchors)) or 'none'})",
        )


def known_fact(facts, fact_name, values, report, name, where) -> Fact | None:
    """Return the declared fact, reporting an unknown fact or values it does not allow (the
    allowed values are listed, so they need no suggestion)."""
    fact = facts.get(fact_name)
    if fact is None:
        report.error(name, f"{where}: unknown fact '{fact_name}'" + did_you_mean(fact_name, facts))
        return None
    for unknown in sorted(set(values) - set(fact.values)):
        report.error(
            name,
            f"{where}: '{unknown}' is not a value of fact '{fact_name}' "
            f"(allowed: {', '.join(fact.values)})",
        )
    return fact

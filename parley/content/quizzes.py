"""Load quizzes/<course>/rules.yaml and the quiz files beside it, and check them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from parley.content.errors import ContentReport
from parley.content.model import Course, CourseQuizzes, Quiz
from parley.content.render_cache import RenderCache
from parley.content.rendering import CourseRenders
from parley.content.schema import (
    ConditionValue,
    FactSpec,
    OptionSpec,
    QuestionSpec,
    QuizSpec,
    RuleBookSpec,
    RuleSpec,
)
from parley.content.yamlfile import load_spec
from parley.grading import (
    KINDS,
    Condition,
    DerivationError,
    Fact,
    Key,
    LessonRef,
    Option,
    Question,
    Rule,
    RuleBook,
    Sequence,
    Step,
    Strategy,
    kind_of,
)
from parley.grading.model import STRATEGY_KINDS

RULES_FILE = "rules.yaml"


def fingerprint(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _quiz_folders(quizzes_dir: Path) -> list[Path]:
    if not quizzes_dir.is_dir():
        return []
    return sorted(
        p for p in quizzes_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


def _quiz_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != RULES_FILE)


def load_quizzes(
    quizzes_dir: Path,
    courses: Mapping[str, Course],
    report: ContentReport,
    label: Callable[[Path], str],
    cache: RenderCache | None = None,
) -> dict[str, CourseQuizzes]:
    """Load every quizzes/<course>/ folder (scenarios not kept in cache rendered); report
    problems."""
    loaded = {}
    for folder in _quiz_folders(quizzes_dir):
        course = courses.get(folder.name)
        if course is None:
            report.error(label(folder), f"there is no course '{folder.name}' in the courses folder")
            continue
        found = _load_course_quizzes(folder, course, report, label, cache)
        if found is not None:
            loaded[course.id] = found
    return loaded


def _load_course_quizzes(folder, course, report, label, cache) -> CourseQuizzes | None:
    rules_path = folder / RULES_FILE
    if not rules_path.is_file():
        report.error(label(rules_path), "is missing (every quiz folder needs a rule book)")
        return None
    book = _load_rulebook(rules_path, course, report, label(rules_path))
    if book is None:
        return None
    rulebook, book_version = book

    scenarios = CourseRenders(course.id, cache, name=f"{course.id}.scenarios")

    def to_html(text: str) -> str:
        return scenarios.rendered(text).html

    quizzes: list[Quiz] = []
    question_files: dict[str, str] = {}
    modules_seen: dict[str, str] = {}
    for path in _quiz_files(folder):
        quiz = _load_quiz(path, course, rulebook, book_version, report, label(path), to_html)
        if quiz is None:
            continue
        for question in quiz.questions:
            if question.id in question_files:
                report.error(
                    label(path),
                    f"question id '{question.id}' is also used in {question_files[question.id]}",
                )
            question_files.setdefault(question.id, label(path))
        if quiz.module_id is not None:
            if quiz.module_id in modules_seen:
                report.error(
                    label(path),
                    f"module '{quiz.module_id}' already has a quiz: {modules_seen[quiz.module_id]}",
                )
            modules_seen.setdefault(quiz.module_id, label(path))
        quizzes.append(quiz)
    scenarios.save()

    assessed = {o for quiz in quizzes for q in quiz.questions for o in q.objectives}
    for objective in course.objectives_by_id.values():
        if objective.id not in assessed:
            report.warning(
                label(folder),
                f"objective '{objective.id}' (lesson {objective.lesson_id}) is not assessed "
                "by any question",
            )
    return CourseQuizzes(course.id, rulebook, tuple(quizzes))


def _conditions(
    rule: RuleSpec, facts: Mapping[str, Fact], where: str, report: ContentReport, name: str
) -> tuple[Condition, ...]:
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
        fact = _known_fact(facts, fact_name, values, report, name, where)
        if fact is not None:
            conditions.append(Condition(fact_name, values & set(fact.values), negated))
    return tuple(conditions)


def _load_rulebook(path: Path, course: Course, report: ContentReport, name: str):
    data, spec = load_spec(path, RuleBookSpec, report, name)
    if spec is None:
        return None
    errors_before = len(report.errors)
    facts = {n: _fact(n, f) for n, f in spec.facts.items()}
    sequences = {i: Sequence(i, s.name, s.because) for i, s in spec.sequences.items()}
    strategies: dict[str, Strategy] = {}
    rule_ids: set[str] = set()
    for item in spec.strategies:
        where = f"strategy '{item.id}'"
        if item.id in strategies:
            report.error(name, f"{where} is declared twice")
            continue
        if item.kind not in STRATEGY_KINDS:
            report.error(
                name, f"{where}: unknown kind '{item.kind}' (one of {', '.join(STRATEGY_KINDS)})"
            )
        _check_section(item.teaches.lesson, item.teaches.section, course, report, name, where)
        if item.sequence is not None and item.sequence not in sequences:
            report.error(name, f"{where}: unknown sequence '{item.sequence}'")
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
                conditions = _conditions(rule, facts, f"rule '{rule.id}'", report, name)
                teaches = None
                if rule.teaches is not None:
                    _check_section(
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
    if len(report.errors) > errors_before:
        return None
    book = RuleBook(course.id, facts, strategies, sequences, spec.acceptable_credit)
    return book, fingerprint(data)


def _fact(name: str, spec: FactSpec) -> Fact:
    """A declared fact; a value is its meaning alone, or a label and a meaning."""
    meanings = {v: d if isinstance(d, str) else d.meaning for v, d in spec.values.items()}
    labels = {v: d.label for v, d in spec.values.items() if not isinstance(d, str)}
    return Fact(name, spec.meaning, meanings, spec.label or "", labels)


def _check_section(lesson_id, anchor, course, report, name, where) -> None:
    lesson = course.lessons_by_id.get(lesson_id)
    if lesson is None:
        report.error(name, f"{where}: teaches lesson '{lesson_id}', which does not exist")
    elif anchor not in lesson.anchors:
        report.error(
            name,
            f"{where}: lesson '{lesson_id}' has no section with anchor '{anchor}' "
            f"(it has: {', '.join(sorted(lesson.anchors)) or 'none'})",
        )


def _load_quiz(path, course, book, book_version, report, name, to_html) -> Quiz | None:
    quiz_id = path.stem
    data, spec = load_spec(path, QuizSpec, report, name)
    if spec is None:
        return None
    if spec.module is not None and course.module(spec.module) is None:
        report.error(name, f"unknown module '{spec.module}' (not in course '{course.id}')")
        return None
    questions = []
    versions = {}
    keys = {}
    for raw, item in zip(data["questions"], spec.questions, strict=True):
        built = _build_question(item, course, book, report, name, to_html)
        if built is not None:
            question, keys[question.id] = built
            questions.append(question)
            # What the learner sees of a question also comes from its course (links in the
            # scenario) and the rule book (option labels, reasons): a change to any is a version.
            versions[question.id] = fingerprint([course.id, book_version, raw])
    if len(questions) != len(spec.questions):
        return None
    return Quiz(
        id=quiz_id,
        course_id=course.id,
        module_id=spec.module,
        title=spec.title,
        summary=spec.summary,
        pass_mark=spec.pass_mark,
        questions=tuple(questions),
        version=fingerprint([book_version, data]),
        question_versions=versions,
        keys=keys,
    )


def _options(raw_options, book, report, name, where, allow_next: bool) -> tuple[Option, ...]:
    options = []
    for raw in raw_options:
        item = OptionSpec(strategy=raw) if isinstance(raw, str) else raw
        strategy = book.strategies.get(item.strategy)
        if strategy is None:
            report.error(name, f"{where}: unknown strategy '{item.strategy}'")
            continue
        if item.next is not None and not allow_next:
            report.error(name, f"{where}: only branching steps may say 'next'")
        options.append(
            Option(item.strategy, item.label or strategy.name, item.feedback.strip(), item.next)
        )
    ids = [o.strategy_id for o in options]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        report.error(name, f"{where}: option '{duplicate}' is offered twice")
    return tuple(options)


def _known_fact(facts, fact_name, values, report, name, where) -> Fact | None:
    """Return the declared fact, reporting an unknown fact or values it does not allow."""
    fact = facts.get(fact_name)
    if fact is None:
        report.error(name, f"{where}: unknown fact '{fact_name}'")
        return None
    for unknown in sorted(set(values) - set(fact.values)):
        report.error(
            name,
            f"{where}: '{unknown}' is not a value of fact '{fact_name}' "
            f"(allowed: {', '.join(fact.values)})",
        )
    return fact


def _check_facts(facts, book, report, name, where) -> None:
    for fact_name, value in facts.items():
        _known_fact(book.facts, fact_name, [value], report, name, where)


def _build_question(
    item: QuestionSpec, course: Course, book: RuleBook, report, name, to_html: Callable[[str], str]
) -> tuple[Question, Key] | None:
    """Build one question and derive its key, or report why not and return None."""
    where = f"question '{item.id}'"
    errors_before = len(report.errors)
    if item.kind not in KINDS:
        report.error(name, f"{where}: unknown kind '{item.kind}' (one of {', '.join(KINDS)})")
        return None
    kind = kind_of(item.kind)
    for objective in item.objectives:
        if objective not in course.objectives_by_id:
            report.error(
                name, f"{where}: objective '{objective}' is not taught by any lesson of the course"
            )
    _check_facts(item.facts, book, report, name, where)
    problem = kind.shape_problem(_outline(item))
    if problem:
        report.error(name, f"{where}: {problem}")
    options = _options(item.options, book, report, name, where, allow_next=False)
    steps = []
    for step in item.steps:
        step_where = f"{where} step '{step.id}'"
        _check_facts(step.facts, book, report, name, step_where)
        steps.append(
            Step(
                id=step.id,
                situation=step.situation,
                situation_html=to_html(step.situation),
                facts=dict(step.facts),
                options=_options(step.options, book, report, name, step_where, allow_next=True),
                prompt=step.prompt,
            )
        )
    if len(report.errors) > errors_before:
        return None
    question = Question(
        id=item.id,
        kind=item.kind,
        objectives=tuple(item.objectives),
        scenario=item.scenario,
        scenario_html=to_html(item.scenario),
        prompt=item.prompt,
        facts=dict(item.facts),
        options=options,
        steps=tuple(steps),
        expect=None if item.expect is None else tuple(_as_list(item.expect)),
        source=name,
    )
    try:
        key = kind.derive(book, question)
    except DerivationError as exc:
        report.error(name, f"{where}: {exc}")
        return None
    if question.expect is not None:
        expected = kind.expected(question.expect)
        if not kind.same_answer(expected, key.answer):
            report.error(
                name,
                f"{where}: expect says {kind.describe(expected)}, but the rule book derives "
                f"{kind.describe(key.answer)}",
            )
            return None
    return question, key


def _outline(item: QuestionSpec) -> Question:
    """The question's options and steps as written, for its kind to check their shape."""

    def named(raw_options) -> tuple[Option, ...]:
        return tuple(
            Option(raw if isinstance(raw, str) else raw.strategy, "") for raw in raw_options
        )

    steps = tuple(Step(s.id, "", "", {}, named(s.options)) for s in item.steps)
    return Question(item.id, item.kind, (), "", "", "", {}, named(item.options), steps)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)

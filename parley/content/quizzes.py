"""Load the quiz files of quizzes/<course>/ against its rule book (content/rulebook.py), and
check them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from parley.content.errors import ContentError, ContentReport, did_you_mean
from parley.content.model import Course, CourseQuizzes, Quiz
from parley.content.render_cache import RenderCache
from parley.content.rendering import CourseRenders
from parley.content.rulebook import (
    LoadedBook,
    fingerprint,
    known_fact,
    load_rulebook,
)
from parley.content.schema import (
    OptionSpec,
    QuestionSpec,
    QuizSpec,
    describe,
)
from parley.content.yamlfile import load_spec
from parley.grading import (
    KINDS,
    DerivationError,
    Key,
    Option,
    Question,
    RuleBook,
    Step,
)

RULES_FILE = "rules.yaml"


@dataclass(frozen=True)
class QuestionDraft:
    """A question as far as its file lets it be built, with its rule book and its problems:
    what `content explain` shows, also for a question that could not be loaded."""

    question: Question
    rulebook: RuleBook
    problems: tuple[ContentError, ...] = ()
    notes: tuple[str, ...] = ()  # what was not checked, and why


class _QuizHeaderSpec(QuizSpec):
    """A quiz file's own fields; its questions are checked one by one, so that one bad
    question does not hide the others."""

    questions: list[Any] = Field(min_length=1)


class _DraftQuestionSpec(QuestionSpec):
    """What is left of a question whose fields are not all valid, for `content explain`."""

    kind: str = ""
    objectives: list[str] = Field(default_factory=list)
    scenario: str = ""


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
) -> tuple[dict[str, CourseQuizzes], dict[str, QuestionDraft]]:
    """Load every quizzes/<course>/ folder (scenarios not kept in cache rendered); report
    problems. Return the courses' quizzes (only those without errors) and a draft of every
    question that could be read, by id (the first, if an id is used twice)."""
    loaded = {}
    drafts: dict[str, QuestionDraft] = {}
    for folder in _quiz_folders(quizzes_dir):
        course = courses.get(folder.name)
        if course is None:
            report.error(
                label(folder),
                f"there is no course '{folder.name}' in the courses folder"
                + did_you_mean(folder.name, courses),
            )
            continue
        found = _load_course_quizzes(folder, course, report, label, cache, drafts)
        if found is not None:
            loaded[course.id] = found
    return loaded, drafts


def _load_course_quizzes(folder, course, report, label, cache, drafts) -> CourseQuizzes | None:
    rules_path = folder / RULES_FILE
    if not rules_path.is_file():
        report.error(label(rules_path), "is missing (every quiz folder needs a rule book)")
        return None
    book = load_rulebook(rules_path, course, report, label(rules_path))
    if book is None:
        return None

    scenarios = CourseRenders(course.id, cache, name=f"{course.id}.scenarios")

    def to_html(text: str) -> str:
        return scenarios.rendered(text).html

    quizzes: list[Quiz] = []
    question_files: dict[str, str] = {}
    modules_seen: dict[str, str] = {}
    assessed: set[str] = set()
    for path in _quiz_files(folder):
        quiz, built = _load_quiz(path, course, book, report, label(path), to_html)
        for draft in built:
            question = draft.question
            assessed.update(question.objectives)
            if question.id in question_files:
                report.error(
                    label(path),
                    f"question id '{question.id}' is also used in {question_files[question.id]}",
                )
            question_files.setdefault(question.id, label(path))
            drafts.setdefault(question.id, draft)
        if quiz is None:
            continue
        if quiz.module_id is not None:
            if quiz.module_id in modules_seen:
                report.error(
                    label(path),
                    f"module '{quiz.module_id}' already has a quiz: {modules_seen[quiz.module_id]}",
                )
            modules_seen.setdefault(quiz.module_id, label(path))
        quizzes.append(quiz)
    scenarios.save()

    # Every question that could be read counts, so a question with an error elsewhere does
    # not add a warning for each objective it assesses.
    for objective in course.objectives_by_id.values():
        if objective.id not in assessed:
            report.warning(
                label(folder),
                f"objective '{objective.id}' (lesson {objective.lesson_id}) is not assessed "
                "by any question",
            )
    if book.has_errors:
        return None
    return CourseQuizzes(course.id, book.rulebook, tuple(quizzes))


def _load_quiz(
    path: Path, course: Course, book: LoadedBook, report: ContentReport, name: str, to_html
) -> tuple[Quiz | None, list[QuestionDraft]]:
    """The quiz, if its file has no error, and a draft of each question that could be read."""
    errors_before = len(report.errors)
    data, header = load_spec(path, _QuizHeaderSpec, report, name)
    raw_questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(raw_questions, list):
        return None, []
    if header is not None and header.module is not None and course.module(header.module) is None:
        report.error(
            name,
            f"unknown module '{header.module}' (not in course '{course.id}')"
            + did_you_mean(header.module, [m.id for m in course.modules]),
        )
    questions = []
    versions = {}
    keys = {}
    drafts = []
    for number, raw in enumerate(raw_questions, start=1):
        read = _read_question(raw, number, course, book, report, name, to_html)
        if read is None:
            continue
        draft, key = read
        drafts.append(draft)
        if key is not None:
            keys[draft.question.id] = key
            questions.append(draft.question)
            # What the learner sees of a question also comes from its course (links in the
            # scenario) and the rule book (option labels, reasons): a change to any is a version.
            versions[draft.question.id] = fingerprint([course.id, book.version, raw])
    if header is None or len(report.errors) > errors_before:
        return None, drafts
    quiz = Quiz(
        id=path.stem,
        course_id=course.id,
        module_id=header.module,
        title=header.title,
        summary=header.summary,
        pass_mark=header.pass_mark,
        questions=tuple(questions),
        version=fingerprint([book.version, data]),
        question_versions=versions,
        keys=keys,
    )
    return quiz, drafts


def _read_question(
    raw: object, number: int, course, book: LoadedBook, report, name, to_html
) -> tuple[QuestionDraft, Key | None] | None:
    """Check and build one question of a quiz file: its draft, and its key if it has no
    problem. None if not even its id can be read."""
    problems_before = len(report.problems)
    try:
        item = QuestionSpec.model_validate(raw)
    except ValidationError as exc:
        given = raw.get("id") if isinstance(raw, dict) else None
        where = f"question '{given}'" if isinstance(given, str) else f"question {number}"
        report.error(name, f"{where}: {describe(exc)}")
        problems = tuple(report.problems[problems_before:])
        left = _salvaged(raw)
        if left is None:
            return None
        # What is left is not the question as written: its problems go to the draft only.
        scratch = ContentReport()
        question, _, notes = _build_question(left, course, book, scratch, name, to_html)
        note = "the parts that are not valid are left out of what is shown here"
        return QuestionDraft(
            question, book.rulebook, problems + tuple(scratch.problems), (note, *notes)
        ), None
    question, key, notes = _build_question(item, course, book, report, name, to_html)
    problems = tuple(report.problems[problems_before:])
    return QuestionDraft(question, book.rulebook, problems, notes), key


def _salvaged(raw: object) -> QuestionSpec | None:
    """What is left of a question once its invalid fields, options and steps are left out;
    None if it has no valid id."""
    if not isinstance(raw, dict):
        return None
    data = dict(raw)
    for _ in range(4):  # each round leaves out what the one before found wrong
        try:
            return _DraftQuestionSpec.model_validate(data)
        except ValidationError as exc:
            if not _leave_out(data, exc):
                return None
    return None


def _leave_out(data: dict[str, Any], error: ValidationError) -> bool:
    """Remove each field, or item of a list field, that an error points at; False when there
    is nothing to remove or the id itself is wrong."""
    fields: set[str] = set()
    items: dict[str, set[int]] = {}
    for problem in error.errors():
        loc = problem["loc"]
        if not loc or loc[0] == "id":
            return False
        field = str(loc[0])
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(data.get(field), list):
            items.setdefault(field, set()).add(loc[1])
        else:
            fields.add(field)
    for field in fields:
        data.pop(field, None)
    for field, indexes in items.items():
        if field not in fields:
            data[field] = [value for i, value in enumerate(data[field]) if i not in indexes]
    return bool(fields or items)


def _options(raw_options, book, report, name, where, allow_next: bool) -> tuple[Option, ...]:
    options = []
    for raw in raw_options:
        item = OptionSpec(strategy=raw) if isinstance(raw, str) else raw
        strategy = book.strategies.get(item.strategy)
        if strategy is None:
            report.error(
                name,
                f"{where}: unknown strategy '{item.strategy}'"
                + did_you_mean(item.strategy, book.strategies),
            )
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


def _check_facts(facts, book, report, name, where) -> None:
    for fact_name, value in facts.items():
        known_fact(book.facts, fact_name, [value], report, name, where)


def _build_question(
    item: QuestionSpec,
    course: Course,
    book: LoadedBook,
    report: ContentReport,
    name: str,
    to_html: Callable[[str], str],
) -> tuple[Question, Key | None, tuple[str, ...]]:
    """Build one question as far as it can be, and derive its key if nothing is wrong with it;
    report what is. Return the question, the key (or None) and notes on what was not checked."""
    where = f"question '{item.id}'"
    errors_before = len(report.errors)
    rulebook = book.rulebook
    kind = KINDS.get(item.kind)
    if kind is None:
        report.error(name, f"{where}: unknown kind '{item.kind}' (one of {', '.join(KINDS)})")
    for objective in item.objectives:
        if objective not in course.objectives_by_id:
            report.error(
                name,
                f"{where}: objective '{objective}' is not taught by any lesson of the course"
                + did_you_mean(objective, course.objectives_by_id),
            )
    _check_facts(item.facts, rulebook, report, name, where)
    problem = kind.shape_problem(_outline(item)) if kind is not None else None
    if problem:
        report.error(name, f"{where}: {problem}")
    if item.diagnose and item.kind != "diagnose":
        report.error(name, f"{where}: only a diagnose question may say 'diagnose'")
    options = _options(item.options, rulebook, report, name, where, allow_next=False)
    steps = []
    for step in item.steps:
        step_where = f"{where} step '{step.id}'"
        _check_facts(step.facts, rulebook, report, name, step_where)
        steps.append(
            Step(
                id=step.id,
                situation=step.situation,
                situation_html=to_html(step.situation),
                facts=dict(step.facts),
                options=_options(step.options, rulebook, report, name, step_where, allow_next=True),
                prompt=step.prompt,
            )
        )
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
        diagnose=tuple(item.diagnose),
    )
    if kind is None or len(report.errors) > errors_before:
        return question, None, ()
    offered = {o.strategy_id for o in options} | {o.strategy_id for s in steps for o in s.options}
    broken = sorted(offered & book.broken)
    if broken:
        # rules.yaml names the problem; the questions that offer the strategy stay quiet.
        which = "has errors" if len(broken) == 1 else "have errors"
        return question, None, (f"not derived: {', '.join(broken)} {which} in {RULES_FILE}",)
    try:
        key = kind.derive(rulebook, question)
    except DerivationError as exc:
        report.error(name, f"{where}: {exc}")
        return question, None, ()
    if question.expect is not None:
        expected = kind.expected(question.expect)
        if not kind.same_answer(expected, key.answer):
            report.error(
                name,
                f"{where}: expect says {kind.describe(expected)}, but the rule book derives "
                f"{kind.describe(key.answer)}",
            )
            return question, None, ()
    return question, key, ()


def _outline(item: QuestionSpec) -> Question:
    """The question's options and steps as written, for its kind to check their shape."""

    def named(raw_options) -> tuple[Option, ...]:
        return tuple(
            Option(raw if isinstance(raw, str) else raw.strategy, "") for raw in raw_options
        )

    steps = tuple(Step(s.id, "", "", {}, named(s.options)) for s in item.steps)
    options, diagnose = named(item.options), tuple(item.diagnose)
    return Question(item.id, item.kind, (), "", "", "", {}, options, steps, diagnose=diagnose)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)

"""A cohort's readiness: learners x assigned modules, weak objectives, question analysis.

Each function runs a fixed number of SQL statements, whatever the cohort's size.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from parley.cohorts.membership import (
    AssignmentRow,
    MemberRow,
    assignments_of,
    members_of,
    overrides_of,
)
from parley.content import Library, Module
from parley.content.model import Course, Quiz
from parley.grading.kinds import stored_kind
from parley.grading.model import Question
from parley.learning.status import Status, is_ready, module_status
from parley.models import Answer, Attempt, LessonProgress, Membership

_NONE: frozenset[str] = frozenset()
CONFIDENCE_VALUE = {"sure": 1.0, "unsure": 0.5, "guessing": 0.0}


@dataclass(frozen=True)
class Column:
    assignment: AssignmentRow
    course: Course
    module: Module
    quiz: Quiz | None


@dataclass(frozen=True, slots=True)
class Cell:
    status: Status
    best: float | None
    due: date
    extended: bool
    overdue: bool
    ready: bool
    lessons_done: int
    lessons_total: int

    @property
    def best_percent(self) -> int | None:
        return None if self.best is None else round(self.best * 100)


@dataclass(frozen=True, slots=True)
class LearnerRow:
    member: MemberRow
    cells: tuple[Cell, ...]
    ready_count: int
    overdue: int

    @classmethod
    def of(cls, member: MemberRow, cells: tuple[Cell, ...]) -> LearnerRow:
        ready = sum(1 for cell in cells if cell.ready)
        return cls(member, cells, ready, sum(1 for cell in cells if cell.overdue))

    @property
    def ready(self) -> bool:
        return bool(self.cells) and self.ready_count == len(self.cells)

    @property
    def readiness(self) -> float:
        return self.ready_count / len(self.cells) if self.cells else 0.0


@dataclass(frozen=True)
class Readiness:
    columns: tuple[Column, ...]
    rows: tuple[LearnerRow, ...]

    @property
    def ready_count(self) -> int:
        return sum(1 for row in self.rows if row.ready)

    @property
    def summary(self) -> str:
        return f"{self.ready_count} of {len(self.rows)} ready"

    @property
    def course_ids(self) -> list[str]:
        return sorted({column.course.id for column in self.columns})

    def matching(self, search: str) -> tuple[LearnerRow, ...]:
        """The rows whose learner's name or email contains search, ignoring case."""
        if not search:
            return self.rows
        needle = search.casefold()
        return tuple(
            row
            for row in self.rows
            if needle in row.member.name.casefold() or needle in row.member.email.casefold()
        )

    def sorted_by(self, sort: str) -> Readiness:
        """The same grid with rows by name, most ready first, or least ready first."""
        if sort == "readiness":
            key = lambda r: (-r.readiness, r.overdue, r.member.name.lower())  # noqa: E731
        elif sort == "readiness-asc":
            key = lambda r: (r.readiness, -r.overdue, r.member.name.lower())  # noqa: E731
        else:
            return self
        return Readiness(self.columns, tuple(sorted(self.rows, key=key)))


def _member_ids(cohort_id: int, user_id: int | None = None) -> Select:
    """The ids of a cohort's members (only user_id if given), for "user_id IN (...)" filters."""
    query = select(Membership.user_id).where(Membership.cohort_id == cohort_id)
    return query if user_id is None else query.where(Membership.user_id == user_id)


def _columns(library: Library, assignments: list[AssignmentRow]) -> list[Column]:
    columns = []
    for assignment in assignments:
        course = library.course(assignment.course_id)
        module = course.module(assignment.module_id) if course else None
        if course is None or module is None:
            continue  # the module was removed from content; its history stays in the database
        quizzes = library.quizzes(course.id)
        quiz = quizzes.quiz_for_module(module.id) if quizzes else None
        columns.append(Column(assignment, course, module, quiz))
    return columns


_LessonSets = dict[int, dict[str, set[str]]]  # user id -> course id -> lesson ids


def _lesson_progress(
    session: Session, in_scope: Select, course_ids: list[str]
) -> tuple[_LessonSets, _LessonSets]:
    """The lessons each member has opened, and those they have completed, in one statement."""
    opened: _LessonSets = defaultdict(lambda: defaultdict(set))
    completed: _LessonSets = defaultdict(lambda: defaultdict(set))
    rows = session.execute(
        select(
            LessonProgress.user_id,
            LessonProgress.course_id,
            LessonProgress.lesson_id,
            LessonProgress.completed_at.is_not(None),
        ).where(LessonProgress.user_id.in_(in_scope), LessonProgress.course_id.in_(course_ids))
    )
    for user_id, course_id, lesson_id, is_completed in rows:
        opened[user_id][course_id].add(lesson_id)
        if is_completed:
            completed[user_id][course_id].add(lesson_id)
    return opened, completed


def _best_scores(
    session: Session, in_scope: Select, course_ids: list[str]
) -> dict[tuple[int, str, str], tuple[float, bool]]:
    """{(user id, course id, quiz id): (best score, passed ever)}, in one statement."""
    rows = session.execute(
        select(
            Attempt.user_id,
            Attempt.course_id,
            Attempt.quiz_id,
            func.max(Attempt.score),
            func.max(case((Attempt.passed, 1), else_=0)),
        )
        .where(Attempt.user_id.in_(in_scope), Attempt.course_id.in_(course_ids))
        .group_by(Attempt.user_id, Attempt.course_id, Attempt.quiz_id)
    )
    return {(u, c, q): (best, bool(passed)) for u, c, q, best, passed in rows}


def cohort_readiness(
    session: Session,
    library: Library,
    cohort_id: int,
    today: date,
    user_id: int | None = None,
) -> Readiness:
    """Build the readiness matrix by name in five statements (one learner's row if given)."""
    members = members_of(session, cohort_id, user_id)
    columns = _columns(library, assignments_of(session, cohort_id))
    overrides = overrides_of(session, cohort_id)
    in_scope = _member_ids(cohort_id, user_id)
    course_ids = sorted({c.course.id for c in columns})
    opened, completed = _lesson_progress(session, in_scope, course_ids)
    quiz_best = _best_scores(session, in_scope, course_ids)
    plans = [
        (
            column,
            column.course.id,
            frozenset(lesson.id for lesson in column.module.lessons),
            (column.course.id, column.quiz.id) if column.quiz is not None else None,
        )
        for column in columns
    ]
    rows = []
    for member in members:
        done_by_course = completed.get(member.user_id, {})
        opened_by_course = opened.get(member.user_id, {})
        cells = []
        for column, course_id, lesson_ids, quiz_key in plans:
            done = len(lesson_ids & done_by_course.get(course_id, _NONE))
            started = not lesson_ids.isdisjoint(opened_by_course.get(course_id, _NONE))
            best, passed = (None, False)
            if quiz_key is not None:
                best, passed = quiz_best.get((member.user_id, *quiz_key), (None, False))
            status = module_status(
                lessons_done=done,
                lessons_total=len(lesson_ids),
                started=started or best is not None,
                quiz_passed=passed,
            )
            key = (column.assignment.id, member.user_id)
            due = overrides.get(key, column.assignment.due_date)
            ready = is_ready(status, quiz_key is not None)
            cells.append(
                Cell(
                    status=status,
                    best=best,
                    due=due,
                    extended=key in overrides,
                    overdue=due < today and not ready,
                    ready=ready,
                    lessons_done=done,
                    lessons_total=len(lesson_ids),
                )
            )
        rows.append(LearnerRow.of(member, tuple(cells)))
    return Readiness(tuple(columns), tuple(rows))


def _latest_attempt_ids(cohort_id: int, course_ids: list[str]) -> Select:
    """Each member's latest attempt at each quiz, which holds their latest answers to it."""
    # An attempt answers every question of its quiz, so looking up attempts first keeps this cheap.
    return (
        select(func.max(Attempt.id))
        .where(Attempt.user_id.in_(_member_ids(cohort_id)), Attempt.course_id.in_(course_ids))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )


@dataclass(frozen=True)
class ObjectiveStrength:
    objective_id: str
    text: str
    lesson_title: str
    share: float
    answers: int

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def weak_objectives(
    session: Session, library: Library, cohort_id: int, course_ids: list[str]
) -> list[ObjectiveStrength]:
    """The cohort's mastery per objective (latest answers), weakest first; one statement."""
    per_question = session.execute(
        select(Answer.question_id, func.sum(Answer.score), func.count())
        .where(Answer.attempt_id.in_(_latest_attempt_ids(cohort_id, course_ids)))
        .group_by(Answer.question_id)
    ).all()
    totals: dict[tuple[str, str], list[float]] = {}
    for course_id in course_ids:
        quizzes = library.quizzes(course_id)
        course = library.course(course_id)
        if quizzes is None or course is None:
            continue
        objectives_of = {q.id: q.objectives for q in quizzes.questions}
        for question_id, score_sum, count in per_question:
            for objective in objectives_of.get(question_id, ()):
                slot = totals.setdefault((course_id, objective), [0.0, 0])
                slot[0] += score_sum
                slot[1] += count
    found = []
    for (course_id, objective_id), (score_sum, count) in totals.items():
        course = library.course(course_id)
        objective = course.objectives_by_id.get(objective_id) if course else None
        if objective is None or not count:
            continue
        lesson = course.lessons_by_id[objective.lesson_id]
        found.append(
            ObjectiveStrength(objective_id, objective.text, lesson.title, score_sum / count, count)
        )
    return sorted(found, key=lambda o: (o.share, o.objective_id))


@dataclass(frozen=True)
class QuestionStats:
    quiz: Quiz
    number: int
    question_id: str
    situation: str  # the scenario's first sentence, plain text
    prompt: str  # the question asked: the author's, or the kind's when the author gives none
    answers: int
    share_correct: float
    common_wrong: str | None
    common_wrong_count: int
    confidence: float | None
    confidence_counts: dict[str, int]

    @property
    def percent_correct(self) -> int:
        return round(self.share_correct * 100)


# A sentence ends at . ! or ? (perhaps before a closing quote) followed by a space or the end;
# the first 20 characters are never the end, so that "Dr. Ruiz" or "St. Ives" starts one.
_FIRST_SENTENCE = re.compile(r"(.{20,}?[.!?][\"'”’)]?)(?=\s|$)", re.DOTALL)


def first_sentence(scenario_html: str) -> str:
    """The first sentence of a rendered scenario, as plain text on one line."""
    text = Markup(scenario_html).striptags()
    found = _FIRST_SENTENCE.match(text)
    return found.group(1) if found else text


def question_prompt(question: Question) -> str:
    """The question a learner was asked: the author's prompt, else the kind's own."""
    return question.prompt or stored_kind(question.kind).prompt


def latest_answer_rows(session: Session, cohort_id: int, course_ids: list[str]) -> list[Any]:
    """(question id, response, correct, confidence, result) of each member's latest answers."""
    query = select(
        Answer.question_id, Answer.response, Answer.correct, Answer.confidence, Answer.result
    ).where(Answer.attempt_id.in_(_latest_attempt_ids(cohort_id, course_ids)))
    return list(session.execute(query))


def question_analysis(
    session: Session, library: Library, cohort_id: int, course_ids: list[str]
) -> list[QuestionStats]:
    """Per question: share correct, the most chosen wrong option, confidence; one statement."""
    by_question: dict[str, list[Any]] = defaultdict(list)
    for row in latest_answer_rows(session, cohort_id, course_ids):
        by_question[row.question_id].append(row)
    stats = []
    for course_id in course_ids:
        quizzes = library.quizzes(course_id)
        for quiz in quizzes.quizzes if quizzes else ():
            for number, question in enumerate(quiz.questions, start=1):
                rows = by_question.get(question.id, [])
                wrong = Counter(
                    verdict["label"]
                    for row in rows
                    for verdict in row.result.get("verdicts", [])
                    if verdict.get("verdict") == "mistake"
                )
                confidences = Counter(row.confidence for row in rows if row.confidence)
                rated = sum(confidences.values())
                common = wrong.most_common(1)
                stats.append(
                    QuestionStats(
                        quiz=quiz,
                        number=number,
                        question_id=question.id,
                        situation=first_sentence(question.scenario_html),
                        prompt=question_prompt(question),
                        answers=len(rows),
                        share_correct=(sum(1 for r in rows if r.correct) / len(rows))
                        if rows
                        else 0.0,
                        common_wrong=common[0][0] if common else None,
                        common_wrong_count=common[0][1] if common else 0,
                        confidence=(
                            sum(CONFIDENCE_VALUE[c] * n for c, n in confidences.items()) / rated
                            if rated
                            else None
                        ),
                        confidence_counts=dict(confidences),
                    )
                )
    return stats

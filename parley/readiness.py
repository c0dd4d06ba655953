"""A cohort's readiness: learners x assigned modules, weak objectives, question analysis.

Each function runs a fixed number of SQL statements, whatever the cohort's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from parley.cohorts import AssignmentRow, MemberRow, assignments_of, members_of, overrides_of
from parley.content import Library, Module
from parley.content.model import Course, Quiz
from parley.models import Answer, Attempt, LessonProgress, Membership

CONFIDENCE_VALUE = {"sure": 1.0, "unsure": 0.5, "guessing": 0.0}


@dataclass(frozen=True)
class Column:
    assignment: AssignmentRow
    course: Course
    module: Module
    quiz: Quiz | None


def is_ready(status: str, needs_quiz: bool) -> bool:
    """Passed the module quiz, or finished every lesson of a module without one."""
    return status == "passed" or (status == "completed" and not needs_quiz)


@dataclass(frozen=True)
class Cell:
    status: str  # "not started", "in progress", "completed" or "passed"
    best: float | None
    due: date
    extended: bool
    overdue: bool
    lessons_done: int
    lessons_total: int

    @property
    def best_percent(self) -> int | None:
        return None if self.best is None else round(self.best * 100)

    @property
    def ready(self) -> bool:
        return self.status == "passed" or (
            self.status == "completed"
            and self.best is None
            and self.lessons_total > 0
            and not self.needs_quiz
        )

    needs_quiz: bool = True


@dataclass(frozen=True)
class LearnerRow:
    member: MemberRow
    cells: tuple[Cell, ...]

    @property
    def ready_count(self) -> int:
        return sum(1 for cell in self.cells if cell.ready)

    @property
    def ready(self) -> bool:
        return bool(self.cells) and self.ready_count == len(self.cells)

    @property
    def readiness(self) -> float:
        return self.ready_count / len(self.cells) if self.cells else 0.0

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells if cell.overdue)


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


def _members_subquery(cohort_id: int, user_id: int | None = None) -> Select:
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


def cohort_readiness(
    session: Session,
    library: Library,
    cohort_id: int,
    today: date,
    sort: str = "name",
    user_id: int | None = None,
) -> Readiness:
    """Build the readiness matrix in five statements (one learner's row if user_id is given)."""
    members = members_of(session, cohort_id, user_id)
    in_scope = _members_subquery(cohort_id, user_id)
    columns = _columns(library, assignments_of(session, cohort_id))
    overrides = overrides_of(session, cohort_id)
    course_ids = sorted({c.course.id for c in columns}) or [""]
    completed: dict[int, set[tuple[str, str]]] = defaultdict(set)
    opened: dict[int, set[tuple[str, str]]] = defaultdict(set)
    progress_rows = session.execute(
        select(
            LessonProgress.user_id,
            LessonProgress.course_id,
            LessonProgress.lesson_id,
            LessonProgress.completed_at,
        ).where(
            LessonProgress.user_id.in_(in_scope),
            LessonProgress.course_id.in_(course_ids),
        )
    )
    for user_id, course_id, lesson_id, completed_at in progress_rows:
        opened[user_id].add((course_id, lesson_id))
        if completed_at is not None:
            completed[user_id].add((course_id, lesson_id))
    quiz_rows = session.execute(
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
    quiz_best = {(u, c, q): (best, bool(passed)) for u, c, q, best, passed in quiz_rows}

    rows = []
    for member in members:
        cells = []
        for column in columns:
            lessons = [(column.course.id, lesson.id) for lesson in column.module.lessons]
            done = sum(1 for key in lessons if key in completed[member.user_id])
            started = any(key in opened[member.user_id] for key in lessons)
            best, passed = (None, False)
            if column.quiz is not None:
                best, passed = quiz_best.get(
                    (member.user_id, column.course.id, column.quiz.id), (None, False)
                )
            if passed:
                status = "passed"
            elif lessons and done == len(lessons):
                status = "completed"
            elif started or best is not None:
                status = "in progress"
            else:
                status = "not started"
            due = overrides.get((column.assignment.id, member.user_id), column.assignment.due_date)
            ready = is_ready(status, column.quiz is not None)
            cells.append(
                Cell(
                    status=status,
                    best=best,
                    due=due,
                    extended=(column.assignment.id, member.user_id) in overrides,
                    overdue=due < today and not ready,
                    lessons_done=done,
                    lessons_total=len(lessons),
                    needs_quiz=column.quiz is not None,
                )
            )
        rows.append(LearnerRow(member, tuple(cells)))
    if sort == "readiness":
        rows.sort(key=lambda r: (-r.readiness, r.overdue, r.member.name.lower()))
    elif sort == "readiness-asc":
        rows.sort(key=lambda r: (r.readiness, -r.overdue, r.member.name.lower()))
    return Readiness(tuple(columns), tuple(rows))


def _latest_answer_ids(cohort_id: int, course_ids: list[str]) -> Select:
    """Each member's latest answers: those of their latest attempt at each quiz.

    An attempt answers every question of its quiz, so the latest attempt holds the latest
    answer to each question; looking up attempts first keeps this cheap for big cohorts.
    """
    latest_attempts = (
        select(func.max(Attempt.id))
        .where(
            Attempt.user_id.in_(_members_subquery(cohort_id)),
            Attempt.course_id.in_(course_ids or [""]),
        )
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )
    return select(Answer.id).where(Answer.attempt_id.in_(latest_attempts))


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
        .where(Answer.id.in_(_latest_answer_ids(cohort_id, course_ids)))
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
    prompt: str
    answers: int
    share_correct: float
    common_wrong: str | None
    common_wrong_count: int
    confidence: float | None
    confidence_counts: dict[str, int]

    @property
    def percent_correct(self) -> int:
        return round(self.share_correct * 100)


def latest_answer_rows(session: Session, cohort_id: int, course_ids: list[str]) -> list[Any]:
    """(question id, response, correct, confidence, result) of each member's latest answers."""
    return session.execute(
        select(
            Answer.question_id, Answer.response, Answer.correct, Answer.confidence, Answer.result
        ).where(Answer.id.in_(_latest_answer_ids(cohort_id, course_ids)))
    ).all()


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
                        prompt=question.prompt,
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

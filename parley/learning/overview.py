"""Combine course structure with an account's lesson states into data ready to show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from parley.content import Course, Lesson, Module
from parley.content.model import CourseQuizzes, Quiz
from parley.learning.attempts import QuizRecord
from parley.learning.progress import LessonState
from parley.learning.status import Status, is_ready, lesson_status, module_status


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    attempts: int
    best: float | None
    latest: float | None
    passed: bool
    latest_id: int | None = None

    @property
    def best_percent(self) -> int | None:
        return None if self.best is None else round(self.best * 100)

    @property
    def latest_percent(self) -> int | None:
        return None if self.latest is None else round(self.latest * 100)


def quiz_status(quiz: Quiz, records: Mapping[str, QuizRecord]) -> QuizStatus:
    """Summarise an account's record at one quiz, given its records by quiz id."""
    record = records.get(quiz.id)
    if record is None:
        return QuizStatus(quiz=quiz, attempts=0, best=None, latest=None, passed=False)
    return QuizStatus(
        quiz=quiz,
        attempts=record.attempts,
        best=record.best,
        latest=record.latest,
        passed=record.passed,
        latest_id=record.latest_id,
    )


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    state: LessonState | None

    @property
    def completed(self) -> bool:
        return self.state is not None and self.state.completed

    @property
    def status(self) -> Status:
        return lesson_status(opened=self.state is not None, completed=self.completed)


@dataclass(frozen=True)
class ModuleOverview:
    module: Module
    lessons: tuple[LessonRow, ...]
    quiz: QuizStatus | None = None

    @cached_property
    def completed(self) -> int:
        return sum(1 for row in self.lessons if row.completed)

    @cached_property
    def total(self) -> int:
        return len(self.lessons)

    @cached_property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @cached_property
    def status(self) -> Status:
        return module_status(
            lessons_done=self.completed,
            lessons_total=self.total,
            started=any(row.state is not None for row in self.lessons)
            or (self.quiz is not None and self.quiz.attempts > 0),
            quiz_passed=self.quiz is not None and self.quiz.passed,
        )

    @property
    def ready(self) -> bool:
        return is_ready(self.status, self.quiz is not None)


@dataclass(frozen=True)
class CourseOverview:
    course: Course
    modules: tuple[ModuleOverview, ...]
    course_quizzes: tuple[QuizStatus, ...] = ()

    @cached_property
    def completed(self) -> int:
        return sum(m.completed for m in self.modules)

    @cached_property
    def total(self) -> int:
        return sum(m.total for m in self.modules)

    @cached_property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @cached_property
    def started(self) -> bool:
        return any(m.status is not Status.NOT_STARTED for m in self.modules) or any(
            q.attempts for q in self.course_quizzes
        )

    def module(self, module_id: str) -> ModuleOverview | None:
        return next((m for m in self.modules if m.module.id == module_id), None)


def course_overview(
    course: Course,
    states: dict,
    quizzes: CourseQuizzes | None = None,
    records: Mapping[str, QuizRecord] | None = None,
) -> CourseOverview:
    """Build a course's progress from lesson states and quiz records by quiz id."""
    records = records or {}

    def status_for(module_id: str) -> QuizStatus | None:
        quiz = quizzes.quiz_for_module(module_id) if quizzes else None
        return quiz_status(quiz, records) if quiz else None

    return CourseOverview(
        course=course,
        modules=tuple(
            ModuleOverview(
                module=module,
                lessons=tuple(
                    LessonRow(lesson, states.get((course.id, lesson.id)))
                    for lesson in module.lessons
                ),
                quiz=status_for(module.id),
            )
            for module in course.modules
        ),
        course_quizzes=tuple(
            quiz_status(q, records)
            for q in (quizzes.quizzes if quizzes else ())
            if q.module_id is None
        ),
    )


@dataclass(frozen=True)
class ContinuePoint:
    course: Course
    lesson: Lesson


def continue_point(courses: dict[str, Course], states: dict) -> ContinuePoint | None:
    """Return the lesson to continue: the next unfinished one after the last opened."""
    known = [
        (state.last_opened_at, course_id, lesson_id)
        for (course_id, lesson_id), state in states.items()
        if course_id in courses and lesson_id in courses[course_id].lessons_by_id
    ]
    if not known:
        return None
    _, course_id, lesson_id = max(known)
    course = courses[course_id]
    lessons = course.lessons
    index = next(i for i, lesson in enumerate(lessons) if lesson.id == lesson_id)
    state = states[(course_id, lesson_id)]
    if not state.completed:
        return ContinuePoint(course, lessons[index])
    for lesson in lessons[index + 1 :] + lessons[:index]:
        later = states.get((course_id, lesson.id))
        if later is None or not later.completed:
            return ContinuePoint(course, lesson)
    return None


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """Return the lessons before and after this one, across modules."""
    lessons = course.lessons
    index = lessons.index(lesson)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following

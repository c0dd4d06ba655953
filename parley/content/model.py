"""Frozen dataclasses for courses, modules, lessons and objectives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parley.grading.derive import Key
from parley.grading.model import Question, RuleBook


@dataclass(frozen=True)
class Objective:
    """A "What You'll Learn" objective, taught by one lesson."""

    id: str
    text: str
    lesson_id: str


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    minutes: int
    objectives: tuple[Objective, ...]
    html: str
    toc: tuple[TocEntry, ...]
    course_id: str
    module_id: str
    source: Path = field(compare=False)
    links: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(entry.anchor for entry in self.toc)


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    lessons: tuple[Lesson, ...]

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(obj for lesson in self.lessons for obj in lesson.objectives)


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    summary: str
    intro_html: str
    modules: tuple[Module, ...]
    lessons_by_id: dict[str, Lesson] = field(repr=False, compare=False)
    objectives_by_id: dict[str, Objective] = field(repr=False, compare=False)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @property
    def minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)


@dataclass(frozen=True)
class Quiz:
    """A module quiz (or a course-wide check when module_id is None)."""

    id: str
    course_id: str
    module_id: str | None
    title: str
    summary: str
    pass_mark: float
    questions: tuple[Question, ...]
    version: str
    question_versions: dict[str, str] = field(repr=False, compare=False)
    keys: Mapping[str, Key] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CourseQuizzes:
    """A course's rule book and quizzes."""

    course_id: str
    rulebook: RuleBook
    quizzes: tuple[Quiz, ...]

    def quiz(self, quiz_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.id == quiz_id), None)

    def quiz_for_module(self, module_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.module_id == module_id), None)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for quiz in self.quizzes for q in quiz.questions)

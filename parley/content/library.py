"""The whole loaded content: courses, and later their rule books and quizzes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from parley.content.courses import (
    Labeller,
    LessonHref,
    default_lesson_href,
    finish_courses,
    start_courses,
)
from parley.content.errors import ContentReport
from parley.content.model import Course, CourseQuizzes, Quiz
from parley.content.quizzes import load_quizzes, read_quiz_files
from parley.content.render_cache import RenderCache
from parley.content.rendering import LessonRenderer


@dataclass(frozen=True)
class Library:
    courses: tuple[Course, ...]
    courses_by_id: dict[str, Course] = field(repr=False, compare=False)
    quizzes_by_course: dict[str, CourseQuizzes] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The objectives of each current question, by its version (content fingerprint).
    objectives_by_version: dict[str, tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def course(self, course_id: str) -> Course | None:
        return self.courses_by_id.get(course_id)

    def quizzes(self, course_id: str) -> CourseQuizzes | None:
        return self.quizzes_by_course.get(course_id)

    def quiz(self, course_id: str, quiz_id: str) -> Quiz | None:
        found = self.quizzes_by_course.get(course_id)
        return found.quiz(quiz_id) if found else None

    def counts(self) -> dict[str, int]:
        return {
            "courses": len(self.courses),
            "modules": sum(len(c.modules) for c in self.courses),
            "lessons": sum(len(c.lessons) for c in self.courses),
            "objectives": sum(len(c.objectives_by_id) for c in self.courses),
            "quizzes": sum(len(q.quizzes) for q in self.quizzes_by_course.values()),
            "questions": sum(len(q.questions) for q in self.quizzes_by_course.values()),
            "strategies": sum(len(q.rulebook.strategies) for q in self.quizzes_by_course.values()),
        }


def load_library(
    courses_dir: Path,
    quizzes_dir: Path | None = None,
    lesson_href: LessonHref = default_lesson_href,
    render_cache_dir: str | Path | None = None,
) -> tuple[Library, ContentReport]:
    """Load all content (reusing lessons kept in render_cache_dir); return it and the report."""
    with cycle_collector_paused():
        return _load_library(courses_dir, quizzes_dir, lesson_href, render_cache_dir)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while content loads, then restore it."""
    # Loading builds thousands of objects that live as long as the app; the collector's full
    # passes over them (and the rest of a large process) free nothing and cost a tenth of it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_library(
    courses_dir: Path,
    quizzes_dir: Path | None,
    lesson_href: LessonHref,
    render_cache_dir: str | Path | None,
) -> tuple[Library, ContentReport]:
    report = ContentReport()
    cache = RenderCache(Path(render_cache_dir)) if render_cache_dir else None
    quiz_root = Path(quizzes_dir) if quizzes_dir is not None else None
    with LessonRenderer(cache) as renderer:
        drafts = start_courses(Path(courses_dir), report, renderer, lesson_href)
        # Quiz files are read while lessons render in other processes.
        ahead = None
        if quiz_root is not None:
            default_links = lesson_href is default_lesson_href
            ahead = read_quiz_files(quiz_root, Labeller(quiz_root), default_links)
        courses = finish_courses(drafts, report)
    by_id = {c.id: c for c in courses}
    quizzes = {}
    if quiz_root is not None:
        quizzes = load_quizzes(quiz_root, by_id, report, Labeller(quiz_root), lesson_href, ahead)
    objectives = {
        quiz.question_versions[question.id]: question.objectives
        for found in quizzes.values()
        for quiz in found.quizzes
        for question in quiz.questions
    }
    library = Library(
        courses=tuple(courses),
        courses_by_id=by_id,
        quizzes_by_course=quizzes,
        objectives_by_version=objectives,
    )
    return library, report

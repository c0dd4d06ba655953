"""The whole loaded content: courses, and later their rule books and quizzes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from parley.content.courses import Labeller, load_courses
from parley.content.errors import ContentReport
from parley.content.model import Course, CourseQuizzes, Quiz
from parley.content.quizzes import QuestionDraft, load_quizzes
from parley.content.render_cache import RenderCache


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
    # Every question that could be read, as far as it could be built, with its problems: what
    # `content explain` shows, also when its quiz cannot be loaded.
    drafts: dict[str, QuestionDraft] = field(default_factory=dict, repr=False, compare=False)

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
    render_cache_dir: str | Path | None = None,
) -> tuple[Library, ContentReport]:
    """Load all content (reusing Markdown kept in render_cache_dir); return it and the report."""
    report = ContentReport()
    cache = RenderCache(Path(render_cache_dir)) if render_cache_dir else None
    courses = load_courses(Path(courses_dir), report, cache)
    by_id = {c.id: c for c in courses}
    quizzes, drafts = {}, {}
    if quizzes_dir is not None:
        quiz_root = Path(quizzes_dir)
        quizzes, drafts = load_quizzes(quiz_root, by_id, report, Labeller(quiz_root), cache)
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
        drafts=drafts,
    )
    return library, report

"""The whole loaded content: courses, and later their rule books and quizzes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from parley.content.courses import LessonHref, default_lesson_href, load_courses
from parley.content.errors import ContentReport
from parley.content.model import Course


@dataclass(frozen=True)
class Library:
    courses: tuple[Course, ...]
    courses_by_id: dict[str, Course] = field(repr=False, compare=False)

    def course(self, course_id: str) -> Course | None:
        return self.courses_by_id.get(course_id)

    def counts(self) -> dict[str, int]:
        return {
            "courses": len(self.courses),
            "modules": sum(len(c.modules) for c in self.courses),
            "lessons": sum(len(c.lessons) for c in self.courses),
            "objectives": sum(len(c.objectives_by_id) for c in self.courses),
        }


def load_library(
    courses_dir: Path,
    quizzes_dir: Path | None = None,
    lesson_href: LessonHref = default_lesson_href,
) -> tuple[Library, ContentReport]:
    """Load all content; return the library and the report of problems found."""
    report = ContentReport()
    courses = load_courses(Path(courses_dir), report, lesson_href)
    library = Library(courses=tuple(courses), courses_by_id={c.id: c for c in courses})
    return library, report

"""Read courses/ and quizzes/ into frozen dataclasses; report every problem by file."""

from parley.content.errors import ContentError, ContentInvalid, ContentReport
from parley.content.library import Library, load_library
from parley.content.model import Course, Lesson, Module, Objective, TocEntry

__all__ = [
    "ContentError",
    "ContentInvalid",
    "ContentReport",
    "Course",
    "Lesson",
    "Library",
    "Module",
    "Objective",
    "TocEntry",
    "load_library",
]

"""Request-scoped access to the loaded content library."""

from flask import abort, current_app

from parley.content import Course, Library


def library() -> Library:
    return current_app.extensions["parley_content"]


def course_or_404(course_id: str) -> Course:
    course = library().course(course_id)
    if course is None:
        abort(404, description="There is no course at this address.")
    return course

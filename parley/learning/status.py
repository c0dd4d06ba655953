"""Where a learner stands with a lesson or a module, and when a module counts as ready."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A lesson's or a module's status; its value is the text exports write."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"
    PASSED = "passed"


def lesson_status(opened: bool, completed: bool) -> Status:
    if completed:
        return Status.COMPLETED
    return Status.IN_PROGRESS if opened else Status.NOT_STARTED


def module_status(
    *, lessons_done: int, lessons_total: int, started: bool, quiz_passed: bool
) -> Status:
    """The one status ladder; started means a lesson was opened or the quiz was tried."""
    if quiz_passed:
        return Status.PASSED
    if lessons_total and lessons_done == lessons_total:
        return Status.COMPLETED
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def is_ready(status: Status, has_quiz: bool) -> bool:
    """Passed the module quiz, or finished every lesson of a module without one."""
    return status is Status.PASSED or (status is Status.COMPLETED and not has_quiz)

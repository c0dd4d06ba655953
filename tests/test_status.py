"""One status ladder for a module, and when it counts as ready: pure logic, no app."""

import pytest

from parley.learning.status import Status, is_ready, lesson_status, module_status


@pytest.mark.parametrize(
    ("done", "total", "started", "passed", "expected"),
    [
        (0, 3, False, False, Status.NOT_STARTED),
        (0, 3, True, False, Status.IN_PROGRESS),
        (2, 3, True, False, Status.IN_PROGRESS),
        (3, 3, True, False, Status.COMPLETED),
        (0, 3, True, True, Status.PASSED),
        (3, 3, True, True, Status.PASSED),
        (0, 0, False, False, Status.NOT_STARTED),  # a module without lessons is never completed
        (0, 0, True, False, Status.IN_PROGRESS),
    ],
)
def test_the_module_status_ladder(done, total, started, passed, expected):
    status = module_status(
        lessons_done=done, lessons_total=total, started=started, quiz_passed=passed
    )
    assert status is expected


def test_a_module_is_ready_when_its_quiz_is_passed_or_without_a_quiz_completed():
    assert is_ready(Status.PASSED, has_quiz=True)
    assert not is_ready(Status.COMPLETED, has_quiz=True)
    assert is_ready(Status.COMPLETED, has_quiz=False)
    assert not is_ready(Status.IN_PROGRESS, has_quiz=False)
    assert not is_ready(Status.NOT_STARTED, has_quiz=False)


def test_a_lesson_is_not_started_in_progress_or_completed():
    assert lesson_status(opened=False, completed=False) is Status.NOT_STARTED
    assert lesson_status(opened=True, completed=False) is Status.IN_PROGRESS
    assert lesson_status(opened=True, completed=True) is Status.COMPLETED


def test_exports_write_a_status_as_its_words():
    assert [status.value for status in Status] == [
        "not started",
        "in progress",
        "completed",
        "passed",
    ]
    assert f"{Status.IN_PROGRESS}" == "in progress"

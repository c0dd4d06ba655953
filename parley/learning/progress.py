"""Record and read per-account lesson progress; takes a session, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from parley.db import run_statement
from parley.models import LessonProgress, utcnow

_STATE_COLUMNS = (
    LessonProgress.course_id,
    LessonProgress.lesson_id,
    LessonProgress.first_opened_at,
    LessonProgress.last_opened_at,
    LessonProgress.completed_at,
)
_ONE_STATE = select(*_STATE_COLUMNS).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.course_id == bindparam("course_id"),
    LessonProgress.lesson_id == bindparam("lesson_id"),
)
_ALL_STATES = select(*_STATE_COLUMNS).where(LessonProgress.user_id == bindparam("user_id"))
_COURSE_STATES = _ALL_STATES.where(LessonProgress.course_id == bindparam("course_id"))


@dataclass(frozen=True)
class LessonState:
    lesson_id: str
    first_opened_at: datetime
    last_opened_at: datetime
    completed_at: datetime | None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


def _row(session: Session, user_id: int, course_id: str, lesson_id: str) -> LessonProgress | None:
    return session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id,
            LessonProgress.course_id == course_id,
            LessonProgress.lesson_id == lesson_id,
        )
    )


def _ensure_row(
    session: Session, user_id: int, course_id: str, lesson_id: str, now: datetime
) -> LessonProgress:
    row = _row(session, user_id, course_id, lesson_id)
    if row is None:
        row = LessonProgress(
            user_id=user_id,
            course_id=course_id,
            lesson_id=lesson_id,
            first_opened_at=now,
            last_opened_at=now,
        )
        session.add(row)
    return row


OPENED_RESOLUTION = timedelta(minutes=5)


def record_lesson_opened(
    session: Session, user_id: int, course_id: str, lesson_id: str, now: datetime | None = None
) -> LessonState:
    """Note that the lesson was opened (to the nearest five minutes); return its state."""
    # Most openings fall within five minutes of the last and need one read and no write.
    now = now or utcnow()
    found = run_statement(
        session, _ONE_STATE, user_id=user_id, course_id=course_id, lesson_id=lesson_id
    ).first()
    if found is not None and now - found.last_opened_at < OPENED_RESOLUTION:
        return LessonState(lesson_id, *found[2:])
    row = _ensure_row(session, user_id, course_id, lesson_id, now)
    if now - row.last_opened_at >= OPENED_RESOLUTION:
        row.last_opened_at = now
    return LessonState(lesson_id, row.first_opened_at, row.last_opened_at, row.completed_at)


def mark_lesson_complete(
    session: Session, user_id: int, course_id: str, lesson_id: str, now: datetime | None = None
) -> None:
    """Mark a lesson completed; the first completion time is kept."""
    now = now or utcnow()
    row = _ensure_row(session, user_id, course_id, lesson_id, now)
    row.last_opened_at = now
    if row.completed_at is None:
        row.completed_at = now


def lesson_states(session: Session, user_id: int, course_id: str | None = None) -> dict:
    """Return {(course_id, lesson_id): LessonState} for one account."""
    if course_id is None:
        rows = run_statement(session, _ALL_STATES, user_id=user_id)
    else:
        rows = run_statement(session, _COURSE_STATES, user_id=user_id, course_id=course_id)
    return {
        (course, lesson): LessonState(lesson, first, last, completed)
        for course, lesson, first, last, completed in rows
    }

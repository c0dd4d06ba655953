"""Record and read per-account lesson progress; takes a session, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.models import LessonProgress, utcnow


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
    now = now or utcnow()
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
    query = select(LessonProgress).where(LessonProgress.user_id == user_id)
    if course_id is not None:
        query = query.where(LessonProgress.course_id == course_id)
    return {
        (row.course_id, row.lesson_id): LessonState(
            row.lesson_id, row.first_opened_at, row.last_opened_at, row.completed_at
        )
        for row in session.scalars(query)
    }

"""Database rows: accounts and per-account progress, keyed by stable content ids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("learner", "instructor")


def utcnow() -> datetime:
    """Return the current UTC time without tzinfo, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The reader's own IANA time zone ("Europe/Berlin"); None follows the cohort's, or UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # When the account switched reminder e-mails off; None: reminders are on.
    reminders_off_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AccountSession(Base):
    """One signed-in browser: log-out deletes its row, and a row idle too long is refused."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the random token the signed cookie carries, so a copy of the table opens
    # no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Indexed: each log-in deletes every account's idle sessions by it.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "Remember me": the session lasts until then, however idle; None: the idle timeout.
    remembered_until: Mapped[datetime | None] = mapped_column(nullable=True)


class FailedAttempt(Base):
    """A wrong password or join code, counted by throttles that every worker shares."""

    __tablename__ = "failed_attempt"
    __table_args__ = (
        Index("ix_failed_attempt_address", "kind", "address", "failed_at"),
        Index("ix_failed_attempt_account", "kind", "account", "failed_at"),
        Index("ix_failed_attempt_time", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "login" or "join-code"
    address: Mapped[str] = mapped_column(String(64))
    # The normalised e-mail tried, known or not; "" where no account is named.
    account: Mapped[str] = mapped_column(String(320), default="")
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonProgress(Base):
    """One account's history with one lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "lesson_id", name="uq_lesson_progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(80))
    lesson_id: Mapped[str] = mapped_column(String(80))
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


Index("ix_lesson_progress_user_last_opened", LessonProgress.user_id, LessonProgress.last_opened_at)


class QuestionVersion(Base):
    """A snapshot of a question as it was shown, keyed by its content fingerprint."""

    __tablename__ = "question_version"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(80))
    quiz_id: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(80))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    """One submitted quiz attempt; submitting the same form twice finds this row again."""

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_token", name="uq_attempt_submission"),
        # An account's attempts at a quiz, newest first, without a sort.
        Index("ix_attempt_user_quiz_time", "user_id", "course_id", "quiz_id", "submitted_at"),
        Index("ix_attempt_course_quiz", "course_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(80))
    quiz_id: Mapped[str] = mapped_column(String(80))
    module_id: Mapped[str | None] = mapped_column(String(80))
    quiz_version: Mapped[str] = mapped_column(String(32))
    submission_token: Mapped[str] = mapped_column(String(64))
    score: Mapped[float]
    pass_mark: Mapped[float]
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(Base):
    """One response within an attempt, with the graded result as it was shown."""

    __tablename__ = "answer"
    __table_args__ = (
        Index("ix_answer_question", "question_id"),
        # Covers the cohort's weak objectives without reading the wide result column.
        Index("ix_answer_attempt_question_score", "attempt_id", "question_id", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(String(80))
    question_version_id: Mapped[str] = mapped_column(ForeignKey("question_version.id"))
    response: Mapped[list[str]] = mapped_column(JSON)
    confidence: Mapped[str | None] = mapped_column(String(10))
    score: Mapped[float]
    correct: Mapped[bool]
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The order each group of choices was shown in, by part id; None for attempts stored
    # before orders were shuffled, which saw the authored order.
    shown: Mapped[dict[str, list[str]] | None] = mapped_column(JSON, nullable=True)


class Cohort(Base):
    """A workshop group owned by one instructor."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(2000), default="")
    workshop_date: Mapped[date]
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    invite_token: Mapped[str] = mapped_column(String(64), unique=True)
    joining_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where the workshop is held (IANA name); due dates are judged there. None: UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_membership"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class CohortBlock(Base):
    """A removed member who may not rejoin until the instructor allows them back."""

    __tablename__ = "cohort_block"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    blocked_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """A module a cohort must finish by a due date."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("cohort_id", "course_id", "module_id", name="uq_assignment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(80))
    module_id: Mapped[str] = mapped_column(String(80))
    due_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DueDateOverride(Base):
    """A later due date for one learner on one assignment."""

    __tablename__ = "due_date_override"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id", name="uq_due_override"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    due_date: Mapped[date]


class ReminderSent(Base):
    """A reminder e-mail the mail server accepted, for one learner, assignment and due date:
    never sent twice, and a later (extended) due date earns a new one."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("user_id", "assignment_id", "due_on", name="uq_reminder_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class CohortSummarySent(Base):
    """The day (in the cohort's zone) an instructor was sent a cohort's summary: one a day."""

    __tablename__ = "cohort_summary_sent"
    __table_args__ = (
        UniqueConstraint("cohort_id", "instructor_id", "sent_on", name="uq_cohort_summary"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    sent_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingSignUp(Base):
    """A sign-up waiting for its e-mail address to be confirmed (only when mail is
    configured): the account is created when the link is followed."""

    __tablename__ = "pending_sign_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random token in the confirmation link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The cohort whose invitation or join code came with the sign-up, joined on confirming.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), nullable=True
    )
    next_path: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

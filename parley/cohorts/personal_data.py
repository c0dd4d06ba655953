"""One account's data as one JSON-ready dict: the "download my data" file.

It holds the profile (with whether reminders are switched off), lesson progress, attempts with
their answers, cohorts joined, the reminder e-mails sent and signed-in browsers. Left out:
each answer's stored result (the graded feedback as shown, large and rebuilt from the
question) and shown order, failed log-in records (security records, kept briefly), and the
instructor's records about the learner (due-date extensions, blocks).

It lives in cohorts because that is the lowest layer that may read an account's records in
accounts, learning and cohorts alike. Seven statements, whatever the number of attempts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from parley.accounts.time_zones import as_utc
from parley.models import (
    AccountSession,
    Answer,
    Assignment,
    Attempt,
    Cohort,
    LessonProgress,
    Membership,
    ReminderSent,
    User,
)

FORMAT = "parley-personal-data/1"


def _iso(moment: datetime | None) -> str | None:
    """A stored naive-UTC time as ISO 8601 with its offset ("2026-11-30T03:15:43+00:00")."""
    return None if moment is None else as_utc(moment).isoformat(timespec="seconds")


def _answers_by_attempt(session: Session, user_id: int) -> dict[int, list[dict[str, Any]]]:
    """Every answer of this account's attempts, by attempt id, in the order shown; without the
    stored result (the graded feedback, rebuilt from the question) or the shown order."""
    rows = session.scalars(
        select(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.user_id == user_id)
        .options(
            load_only(
                Answer.attempt_id,
                Answer.position,
                Answer.question_id,
                Answer.response,
                Answer.confidence,
                Answer.score,
                Answer.correct,
            )
        )
        .order_by(Answer.attempt_id, Answer.position)
    )
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in rows:
        answers.setdefault(answer.attempt_id, []).append(
            {
                "question": answer.question_id,
                "response": list(answer.response or []),
                "confidence": answer.confidence,
                "score": answer.score,
                "correct": answer.correct,
            }
        )
    return answers


def personal_data(session: Session, user_id: int, *, now: datetime) -> dict[str, Any]:
    """The account's profile, lesson progress, attempts with answers, cohorts, reminders sent
    and signed-in browsers; raise LookupError if the account does not exist."""
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"no account {user_id}")
    progress = session.scalars(
        select(LessonProgress)
        .where(LessonProgress.user_id == user_id)
        .order_by(LessonProgress.first_opened_at, LessonProgress.id)
    )
    attempts = session.scalars(
        select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.submitted_at, Attempt.id)
    ).all()
    answers = _answers_by_attempt(session, user_id)
    cohorts = session.execute(
        select(Cohort.name, Cohort.workshop_date, Cohort.time_zone, Membership.joined_at)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.joined_at, Cohort.id)
    )
    reminders = session.execute(
        select(
            Assignment.course_id, Assignment.module_id, ReminderSent.due_on, ReminderSent.sent_at
        )
        .join(Assignment, Assignment.id == ReminderSent.assignment_id)
        .where(ReminderSent.user_id == user_id)
        .order_by(ReminderSent.sent_at, ReminderSent.id)
    )
    browsers = session.scalars(
        select(AccountSession)
        .where(AccountSession.user_id == user_id)
        .order_by(AccountSession.created_at, AccountSession.id)
    )
    return {
        "format": FORMAT,
        "exported_at": _iso(now),
        "profile": {
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "created_at": _iso(user.created_at),
            "time_zone": user.time_zone,
            "reminders_off_at": _iso(user.reminders_off_at),
        },
        "lesson_progress": [
            {
                "course": row.course_id,
                "lesson": row.lesson_id,
                "first_opened_at": _iso(row.first_opened_at),
                "last_opened_at": _iso(row.last_opened_at),
                "completed_at": _iso(row.completed_at),
            }
            for row in progress
        ],
        "attempts": [
            {
                "course": attempt.course_id,
                "quiz": attempt.quiz_id,
                "module": attempt.module_id,
                "quiz_version": attempt.quiz_version,
                "submitted_at": _iso(attempt.submitted_at),
                "score": attempt.score,
                "pass_mark": attempt.pass_mark,
                "passed": attempt.passed,
                "answers": answers.get(attempt.id, []),
            }
            for attempt in attempts
        ],
        "cohorts": [
            {
                "name": row.name,
                "workshop_date": row.workshop_date.isoformat(),
                "time_zone": row.time_zone,
                "joined_at": _iso(row.joined_at),
            }
            for row in cohorts
        ],
        "reminders_sent": [
            {
                "course": row.course_id,
                "module": row.module_id,
                "due_on": row.due_on.isoformat(),
                "sent_at": _iso(row.sent_at),
            }
            for row in reminders
        ],
        "signed_in_browsers": [
            {
                "user_agent": row.user_agent,
                "logged_in_at": _iso(row.created_at),
                "last_seen_at": _iso(row.last_seen_at),
                "remembered_until": _iso(row.remembered_until),
            }
            for row in browsers
        ],
    }

"""CSV and xAPI exports of a cohort; CSV cells are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.cohorts.readiness import Readiness
from parley.models import Answer, Attempt, LessonProgress, Membership, User

MATRIX_COLUMNS = [
    "learner_name",
    "learner_email",
    "course_id",
    "module_id",
    "module_title",
    "due_date",
    "status",
    "lessons_completed",
    "lessons_total",
    "best_score_percent",
    "overdue",
    "module_ready",
    "learner_ready",
]
ANSWER_COLUMNS = [
    "learner_name",
    "learner_email",
    "attempt_id",
    "course_id",
    "quiz_id",
    "submitted_at",
    "question_position",
    "question_id",
    "question_version",
    "response",
    "score",
    "correct",
    "confidence",
    "rule_ids",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers stay numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def to_csv(columns: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def matrix_rows(readiness: Readiness) -> list[list[Any]]:
    """One row per learner and assigned module, with what the dashboard shows."""
    rows = []
    for learner in readiness.rows:
        for column, cell in zip(readiness.columns, learner.cells, strict=True):
            rows.append(
                [
                    learner.member.name,
                    learner.member.email,
                    column.course.id,
                    column.module.id,
                    column.module.title,
                    cell.due.isoformat(),
                    cell.status,
                    cell.lessons_done,
                    cell.lessons_total,
                    cell.best_percent,
                    cell.overdue,
                    cell.ready,
                    learner.ready,
                ]
            )
    return rows


def _answer_query(cohort_id: int):
    return (
        select(User.name, User.email, Attempt, Answer)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(User, Attempt.user_id == User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(User.name, User.id, Attempt.submitted_at, Attempt.id, Answer.position)
    )


def answer_rows(session: Session, cohort_id: int) -> list[list[Any]]:
    """One row per learner x question x attempt."""
    rows = []
    for name, email, attempt, answer in session.execute(_answer_query(cohort_id)):
        rules = sorted({v["rule"] for v in answer.result.get("verdicts", []) if v.get("rule")})
        rows.append(
            [
                name,
                email,
                attempt.id,
                attempt.course_id,
                attempt.quiz_id,
                attempt.submitted_at.isoformat(timespec="seconds") + "Z",
                answer.position,
                answer.question_id,
                answer.question_version_id,
                "|".join(answer.response),
                round(answer.score, 4),
                answer.correct,
                answer.confidence or "",
                " ".join(rules),
            ]
        )
    return rows


VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def _actor(name: str, email: str) -> dict[str, Any]:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}


def _verb(verb: str) -> dict[str, Any]:
    return {"id": VERBS[verb], "display": {"en": verb}}


def xapi_statements(session: Session, cohort_id: int, base_url: str) -> list[dict[str, Any]]:
    """Statements for completed lessons, passed modules and answered questions."""
    base = base_url.rstrip("/")
    statements: list[dict[str, Any]] = []
    lessons = session.execute(
        select(User.name, User.email, LessonProgress)
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, LessonProgress.completed_at.is_not(None))
        .order_by(LessonProgress.completed_at)
    )
    for name, email, row in lessons:
        statements.append(
            {
                "actor": _actor(name, email),
                "verb": _verb("completed"),
                "object": {
                    "objectType": "Activity",
                    "id": f"{base}/courses/{row.course_id}/lessons/{row.lesson_id}",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/lesson"},
                },
                "result": {"completion": True},
                "timestamp": _timestamp(row.completed_at),
            }
        )
    first_passes: dict[tuple[int, str, str], Attempt] = {}
    answered = []
    for name, email, attempt, answer in session.execute(_answer_query(cohort_id)):
        if attempt.passed and attempt.module_id:
            key = (attempt.user_id, attempt.course_id, attempt.module_id)
            first_passes.setdefault(key, (name, email, attempt))
        rules = sorted({v["rule"] for v in answer.result.get("verdicts", []) if v.get("rule")})
        answered.append(
            {
                "actor": _actor(name, email),
                "verb": _verb("answered"),
                "object": {
                    "objectType": "Activity",
                    "id": f"{base}/courses/{attempt.course_id}/quizzes/{attempt.quiz_id}"
                    f"/questions/{answer.question_id}",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"},
                },
                "result": {
                    "response": "[,]".join(answer.response),
                    "score": {
                        "scaled": round(answer.score, 4),
                        "raw": round(answer.score, 4),
                        "min": 0,
                        "max": 1,
                    },
                    "success": answer.correct,
                    "extensions": {
                        f"{base}/xapi/extensions/rule-ids": rules,
                        f"{base}/xapi/extensions/confidence": answer.confidence,
                        f"{base}/xapi/extensions/question-version": answer.question_version_id,
                    },
                },
                "context": {
                    "registration": None,
                    "extensions": {f"{base}/xapi/extensions/attempt-id": attempt.id},
                },
                "timestamp": _timestamp(attempt.submitted_at),
            }
        )
    for name, email, attempt in first_passes.values():
        statements.append(
            {
                "actor": _actor(name, email),
                "verb": _verb("passed"),
                "object": {
                    "objectType": "Activity",
                    "id": f"{base}/courses/{attempt.course_id}/modules/{attempt.module_id}",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/module"},
                },
                "result": {"score": {"scaled": round(attempt.score, 4)}, "success": True},
                "timestamp": _timestamp(attempt.submitted_at),
            }
        )
    return statements + answered

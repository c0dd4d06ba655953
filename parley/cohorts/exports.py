"""CSV and xAPI exports of a cohort; CSV cells are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.cohorts.readiness import Readiness
from parley.grading.kinds import QuestionKind, stored_kind
from parley.models import Answer, Attempt, LessonProgress, Membership, QuestionVersion, User

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
    "positions_shown",
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


def _answers(session: Session, cohort_id: int) -> list[tuple[str, str, Attempt, Answer]]:
    """(name, email, attempt, answer) of every answer the cohort's members gave, in order."""
    query = (
        select(User.name, User.email, Attempt, Answer)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(User, Attempt.user_id == User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(User.name, User.id, Attempt.submitted_at, Attempt.id, Answer.position)
    )
    return [tuple(row) for row in session.execute(query)]


@dataclass(frozen=True)
class AnsweredVersion:
    """A question version answered, as stored: its kind and its snapshot."""

    kind: QuestionKind
    snapshot: dict[str, Any]

    def positions_shown(self, answer: Answer) -> list[int | None] | None:
        """Where each chosen item was shown in its group (None: stored before orders were)."""
        if answer.shown is None:
            return None
        return self.kind.positions_shown(self.snapshot, answer.response, answer.shown)


def _versions(session: Session, answers) -> dict[str, AnsweredVersion]:
    """Each question version answered, from its stored snapshot."""
    version_ids = {answer.question_version_id for *_, answer in answers}
    if not version_ids:
        return {}
    snapshots = session.execute(
        select(QuestionVersion.id, QuestionVersion.snapshot).where(
            QuestionVersion.id.in_(version_ids)
        )
    )
    return {
        version_id: AnsweredVersion(stored_kind(snapshot.get("kind", "")), snapshot)
        for version_id, snapshot in snapshots
    }


def _places_text(places: list[int | None] | None) -> str:
    return "" if places is None else "|".join("" if p is None else str(p) for p in places)


def rule_ids(answer: Answer) -> list[str]:
    """The rules an answer's feedback cited, sorted."""
    return sorted({v["rule"] for v in answer.result.get("verdicts", []) if v.get("rule")})


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def answer_rows(session: Session, cohort_id: int) -> list[list[Any]]:
    """One row per learner x question x attempt."""
    answers = _answers(session, cohort_id)
    versions = _versions(session, answers)
    return [
        [
            name,
            email,
            attempt.id,
            attempt.course_id,
            attempt.quiz_id,
            _timestamp(attempt.submitted_at),
            answer.position,
            answer.question_id,
            answer.question_version_id,
            versions[answer.question_version_id].kind.export_text(answer.response),
            round(answer.score, 4),
            answer.correct,
            answer.confidence or "",
            " ".join(rule_ids(answer)),
            _places_text(versions[answer.question_version_id].positions_shown(answer)),
        ]
        for name, email, attempt, answer in answers
    ]


VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}


def _statement(name: str, email: str, verb: str, activity: str, kind: str, **rest) -> dict:
    """An xAPI statement: this learner did verb to the activity at address activity."""
    return {
        "actor": {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"},
        "verb": {"id": VERBS[verb], "display": {"en": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"type": f"http://adlnet.gov/expapi/activities/{kind}"},
        },
        **rest,
    }


def _completed_lessons(session: Session, cohort_id: int, base: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(User.name, User.email, LessonProgress)
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, LessonProgress.completed_at.is_not(None))
        .order_by(LessonProgress.completed_at)
    )
    return [
        _statement(
            name,
            email,
            "completed",
            f"{base}/courses/{row.course_id}/lessons/{row.lesson_id}",
            "lesson",
            result={"completion": True},
            timestamp=_timestamp(row.completed_at),
        )
        for name, email, row in rows
    ]


def _answered(answers, versions: dict[str, AnsweredVersion], base: str) -> list[dict[str, Any]]:
    statements = []
    for name, email, attempt, answer in answers:
        score = round(answer.score, 4)
        activity = (
            f"{base}/courses/{attempt.course_id}/quizzes/{attempt.quiz_id}"
            f"/questions/{answer.question_id}"
        )
        result = {
            "response": versions[answer.question_version_id].kind.xapi_response(answer.response),
            "score": {"scaled": score, "raw": score, "min": 0, "max": 1},
            "success": answer.correct,
            "extensions": {
                f"{base}/xapi/extensions/rule-ids": rule_ids(answer),
                f"{base}/xapi/extensions/confidence": answer.confidence,
                f"{base}/xapi/extensions/question-version": answer.question_version_id,
                f"{base}/xapi/extensions/positions-shown": versions[
                    answer.question_version_id
                ].positions_shown(answer),
            },
        }
        context = {
            "registration": None,
            "extensions": {f"{base}/xapi/extensions/attempt-id": attempt.id},
        }
        statements.append(
            _statement(
                name,
                email,
                "answered",
                activity,
                "cmi.interaction",
                result=result,
                context=context,
                timestamp=_timestamp(attempt.submitted_at),
            )
        )
    return statements


def _first_passes(answers, base: str) -> list[dict[str, Any]]:
    """Each member's first passing attempt at each module quiz."""
    first: dict[tuple[int, str, str], tuple[str, str, Attempt]] = {}
    for name, email, attempt, _answer in answers:
        if attempt.passed and attempt.module_id:
            key = (attempt.user_id, attempt.course_id, attempt.module_id)
            first.setdefault(key, (name, email, attempt))
    return [
        _statement(
            name,
            email,
            "passed",
            f"{base}/courses/{attempt.course_id}/modules/{attempt.module_id}",
            "module",
            result={"score": {"scaled": round(attempt.score, 4)}, "success": True},
            timestamp=_timestamp(attempt.submitted_at),
        )
        for name, email, attempt in first.values()
    ]


def xapi_statements(session: Session, cohort_id: int, base_url: str) -> list[dict[str, Any]]:
    """Statements for completed lessons, passed modules and answered questions."""
    base = base_url.rstrip("/")
    answers = _answers(session, cohort_id)
    versions = _versions(session, answers)
    return (
        _completed_lessons(session, cohort_id, base)
        + _first_passes(answers, base)
        + _answered(answers, versions, base)
    )

"""Record quiz attempts and read them back; takes a session, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from parley.content.model import Quiz
from parley.grading import Question, QuestionResult, Response
from parley.grading.quiz import QuizResult
from parley.models import Answer, Attempt, QuestionVersion, utcnow


def question_snapshot(question: Question) -> dict[str, Any]:
    """What the learner saw of a question, enough to show a review without the content file."""
    return {
        "id": question.id,
        "kind": question.kind,
        "objectives": list(question.objectives),
        "scenario_html": question.scenario_html,
        "prompt": question.prompt,
        "options": [{"id": o.strategy_id, "label": o.label} for o in question.options],
        "steps": [
            {
                "id": s.id,
                "situation_html": s.situation_html,
                "prompt": s.prompt,
                "options": [
                    {"id": o.strategy_id, "label": o.label, "next": o.next_step} for o in s.options
                ],
            }
            for s in question.steps
        ],
    }


def result_record(result: QuestionResult, lesson_titles: dict[str, str]) -> dict[str, Any]:
    """The graded result as stored, so later content edits never rewrite a review."""
    return {
        "summary": result.summary,
        "key": list(result.key),
        "verdicts": [
            {
                "option": v.strategy_id,
                "label": v.label,
                "chosen": v.chosen,
                "verdict": v.verdict,
                "rule": v.rule_id,
                "reason": v.reason,
                "note": v.note,
                "step": v.step_id,
                "lesson": v.teaches.lesson_id,
                "anchor": v.teaches.anchor,
                "lesson_title": lesson_titles.get(v.teaches.lesson_id, v.teaches.lesson_id),
            }
            for v in result.verdicts
        ],
    }


def find_attempt_by_token(session: Session, user_id: int, token: str) -> int | None:
    """Return the id of the account's attempt sent with this submission token, if any."""
    return session.scalar(
        select(Attempt.id).where(Attempt.user_id == user_id, Attempt.submission_token == token)
    )


def _ensure_versions(session: Session, quiz: Quiz) -> None:
    """Store each question's snapshot once, even when many learners submit at the same moment."""
    wanted = quiz.question_versions
    stored = set(
        session.scalars(select(QuestionVersion.id).where(QuestionVersion.id.in_(wanted.values())))
    )
    missing = [q for q in quiz.questions if wanted[q.id] not in stored]
    if not missing:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    session.execute(
        insert(QuestionVersion)
        .values(
            [
                {
                    "id": wanted[question.id],
                    "course_id": quiz.course_id,
                    "quiz_id": quiz.id,
                    "question_id": question.id,
                    "snapshot": question_snapshot(question),
                    "created_at": now,
                }
                for question in missing
            ]
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )


def record_attempt(
    session: Session,
    *,
    user_id: int,
    quiz: Quiz,
    token: str,
    graded: QuizResult,
    responses: dict[str, Response],
    lesson_titles: dict[str, str],
    now: datetime | None = None,
) -> int:
    """Store an attempt with every answer and the question versions it answered; return its id."""
    _ensure_versions(session, quiz)
    attempt = Attempt(
        user_id=user_id,
        course_id=quiz.course_id,
        quiz_id=quiz.id,
        module_id=quiz.module_id,
        quiz_version=quiz.version,
        submission_token=token,
        score=graded.score,
        pass_mark=quiz.pass_mark,
        passed=graded.passed,
        submitted_at=now or utcnow(),
    )
    session.add(attempt)
    session.flush()
    session.execute(
        insert(Answer),
        [
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_id": question.id,
                "question_version_id": quiz.question_versions[question.id],
                "response": list(responses[question.id].choices),
                "confidence": responses[question.id].confidence,
                "score": result.score,
                "correct": result.correct,
                "result": result_record(result, lesson_titles),
            }
            for position, (question, result) in enumerate(
                zip(quiz.questions, graded.results, strict=True), start=1
            )
        ],
    )
    return attempt.id


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    quiz_id: str
    score: float
    passed: bool
    submitted_at: datetime

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def attempts_for(
    session: Session,
    user_id: int,
    course_id: str,
    quiz_id: str | None = None,
    limit: int | None = None,
) -> list[AttemptSummary]:
    """Return the account's attempts in a course (one quiz if given), newest first."""
    query = select(
        Attempt.id, Attempt.quiz_id, Attempt.score, Attempt.passed, Attempt.submitted_at
    ).where(Attempt.user_id == user_id, Attempt.course_id == course_id)
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    query = query.order_by(Attempt.submitted_at.desc(), Attempt.id.desc()).limit(limit)
    return [AttemptSummary(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class QuizRecord:
    """An account's record at one quiz: how many attempts, best and latest score, passed."""

    quiz_id: str
    attempts: int
    best: float
    latest: float
    passed: bool


def quiz_records(
    session: Session, user_id: int, course_id: str, quiz_id: str | None = None
) -> dict[str, QuizRecord]:
    """Return the account's record at each quiz of a course it has tried, in two statements."""
    query = (
        select(
            Attempt.quiz_id,
            func.count(),
            func.max(Attempt.score),
            func.max(case((Attempt.passed, 1), else_=0)),
            func.max(Attempt.id),
        )
        .where(Attempt.user_id == user_id, Attempt.course_id == course_id)
        .group_by(Attempt.quiz_id)
    )
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    totals = session.execute(query).all()
    if not totals:
        return {}
    latest_ids = [latest_id for *_, latest_id in totals]
    latest = dict(
        session.execute(select(Attempt.id, Attempt.score).where(Attempt.id.in_(latest_ids))).all()
    )
    return {
        quiz: QuizRecord(quiz, count, best, latest[latest_id], bool(passed))
        for quiz, count, best, passed, latest_id in totals
    }


@dataclass(frozen=True)
class StoredAnswer:
    position: int
    question_id: str
    snapshot: dict[str, Any]
    response: list[str]
    confidence: str | None
    score: float
    correct: bool
    result: dict[str, Any]


def attempt_with_answers(
    session: Session, user_id: int, attempt_id: int
) -> tuple[Attempt, list[StoredAnswer]] | None:
    """Return one of the account's attempts with its answers, or None if not theirs."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return None
    rows = session.execute(
        select(Answer, QuestionVersion.snapshot)
        .join(QuestionVersion, Answer.question_version_id == QuestionVersion.id)
        .where(Answer.attempt_id == attempt_id)
        .order_by(Answer.position)
    )
    answers = [
        StoredAnswer(
            a.position,
            a.question_id,
            snapshot,
            a.response,
            a.confidence,
            a.score,
            a.correct,
            a.result,
        )
        for a, snapshot in rows
    ]
    return attempt, answers


@dataclass(frozen=True)
class LatestAnswer:
    question_id: str
    objectives: tuple[str, ...]
    score: float
    correct: bool
    confidence: str | None


def latest_answers(session: Session, user_id: int, course_id: str) -> list[LatestAnswer]:
    """Return the account's most recent answer to each question of a course.

    An attempt answers every question of its quiz, so the latest attempt at each quiz holds
    the latest answers; only those rows are read, however many attempts came before.
    """
    latest_attempts = (
        select(func.max(Attempt.id))
        .where(Attempt.user_id == user_id, Attempt.course_id == course_id)
        .group_by(Attempt.quiz_id)
    )
    rows = session.execute(
        select(
            Answer.question_id,
            Answer.score,
            Answer.correct,
            Answer.confidence,
            QuestionVersion.snapshot,
        )
        .join(QuestionVersion, Answer.question_version_id == QuestionVersion.id)
        .where(Answer.attempt_id.in_(latest_attempts))
        .order_by(Answer.attempt_id, Answer.position)
    )
    latest: dict[str, LatestAnswer] = {}
    for question_id, score, correct, confidence, snapshot in rows:
        latest[question_id] = LatestAnswer(
            question_id, tuple(snapshot.get("objectives", ())), score, correct, confidence
        )
    return list(latest.values())

"""Seed a benchmark database: 1,000 learners, a cohort of 500 with every module assigned,
lesson progress and a few graded attempts each. Bulk inserts keep it quick."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, text
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from parley.content import Library
from parley.grading import Response
from parley.grading.quiz import grade_quiz
from parley.learning.stored import question_snapshot, result_record
from parley.models import (
    Answer,
    Assignment,
    Attempt,
    Cohort,
    LessonProgress,
    Membership,
    QuestionVersion,
    User,
    utcnow,
)

LEARNERS = 1000
COHORT_SIZE = 500
PASSWORD = "bench-password-123"
COURSE = "impasse"


def _advance_sequences(session: Session, tables: list[str]) -> None:
    """Rows inserted with explicit ids leave PostgreSQL's id sequences behind; catch them up."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        session.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))


def seed(session: Session, library: Library) -> dict:
    rng = random.Random(8)
    now = utcnow()
    course = library.course(COURSE)
    quizzes = library.quizzes(COURSE)
    book = quizzes.rulebook
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    users = [
        {
            "email": "instructor@bench.example",
            "name": "Bench Instructor",
            "role": "instructor",
            "password_hash": password_hash,
            "created_at": now,
        }
    ]
    users += [
        {
            "email": f"learner{n}@bench.example",
            "name": f"Learner {n:04d}",
            "role": "learner",
            "password_hash": password_hash,
            "created_at": now,
        }
        for n in range(LEARNERS)
    ]
    session.execute(insert(User), users)
    session.execute(
        insert(Cohort),
        [
            {
                "id": 1,
                "owner_id": 1,
                "name": "Bench cohort",
                "description": "",
                "workshop_date": date.today() + timedelta(days=7),
                "join_code": "BENCH234",
                "invite_token": "bench-invite",
                "joining_open": True,
                "created_at": now,
            }
        ],
    )
    session.execute(
        insert(Assignment),
        [
            {
                "cohort_id": 1,
                "course_id": COURSE,
                "module_id": m.id,
                "due_date": date.today() + timedelta(days=n),
                "created_at": now,
            }
            for n, m in enumerate(course.modules)
        ],
    )
    session.execute(
        insert(Membership),
        [{"cohort_id": 1, "user_id": 2 + n, "joined_at": now} for n in range(COHORT_SIZE)],
    )
    progress = []
    for n in range(LEARNERS):
        for lesson in course.lessons[: rng.randint(0, len(course.lessons))]:
            progress.append(
                {
                    "user_id": 2 + n,
                    "course_id": COURSE,
                    "lesson_id": lesson.id,
                    "first_opened_at": now,
                    "last_opened_at": now,
                    "completed_at": now,
                }
            )
    session.execute(insert(LessonProgress), progress)

    titles = {lesson.id: lesson.title for lesson in course.lessons}
    graded_sets = []  # a handful of pre-graded answer sets to reuse across learners
    for quiz in quizzes.quizzes:
        for variant in range(3):
            responses = {}
            for question in quiz.questions:
                key = quiz.keys[question.id].answer
                responses[question.id] = Response(tuple(key), "sure")
            if variant:  # a worse variant: one question wrong per variant
                question = quiz.questions[variant]
                wrong = [
                    o.strategy_id
                    for o in question.options
                    if o.strategy_id not in quiz.keys[question.id].answer
                ][:1]
                if question.kind == "best" and wrong:
                    responses[question.id] = Response(tuple(wrong), "unsure")
            graded = grade_quiz(book, quiz.questions, responses, quiz.pass_mark, quiz.keys)
            graded_sets.append((quiz, responses, graded))
    session.execute(
        insert(QuestionVersion),
        [
            {
                "id": quiz.question_versions[q.id],
                "course_id": COURSE,
                "quiz_id": quiz.id,
                "question_id": q.id,
                "snapshot": question_snapshot(q, book),
                "created_at": now,
            }
            for quiz in quizzes.quizzes
            for q in quiz.questions
        ],
    )
    attempt_id = 0
    attempts, answers = [], []
    for n in range(LEARNERS):
        for quiz, responses, graded in rng.sample(graded_sets, 3):
            attempt_id += 1
            attempts.append(
                {
                    "id": attempt_id,
                    "user_id": 2 + n,
                    "course_id": COURSE,
                    "quiz_id": quiz.id,
                    "module_id": quiz.module_id,
                    "quiz_version": quiz.version,
                    "submission_token": f"seed-{attempt_id:08d}-xxxxxxxx",
                    "score": graded.score,
                    "pass_mark": quiz.pass_mark,
                    "passed": graded.passed,
                    "submitted_at": now,
                }
            )
            for position, (question, result) in enumerate(
                zip(quiz.questions, graded.results, strict=True), start=1
            ):
                answers.append(
                    {
                        "attempt_id": attempt_id,
                        "position": position,
                        "question_id": question.id,
                        "question_version_id": quiz.question_versions[question.id],
                        "response": list(responses[question.id].choices),
                        "confidence": "sure",
                        "score": result.score,
                        "correct": result.correct,
                        "result": result_record(result, titles),
                    }
                )
    session.execute(insert(Attempt), attempts)
    for start in range(0, len(answers), 5000):
        session.execute(insert(Answer), answers[start : start + 5000])
    _advance_sequences(session, ["cohort", "attempt"])
    session.commit()
    return {
        "learners": LEARNERS,
        "cohort": COHORT_SIZE,
        "attempts": len(attempts),
        "answers": len(answers),
    }

"""The cohort dashboard's cost does not grow with the cohort."""

from datetime import date, timedelta

from sqlalchemy import event, insert, select

from parley.db import Database
from parley.extensions import db
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

MODULES = ["what-is-impasse", "strategies", "walkouts", "no-agreement"]


def add_learners(app, cohort_id: int, start: int, count: int) -> None:
    """Bulk-insert learners with lesson progress and two attempts each."""
    now = utcnow()
    with app.app_context():
        session = db.session
        if session.get(QuestionVersion, "v-demo") is None:
            session.add(
                QuestionVersion(
                    id="v-demo",
                    course_id="impasse",
                    quiz_id="walkouts",
                    question_id="demo-best",
                    snapshot={"objectives": ["emotions-or-issues"]},
                )
            )
        users = [
            {
                "email": f"l{n}@example.com",
                "name": f"Learner {n:04d}",
                "password_hash": "x",
                "role": "learner",
                "session_version": 1,
                "created_at": now,
            }
            for n in range(start, start + count)
        ]
        session.execute(insert(User), users)
        ids = [
            u.id for u in session.query(User).filter(User.email.in_([u["email"] for u in users]))
        ]
        session.execute(
            insert(Membership),
            [{"cohort_id": cohort_id, "user_id": i, "joined_at": now} for i in ids],
        )
        session.execute(
            insert(LessonProgress),
            [
                {
                    "user_id": i,
                    "course_id": "impasse",
                    "lesson_id": "reading-a-walkout",
                    "first_opened_at": now,
                    "last_opened_at": now,
                    "completed_at": now,
                }
                for i in ids
            ],
        )
        for user_id in ids:
            for n, score in enumerate((0.6, 1.0)):
                attempt = Attempt(
                    user_id=user_id,
                    course_id="impasse",
                    quiz_id="walkouts",
                    module_id="walkouts",
                    quiz_version="v",
                    pass_mark=0.8,
                    submission_token=f"token-{user_id}-{n}-xxxxxxxxxxxx",
                    score=score,
                    passed=score >= 0.8,
                    submitted_at=now,
                )
                session.add(attempt)
                session.flush()
                session.add(
                    Answer(
                        attempt_id=attempt.id,
                        position=1,
                        question_id="demo-best",
                        question_version_id="v-demo",
                        response=["apologise"],
                        confidence="sure",
                        score=score,
                        correct=score == 1.0,
                        result={"verdicts": []},
                    )
                )
        session.commit()


def count_statements(app, client, path: str) -> int:
    engine = Database.engine(app)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    return len(statements)


def test_dashboard_statements_do_not_grow_from_5_to_500_learners(quiz_app, make_user, login_as):
    owner = make_user(email="trainer@example.com", role="instructor")
    with quiz_app.app_context():
        cohort = Cohort(
            owner_id=owner,
            name="Big",
            workshop_date=date.today(),
            join_code="BIGBIG22",
            invite_token="big-token",
        )
        db.session.add(cohort)
        db.session.flush()
        for n, module in enumerate(MODULES):
            db.session.add(
                Assignment(
                    cohort_id=cohort.id,
                    course_id="impasse",
                    module_id=module,
                    due_date=date.today() + timedelta(days=n),
                )
            )
        db.session.commit()
        cohort_id = cohort.id
    client = login_as(quiz_app, "trainer@example.com")
    add_learners(quiz_app, cohort_id, 0, 5)
    with quiz_app.app_context():
        learner = db.session.scalar(select(User.id).where(User.email == "l0@example.com"))
    paths = [
        f"/instructor/cohorts/{cohort_id}",
        f"/instructor/cohorts/{cohort_id}/questions",
        f"/instructor/cohorts/{cohort_id}/export/matrix.csv",
        f"/instructor/cohorts/{cohort_id}/learners/{learner}",
    ]
    small = [count_statements(quiz_app, client, path) for path in paths]
    add_learners(quiz_app, cohort_id, 5, 495)
    large = [count_statements(quiz_app, client, path) for path in paths]
    assert small == large
    page = client.get(f"/instructor/cohorts/{cohort_id}").text
    # Each learner passed the walkouts quiz but finished no lesson of the other three modules.
    assert "<strong>0 of 500 ready</strong>" in page

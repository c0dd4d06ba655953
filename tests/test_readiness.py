"""The cohort dashboard's cost does not grow with the cohort."""

from datetime import date, timedelta

from sqlalchemy import select

from parley.extensions import db
from parley.models import User
from tests.factories import (
    add_learners,
    count_statements,
    create_account,
    log_in,
    make_cohort,
    text_of,
)

MODULES = ["what-is-impasse", "strategies", "walkouts", "no-agreement"]


def test_dashboard_statements_do_not_grow_from_5_to_500_learners(quiz_app):
    owner = create_account(quiz_app, "trainer@example.com", role="instructor")
    modules = {module: date.today() + timedelta(days=n) for n, module in enumerate(MODULES)}
    cohort_id = make_cohort(quiz_app, owner, name="Big", modules=modules).id
    client = log_in(quiz_app, "trainer@example.com")
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
    assert text_of(page, "p.summary-line") == (
        "0 of 500 ready — ready means every assigned module's quiz is passed."
    )

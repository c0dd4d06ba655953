"""`flask demo` fills a believable workshop, twice without duplicates, never over real data."""

import re

from sqlalchemy import func, select

from parley.extensions import db
from parley.models import Attempt, Cohort, Membership, User
from tests.factories import create_account, log_in


def counts(app) -> dict:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Cohort, Membership, Attempt)
        }


def test_demo_builds_a_workshop_and_prints_the_logins(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "instructor@demo.parley.example" in result.output
    assert result.output.count("learner ") == 12
    found = counts(app)
    assert found["User"] == 13 and found["Cohort"] == 1 and found["Membership"] == 12
    assert found["Attempt"] > 10
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    trainer = log_in(app, "instructor@demo.parley.example", "try-parley-demo")
    grid = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    shown = set(re.findall(r'<span class="cell-status">([a-z ]+)</span>', grid))
    assert {"not started", "in progress", "passed"} <= shown
    assert re.search(r'<td class="cell cell-[a-z-]+ cell-overdue">', grid)
    assert "Weak spots by objective" in grid
    analysis = trainer.get(f"/instructor/cohorts/{cohort_id}/questions").text
    shares = re.findall(r"<td>(\d+)%</td>", analysis)  # each question's share of right answers
    assert shares and any(share != "0" for share in shares)


def test_running_the_demo_twice_duplicates_nothing(app, runner):
    runner.invoke(args=["demo"])
    first = counts(app)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert counts(app) == first


def test_demo_refuses_a_database_with_real_accounts_unless_forced(app, runner):
    create_account(app, "real.person@example.com")
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1
    assert "holds 1 real account(s)" in refused.output and "--force" in refused.output
    assert counts(app)["User"] == 1
    forced = runner.invoke(args=["demo", "--force"])
    assert forced.exit_code == 0
    assert counts(app)["User"] == 14

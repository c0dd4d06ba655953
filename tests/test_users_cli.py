"""`flask users reset-password`, `list` and `delete`, through app.test_cli_runner()."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from parley.extensions import db
from parley.models import AccountSession, LessonProgress, Membership, User
from tests.factories import (
    PASSWORD,
    count,
    create_account,
    create_cohort_on_the_web,
    log_in,
)

NEW_PASSWORD = "a brand new passphrase"


def test_reset_password_reads_stdin_and_ends_every_session(app, runner):
    create_account(app, "ana@example.com")
    browser = log_in(app, "ana@example.com")
    log_in(app, "ana@example.com")
    result = runner.invoke(args=["users", "reset-password", "ANA@example.com"], input=NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.output == "new password set for ana@example.com; 2 sessions ended\n"
    assert count(app, AccountSession) == 0
    assert browser.get("/account").status_code == 302  # logged out
    log_in(app, "ana@example.com", NEW_PASSWORD)
    refused = app.test_client().post(
        "/login", data={"email": "ana@example.com", "password": PASSWORD}
    )
    assert refused.status_code == 400


def test_reset_password_refuses_a_weak_password_and_changes_nothing(app, runner):
    create_account(app, "ana@example.com")
    result = runner.invoke(args=["users", "reset-password", "ana@example.com"], input="short\n")
    assert result.exit_code == 1
    assert "Error: password refused: Use at least 10 characters." in result.output
    log_in(app, "ana@example.com")


def test_reset_password_names_an_unknown_account(runner):
    result = runner.invoke(args=["users", "reset-password", "ghost@example.com"], input="x\n")
    assert result.exit_code == 1
    assert "Error: no account with email ghost@example.com" in result.output


def test_list_prints_one_account_a_line(app, runner):
    create_account(app, "ana@example.com", name="Ana Lopez")
    create_account(app, "tim@example.com", name="Tim", role="instructor")
    today = date.today().isoformat()  # created_at is UTC; the test runs well within a day
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        ["ana@example.com", "Ana Lopez", "learner"],
        ["tim@example.com", "Tim", "instructor"],
    ]
    assert all(len(line.split("\t")[3]) == len(today) for line in lines)


def test_list_filters_by_role(app, runner):
    create_account(app, "ana@example.com")
    create_account(app, "tim@example.com", role="instructor")
    result = runner.invoke(args=["users", "list", "--role", "instructor"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["tim@example.com"]


def test_list_of_no_accounts_prints_nothing(runner):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert result.output == ""


def test_delete_asks_first_and_keeps_the_account_on_no(app, runner):
    create_account(app, "ana@example.com", name="Ana")
    result = runner.invoke(args=["users", "delete", "ana@example.com"], input="n\n")
    assert result.exit_code == 1
    assert "Delete learner ana@example.com (Ana) and all of their progress? [y/N]" in result.output
    assert "Aborted!" in result.output
    assert count(app, User) == 1


def test_delete_removes_the_account_with_its_progress_and_memberships(app, runner):
    create_account(app, "tim@example.com", role="instructor")
    create_account(app, "ana@example.com")
    tim = log_in(app, "tim@example.com")
    _, link, _ = create_cohort_on_the_web(tim, when=date.today() + timedelta(days=7))
    ana = log_in(app, "ana@example.com")
    assert ana.post(link).status_code == 303
    assert ana.post("/courses/impasse/lessons/reading-a-walkout/complete").status_code < 400
    assert count(app, Membership) == 1
    assert count(app, LessonProgress) == 1
    result = runner.invoke(args=["users", "delete", "ana@example.com"], input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("deleted ana@example.com\n")
    assert count(app, Membership) == 0
    assert count(app, LessonProgress) == 0
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["tim@example.com"]
    assert ana.get("/account").status_code == 302  # its session went with it


def test_delete_with_yes_asks_nothing(app, runner):
    create_account(app, "ana@example.com")
    result = runner.invoke(args=["users", "delete", "ana@example.com", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output == "deleted ana@example.com\n"
    assert count(app, User) == 0


def test_delete_refuses_an_instructor_who_owns_cohorts(app, runner):
    create_account(app, "tim@example.com", role="instructor")
    tim = log_in(app, "tim@example.com")
    create_cohort_on_the_web(tim, name="Spring", when=date.today() + timedelta(days=7))
    create_cohort_on_the_web(tim, name="Autumn", when=date.today() + timedelta(days=9))
    result = runner.invoke(args=["users", "delete", "tim@example.com", "--yes"])
    assert result.exit_code == 1
    assert (
        "Error: tim@example.com still owns 2 cohorts: “Autumn”, “Spring”. Transfer them to "
        "another instructor or delete them first."
    ) in result.output
    assert count(app, User) == 1


def test_delete_names_an_unknown_account(runner):
    result = runner.invoke(args=["users", "delete", "ghost@example.com", "--yes"])
    assert result.exit_code == 1
    assert "Error: no account with email ghost@example.com" in result.output

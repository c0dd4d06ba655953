from sqlalchemy import select

from parley.extensions import db
from parley.models import User
from tests.factories import create_account


def test_users_create_reads_password_from_stdin(runner, auth):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ines@Example.com",
            "--name",
            "Ines",
            "--role",
            "instructor",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "created instructor ines@example.com" in result.output
    assert "a long enough password" not in result.output
    assert (
        auth.login(email="ines@example.com", password="a long enough password").status_code == 302
    )


def test_users_create_refuses_duplicate_email(app, runner):
    create_account(app, "ines@example.com")
    result = runner.invoke(
        args=["users", "create", "--email", "INES@example.com", "--name", "Ines"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1
    assert "Error: An account with this email already exists." in result.output


def test_users_create_refuses_short_password(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "x@example.com", "--name", "X"], input="short\n"
    )
    assert result.exit_code == 1
    assert "password refused: Use at least 10 characters." in result.output


def test_set_role_makes_an_instructor(app, runner):
    create_account(app, "joe@example.com")
    result = runner.invoke(args=["users", "set-role", "JOE@example.com", "instructor"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role)) == "instructor"


def test_set_role_names_an_unknown_account(runner):
    result = runner.invoke(args=["users", "set-role", "ghost@example.com", "instructor"])
    assert result.exit_code == 1
    assert "no account with email ghost@example.com" in result.output


def test_set_role_rejects_unknown_role(app, runner):
    create_account(app, "joe@example.com")
    result = runner.invoke(args=["users", "set-role", "joe@example.com", "admin"])
    assert result.exit_code == 2

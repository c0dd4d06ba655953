"""#17 finding 5: the app never creates a database file, and /healthz notices a database that
is missing, damaged, empty or at another schema revision, answering 503 in words."""

import shutil
import sqlite3
from contextlib import closing

import pytest
from alembic import command

from parley import create_app
from parley.cli import alembic_config
from parley.schema import code_revision
from tests.factories import PASSWORD, create_account


@pytest.fixture
def sqlite_app(app_config, tmp_path):
    """An app on its own migrated SQLite file (even when the suite runs on PostgreSQL)."""
    path = tmp_path / "own.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"})
    create_account(app, "pat@example.com")
    return app, path


def log_in(client):
    return client.post("/login", data={"email": "pat@example.com", "password": PASSWORD})


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def remove_database(path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


MISSING = {
    "status": "unavailable",
    "reason": "the database file is missing; restore it from a backup or run: flask --app "
    "app db upgrade",
    "database_revision": None,
    "code_revision": None,
}


def test_a_deleted_database_is_reported_and_never_recreated(sqlite_app):
    app, path = sqlite_app
    client = app.test_client()
    assert log_in(client).status_code == 302  # the pool now holds a connection to the file
    remove_database(path)
    assert health(client) == (503, MISSING)
    response = log_in(app.test_client())
    assert response.status_code == 503
    assert "Parley cannot reach its database just now, so nothing you sent was saved." in (
        response.text
    )
    assert not path.exists()


def test_after_a_restart_a_missing_database_is_still_an_error_not_a_new_file(
    sqlite_app, app_config
):
    app, path = sqlite_app
    remove_database(path)
    restarted = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"})
    assert health(restarted.test_client()) == (503, MISSING)
    assert log_in(restarted.test_client()).status_code == 503
    assert not path.exists()


def test_a_replaced_database_file_is_read_afresh(sqlite_app, tmp_path):
    """A pooled connection to the old file would keep writing where no one reads."""
    app, path = sqlite_app
    client = app.test_client()
    assert log_in(client).status_code == 302
    backup = tmp_path / "backup.db"
    with closing(sqlite3.connect(path)) as live, closing(sqlite3.connect(backup)) as copy:
        live.backup(copy)  # as the operations guide's ".backup" does, WAL included
    remove_database(path)
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")  # a new, empty database
    assert log_in(app.test_client()).status_code == 400  # pat is not in the new one
    remove_database(path)
    shutil.copy(backup, path)
    assert log_in(app.test_client()).status_code == 302


DAMAGED = {
    "status": "unavailable",
    "reason": "the database file is damaged; restore it from a backup",
    "database_revision": None,
    "code_revision": None,
}


def test_a_damaged_database_fails_the_health_check_without_a_restart(sqlite_app):
    app, path = sqlite_app
    client = app.test_client()
    assert health(client)[0] == 200
    remove_database(path)
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    assert health(client) == (503, DAMAGED)
    assert health(
        create_app({**app.config, "DATABASE_URL": f"sqlite:///{path}"}).test_client()
    ) == (
        503,
        DAMAGED,
    )


def test_an_empty_database_has_no_schema(app_config, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    client = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"}).test_client()
    assert health(client) == (
        503,
        {
            "status": "unavailable",
            "reason": "the database has no schema; run: flask --app app db upgrade",
            "database_revision": None,
            "code_revision": None,
        },
    )


def test_a_database_behind_the_code_names_both_revisions(unmigrated_database, app_config):
    command.upgrade(alembic_config(unmigrated_database), "0005")
    client = create_app({**app_config, "DATABASE_URL": unmigrated_database}).test_client()
    status, body = health(client)
    assert status == 503
    assert body == {
        "status": "unavailable",
        "reason": f"the database is at schema revision 0005, the code needs {code_revision()}; "
        "run: flask --app app db upgrade",
        "database_revision": "0005",
        "code_revision": code_revision(),
    }
    command.upgrade(alembic_config(unmigrated_database), "head")
    assert health(client) == (200, {"status": "ok", "revision": code_revision()})


def test_commands_on_a_missing_database_say_to_migrate_and_create_nothing(app_config, tmp_path):
    path = tmp_path / "never-made.db"
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"})
    result = app.test_cli_runner().invoke(
        args=["users", "set-role", "pat@example.com", "instructor"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: the database cannot be opened (unable to open database file); create it or "
        "bring it up to date with: flask --app app db upgrade\n"
    )
    assert not path.exists()

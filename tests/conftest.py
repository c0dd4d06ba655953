"""Fixtures in the flaskr style: app, client, runner, auth, a migrated database per test.
What builds things lives in tests/factories.py; these fixtures only call it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command

from parley import create_app
from parley.cli import alembic_config
from tests.factories import (
    POSTGRES_URL,
    AuthActions,
    course_writer,
    create_mail_app,
    empty_postgres_tables,
    reset_postgres_schema,
    smtp_server,
    write_quizzes,
)


def _tree_state(*folders: Path) -> tuple:
    return tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


@pytest.fixture(autouse=True, scope="session")
def reuse_loaded_content():
    """Load each unchanged content tree once per test run; loading is pure without a render
    cache, so this is safe. A load with a render cache reads and writes it: never reused."""
    import parley.content as content

    original = content.load_library
    cache: dict = {}

    def cached(courses_dir, quizzes_dir=None, render_cache_dir=None):
        if render_cache_dir:
            return original(courses_dir, quizzes_dir, render_cache_dir)
        folders = [Path(courses_dir)] + ([Path(quizzes_dir)] if quizzes_dir else [])
        key = (tuple(map(str, folders)), _tree_state(*folders))
        if key not in cache:
            cache[key] = original(courses_dir, quizzes_dir)
        return cache[key]

    content.load_library = cached
    yield
    content.load_library = original


@pytest.fixture(autouse=True)
def dispose_engines(monkeypatch):
    """Close every connection pool a test's apps opened (PostgreSQL warns about open ones)."""
    import parley.db

    engines = []
    original = parley.db.make_engine

    def recording(*args, **kwargs):
        engine = original(*args, **kwargs)
        engines.append(engine)
        return engine

    monkeypatch.setattr(parley.db, "make_engine", recording)
    yield
    for engine in engines:
        engine.dispose()


@pytest.fixture
def make_course(tmp_path: Path):
    """Write courses/<id>/ with modules {module_id: [lesson ids]}; returns the courses dir."""
    return course_writer(tmp_path)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Build the database through the migrations once; tests get a copy (or empty tables)."""
    if POSTGRES_URL:
        reset_postgres_schema(POSTGRES_URL)
        command.upgrade(alembic_config(POSTGRES_URL), "head")
        return None
    path = tmp_path_factory.mktemp("template") / "parley.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    return path


@pytest.fixture
def database_url(tmp_path: Path, migrated_template: Path | None):
    """A fresh, migrated database for one test: a SQLite copy, or emptied PostgreSQL tables."""
    if POSTGRES_URL:
        yield POSTGRES_URL
        empty_postgres_tables(POSTGRES_URL)
        return
    database = tmp_path / "parley.db"
    shutil.copy(migrated_template, database)
    yield f"sqlite:///{database}"


@pytest.fixture
def app_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production uses scrypt
        "DATABASE_URL": database_url,
        "RENDER_CACHE_DIR": None,
        "MAIL_OUTBOX": None,  # development mail is logged, never written to instance/
    }


@pytest.fixture
def app(app_config: dict):
    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def quiz_app(app_config, tmp_path):
    """An app whose only quiz is the test quiz (module walkouts), whatever the shipped quizzes."""
    app_config["QUIZZES_DIR"] = str(write_quizzes(tmp_path / "quizzes"))
    return create_app(app_config)


@pytest.fixture
def smtp():
    """A real SMTP server on loopback that refuses refused@example.com (550)."""
    with smtp_server(refuse=["refused@example.com"]) as server:
        yield server


@pytest.fixture
def mail_app(app_config, smtp):
    """An app that sends its mail through the loopback `smtp` server."""
    return create_mail_app(app_config, smtp.url)


@pytest.fixture
def unmigrated_database(tmp_path):
    """An empty database, for tests that run the migrations themselves."""
    if POSTGRES_URL:
        reset_postgres_schema(POSTGRES_URL)
        yield POSTGRES_URL
        reset_postgres_schema(POSTGRES_URL)
        command.upgrade(alembic_config(POSTGRES_URL), "head")  # as the other tests expect
    else:
        yield f"sqlite:///{tmp_path / 'old.db'}"

"""Fixtures in the flaskr style: app, client, runner, auth, plus make_* factories."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from parley import create_app
from parley.accounts.users import create_user
from parley.cli import alembic_config
from parley.config import PROJECT_ROOT
from parley.db import make_engine
from parley.extensions import db
from parley.models import Base
from tests.content_files import course_writer

DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery"
# Set by .ci/run for the second pass: the whole suite on a real PostgreSQL server.
POSTGRES_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the test database's public schema."""
    engine = make_engine(url, pooled=False)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_postgres_tables(url: str) -> None:
    engine = make_engine(url, pooled=False)
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


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
def make_user(app):
    """Create an account directly; returns its id."""
    counter = iter(range(1, 100000))

    def make(
        email: str | None = None,
        name: str = "Test Learner",
        role: str = "learner",
        password: str = PASSWORD,
    ) -> int:
        email = email or f"user{next(counter)}@example.com"
        with app.app_context():
            user = create_user(
                db.session,
                email=email,
                name=name,
                password=password,
                role=role,
                hash_method=app.config["PASSWORD_HASH_METHOD"],
            )
            db.session.commit()
            return user.id

    return make


class AuthActions:
    def __init__(self, client) -> None:
        self._client = client

    def register(self, name="Ana Learner", email="ana@example.com", password=PASSWORD, **extra):
        data = {"name": name, "email": email, "password": password, **extra}
        return self._client.post("/register", data=data)

    def login(self, email="ana@example.com", password=PASSWORD, **extra):
        return self._client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def write_quizzes(root: Path, quiz_text: str | None = None) -> Path:
    """A quizzes folder with the real rule book and the test quiz as the walkouts quiz."""
    folder = root / "impasse"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "quizzes" / "impasse" / "rules.yaml", folder / "rules.yaml")
    (folder / "walkouts.yaml").write_text(quiz_text or (DATA / "test_quiz.yaml").read_text())
    return root


@pytest.fixture
def quiz_app(app_config, tmp_path):
    """An app whose only quiz is the test quiz (module walkouts), whatever the shipped quizzes."""
    app_config["QUIZZES_DIR"] = str(write_quizzes(tmp_path / "quizzes"))
    return create_app(app_config)


QUIZ_URL = "/courses/impasse/quizzes/walkouts"
RIGHT_ANSWERS = {
    "q-demo-best": "apologise",
    "q-demo-all": ["keep-issues-open", "add-something-new"],
    "q-demo-commit-decision": "walk",
    "q-demo-commit-reason": "walk-changed-circumstances",
    "q-demo-order-assess-finality": "1",
    "q-demo-order-apologise-unequivocally": "2",
    "q-demo-order-change-both-negotiators": "3",
    "q-demo-branch-start": "assess-finality",
    "q-demo-branch-assessed": "apologise-unequivocally",
}


def form_fields(page: str) -> dict:
    version = re.search(r'name="quiz_version" value="([^"]+)"', page).group(1)
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    return {"quiz_version": version, "submission": token}


def submit_quiz(client, answers: dict, **extra):
    page = client.get(QUIZ_URL).text
    return client.post(QUIZ_URL, data={**form_fields(page), **answers, **extra})


@pytest.fixture
def login_as():
    """Return a test client logged in as the given email (made with make_user)."""

    def login(app, email: str, password: str = PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.text
        return client

    return login


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

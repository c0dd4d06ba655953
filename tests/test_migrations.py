"""Migrations upgrade a database that holds data without losing any of it."""

from datetime import datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, inspect, select

from parley.cli import alembic_config
from parley.db import make_engine
from parley.models import Base
from tests.conftest import POSTGRES_URL, reset_postgres_schema

WHEN = datetime(2026, 11, 1, 9, 30)


@pytest.fixture
def empty_database(tmp_path):
    if POSTGRES_URL:
        reset_postgres_schema(POSTGRES_URL)
        yield POSTGRES_URL
        reset_postgres_schema(POSTGRES_URL)
        command.upgrade(alembic_config(POSTGRES_URL), "head")  # as the other tests expect
    else:
        yield f"sqlite:///{tmp_path / 'old.db'}"


ROWS = {
    "user": [
        {
            "id": 1,
            "email": "ana@example.com",
            "name": "Ana 🌍 عربي <b>",
            "password_hash": "h1",
            "role": "learner",
            "session_version": 1,
            "created_at": WHEN,
        },
        {
            "id": 2,
            "email": "tess@example.com",
            "name": "Tess",
            "password_hash": "h2",
            "role": "instructor",
            "session_version": 3,
            "created_at": WHEN,
        },
    ],
    "lesson_progress": [
        {
            "id": 1,
            "user_id": 1,
            "course_id": "impasse",
            "lesson_id": "impasse-defined",
            "first_opened_at": WHEN,
            "last_opened_at": WHEN,
            "completed_at": WHEN,
        },
        {
            "id": 2,
            "user_id": 1,
            "course_id": "impasse",
            "lesson_id": "retired-lesson",
            "first_opened_at": WHEN,
            "last_opened_at": WHEN,
            "completed_at": None,
        },
    ],
    "question_version": [
        {
            "id": "abc123",
            "course_id": "impasse",
            "quiz_id": "walkouts",
            "question_id": "q1",
            "snapshot": {"objectives": ["assess-finality"], "kind": "best"},
            "created_at": WHEN,
        },
    ],
    "attempt": [
        {
            "id": 1,
            "user_id": 1,
            "course_id": "impasse",
            "quiz_id": "walkouts",
            "module_id": "walkouts",
            "quiz_version": "v1",
            "submission_token": "t" * 32,
            "score": 0.75,
            "pass_mark": 0.8,
            "passed": False,
            "submitted_at": WHEN,
        },
    ],
    "answer": [
        {
            "id": 1,
            "attempt_id": 1,
            "position": 1,
            "question_id": "q1",
            "question_version_id": "abc123",
            "response": ["assess-finality"],
            "confidence": "sure",
            "score": 0.75,
            "correct": False,
            "result": {"summary": "Nearly.", "verdicts": []},
        },
    ],
}


def previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    return head.down_revision


def test_upgrading_from_the_previous_schema_keeps_every_row(empty_database):
    url = empty_database
    command.upgrade(alembic_config(url), previous_revision())
    engine = make_engine(url, pooled=False)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table, rows in ROWS.items():
            connection.execute(insert(metadata.tables[table]), rows)
    engine.dispose()

    command.upgrade(alembic_config(url), "head")

    engine = make_engine(url, pooled=False)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for table, rows in ROWS.items():
            stored = (
                connection.execute(
                    select(Base.metadata.tables[table]).order_by(Base.metadata.tables[table].c.id)
                )
                .mappings()
                .all()
            )
            assert [dict(row) for row in stored] == rows, table
    engine.dispose()


def test_the_models_match_the_migrations(empty_database):
    """A model change without a migration would fail here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = empty_database
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url, pooled=False)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []

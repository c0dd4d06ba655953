"""Migrations upgrade a database that holds data without losing any of it."""

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from parley.cli import alembic_config
from parley.db import make_engine
from parley.models import Base
from tests.factories import insert_rows, stored_rows

# Columns a migration drops on purpose, by revision. The stored rows still have them, so
# each schema is given, and must keep, the rows without the columns dropped up to it.
DROPPED = {"0007": {"user": {"session_version"}}}


def previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    return head.down_revision


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def without_dropped(rows: dict[str, list[dict]], revision: str) -> dict[str, list[dict]]:
    """The rows without the columns that migrations up to this revision dropped."""
    gone: dict[str, set[str]] = {}
    for dropped_at, tables in DROPPED.items():
        if dropped_at <= revision:  # revisions are numbered "0001", "0002", ...
            for table, columns in tables.items():
                gone.setdefault(table, set()).update(columns)
    return {
        table: [
            {k: v for k, v in row.items() if k not in gone.get(table, ())} for row in table_rows
        ]
        for table, table_rows in rows.items()
    }


def test_upgrading_from_the_previous_schema_keeps_every_row(unmigrated_database):
    url = unmigrated_database
    command.upgrade(alembic_config(url), previous_revision())
    insert_rows(url, without_dropped(stored_rows(), previous_revision()))

    command.upgrade(alembic_config(url), "head")
    rows = without_dropped(stored_rows(), head_revision())

    engine = make_engine(url, pooled=False)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for table, table_rows in rows.items():
            stored = (
                connection.execute(
                    select(Base.metadata.tables[table]).order_by(Base.metadata.tables[table].c.id)
                )
                .mappings()
                .all()
            )
            assert len(stored) == len(table_rows), table
            kept = [
                {name: row[name] for name in old}
                for row, old in zip(stored, table_rows, strict=True)
            ]
            assert kept == table_rows, table
            added = {name for row in stored for name in row}
            added -= {name for old in table_rows for name in old}
            # Columns the upgrade added are empty for rows stored before it.
            assert [row[name] for row in stored for name in added] == [None] * (
                len(stored) * len(added)
            ), table
    engine.dispose()


def test_the_models_match_the_migrations(unmigrated_database):
    """A model change without a migration would fail here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = unmigrated_database
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url, pooled=False)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []

"""Is the database there, readable, and at the schema revision this code was written for?"""

from __future__ import annotations

import os
from functools import cache

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from parley.config import PROJECT_ROOT
from parley.db import sqlite_file

MIGRATIONS = PROJECT_ROOT / "migrations"
UPGRADE = "run: flask --app app db upgrade"


class SchemaProblem(Exception):
    """What is wrong with the database, in words for an operator; never a traceback."""

    def __init__(self, message: str, database: str | None = None, code: str | None = None):
        super().__init__(message)
        self.revisions = {"database_revision": database, "code_revision": code}


@cache
def code_revision() -> str:
    """The newest migration's revision (read once from migrations/: it ships with the code)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    if head is None:  # pragma: no cover - the repository always has migrations
        raise SchemaProblem("no migrations found")
    return head


def check_schema(session: Session, url: str) -> str:
    """Return the revision of the database at url (session's) if it matches the code's;
    raise SchemaProblem if not."""
    path = sqlite_file(url)
    if path is not None and not os.path.exists(path):
        raise SchemaProblem(f"the database file is missing; restore it from a backup or {UPGRADE}")
    try:
        stored = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError as exc:
        session.rollback()
        raise _explained(exc) from None
    expected = code_revision()
    if stored != [expected]:
        found = ", ".join(stored) or None
        raise SchemaProblem(
            f"the database is at schema revision {found or 'none'}, the code needs "
            f"{expected}; {UPGRADE}",
            found,
            expected,
        )
    return expected


def _explained(exc: SQLAlchemyError) -> SchemaProblem:
    words = str(exc.orig if isinstance(exc, DBAPIError) else exc).lower()
    if "alembic_version" in words and ("no such table" in words or "does not exist" in words):
        return SchemaProblem(f"the database has no schema; {UPGRADE}")
    if "not a database" in words or "malformed" in words or "corrupt" in words:
        return SchemaProblem("the database file is damaged; restore it from a backup")
    return SchemaProblem("the database cannot be reached")

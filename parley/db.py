"""The SQLAlchemy engine and one session per request."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, g
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool


def sqlite_file(url: str | URL) -> str | None:
    """The file a SQLite URL names, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def make_engine(url: str, pooled: bool = True, must_exist: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys.

    must_exist (the app's engine): a missing SQLite file is an error, never a new empty
    database, and a pooled connection to a file since deleted or replaced is dropped.
    Only the migrations create the file.
    """
    options: dict[str, Any] = {}
    path = sqlite_file(url)
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 15, "check_same_thread": False}
    if not pooled:
        options["poolclass"] = NullPool
    elif not url.startswith("sqlite"):
        options.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
    engine = create_engine(_read_write_only(url) if must_exist and path else url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    if must_exist and path:
        event.listen(engine, "connect", _remember_file(path))
        event.listen(engine, "checkout", _still_the_same_file(path))
    return engine


def _read_write_only(url: str) -> URL:
    """The SQLite URL as a file: URI opened with mode=rw, which refuses to create the file."""
    parsed = make_url(url)
    uri = "file:" + quote(os.path.abspath(parsed.database or ""), safe="/")
    return parsed.set(database=uri, query={**parsed.query, "mode": "rw", "uri": "true"})


def _file_id(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _remember_file(path: str):
    def remember(_dbapi_connection: Any, record: Any) -> None:
        record.info["sqlite_file"] = _file_id(path)

    return remember


def _still_the_same_file(path: str):
    """A connection opened before its file was deleted or replaced would read and write a
    file no one else sees: the pool drops it and connects again (and fails if the file is
    gone). One stat per checkout."""

    def check(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        try:
            current = _file_id(path)
        except FileNotFoundError:
            raise DisconnectionError("the SQLite database file is missing") from None
        if record.info.get("sqlite_file") != current:
            raise DisconnectionError("the SQLite database file was replaced")

    return check


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def insert_new(session: Session, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into table (or a model's) that can skip rows already stored, on PostgreSQL
    and SQLite alike: add `.on_conflict_do_nothing(index_elements=[...])`."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


class Database:
    """Binds an engine to each app and hands out one session per request."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], must_exist=True)
        app.extensions["parley_db"] = sessionmaker(bind=engine, expire_on_commit=False)
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def engine(app: Flask | None = None) -> Engine:
        factory = (app or current_app).extensions["parley_db"]
        return factory.kw["bind"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["parley_db"]()
        return g.db_session

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()

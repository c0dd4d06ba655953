"""The SQLAlchemy engine and one session per request."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool


def make_engine(url: str, pooled: bool = True) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 15, "check_same_thread": False}
    if not pooled:
        options["poolclass"] = NullPool
    elif not url.startswith("sqlite"):
        options.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


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
        engine = make_engine(app.config["DATABASE_URL"])
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

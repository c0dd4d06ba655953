"""The signed-in account, and its session id: "<user id>:<session token>".

The token names a row of account_session (parley.accounts.sessions); a session whose row is
gone (logged out, logged out everywhere, ended by a password change) or idle too long opens
nothing. A remembered session ("Remember me") is not idle before its remembered_until;
Flask-Login's remember cookie carries the same id, so it opens only what its row still allows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, Response, current_app, g
from flask import session as cookie_session
from flask_login import UserMixin, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from parley.accounts.sessions import (
    SEEN_EVERY,
    delete_session,
    end_idle_sessions,
    hash_token,
    is_live,
    is_well_formed,
    mark_seen,
    start_session,
)
from parley.extensions import db
from parley.models import AccountSession, User, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class SignedIn(UserMixin):
    """The signed-in account as read once per request; views that change it load the row."""

    id: int
    name: str
    email: str
    role: str
    token: str  # this browser's session token, as the signed cookie carries it
    time_zone: str | None = None  # the reader's own zone; None: the cohort's, or UTC

    @classmethod
    def of(cls, user: User, token: str) -> SignedIn:
        return cls(user.id, user.name, user.email, user.role, token, user.time_zone)

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    def get_id(self) -> str:
        return f"{self.id}:{self.token}"


def sign_in(session: Session, user: User, user_agent: str, remember: bool = False) -> None:
    """Start a stored session for this account in this browser (ending every account's idle
    ones), and
    issue a new CSRF token: the one a page showed before log-in is refused after it. A
    remembered session lasts REMEMBER_COOKIE_DURATION, as its cookie does. The caller
    commits."""
    end_idle_sessions(session, current_app.config["SESSION_IDLE_DAYS"])
    remember_for = current_app.config["REMEMBER_COOKIE_DURATION"] if remember else None
    token = start_session(session, user.id, user_agent, remember_for=remember_for)
    login_user(SignedIn.of(user, token), remember=remember, duration=remember_for)
    _forget_csrf_token()


def sign_out() -> None:
    """Log this browser out (its session row is the caller's to delete) and drop its CSRF
    token, so a page shown while signed in cannot post after log-out."""
    logout_user()
    _forget_csrf_token()


def _forget_csrf_token() -> None:
    # Flask-WTF keeps its raw token in the cookie session and the signed one in g; without
    # either, the next form gets a new one.
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    cookie_session.pop(field, None)
    g.pop(field, None)


def _parse_session_id(session_id: str) -> tuple[int, str] | None:
    """(user id, token) from what get_id wrote, or None if it is malformed."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not is_well_formed(token):
        return None
    return int(user_id), token


# Core, built once: every page a signed-in account opens reads it. Loaded as an ORM object
# (session.get) the account alone cost 0.14 ms more a page, a sixth of the quiz page's own
# work (measured in process against /ping; make bench, quiz page). Since #17 the same query
# also reads the session's row by its unique token hash: 0.07-0.08 ms of CPU a call, 0.03 ms
# more than the account alone; as an ORM select of User and AccountSession, 0.31-0.45 ms
# (in process, 15 rounds of 2,000 calls, min-median; make bench on a loaded machine could not
# tell the change from its noise).
# Since #18 it also reads remembered_until, one more column of the same row: 0.059-0.090 ms
# a call with it and without it alike (15 rounds of 2,000 calls, min-median). It reads the
# account's time_zone too, which pages showing a time would otherwise query again.
_user = User.__table__
_session = AccountSession.__table__
_ACCOUNT = (
    select(
        _user.c.id,
        _user.c.name,
        _user.c.email,
        _user.c.role,
        _user.c.time_zone,
        _session.c.id.label("session_id"),
        _session.c.last_seen_at,
        _session.c.remembered_until,
    )
    .join_from(_user, _session, _session.c.user_id == _user.c.id)
    .where(_user.c.id == bindparam("user_id"), _session.c.token_hash == bindparam("token_hash"))
)

# What load_user found to write about this request's session: (_SEEN or _IDLE, row id).
_UPKEEP = "parley_session_upkeep"
_SEEN, _IDLE = "seen", "idle"


def load_user(session_id: str) -> SignedIn | None:
    """Flask-Login's user loader: the account, if this session is stored and not idle (or is
    remembered and not past remembered_until)."""
    parsed = _parse_session_id(session_id)
    if parsed is None:
        return None
    user_id, token = parsed
    row = db.session.execute(
        _ACCOUNT, {"user_id": user_id, "token_hash": hash_token(token)}
    ).first()
    if row is None:
        return None
    now = utcnow()
    if not is_live(
        row.last_seen_at, row.remembered_until, current_app.config["SESSION_IDLE_DAYS"], now
    ):
        setattr(g, _UPKEEP, (_IDLE, row.session_id))
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        setattr(g, _UPKEEP, (_SEEN, row.session_id))
    return SignedIn(row.id, row.name, row.email, row.role, token, row.time_zone)


def write_session_upkeep(response: Response) -> Response:
    """After a request whose session was last seen over an hour ago, write last_seen_at; after
    one whose session was idle too long, delete its row.

    This is the only write a request makes for its session, and at most once an hour, so the
    pages a session opens in between write nothing. It runs after the view, in its own short
    transaction on the engine, not in the request's session: it commits this one statement
    and nothing a view left uncommitted, and a view that writes still commits its own work.
    If the database is busy the write is skipped: the next request tries again.
    """
    upkeep = g.pop(_UPKEEP, None)
    if upkeep is None:
        return response
    action, session_id = upkeep
    try:
        with Session(db.engine()) as session, session.begin():
            if action == _SEEN:
                mark_seen(session, session_id)
            else:
                delete_session(session, session_id)
    except OperationalError:
        log.warning("session %s: could not write its %s upkeep; retried later", session_id, action)
    return response


def register_session_upkeep(app: Flask) -> None:
    app.after_request(write_session_upkeep)

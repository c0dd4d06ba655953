"""Signed-in browsers, stored server-side: one AccountSession row each.

The signed cookie carries a random token; the table keeps only its SHA-256, so a copy of the
table opens no session. Log-out deletes the row, so a cookie saved before it opens nothing.
A remembered session ("Remember me") keeps its row until remembered_until, however long it
goes unused; Flask-Login's remember cookie carries the same token, so deleting the row ends it
too. Takes a session, never commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from parley.models import AccountSession, utcnow

USER_AGENT_LENGTH = 200  # the column's length
TOKEN_BYTES = 32
# What a token may look like (token_urlsafe writes 43 of these); anything else is not looked up.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")
# last_seen_at is written at most this often, so most requests of a session write nothing.
SEEN_EVERY = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_well_formed(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def idle_since(idle_days: int, now: datetime | None = None) -> datetime:
    """A session last seen before this time has been idle too long."""
    return (now or utcnow()) - timedelta(days=idle_days)


def is_live(
    last_seen_at: datetime, remembered_until: datetime | None, idle_days: int, now: datetime
) -> bool:
    """Whether a session still opens: remembered and not yet past remembered_until, or used
    within idle_days."""
    if remembered_until is not None and now < remembered_until:
        return True
    return last_seen_at >= idle_since(idle_days, now)


def _live(idle_days: int, now: datetime):
    """The SQL of is_live."""
    return or_(
        AccountSession.remembered_until > now,
        AccountSession.last_seen_at >= idle_since(idle_days, now),
    )


def start_session(
    session: Session,
    user_id: int,
    user_agent: str,
    now: datetime | None = None,
    remember_for: timedelta | None = None,
) -> str:
    """Store a new session for this account, remembered for remember_for if given; return
    the token its cookie carries."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        AccountSession(
            user_id=user_id,
            token_hash=hash_token(token),
            user_agent=user_agent[:USER_AGENT_LENGTH],
            created_at=now,
            last_seen_at=now,
            remembered_until=now + remember_for if remember_for else None,
        )
    )
    session.flush()
    return token


def find_session(session: Session, user_id: int, token: str) -> AccountSession | None:
    """This account's session with this token, idle or not; None if there is none."""
    return session.scalar(
        select(AccountSession).where(
            AccountSession.user_id == user_id, AccountSession.token_hash == hash_token(token)
        )
    )


def end_session(session: Session, user_id: int, token: str) -> None:
    """Delete the session with this token (log-out)."""
    session.execute(
        delete(AccountSession).where(
            AccountSession.user_id == user_id, AccountSession.token_hash == hash_token(token)
        )
    )


def end_all_sessions(session: Session, user_id: int) -> int:
    """Delete every session of this account ("log out everywhere"); return how many."""
    ended = session.execute(delete(AccountSession).where(AccountSession.user_id == user_id))
    return ended.rowcount


def end_other_sessions(session: Session, user_id: int, keep_token: str) -> int:
    """Delete every session of this account but the one with keep_token; return how many."""
    ended = session.execute(
        delete(AccountSession).where(
            AccountSession.user_id == user_id, AccountSession.token_hash != hash_token(keep_token)
        )
    )
    return ended.rowcount


def end_idle_sessions(session: Session, idle_days: int, now: datetime | None = None) -> int:
    """Delete every account's sessions idle for idle_days or more, but not remembered ones
    before their remembered_until; return how many. Run at each log-in, so the rows of
    browsers (and accounts) that never come back do not pile up."""
    now = now or utcnow()
    ended = session.execute(
        delete(AccountSession).where(
            AccountSession.last_seen_at < idle_since(idle_days, now),
            or_(AccountSession.remembered_until.is_(None), AccountSession.remembered_until <= now),
        )
    )
    return ended.rowcount


def end_session_by_id(
    session: Session, user_id: int, session_id: int, this_token: str
) -> AccountSession | None:
    """Delete another session of this account by its row id; return it, or None if it is not
    one of this account's other sessions (someone else's, this one, or already ended)."""
    row = session.get(AccountSession, session_id)
    if row is None or row.user_id != user_id or row.token_hash == hash_token(this_token):
        return None
    session.delete(row)
    return row


def mark_seen(session: Session, session_id: int, now: datetime | None = None) -> None:
    session.execute(
        update(AccountSession)
        .where(AccountSession.id == session_id)
        .values(last_seen_at=now or utcnow())
    )


def delete_session(session: Session, session_id: int) -> None:
    session.execute(delete(AccountSession).where(AccountSession.id == session_id))


@dataclass(frozen=True)
class SignedInBrowser:
    """One of an account's sessions as its account page lists it."""

    id: int
    browser: str  # "Firefox on Linux"
    signed_in_at: datetime
    last_seen_at: datetime
    is_this_one: bool
    remembered_until: datetime | None = None  # None: not remembered


def signed_in_browsers(
    session: Session, user_id: int, this_token: str, idle_days: int
) -> list[SignedInBrowser]:
    """This account's sessions that still open: this one first, then the latest seen."""
    this_hash = hash_token(this_token)
    now = utcnow()
    rows = session.scalars(
        select(AccountSession)
        .where(AccountSession.user_id == user_id, _live(idle_days, now))
        .order_by(AccountSession.last_seen_at.desc(), AccountSession.id.desc())
    )
    browsers = [
        SignedInBrowser(
            row.id,
            browser_name(row.user_agent),
            row.created_at,
            row.last_seen_at,
            row.token_hash == this_hash,
            row.remembered_until if row.remembered_until and row.remembered_until > now else None,
        )
        for row in rows
    ]
    return sorted(browsers, key=lambda item: not item.is_this_one)


# (what the User-Agent contains, the name shown), first match wins: Edge and Opera also say
# "Chrome", Chrome also says "Safari", Android also says "Linux", iOS also says "Mac OS X".
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str:
    """A User-Agent in a few words, e.g. "Firefox on Linux"; "Unknown browser" if it names
    none we know."""
    name = next((shown for mark, shown in _BROWSERS if mark in user_agent), None)
    system = next((shown for mark, shown in _SYSTEMS if mark in user_agent), None)
    if name and system:
        return f"{name} on {system}"
    return name or (f"A browser on {system}" if system else "Unknown browser")

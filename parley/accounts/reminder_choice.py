"""Whether an account gets reminder e-mails, and the signed one-click unsubscribe token that
every reminder carries.

The token is signed with the app's secret (itsdangerous, its own salt) and names the account
by id and creation time, so that a link stays valid as long as the account does (switching
reminders off again is harmless) and never reaches a later account given the same id.
"""

from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.accounts.time_zones import as_utc
from parley.models import User

SALT = "parley-reminders-unsubscribe"


def unsubscribe_token(secret: str, user: User) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps([user.id, _stamp(user)])


def user_for_token(session: Session, secret: str, token: str) -> User | None:
    """The account a token was made for, or None if it is tampered with or no longer exists."""
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 2):
        return None
    user_id, stamp = payload
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = session.get(User, user_id)
    return user if user is not None and _stamp(user) == stamp else None


def _stamp(user: User) -> int:
    return int(as_utc(user.created_at).timestamp())


def reminders_off_since(session: Session, user_id: int) -> datetime | None:
    """When the account switched reminders off; None while they are on."""
    return session.scalar(select(User.reminders_off_at).where(User.id == user_id))


def switch_reminders(session: Session, user: User, on: bool, now: datetime) -> bool:
    """Switch reminders (and instructors' cohort summaries) on or off; returns whether that
    changed anything. Switching off again keeps the first time it was switched off."""
    if on == (user.reminders_off_at is None):
        return False
    user.reminders_off_at = None if on else as_utc(now).replace(tzinfo=None)
    session.flush()
    return True

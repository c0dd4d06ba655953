"""Changing an account's e-mail address, after its password; confirmed by a link mailed to
the new address where a mail server is configured, at once where none is.

The link's token is signed with the app's secret (itsdangerous, its own salt) and carries the
account's id, the new address and a keyed fingerprint of the current address and password
hash. Once the address changes (by this link or another), or the password does, the
fingerprint no longer matches: the link is used up, without a table. Takes a session, never
commits.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from parley.accounts.signed_links import account_fingerprint, timed_serializer
from parley.accounts.users import AccountError, find_user_by_email, normalise_email
from parley.models import User

SALT = "parley.email-change"
LASTS = timedelta(hours=24)
TOKEN_MAX_LENGTH = 1000  # the new address is in it (up to 320 characters)

WRONG_PASSWORD = "Your current password is not correct."
SAME_ADDRESS = "That is already your address."
TAKEN_ADDRESS = "Another account already uses this address."

USED, EXPIRED, INVALID, TAKEN = "used", "expired", "invalid", "taken"


class WrongPassword(AccountError):
    """The current password given with a change is wrong: a failed log-in for the caller."""


class ChangeLinkRefused(Exception):
    """A confirmation link that cannot be used; reason says why, the message says it."""

    MESSAGES = {
        USED: (
            "This link has already been used, or the address or password of the account has "
            "changed since it was sent. Log in and ask for the change again if you still "
            "want it."
        ),
        EXPIRED: "This link expired 24 hours after it was sent. Ask for the change again.",
        INVALID: (
            "This link is not valid: it may have been copied incompletely. Copy the whole "
            "link from the message, or ask for the change again."
        ),
        TAKEN: (
            "Another account has started using {email} since this link was sent, so the "
            "address was not changed. Choose another address on your account page."
        ),
    }

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(self.MESSAGES[reason].format(email=email))
        self.reason = reason


@dataclass(frozen=True)
class ChangeAsked:
    """A change of address, its password checked: the account, the new address (normalised)
    and whether another account already uses it."""

    user: User
    new_email: str
    taken: bool


def ask_to_change(session: Session, user_id: int, password: str, new_email: str) -> ChangeAsked:
    """Check the password and the new address; WrongPassword (the caller counts it as a
    failed log-in), or AccountError if the account is gone or the address is its own."""
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("That account no longer exists.")
    if not check_password_hash(user.password_hash, password):
        raise WrongPassword(WRONG_PASSWORD)
    new = normalise_email(new_email)
    if new == user.email:
        raise AccountError(SAME_ADDRESS)
    other = find_user_by_email(session, new)
    return ChangeAsked(user, new, other is not None and other.id != user.id)


def change_email(session: Session, user: User, new_email: str) -> User:
    """Set the account's address; AccountError if another account uses it."""
    new = normalise_email(new_email)
    other = find_user_by_email(session, new)
    if other is not None and other.id != user.id:
        raise AccountError(TAKEN_ADDRESS)
    user.email = new
    session.flush()
    return user


def make_token(secret: str, user: User, new_email: str, now: datetime | None = None) -> str:
    """A link token moving this account to new_email, valid for LASTS from now."""
    payload = {
        "user": user.id,
        "new": normalise_email(new_email),
        "was": account_fingerprint(secret, user),
    }
    return timed_serializer(secret, SALT, now).dumps(payload)


@dataclass(frozen=True)
class ChangeLink:
    """What a valid link asks: move this account to this address."""

    user: User
    new_email: str


def check_token(
    session: Session, secret: str, token: str, now: datetime | None = None
) -> ChangeLink:
    """The account and address a link moves it to; ChangeLinkRefused saying why it cannot be
    used (TAKEN if another account uses the address now)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise ChangeLinkRefused(INVALID)
    try:
        payload: Any = timed_serializer(secret, SALT, now).loads(
            token, max_age=int(LASTS.total_seconds())
        )
    except SignatureExpired as exc:
        raise ChangeLinkRefused(EXPIRED) from exc
    except BadSignature as exc:
        raise ChangeLinkRefused(INVALID) from exc
    if not isinstance(payload, dict):
        raise ChangeLinkRefused(INVALID)
    user_id, new, was = payload.get("user"), payload.get("new"), payload.get("was")
    if not isinstance(user_id, int) or not isinstance(new, str) or not isinstance(was, str):
        raise ChangeLinkRefused(INVALID)
    user = session.get(User, user_id)
    if user is None:  # the account was deleted
        raise ChangeLinkRefused(INVALID)
    if not hmac.compare_digest(was, account_fingerprint(secret, user)):
        raise ChangeLinkRefused(USED)
    other = find_user_by_email(session, new)
    if other is not None and other.id != user.id:
        raise ChangeLinkRefused(TAKEN, new)
    return ChangeLink(user, new)

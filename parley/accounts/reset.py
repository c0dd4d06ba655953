"""Password reset: signed single-use links, throttled requests, and the new password.

A link carries a token signed with the app's secret (itsdangerous, one salt per kind of link):
the account's id and a keyed fingerprint of its current e-mail address and password hash.
Setting any new password, or changing the address, changes the fingerprint, so every link
made before is void ("already used") without a table: a link mailed to an address the
account has left opens nothing. Takes a session, never commits.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from parley.accounts.failures import (
    Allowance,
    allowance_setting,
    kept_for,
    prune_failures,
    record_failure,
    wait_for_allowance,
)
from parley.accounts.sessions import end_all_sessions
from parley.accounts.signed_links import account_fingerprint, timed_serializer
from parley.accounts.users import DEFAULT_HASH, find_user_by_email, normalise_email
from parley.models import User, utcnow

REQUEST_KIND = "reset"  # failed_attempt.kind of every reset request, known e-mail or not
TOKEN_MAX_LENGTH = 400  # ours are about 100 characters; longer ones are not even decoded


@dataclass(frozen=True)
class LinkKind:
    """One kind of reset link: its own salt (a token of one kind is no token of another) and
    how long it lasts."""

    name: str
    salt: str
    lasts: timedelta

    @property
    def hours(self) -> int:
        return int(self.lasts.total_seconds() // 3600)

    @property
    def in_words(self) -> str:
        """How long it lasts in words: "1 hour", "24 hours", "7 days" (days from two on)."""
        hours = self.hours
        if hours >= 48 and hours % 24 == 0:
            return f"{hours // 24} days"
        return f"{hours} hour{'s' if hours != 1 else ''}"


BY_MAIL = LinkKind("mail", "parley.password-reset.mail", timedelta(hours=1))
BY_INSTRUCTOR = LinkKind("instructor", "parley.password-reset.instructor", timedelta(hours=24))
# An account made by a roster import chooses its first password with it (cohorts/roster.py).
INVITATION = LinkKind("invitation", "parley.invitation", timedelta(days=7))
LINK_KINDS = (BY_MAIL, BY_INSTRUCTOR, INVITATION)

USED, EXPIRED, INVALID = "used", "expired", "invalid"


class LinkRefused(Exception):
    """A reset link that cannot be used; reason is USED, EXPIRED or INVALID and the message
    says it to the person who followed it."""

    MESSAGES = {
        USED: (
            "This link has already been used, or the account's password or e-mail address has "
            "changed since it was made. Log in with your password, or ask for a new link."
        ),
        EXPIRED: "This link expired {hours} after it was made. Ask for a new link.",
        INVALID: (
            "This link is not valid: it may have been copied incompletely. Copy the whole "
            "link from the message, or ask for a new one."
        ),
    }

    def __init__(self, reason: str, kind: LinkKind | None = None) -> None:
        wording = kind.in_words if kind else "0 hours"
        super().__init__(self.MESSAGES[reason].format(hours=wording))
        self.reason = reason
        self.kind = kind


class ResetRefused(ValueError):
    """A reset link cannot be made for this account; the message says why."""


def make_token(secret: str, user: User, kind: LinkKind, now: datetime | None = None) -> str:
    """A reset token for this account, valid for kind.lasts from now."""
    return timed_serializer(secret, kind.salt, now).dumps(
        {"user": user.id, "password": account_fingerprint(secret, user)}
    )


def expires_at(kind: LinkKind, now: datetime | None = None) -> datetime:
    return (now or utcnow()) + kind.lasts


def check_token(
    session: Session, secret: str, token: str, now: datetime | None = None
) -> tuple[User, LinkKind]:
    """The account a token resets and its kind; LinkRefused saying why it cannot be used."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise LinkRefused(INVALID)
    for kind in LINK_KINDS:
        serializer = timed_serializer(secret, kind.salt, now)
        try:
            payload = serializer.loads(token, max_age=int(kind.lasts.total_seconds()))
        except SignatureExpired as exc:  # signed by us, for this kind, but too old
            raise LinkRefused(EXPIRED, kind) from exc
        except BadSignature:
            continue
        return _account(session, secret, payload, kind), kind
    raise LinkRefused(INVALID)


def _account(session: Session, secret: str, payload: Any, kind: LinkKind) -> User:
    if not isinstance(payload, dict):
        raise LinkRefused(INVALID, kind)
    user_id, fingerprint = payload.get("user"), payload.get("password")
    if not isinstance(user_id, int) or not isinstance(fingerprint, str):
        raise LinkRefused(INVALID, kind)
    user = session.get(User, user_id)
    if user is None:  # the account was deleted
        raise LinkRefused(INVALID, kind)
    if not hmac.compare_digest(fingerprint, account_fingerprint(secret, user)):
        raise LinkRefused(USED, kind)
    return user


def set_new_password(
    session: Session, user: User, password: str, hash_method: str = DEFAULT_HASH
) -> int:
    """Set the account's password and end every session it has; return how many ended.
    Every reset link made before is void from now on."""
    user.password_hash = generate_password_hash(password, method=hash_method)
    return end_all_sessions(session, user.id)


def check_instructor_may_reset(user: User) -> None:
    """An instructor makes links for learners only: ResetRefused for any instructor account
    (another instructor's, or their own)."""
    if user.role != "learner":
        raise ResetRefused(
            "Reset links are made for learners only; an instructor resets their own password "
            "through “Forgot your password?” or an operator."
        )


@dataclass(frozen=True)
class ResetRules:
    """How many reset requests are answered: per address, and per e-mail asked about."""

    per_address: Allowance
    per_email: Allowance
    keep_for: timedelta  # the longest window of every kind of failed_attempt row


def reset_rules(settings: Mapping[str, Any]) -> ResetRules:
    return ResetRules(
        allowance_setting(settings, "RESET_REQUESTS_PER_ADDRESS"),
        allowance_setting(settings, "RESET_REQUESTS_PER_EMAIL"),
        kept_for(settings),
    )


@dataclass(frozen=True)
class ResetRequest:
    """What a "forgot my password" request comes to: wait before asking again (this address
    asked too often), or the account to send a link to (None: unknown e-mail, or this e-mail
    had its links for now). Both look the same to the asker."""

    wait: timedelta = timedelta(0)
    send_to: User | None = None


def request_reset(
    session: Session, rules: ResetRules, address: str, email: str, now: datetime | None = None
) -> ResetRequest:
    """Count this request (known e-mail or not) and say whom to send a link to."""
    now = now or utcnow()
    wait = wait_for_allowance(session, REQUEST_KIND, rules.per_address, now, address=address)
    if wait:
        return ResetRequest(wait=wait)
    account = normalise_email(email)
    email_wait = wait_for_allowance(session, REQUEST_KIND, rules.per_email, now, account=account)
    record_failure(session, REQUEST_KIND, address, account=account, now=now)
    prune_failures(session, now - rules.keep_for)
    if email_wait:
        return ResetRequest()
    return ResetRequest(send_to=find_user_by_email(session, email))

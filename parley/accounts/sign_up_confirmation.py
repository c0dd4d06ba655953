"""Sign-ups confirmed by e-mail (only where a mail server is configured).

A sign-up does not create an account: it stores a pending_sign_up row (name, the password's
hash, the invitation's cohort) and the view mails a link to the address. Following the link
creates the account. So the sign-up form answers the same for a new and a taken address: for
a taken one nothing is stored and its owner is mailed instead.

The link's token is signed with the app's secret (itsdangerous, its own salt) and carries a
random nonce and the address; the row stores only the nonce's SHA-256. A token whose
signature fails was damaged; one signed by us whose row is gone was used (or replaced by a
newer sign-up), which the address tells apart. Takes a session, never commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from parley.accounts.failures import (
    CONFIRM_MAIL_WINDOW,
    Allowance,
    prune_failures,
    record_failure,
    wait_for_allowance,
)
from parley.accounts.signed_links import timed_serializer
from parley.accounts.users import DEFAULT_HASH, find_user_by_email, normalise_email
from parley.models import PendingSignUp, User, utcnow

SALT = "parley.sign-up-confirmation"
LASTS = timedelta(hours=24)
TOKEN_MAX_LENGTH = 600  # ours are about 150 characters; longer ones are not even decoded
# Confirmation mail (a link, or "you already have an account") sent to one address: more
# sign-ups with it get the same page and send nothing, so no one fills a mailbox.
MAIL_KIND = "confirm-mail"  # failed_attempt.kind: counts mail sent, like reset requests
MAILS_PER_ADDRESS = Allowance(5, CONFIRM_MAIL_WINDOW)

USED, EXPIRED, INVALID, REPLACED, TAKEN = "used", "expired", "invalid", "replaced", "taken"


class SignUpLinkRefused(Exception):
    """A confirmation link that cannot be used; reason says why, the message says it to the
    person who followed it."""

    MESSAGES = {
        USED: (
            "This link has already been used: the account for {email} exists. Log in with "
            "the password you chose when signing up."
        ),
        TAKEN: (
            "An account for {email} already exists, so this sign-up was not needed. Log in, "
            "or reset your password if you forgot it."
        ),
        REPLACED: (
            "This link was replaced by a newer sign-up with {email}. Use the link in the "
            "newest message, or sign up again."
        ),
        EXPIRED: "This link expired 24 hours after it was made. Sign up again.",
        INVALID: (
            "This link is not valid: it may have been copied incompletely. Copy the whole "
            "link from the message, or sign up again."
        ),
    }

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(self.MESSAGES[reason].format(email=email))
        self.reason = reason
        self.email = email


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


@dataclass(frozen=True)
class SignUpRequest:
    """What a sign-up with mail comes to: a token to mail to a new address, or the existing
    account to tell; neither when this address had its messages for now (the page is the
    same either way)."""

    token: str | None = None
    existing: User | None = None


def request_sign_up(
    session: Session,
    secret: str,
    *,
    email: str,
    name: str,
    password: str,
    cohort_id: int | None,
    next_path: str,
    address: str,
    keep_failures_for: timedelta,
    hash_method: str = DEFAULT_HASH,
    now: datetime | None = None,
) -> SignUpRequest:
    """Store a pending sign-up for a new address (replacing an earlier one) and return its
    token; for a taken address return its account and store nothing. The password is hashed
    in every case, so the time taken does not tell which it was. keep_failures_for is
    failures.kept_for(settings), which keeps every kind's window, this one's included."""
    now = _naive(now or utcnow())
    password_hash = generate_password_hash(password, method=hash_method)
    account = normalise_email(email)
    session.execute(delete(PendingSignUp).where(PendingSignUp.created_at < now - LASTS))
    if wait_for_allowance(session, MAIL_KIND, MAILS_PER_ADDRESS, now, account=account):
        return SignUpRequest()
    record_failure(session, MAIL_KIND, address, account=account, now=now)
    prune_failures(session, now - keep_failures_for)
    existing = find_user_by_email(session, account)
    if existing is not None:
        return SignUpRequest(existing=existing)
    session.execute(delete(PendingSignUp).where(PendingSignUp.email == account))
    nonce = secrets.token_urlsafe(32)
    session.add(
        PendingSignUp(
            token_hash=_hash(nonce),
            email=account,
            name=name.strip(),
            password_hash=password_hash,
            cohort_id=cohort_id,
            next_path=next_path[:500],
            created_at=now,
        )
    )
    session.flush()
    return SignUpRequest(
        token=timed_serializer(secret, SALT, now).dumps({"n": nonce, "e": account})
    )


def pending_sign_up(
    session: Session, secret: str, token: str, now: datetime | None = None
) -> PendingSignUp:
    """The pending sign-up a link confirms; SignUpLinkRefused saying why it cannot be used."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise SignUpLinkRefused(INVALID)
    moment = _naive(now or utcnow())
    try:
        payload: Any = timed_serializer(secret, SALT, moment).loads(
            token, max_age=int(LASTS.total_seconds())
        )
    except SignatureExpired as exc:
        raise SignUpLinkRefused(EXPIRED) from exc
    except BadSignature as exc:
        raise SignUpLinkRefused(INVALID) from exc
    if not isinstance(payload, dict):
        raise SignUpLinkRefused(INVALID)
    nonce, email = payload.get("n"), payload.get("e")
    if not isinstance(nonce, str) or not isinstance(email, str):
        raise SignUpLinkRefused(INVALID)
    pending = session.scalar(select(PendingSignUp).where(PendingSignUp.token_hash == _hash(nonce)))
    if pending is None:
        reason = USED if find_user_by_email(session, email) is not None else REPLACED
        raise SignUpLinkRefused(reason, email)
    if pending.created_at < moment - LASTS:  # kept past its day, not yet pruned
        raise SignUpLinkRefused(EXPIRED)
    return pending


@dataclass(frozen=True)
class Confirmed:
    """The account a confirmed sign-up created, and what came with the sign-up."""

    user: User
    cohort_id: int | None
    next_path: str


def confirm_sign_up(
    session: Session, secret: str, token: str, now: datetime | None = None
) -> Confirmed:
    """Create the account of a pending sign-up (with the password chosen then) and delete
    the row; SignUpLinkRefused if the link cannot be used or the address was taken since."""
    pending = pending_sign_up(session, secret, token, now)
    if find_user_by_email(session, pending.email) is not None:  # e.g. flask users create
        raise SignUpLinkRefused(TAKEN, pending.email)
    user = User(email=pending.email, name=pending.name, password_hash=pending.password_hash)
    confirmed = Confirmed(user, pending.cohort_id, pending.next_path)
    session.add(user)
    session.delete(pending)
    session.flush()
    return confirmed

"""Failed attempts (wrong passwords, wrong join codes) counted in the database.

Every worker of every host reads the same rows, and a restart forgets nothing, which
Flask-Limiter's embedded memory storage cannot give. Takes a session, never commits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from limits import parse
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from parley.config import ConfigError
from parley.models import FailedAttempt, utcnow

ADDRESS_LENGTH = 64
ACCOUNT_LENGTH = 320


@dataclass(frozen=True)
class Allowance:
    """So many failures in so long, read from a setting such as "10 per 15 minutes"."""

    amount: int
    window: timedelta

    @classmethod
    def parse(cls, setting: str) -> Allowance:
        item = parse(setting)
        return cls(item.amount, timedelta(seconds=item.get_expiry()))

    def since(self, now: datetime) -> datetime:
        return now - self.window


# Every setting that sizes a window over failed_attempt, of any kind: pruning deletes rows of
# every kind, so it keeps them as long as the longest of these windows.
FAILURE_WINDOW_SETTINGS = (
    "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS",
    "LOGIN_FAILURES_PER_ADDRESS",
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK",
    "JOIN_CODE_FAILURES_PER_ADDRESS",
    "RESET_REQUESTS_PER_ADDRESS",
    "RESET_REQUESTS_PER_EMAIL",
)


def allowance_setting(settings: Mapping[str, Any], key: str) -> Allowance:
    """The setting read as an Allowance; ConfigError naming the variable if it cannot be."""
    value = settings[key]
    try:
        allowance = Allowance.parse(str(value))
    except ValueError:
        allowance = None
    if allowance is None or allowance.amount < 1:
        raise ConfigError(
            f"PARLEY_{key} must read like '10 per 15 minutes' (at least 1), not {value!r}"
        )
    return allowance


# The window of the one allowance that is not a setting: confirmation mails per address
# (parley.accounts.sign_up_confirmation.MAILS_PER_ADDRESS).
CONFIRM_MAIL_WINDOW = timedelta(hours=1)


def kept_for(settings: Mapping[str, Any]) -> timedelta:
    """How long failures are kept: the longest window of any kind, set or fixed, so that no
    pruner deletes rows another kind still counts."""
    return max(
        [CONFIRM_MAIL_WINDOW]
        + [
            allowance_setting(settings, key).window
            for key in FAILURE_WINDOW_SETTINGS
            if key in settings
        ]
    )


def record_failure(
    session: Session, kind: str, address: str, account: str = "", now: datetime | None = None
) -> None:
    session.add(
        FailedAttempt(
            kind=kind,
            address=address[:ADDRESS_LENGTH],
            account=account[:ACCOUNT_LENGTH],
            failed_at=now or utcnow(),
        )
    )


def count_failures(
    session: Session,
    kind: str,
    since: datetime,
    *,
    address: str | None = None,
    account: str | None = None,
) -> int:
    """Failures of this kind since a time, by address, by account or by both."""
    query = select(func.count()).where(FailedAttempt.kind == kind, FailedAttempt.failed_at >= since)
    if address is not None:
        query = query.where(FailedAttempt.address == address[:ADDRESS_LENGTH])
    if account is not None:
        query = query.where(FailedAttempt.account == account[:ACCOUNT_LENGTH])
    return session.scalar(query) or 0


def forget_failures(
    session: Session, kind: str, *, address: str | None = None, account: str | None = None
) -> None:
    """Delete the failures of this kind matching an address, an account or both."""
    query = delete(FailedAttempt).where(FailedAttempt.kind == kind)
    if address is not None:
        query = query.where(FailedAttempt.address == address[:ADDRESS_LENGTH])
    if account is not None:
        query = query.where(FailedAttempt.account == account[:ACCOUNT_LENGTH])
    session.execute(query)


def prune_failures(session: Session, older_than: datetime) -> None:
    """Delete failures no window counts any more, so the table stays small."""
    session.execute(delete(FailedAttempt).where(FailedAttempt.failed_at < older_than))


def wait_for_allowance(
    session: Session,
    kind: str,
    allowance: Allowance,
    now: datetime,
    *,
    address: str | None = None,
    account: str | None = None,
) -> timedelta:
    """How long until fewer failures than the allowance are left in its window (by address,
    by account or by both); zero if there already are."""
    since = allowance.since(now)
    found = count_failures(session, kind, since, address=address, account=account)
    if found < allowance.amount:
        return timedelta(0)
    # The count drops below the allowance when its (found - amount + 1)-th oldest failure
    # leaves the window; only a refused try asks, so the common path is the count alone.
    query = select(FailedAttempt.failed_at).where(
        FailedAttempt.kind == kind, FailedAttempt.failed_at >= since
    )
    if address is not None:
        query = query.where(FailedAttempt.address == address[:ADDRESS_LENGTH])
    if account is not None:
        query = query.where(FailedAttempt.account == account[:ACCOUNT_LENGTH])
    leaves = session.scalar(
        query.order_by(FailedAttempt.failed_at).offset(found - allowance.amount).limit(1)
    )
    if leaves is None:  # pruned or forgotten meanwhile
        return timedelta(0)
    return max(leaves + allowance.window - now, timedelta(seconds=1))


def retry_after_seconds(wait: timedelta) -> int:
    """The wait in whole seconds, rounded up, as the Retry-After header gives it."""
    return max(1, math.ceil(wait.total_seconds()))


def in_words(wait: timedelta) -> str:
    """ "14 minutes", "1 minute" or "40 seconds", rounded up."""
    seconds = retry_after_seconds(wait)
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"

"""Failed attempts (wrong passwords, wrong join codes) counted in the database.

Every worker of every host reads the same rows, and a restart forgets nothing, which
Flask-Limiter's embedded memory storage cannot give. Takes a session, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

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

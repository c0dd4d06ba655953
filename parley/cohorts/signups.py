"""Sign-ups through a cohort's invitation, counted in the database per invitation.

A workshop room signs up from one address (the venue's network), so a sign-up that comes
with a cohort's invitation link or join code is limited per cohort, not per address. What is
counted is the sign-ups that happened: accounts created in the window that joined this cohort
in the window (table `membership` joined to `user`), and, with mail configured, sign-ups made
in the window that still wait for their address to be confirmed (`pending_sign_up`: each
sent an e-mail). So no table of its own is needed, every worker and every restart counts
the same rows, and a sign-up that failed (a taken e-mail, a weak password) uses nothing up.
A wrong join code typed on the sign-up form counts as a join-code failure of its address
(parley.cohorts.joining), as on the join page.

Takes a session, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from parley.accounts.failures import (
    Allowance,
    allowance_setting,
    prune_failures,
    record_failure,
    wait_for_allowance,
)
from parley.cohorts import membership
from parley.cohorts.joining import JOIN_CODE, CodeLookup, JoinCodeRules
from parley.models import Cohort, Membership, PendingSignUp, User, utcnow


@dataclass(frozen=True)
class SignUpRules:
    """Sign-ups allowed through one cohort's invitation, and the wrong-code allowance."""

    per_invitation: Allowance
    join_codes: JoinCodeRules

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SignUpRules:
        return cls(
            per_invitation=allowance_setting(settings, "SIGN_UPS_PER_INVITATION"),
            join_codes=JoinCodeRules.from_settings(settings),
        )


def takes_sign_ups(cohort: Cohort | None) -> bool:
    """Whether a sign-up with this cohort's invitation is counted against the invitation; a
    closed cohort's invitation joins no one, so such a sign-up counts as one without."""
    return cohort is not None and cohort.joining_open


def _signed_up_through(cohort_id: int, since: datetime):
    """The times of this cohort's sign-ups since a time: accounts created that joined it, and
    sign-ups still waiting for their address to be confirmed (with mail configured), which
    sent an e-mail each and so use the allowance as much as an account does."""
    accounts = (
        select(User.created_at.label("at"))
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.cohort_id == cohort_id,
            Membership.joined_at >= since,
            User.created_at >= since,
        )
    )
    waiting = select(PendingSignUp.created_at.label("at")).where(
        PendingSignUp.cohort_id == cohort_id, PendingSignUp.created_at >= since
    )
    return union_all(accounts, waiting).subquery()


def count_sign_ups(session: Session, cohort_id: int, since: datetime) -> int:
    """Sign-ups through this cohort since a time: accounts created that joined it, and
    sign-ups waiting for confirmation."""
    times = _signed_up_through(cohort_id, since)
    return session.scalar(select(func.count()).select_from(times)) or 0


def wait_before_signing_up(
    session: Session, rules: SignUpRules, cohort: Cohort, now: datetime | None = None
) -> timedelta:
    """How long until this cohort's invitation takes another sign-up; zero if it does now."""
    now = now or utcnow()
    since = rules.per_invitation.since(now)
    found = count_sign_ups(session, cohort.id, since)
    if found < rules.per_invitation.amount:
        return timedelta(0)
    # The count drops below the allowance when its (found - amount + 1)-th oldest sign-up
    # leaves the window.
    times = _signed_up_through(cohort.id, since)
    leaves = session.scalar(
        select(times.c.at).order_by(times.c.at).offset(found - rules.per_invitation.amount).limit(1)
    )
    if leaves is None:  # left the cohort meanwhile
        return timedelta(0)
    return max(leaves + rules.per_invitation.window - now, timedelta(seconds=1))


def cohort_for_code(session: Session, rules: SignUpRules, code: str, address: str) -> CodeLookup:
    """The cohort whose join code was typed on the sign-up form, unless this address must
    wait first; a code that matches no cohort counts as a failure of the address."""
    now = utcnow()
    allowance = rules.join_codes.allowance
    wait = wait_for_allowance(session, JOIN_CODE, allowance, now, address=address)
    if wait:
        return CodeLookup(None, wait)
    cohort = membership.cohort_by_code(session, code)
    if cohort is None:
        record_failure(session, JOIN_CODE, address, "", now)
        prune_failures(session, now - rules.join_codes.keep_for)
    return CodeLookup(cohort)

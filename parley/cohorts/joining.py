"""What an invitation shows, and joining by code with wrong codes throttled.

A closed cohort's invitation names the cohort to its members only. A code that matches no
cohort is a failure (parley.accounts.failures, kind "join-code"), counted in the database per
address and per account, so every worker counts together and a restart forgets nothing. Once
either count reaches the allowance, a try is refused without looking the code up and records
nothing. A right code does not wipe the count: one known code would otherwise reset it between
guesses. Takes a session, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from parley.accounts.failures import (
    Allowance,
    allowance_setting,
    kept_for,
    prune_failures,
    record_failure,
    wait_for_allowance,
)
from parley.cohorts import membership
from parley.models import Cohort, utcnow

JOIN_CODE = "join-code"


@dataclass(frozen=True)
class Invitation:
    """A cohort reached by its invitation link, as one visitor (signed in or not) sees it."""

    cohort: Cohort
    member: bool = False
    removed: bool = False

    @property
    def names_cohort(self) -> bool:
        """Members always see the cohort; others only while it takes new members."""
        return self.member or self.cohort.joining_open


def invitation(session: Session, token: str, user_id: int | None) -> Invitation | None:
    """The invitation behind a link, for this account (None: not signed in); None if the
    link is not, or no longer, valid."""
    cohort = membership.cohort_by_invite(session, token)
    if cohort is None:
        return None
    if user_id is None:
        return Invitation(cohort)
    return Invitation(
        cohort,
        member=membership.is_member(session, cohort.id, user_id),
        removed=membership.is_removed(session, cohort.id, user_id),
    )


@dataclass(frozen=True)
class JoinCodeRules:
    """Wrong join codes allowed per address, and the same per account; how long failures
    of any kind are kept (pruning deletes them all, so as long as the longest window)."""

    allowance: Allowance
    keep_for: timedelta

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> JoinCodeRules:
        return cls(
            allowance=allowance_setting(settings, "JOIN_CODE_FAILURES_PER_ADDRESS"),
            keep_for=kept_for(settings),
        )


@dataclass(frozen=True)
class CodeLookup:
    """The cohort a code belongs to, or None; wait > 0 if the try was refused unchecked."""

    cohort: Cohort | None
    wait: timedelta = timedelta(0)


def _account(user_id: int) -> str:
    return str(user_id)


def wait_before_trying(
    session: Session, rules: JoinCodeRules, address: str, user_id: int, now: datetime | None = None
) -> timedelta:
    """How long this address and account must wait before trying a code; zero if they may
    try now."""
    now = now or utcnow()
    return max(
        wait_for_allowance(session, JOIN_CODE, rules.allowance, now, address=address),
        wait_for_allowance(session, JOIN_CODE, rules.allowance, now, account=_account(user_id)),
    )


def look_up_code(
    session: Session, rules: JoinCodeRules, code: str, address: str, user_id: int
) -> CodeLookup:
    """The cohort with this code, unless this address or account must wait first; a code
    that matches no cohort counts as a failure."""
    now = utcnow()
    wait = wait_before_trying(session, rules, address, user_id, now)
    if wait:
        return CodeLookup(None, wait)
    cohort = membership.cohort_by_code(session, code)
    if cohort is None:
        record_failure(session, JOIN_CODE, address, _account(user_id), now)
        prune_failures(session, now - rules.keep_for)
    return CodeLookup(cohort)

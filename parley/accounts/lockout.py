"""Lock-outs after failed log-ins, as OWASP advises: per account and address, per address,
and a slow lane for an account under attack, so a guesser can never lock its owner out.

Failures are rows of parley.accounts.failures (kind "login"), so every worker of every host
counts together and a restart forgets nothing. A try that is refused checks no password and
records nothing: hammering a lock does not lengthen it, nor grow the table. Takes a session,
never commits.
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
    count_failures,
    forget_failures,
    kept_for,
    prune_failures,
    record_failure,
    wait_for_allowance,
)
from parley.accounts.users import authenticate, normalise_email
from parley.models import User, utcnow

LOGIN = "login"


@dataclass(frozen=True)
class LoginRules:
    """The allowances of failed log-ins, and how long failures are kept."""

    per_account_and_address: Allowance
    per_address: Allowance
    per_account: Allowance
    when_under_attack: Allowance
    keep_for: timedelta

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> LoginRules:
        return cls(
            per_account_and_address=allowance_setting(
                settings, "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS"
            ),
            per_address=allowance_setting(settings, "LOGIN_FAILURES_PER_ADDRESS"),
            per_account=allowance_setting(settings, "LOGIN_FAILURES_PER_ACCOUNT"),
            when_under_attack=allowance_setting(settings, "LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK"),
            keep_for=kept_for(settings),
        )


def under_attack(session: Session, rules: LoginRules, account: str, now: datetime) -> bool:
    """More failures for this account, from anywhere, than its allowance."""
    since = rules.per_account.since(now)
    return count_failures(session, LOGIN, since, account=account) > rules.per_account.amount


def wait_before_trying(
    session: Session, rules: LoginRules, address: str, email: str, now: datetime | None = None
) -> timedelta:
    """How long this address must wait before it may try a password for this e-mail, known
    or not; zero if it may try now. An address with no failures for an account is refused
    only by its own failures on other accounts."""
    now = now or utcnow()
    account = normalise_email(email)
    waits = [
        wait_for_allowance(
            session, LOGIN, rules.per_account_and_address, now, address=address, account=account
        ),
        wait_for_allowance(session, LOGIN, rules.per_address, now, address=address, account=None),
    ]
    if under_attack(session, rules, account, now):
        waits.append(
            wait_for_allowance(
                session, LOGIN, rules.when_under_attack, now, address=address, account=account
            )
        )
    return max(waits)


def record_login_failure(
    session: Session, rules: LoginRules, address: str, email: str, now: datetime | None = None
) -> None:
    """Count a wrong password for this e-mail from this address; drop failures too old for
    any window (indexed on failed_at, so cheap)."""
    now = now or utcnow()
    record_failure(session, LOGIN, address, normalise_email(email), now)
    prune_failures(session, now - rules.keep_for)


def forget_login_failures(session: Session, address: str, email: str) -> None:
    """A right password: this address's failures for this account no longer count."""
    forget_failures(session, LOGIN, address=address, account=normalise_email(email))


@dataclass(frozen=True)
class LoginTry:
    """The outcome of a log-in: the account, or None; wait > 0 if it was refused unchecked."""

    user: User | None
    wait: timedelta = timedelta(0)


def try_login(
    session: Session, rules: LoginRules, address: str, email: str, password: str
) -> LoginTry:
    """Check the password unless this address must wait; count a failure or forget them.

    Known and unknown e-mails take the same path: same queries, one password hash, one row.
    """
    wait = wait_before_trying(session, rules, address, email)
    if wait:
        return LoginTry(None, wait)
    user = authenticate(session, email, password)
    if user is None:
        record_login_failure(session, rules, address, email)
    else:
        forget_login_failures(session, address, email)
    return LoginTry(user)

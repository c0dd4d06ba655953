"""Coarse per-address request limits, sign-up limits, and the rules read once at start-up.

Failed log-ins are counted in the database (parley.accounts.lockout), so every worker and
every restart shares them. Flask-Limiter only caps how many log-in POSTs one address sends,
whatever their outcome, and how many sign-ups without an invitation one address tries: per
worker with its default memory storage, per site with Redis. Sign-ups through an invitation
are counted per invitation in the database instead (parley.cohorts.signups; docs/operations.md,
"6. Rate limits").
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask.blueprints import BlueprintSetupState
from flask_limiter.util import get_remote_address
from limits import parse_many

from parley.accounts.failures import in_words, retry_after_seconds
from parley.accounts.lockout import LoginRules
from parley.cohorts.signups import SignUpRules, takes_sign_ups, wait_before_signing_up
from parley.config import ConfigError
from parley.extensions import db, limiter
from parley.models import Cohort

login_per_address = limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS"],
    key_func=get_remote_address,
    methods=["POST"],
    scope="login-address",
)

RULES = "parley_login_rules"
SIGN_UP_RULES = "parley_sign_up_rules"


def keep_login_rules(state: BlueprintSetupState) -> None:
    """Read the lock-out and sign-up settings as the blueprint is registered: a bad one stops
    the start."""
    state.app.extensions[RULES] = LoginRules.from_settings(state.app.config)
    state.app.extensions[SIGN_UP_RULES] = SignUpRules.from_settings(state.app.config)
    per_address = state.app.config["REGISTER_LIMITS"]
    try:
        parse_many(str(per_address))
    except ValueError as exc:
        message = f"REGISTER_LIMITS must read like '10 per hour', not {per_address!r}"
        raise ConfigError(message) from exc


def login_rules() -> LoginRules:
    return current_app.extensions[RULES]


def sign_up_rules() -> SignUpRules:
    return current_app.extensions[SIGN_UP_RULES]


@dataclass(frozen=True)
class SignUpWait:
    """A refused sign-up: how long to wait, and what the form says."""

    wait: timedelta
    reason: str

    @property
    def message(self) -> str:
        return f"{self.reason} Try again in {in_words(self.wait)}."

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(retry_after_seconds(self.wait))}


PER_ADDRESS = "Too many sign-ups from this network."
PER_INVITATION = "Too many sign-ups through this invitation."


def sign_up_wait(cohort: Cohort | None) -> SignUpWait | None:
    """Count a sign-up about to be made; None if it may go ahead. One that brings an open
    cohort's invitation (link or join code) is limited per invitation, in the database; any
    other per address, by Flask-Limiter's REGISTER_LIMITS."""
    if takes_sign_ups(cohort):
        wait = wait_before_signing_up(db.session, sign_up_rules(), cohort)
        return SignUpWait(wait, PER_INVITATION) if wait else None
    wait = _address_wait()
    return SignUpWait(wait, PER_ADDRESS) if wait else None


def _address_wait() -> timedelta:
    """Count this sign-up against its address's REGISTER_LIMITS; the wait if one is used up."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return timedelta(0)
    address = get_remote_address()
    longest = 0.0
    for item in parse_many(current_app.config["REGISTER_LIMITS"]):
        if not limiter.limiter.hit(item, "sign-up-address", address):
            reset_at = limiter.limiter.get_window_stats(item, "sign-up-address", address)[0]
            longest = max(longest, reset_at - time.time(), 1.0)
    return timedelta(seconds=longest)

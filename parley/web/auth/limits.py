"""Coarse per-address request limits, and the log-in lock-out rules read once at start-up.

Failed log-ins are counted in the database (parley.accounts.lockout), so every worker and
every restart shares them. Flask-Limiter only caps how many log-in and sign-up POSTs one
address sends, whatever their outcome: per worker with its default memory storage, per site
with Redis (docs/operations.md, "5. Rate limits").
"""

from flask import current_app
from flask.blueprints import BlueprintSetupState
from flask_limiter.util import get_remote_address

from parley.accounts.lockout import LoginRules
from parley.extensions import limiter

login_per_address = limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS"],
    key_func=get_remote_address,
    methods=["POST"],
    scope="login-address",
)
register_per_address = limiter.limit(
    lambda: current_app.config["REGISTER_LIMITS"],
    key_func=get_remote_address,
    methods=["POST"],
    scope="register",
)

RULES = "parley_login_rules"


def keep_login_rules(state: BlueprintSetupState) -> None:
    """Read the lock-out settings as the blueprint is registered: a bad one stops the start."""
    state.app.extensions[RULES] = LoginRules.from_settings(state.app.config)


def login_rules() -> LoginRules:
    return current_app.extensions[RULES]

"""Throttle log-in per address and per account, and registration per address."""

from flask import current_app, request
from flask_limiter.util import get_remote_address

from parley.accounts.users import normalise_email
from parley.extensions import limiter


def _account_key() -> str:
    return "account:" + normalise_email(request.form.get("email", ""))[:320]


def _failed(response) -> bool:
    """Count only attempts that did not log in (a success redirects)."""
    return response.status_code != 302


login_per_address = limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS"],
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-address",
)
login_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_LIMITS"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
register_per_address = limiter.limit(
    lambda: current_app.config["REGISTER_LIMITS"],
    key_func=get_remote_address,
    methods=["POST"],
    scope="register",
)

"""Configuration: defaults in code, then instance/config.py, then PARLEY_* environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENT_KEYS = {
    "PARLEY_ENV": "ENV",
    "PARLEY_DATABASE_URL": "DATABASE_URL",
    "PARLEY_COURSES_DIR": "COURSES_DIR",
    "PARLEY_QUIZZES_DIR": "QUIZZES_DIR",
    "PARLEY_RENDER_CACHE_DIR": "RENDER_CACHE_DIR",
    "PARLEY_SECURE_COOKIES": "SESSION_COOKIE_SECURE",
    "PARLEY_SECRET_KEY": "SECRET_KEY",
    "PARLEY_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "PARLEY_LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS",
    "PARLEY_LOGIN_FAILURES_PER_ADDRESS": "LOGIN_FAILURES_PER_ADDRESS",
    "PARLEY_LOGIN_FAILURES_PER_ACCOUNT": "LOGIN_FAILURES_PER_ACCOUNT",
    "PARLEY_LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK": "LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK",
    "PARLEY_JOIN_CODE_FAILURES_PER_ADDRESS": "JOIN_CODE_FAILURES_PER_ADDRESS",
    "PARLEY_SIGN_UPS_PER_INVITATION": "SIGN_UPS_PER_INVITATION",
    "PARLEY_SESSION_IDLE_DAYS": "SESSION_IDLE_DAYS",
    "PARLEY_BASE_URL": "BASE_URL",
    "PARLEY_TRUSTED_HOSTS": "TRUSTED_HOSTS",
    "PARLEY_PROXY_HOPS": "PROXY_HOPS",
    "PARLEY_MAIL_URL": "MAIL_URL",
    "PARLEY_MAIL_FROM": "MAIL_FROM",
    "PARLEY_MAIL_TIMEOUT": "MAIL_TIMEOUT",
    "PARLEY_RESET_REQUESTS_PER_ADDRESS": "RESET_REQUESTS_PER_ADDRESS",
    "PARLEY_RESET_REQUESTS_PER_EMAIL": "RESET_REQUESTS_PER_EMAIL",
    "SECRET_KEY": "SECRET_KEY",
}
BOOLEAN_KEYS = {"SESSION_COOKIE_SECURE"}
INTEGER_KEYS = {"SESSION_IDLE_DAYS", "PROXY_HOPS", "MAIL_TIMEOUT"}
LIST_KEYS = {"TRUSTED_HOSTS"}  # comma-separated in the environment


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        "ENV": "development",
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{instance_path / 'parley.db'}",
        "COURSES_DIR": str(PROJECT_ROOT / "courses"),
        "QUIZZES_DIR": str(PROJECT_ROOT / "quizzes"),
        # Rendered lessons kept between starts; None renders every lesson at every start.
        "RENDER_CACHE_DIR": str(instance_path / "render-cache"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # and a remembered session's life
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "PASSWORD_HASH_METHOD": "scrypt",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,  # see web/support/errors.py: Retry-After
        # Coarse, per address, whatever the outcome (Flask-Limiter): log-in and password POSTs.
        "LOGIN_LIMITS": "60 per minute",
        "REGISTER_LIMITS": "10 per hour",
        # Failed log-ins, counted in the database so every worker and restart shares them
        # (OWASP's lockout guidance; see docs/operations.md).
        "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "10 per 15 minutes",
        "LOGIN_FAILURES_PER_ADDRESS": "50 per hour",
        "LOGIN_FAILURES_PER_ACCOUNT": "100 per hour",
        "LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK": "1 per minute",
        "JOIN_CODE_FAILURES_PER_ADDRESS": "10 per 15 minutes",
        # Sign-ups through one cohort's invitation (link or join code), from any address,
        # counted in the database; a room of 200 signs up in 15 minutes.
        "SIGN_UPS_PER_INVITATION": "300 per 15 minutes",
        "SESSION_IDLE_DAYS": 14,
        # The address every absolute URL the app writes starts with, e.g.
        # "https://parley.example.org"; None uses the request's own host (development).
        "BASE_URL": None,
        "TRUSTED_HOSTS": None,
        "PROXY_HOPS": 0,  # reverse proxies in front of the app whose X-Forwarded-* to trust
        "WTF_CSRF_TIME_LIMIT": None,
        # Mail (parley/mail.py, docs/operations.md "Mail"): "smtp://user:pass@host:587"
        # (STARTTLS), "smtps://user:pass@host:465" or "smtp://host:25?starttls=0" (a plain
        # relay); None writes mail to instance/outbox/ in development and sends none elsewhere.
        "MAIL_URL": None,
        "MAIL_FROM": None,  # required with MAIL_URL outside development
        "MAIL_TIMEOUT": 10,  # seconds for each step of a conversation with the mail server
        "MAIL_OUTBOX": str(instance_path / "outbox"),  # development without MAIL_URL
        # Password-reset requests, counted in the database (kind "reset") whatever the outcome.
        "RESET_REQUESTS_PER_ADDRESS": "20 per hour",
        "RESET_REQUESTS_PER_EMAIL": "3 per hour",
    }


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used; the message says how to fix it."""


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _parsed(key: str, value: str, variable: str) -> Any:
    if key in BOOLEAN_KEYS:
        return _as_bool(value)
    if key in INTEGER_KEYS:
        if not value.strip().isdigit():
            raise ConfigError(f"{variable} must be a whole number, not {value!r}")
        return int(value)
    if key in LIST_KEYS:
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given by PARLEY_* (and SECRET_KEY) environment variables."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for variable, key in ENVIRONMENT_KEYS.items():
        if environ.get(variable):
            settings[key] = _parsed(key, environ[variable], variable)
    return settings


def content_dirs(environ: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Return the courses and quizzes folders without building an app."""
    settings = {**defaults(PROJECT_ROOT / "instance"), **from_environment(environ)}
    return Path(settings["COURSES_DIR"]), Path(settings["QUIZZES_DIR"])


def development_secret_key(instance_path: Path) -> str:
    """Read instance/secret_key, creating it once with mode 600."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


MIN_SECRET_LENGTH = 32
MIN_SECRET_VARIETY = 10  # different characters: "x" * 32 is long but not random


def check_production_secret(key: str) -> None:
    """Raise ConfigError unless key looks like at least 32 random characters."""
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < MIN_SECRET_VARIETY:
        raise ConfigError(
            f"SECRET_KEY is too short or too simple for production: it must be at least "
            f"{MIN_SECRET_LENGTH} random characters. Make one with: python3 -c 'import "
            "secrets; print(secrets.token_hex(32))'"
        )


def check_base_url(url: str) -> str:
    """Return url as "scheme://host[:port]", or raise ConfigError saying what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"PARLEY_BASE_URL must be the site's address, such as https://parley.example.org, "
            f"not {url!r}"
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ConfigError(
            f"PARLEY_BASE_URL is the site's address without a path, not {url!r}; behind a "
            "proxy that serves Parley under a path, set PARLEY_PROXY_HOPS and X-Forwarded-Prefix"
        )
    return f"{parts.scheme}://{parts.netloc}"


LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]  # health checks on the machine itself

MAIL_SCHEMES = {"smtp": 587, "smtps": 465}


@dataclass(frozen=True)
class MailServer:
    """PARLEY_MAIL_URL, read: where to send and how."""

    host: str
    port: int
    implicit_tls: bool  # smtps://
    starttls: bool  # smtp:// unless ?starttls=0
    username: str | None
    password: str | None


def parse_mail_url(url: str) -> MailServer:
    """Read PARLEY_MAIL_URL, or raise ConfigError saying what is wrong (without the password)."""
    parts = urlsplit(url.strip())
    shown = f"{parts.scheme}://{parts.hostname or ''}"
    if parts.scheme not in MAIL_SCHEMES or not parts.hostname:
        raise ConfigError(
            "PARLEY_MAIL_URL must read like smtp://user:password@host:587 (STARTTLS), "
            f"smtps://user:password@host:465 or smtp://host:25?starttls=0, not {shown!r}"
        )
    try:
        port = parts.port or MAIL_SCHEMES[parts.scheme]
    except ValueError as exc:
        raise ConfigError(f"PARLEY_MAIL_URL has a port that is not a number ({shown!r})") from exc
    query = parse_qs(parts.query)
    starttls_values = query.pop("starttls", ["1"])
    if query or starttls_values[-1] not in {"0", "1"}:
        raise ConfigError("PARLEY_MAIL_URL takes one option, ?starttls=0 (or 1), and no other")
    implicit_tls = parts.scheme == "smtps"
    starttls = not implicit_tls and starttls_values[-1] == "1"
    username = unquote(parts.username) if parts.username else None
    if username and not (implicit_tls or starttls) and parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigError(
            "PARLEY_MAIL_URL would send a password unencrypted (starttls=0) to "
            f"{parts.hostname}: use STARTTLS or smtps:// (a plain relay takes no password)"
        )
    password = unquote(parts.password) if parts.password else None
    return MailServer(parts.hostname, port, implicit_tls, starttls, username, password)


def finish(config: dict[str, Any], instance_path: Path) -> None:
    """Fill settings that depend on others; raise ConfigError if one is missing."""
    development = config.get("ENV") == "development"
    if not config.get("SECRET_KEY"):
        if not development and not config.get("TESTING"):
            raise ConfigError(
                "SECRET_KEY is required outside development: set the SECRET_KEY environment "
                "variable to a long random string"
            )
        config["SECRET_KEY"] = development_secret_key(instance_path)
    if not development and not config.get("TESTING"):
        check_production_secret(str(config["SECRET_KEY"]))
    if config.get("BASE_URL"):
        config["BASE_URL"] = check_base_url(str(config["BASE_URL"]))
        if config.get("TRUSTED_HOSTS") is None:
            config["TRUSTED_HOSTS"] = [urlsplit(config["BASE_URL"]).hostname, *LOOPBACK_HOSTS]
    elif not development and not config.get("TESTING"):
        raise ConfigError(
            "PARLEY_BASE_URL is required outside development: set it to the address people "
            "use, such as https://parley.example.org, so that invitation links and exports "
            "never take their host from a request"
        )
    if config.get("MAIL_URL"):
        parse_mail_url(str(config["MAIL_URL"]))
        if not config.get("MAIL_FROM") and not development and not config.get("TESTING"):
            raise ConfigError(
                "PARLEY_MAIL_FROM is required with PARLEY_MAIL_URL outside development: set it "
                "to the sender, such as 'Parley <parley@example.org>'"
            )
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not development and not config.get("TESTING")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]

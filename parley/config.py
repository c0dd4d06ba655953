"""Configuration: defaults in code, then instance/config.py, then PARLEY_* environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    "PARLEY_SESSION_IDLE_DAYS": "SESSION_IDLE_DAYS",
    "PARLEY_BASE_URL": "BASE_URL",
    "PARLEY_TRUSTED_HOSTS": "TRUSTED_HOSTS",
    "PARLEY_PROXY_HOPS": "PROXY_HOPS",
    "SECRET_KEY": "SECRET_KEY",
}
BOOLEAN_KEYS = {"SESSION_COOKIE_SECURE"}
INTEGER_KEYS = {"SESSION_IDLE_DAYS", "PROXY_HOPS"}
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
        "SESSION_IDLE_DAYS": 14,
        # The address every absolute URL the app writes starts with, e.g.
        # "https://parley.example.org"; None uses the request's own host (development).
        "BASE_URL": None,
        "TRUSTED_HOSTS": None,
        "PROXY_HOPS": 0,  # reverse proxies in front of the app whose X-Forwarded-* to trust
        "WTF_CSRF_TIME_LIMIT": None,
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
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not development and not config.get("TESTING")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]

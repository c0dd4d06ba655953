"""Password rules: long enough, and not on the list of common passwords we ship."""

from __future__ import annotations

from functools import cache
from importlib import resources

MIN_LENGTH = 10


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("parley").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def password_problem(password: str) -> str | None:
    """Return why a new password is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if password.strip().lower() in common_passwords():
        return "That password is on a list of commonly used passwords; choose another."
    return None

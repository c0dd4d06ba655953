"""Change what a person says about themselves: their name; takes a session, never commits."""

from __future__ import annotations

import unicodedata

from sqlalchemy.orm import Session

from parley.accounts.users import AccountError
from parley.models import User

MAX_NAME = 120  # the width of user.name, and registration's limit


def checked_name(name: str) -> str:
    """The name as stored (trimmed), or raise AccountError with a message for the user."""
    name = name.strip()
    if not name:
        raise AccountError("Enter your name.")
    if len(name) > MAX_NAME:
        raise AccountError(f"Your name can be at most {MAX_NAME} characters.")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise AccountError("Your name cannot contain control characters.")
    return name


def change_name(session: Session, user_id: int, name: str) -> User:
    """Set an account's name; raise AccountError for a bad name or a gone account."""
    checked = checked_name(name)
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("That account no longer exists.")
    user.name = checked
    session.flush()
    return user

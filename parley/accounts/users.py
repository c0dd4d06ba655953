"""Create accounts, check passwords and change roles; takes a session, never commits."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from parley.accounts.sessions import end_other_sessions
from parley.models import ROLES, User


@cache
def _dummy_hash() -> str:
    """A real hash, so that an unknown email costs as much time as a wrong password."""
    return generate_password_hash("parley-timing-equaliser")


class AccountError(ValueError):
    """Raised when an account operation cannot be done; the message is for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


DEFAULT_HASH = "scrypt"


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    role: str = "learner",
    hash_method: str = DEFAULT_HASH,
) -> User:
    """Add a new account; raise AccountError if the email is taken or the role unknown."""
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}' (choose from {', '.join(ROLES)})")
    if find_user_by_email(session, email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the user whose email and password match, else None."""
    user = find_user_by_email(session, email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def set_role(session: Session, email: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}' (choose from {', '.join(ROLES)})")
    user = find_user_by_email(session, email)
    if user is None:
        raise AccountError(f"no account with email {normalise_email(email)}")
    user.role = role
    return user


def change_password(
    session: Session,
    user_id: int,
    current: str,
    new: str,
    *,
    keep_token: str,
    hash_method: str = DEFAULT_HASH,
) -> User:
    """Set a new password and end every session of this account but keep_token's (the
    browser that changed it); return the account."""
    user = session.get(User, user_id)
    if user is None or not check_password_hash(user.password_hash, current):
        raise AccountError("Your current password is not correct.")
    user.password_hash = generate_password_hash(new, method=hash_method)
    end_other_sessions(session, user_id, keep_token)
    return user

"""What operators do to accounts from the command line: list, set a password, delete.
Takes a session, never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.accounts.users import AccountError, find_user_by_email, normalise_email
from parley.models import Cohort, User


def list_users(session: Session, role: str | None = None) -> list[User]:
    """Every account (or every one with this role), oldest first."""
    query = select(User).order_by(User.created_at, User.id)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def user_by_email(session: Session, email: str) -> User:
    """The account with this e-mail; AccountError naming it if there is none."""
    user = find_user_by_email(session, email)
    if user is None:
        raise AccountError(f"no account with email {normalise_email(email)}")
    return user


def owned_cohort_names(session: Session, user_id: int) -> list[str]:
    return list(
        session.scalars(select(Cohort.name).where(Cohort.owner_id == user_id).order_by(Cohort.name))
    )


def delete_user(session: Session, user: User) -> None:
    """Delete the account with its sessions, progress, attempts and memberships (the
    database's ON DELETE CASCADE); AccountError if it still owns cohorts, naming them."""
    owned = owned_cohort_names(session, user.id)
    if owned:
        names = ", ".join(f"“{name}”" for name in owned)
        raise AccountError(
            f"{user.email} still owns {len(owned)} cohort{'s' if len(owned) != 1 else ''}: "
            f"{names}. Transfer them to another instructor or delete them first."
        )
    session.delete(user)
    session.flush()

"""What operators do to accounts from the command line: list, set a password, delete.
Takes a session, never commits."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parley.accounts.users import AccountError, find_user_by_email, normalise_email
from parley.models import Cohort, FailedAttempt, PendingSignUp, User


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
    """Delete the account with its sessions, progress, attempts with their answers,
    memberships, removals, extensions and reminder records (the database's ON DELETE
    CASCADE), and the failed log-ins, reset requests and waiting sign-ups under its e-mail;
    AccountError if it still owns cohorts, naming them. The one deletion of an account:
    `flask users delete` and the account page's both come here."""
    owned = owned_cohort_names(session, user.id)
    if owned:
        names = ", ".join(f"“{name}”" for name in owned)
        raise AccountError(
            f"{user.email} still owns {len(owned)} cohort{'s' if len(owned) != 1 else ''}: "
            f"{names}. Transfer them to another instructor or delete them first."
        )
    session.execute(delete(FailedAttempt).where(FailedAttempt.account == user.email))
    session.execute(delete(PendingSignUp).where(PendingSignUp.email == user.email))
    session.delete(user)
    session.flush()

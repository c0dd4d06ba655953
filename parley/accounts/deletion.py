"""Deleting one's own account, confirmed by its password.

The deletion is parley.accounts.operations.delete_user, the one `flask users delete` runs:
the account goes with its sessions (so every browser, remembered or not, is logged out),
progress, attempts and answers, memberships, and the failed log-ins recorded under its
e-mail. Nothing is kept apart: question analysis and weak spots count the answers of a
cohort's current members, so a deleted account's answers stop counting with it. An account
that owns cohorts is refused before its password is checked. Takes a session, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from parley.accounts.operations import delete_user
from parley.accounts.users import AccountError
from parley.models import Cohort, User

WRONG_PASSWORD = "Your password is not correct. Nothing was deleted."


@dataclass(frozen=True)
class OwnedCohort:
    id: int
    name: str


def owned_cohorts(session: Session, user_id: int) -> list[OwnedCohort]:
    """The cohorts this account owns, by name."""
    query = select(Cohort.id, Cohort.name).where(Cohort.owner_id == user_id)
    return [OwnedCohort(*row) for row in session.execute(query.order_by(Cohort.name, Cohort.id))]


class StillOwnsCohorts(AccountError):
    """The account owns cohorts: they must be handed over or deleted first."""

    def __init__(self, cohorts: list[OwnedCohort]) -> None:
        self.cohorts = cohorts
        one = len(cohorts) == 1
        number = f"{len(cohorts)} cohort{'' if one else 's'}"
        them = "it" if one else "them"
        super().__init__(
            f"You still own {number}. Delete {them}, or ask an operator to hand {them} to "
            "another instructor, before you delete your account. Nothing was deleted."
        )


class WrongPassword(AccountError):
    """The password given to confirm the deletion is not the account's."""


def delete_own_account(session: Session, user_id: int, password: str) -> str:
    """Delete this account if password is its own; return the e-mail it had. Raise
    StillOwnsCohorts (password unchecked) or WrongPassword, and delete nothing."""
    owned = owned_cohorts(session, user_id)
    if owned:
        raise StillOwnsCohorts(owned)
    user = session.get(User, user_id)
    if user is None or not check_password_hash(user.password_hash, password):
        raise WrongPassword(WRONG_PASSWORD)
    email = user.email
    delete_user(session, user)
    return email

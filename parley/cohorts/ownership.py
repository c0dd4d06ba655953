"""Who owns a cohort, handing it to another instructor, and deleting it.

An instructor's account cannot be deleted while it owns cohorts (parley.accounts.operations):
an operator transfers them (`flask cohorts transfer`) or the instructor deletes them. Deleting
a cohort removes its memberships, removals (blocks), assignments with their extensions and
sent-reminder records, and its daily summaries (the database's ON DELETE CASCADE); the
learners' own lesson progress and quiz attempts stay with their accounts. Takes a session,
never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from parley.accounts.users import find_user_by_email, normalise_email
from parley.cohorts import membership
from parley.cohorts.membership import CohortError
from parley.models import (
    Assignment,
    Cohort,
    CohortBlock,
    DueDateOverride,
    Membership,
    PendingSignUp,
    User,
)


@dataclass(frozen=True)
class CohortListing:
    """One line of `flask cohorts list`."""

    id: int
    name: str
    owner_email: str
    members: int
    workshop_date: date


def list_cohorts(session: Session) -> list[CohortListing]:
    """Every cohort with its owner's e-mail and member count, by workshop date then id."""
    members = (
        select(Membership.cohort_id, func.count().label("members"))
        .group_by(Membership.cohort_id)
        .subquery()
    )
    query = (
        select(
            Cohort.id,
            Cohort.name,
            User.email,
            func.coalesce(members.c.members, 0),
            Cohort.workshop_date,
        )
        .join(User, User.id == Cohort.owner_id)
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .order_by(Cohort.workshop_date, Cohort.id)
    )
    return [CohortListing(*row) for row in session.execute(query)]


def cohort_by_id(session: Session, cohort_id: int) -> Cohort:
    """The cohort with this id; CohortError naming the id if there is none."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise CohortError(f"no cohort has id {cohort_id}")
    return cohort


@dataclass(frozen=True)
class CohortContents:
    """What deleting a cohort removes, counted for the confirmation."""

    members: int
    assignments: int
    extensions: int
    removed: int


def cohort_contents(session: Session, cohort_id: int) -> CohortContents:
    def count(query) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return CohortContents(
        members=count(select(Membership.id).where(Membership.cohort_id == cohort_id)),
        assignments=count(select(Assignment.id).where(Assignment.cohort_id == cohort_id)),
        extensions=count(
            select(DueDateOverride.id)
            .join(Assignment, Assignment.id == DueDateOverride.assignment_id)
            .where(Assignment.cohort_id == cohort_id)
        ),
        removed=count(select(CohortBlock.id).where(CohortBlock.cohort_id == cohort_id)),
    )


def delete_cohort(session: Session, cohort: Cohort) -> None:
    """Delete the cohort with its memberships, blocks, assignments and extensions. A sign-up
    still waiting for its e-mail to be confirmed keeps going, without the cohort."""
    session.execute(
        update(PendingSignUp).where(PendingSignUp.cohort_id == cohort.id).values(cohort_id=None)
    )
    session.delete(cohort)
    session.flush()


@dataclass(frozen=True)
class Transfer:
    """A cohort handed over: its name, the old and new owners' e-mails, and whether the new
    owner's membership of it ended."""

    cohort_id: int
    cohort_name: str
    old_owner: str
    new_owner: str
    membership_ended: bool


def transfer_cohort(session: Session, cohort_id: int, new_owner_email: str) -> Transfer:
    """Hand a cohort to another instructor. CohortError for an unknown cohort or e-mail, a
    learner, or the owner it already has.

    An instructor does not learn in their own cohort, so a new owner who was a member (or was
    removed from it) stops being one; their progress and attempts stay with their account.
    """
    cohort = cohort_by_id(session, cohort_id)
    address = normalise_email(new_owner_email)
    new_owner = find_user_by_email(session, address)
    if new_owner is None:
        raise CohortError(f"no account with email {address}")
    if new_owner.role != "instructor":
        raise CohortError(
            f"{address} is a learner; only an instructor can own a cohort "
            f"(flask users set-role {address} instructor)"
        )
    if new_owner.id == cohort.owner_id:
        raise CohortError(f"{address} already owns “{cohort.name}”")
    old_owner = session.get(User, cohort.owner_id)
    ended = membership.leave(session, cohort.id, new_owner.id)
    membership.allow_back(session, cohort.id, new_owner.id)
    cohort.owner_id = new_owner.id
    session.flush()
    return Transfer(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        old_owner=old_owner.email if old_owner else "",
        new_owner=new_owner.email,
        membership_ended=ended,
    )

"""Cohorts, invitations, members, removals, assignments, due dates; takes a session, no commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parley.accounts.time_zones import checked_time_zone
from parley.content import Course
from parley.models import Assignment, Cohort, CohortBlock, DueDateOverride, Membership, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8


# Said to people who are not members: neither names the cohort.
CLOSED = "This cohort is not taking new members. Ask your instructor."
REMOVED = "Your instructor removed you from this cohort. Ask them to allow you back."


class CohortError(ValueError):
    """A cohort action that cannot be done; the message is for the user."""


class Removed(CohortError):
    """A removed member tried to rejoin before the instructor allowed them back."""


class PastDueDate(CohortError):
    """A due date before today in the cohort's time zone."""


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_cohort(
    session: Session,
    *,
    owner_id: int,
    name: str,
    workshop_date: date,
    description: str = "",
    time_zone: str | None = None,
) -> Cohort:
    """A new cohort; raises TimeZoneError for a zone name that is not an IANA one."""
    cohort = Cohort(
        owner_id=owner_id,
        name=name.strip(),
        description=description.strip(),
        workshop_date=workshop_date,
        time_zone=checked_time_zone(time_zone),
        join_code=new_join_code(),
        invite_token=new_invite_token(),
    )
    session.add(cohort)
    session.flush()
    return cohort


def set_time_zone(session: Session, cohort: Cohort, time_zone: str | None) -> bool:
    """Set the zone its due dates are judged in (None: UTC); returns whether it changed."""
    checked = checked_time_zone(time_zone)
    if checked == cohort.time_zone:
        return False
    cohort.time_zone = checked
    session.flush()
    return True


def renew_invitation(session: Session, cohort: Cohort) -> None:
    """Give the cohort a new invitation link and join code; the old ones stop working."""
    cohort.join_code = new_join_code()
    cohort.invite_token = new_invite_token()
    session.flush()


def owned_cohort(session: Session, owner_id: int, cohort_id: int) -> Cohort | None:
    """Return the cohort only if owner_id owns it."""
    cohort = session.get(Cohort, cohort_id)
    return cohort if cohort is not None and cohort.owner_id == owner_id else None


def cohorts_owned_by(session: Session, owner_id: int) -> list[Cohort]:
    query = select(Cohort).where(Cohort.owner_id == owner_id).order_by(Cohort.workshop_date)
    return list(session.scalars(query))


def cohort_by_invite(session: Session, token: str) -> Cohort | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Cohort).where(Cohort.invite_token == token))


def cohort_by_code(session: Session, code: str) -> Cohort | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return session.scalar(select(Cohort).where(Cohort.join_code == code))


def is_member(session: Session, cohort_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(Membership.id).where(
                Membership.cohort_id == cohort_id, Membership.user_id == user_id
            )
        )
        is not None
    )


def is_removed(session: Session, cohort_id: int, user_id: int) -> bool:
    """Whether the instructor removed this account and has not allowed it back."""
    return (
        session.scalar(
            select(CohortBlock.id).where(
                CohortBlock.cohort_id == cohort_id, CohortBlock.user_id == user_id
            )
        )
        is not None
    )


def join(session: Session, cohort: Cohort, user_id: int) -> bool:
    """Add an account to cohort; return False if already a member. Raise Removed if the
    instructor removed it, CohortError if joining is closed: every way in (link, code,
    registering through an invitation) comes here."""
    if is_member(session, cohort.id, user_id):
        return False
    if is_removed(session, cohort.id, user_id):
        raise Removed(REMOVED)
    if not cohort.joining_open:
        raise CohortError(CLOSED)
    if cohort.owner_id == user_id:
        raise CohortError("You run this cohort; instructors do not join their own cohorts.")
    session.add(Membership(cohort_id=cohort.id, user_id=user_id))
    session.flush()
    return True


def leave(session: Session, cohort_id: int, user_id: int) -> bool:
    """End a membership; a learner who leaves may join again."""
    result = session.execute(
        delete(Membership).where(Membership.cohort_id == cohort_id, Membership.user_id == user_id)
    )
    return result.rowcount > 0


def remove_member(session: Session, cohort_id: int, user_id: int) -> bool:
    """End a membership and keep the account from rejoining until allowed back."""
    if not leave(session, cohort_id, user_id):
        return False
    if not is_removed(session, cohort_id, user_id):
        session.add(CohortBlock(cohort_id=cohort_id, user_id=user_id))
    session.flush()
    return True


def allow_back(session: Session, cohort_id: int, user_id: int) -> bool:
    """Lift a removal: the account may join again (it is not added back)."""
    result = session.execute(
        delete(CohortBlock).where(
            CohortBlock.cohort_id == cohort_id, CohortBlock.user_id == user_id
        )
    )
    return result.rowcount > 0


@dataclass(frozen=True)
class DueDateChange:
    module_id: str
    before: date
    after: date


@dataclass(frozen=True)
class Assigned:
    """What an assignment did: modules newly assigned, and due dates moved."""

    due: date
    added: tuple[str, ...]
    moved: tuple[DueDateChange, ...]
    unchanged: tuple[str, ...]  # already assigned with this due date


def _refuse_past(what: str, due: date, today: date | None, cohort: Cohort) -> None:
    """PastDueDate if due is before today (in the cohort's zone); nothing if today is None."""
    if today is not None and due < today:
        raise PastDueDate(
            f"{what} {due.isoformat()} is in the past: today is {today.isoformat()} "
            f"in the cohort's time zone ({cohort.time_zone or 'UTC'}). Choose today or later."
        )


def assign(
    session: Session,
    cohort: Cohort,
    course: Course,
    module_ids: list[str],
    due: date | None,
    today: date | None = None,
) -> Assigned:
    """Assign modules (default due date: the workshop), or move their due date.

    Given today (in the cohort's zone), a due date before it raises PastDueDate and nothing
    changes. The demo leaves it out to make an overdue module."""
    due = due or cohort.workshop_date
    _refuse_past("The due date", due, today, cohort)
    existing = {
        a.module_id: a
        for a in session.scalars(
            select(Assignment).where(
                Assignment.cohort_id == cohort.id, Assignment.course_id == course.id
            )
        )
    }
    added: list[str] = []
    moved: list[DueDateChange] = []
    unchanged: list[str] = []
    for module_id in module_ids:
        if course.module(module_id) is None:
            raise CohortError(f"The course has no module “{module_id}”.")
        row = existing.get(module_id)
        if row is None:
            session.add(
                Assignment(
                    cohort_id=cohort.id, course_id=course.id, module_id=module_id, due_date=due
                )
            )
            added.append(module_id)
        elif row.due_date != due:
            moved.append(DueDateChange(module_id, row.due_date, due))
            row.due_date = due
        else:
            unchanged.append(module_id)
    session.flush()
    return Assigned(due, tuple(added), tuple(moved), tuple(unchanged))


def unassign(session: Session, cohort_id: int, assignment_id: int) -> bool:
    result = session.execute(
        delete(Assignment).where(Assignment.id == assignment_id, Assignment.cohort_id == cohort_id)
    )
    return result.rowcount > 0


def extend_due_date(
    session: Session,
    cohort: Cohort,
    assignment_id: int,
    user_id: int,
    due: date,
    today: date | None = None,
) -> None:
    """Give one learner a later due date for one assignment; given today (in the cohort's
    zone), a date before it raises PastDueDate and nothing changes."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.cohort_id != cohort.id:
        raise CohortError("That assignment is not part of this cohort.")
    if not is_member(session, cohort.id, user_id):
        raise CohortError("That learner is not a member of this cohort.")
    if due <= assignment.due_date:
        raise CohortError("An extension must be later than the cohort's due date.")
    _refuse_past("The extension", due, today, cohort)
    override = session.scalar(
        select(DueDateOverride).where(
            DueDateOverride.assignment_id == assignment_id, DueDateOverride.user_id == user_id
        )
    )
    if override is None:
        session.add(DueDateOverride(assignment_id=assignment_id, user_id=user_id, due_date=due))
    else:
        override.due_date = due
    session.flush()


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    course_id: str
    module_id: str
    due_date: date


def assignments_of(session: Session, cohort_id: int) -> list[AssignmentRow]:
    """The cohort's assignments, oldest first."""
    rows = session.execute(
        select(Assignment.id, Assignment.course_id, Assignment.module_id, Assignment.due_date)
        .where(Assignment.cohort_id == cohort_id)
        .order_by(Assignment.id)
    )
    return [AssignmentRow(*row) for row in rows]


def overrides_of(session: Session, cohort_id: int) -> dict[tuple[int, int], date]:
    """Return {(assignment id, user id): due date} for a cohort."""
    rows = session.execute(
        select(DueDateOverride.assignment_id, DueDateOverride.user_id, DueDateOverride.due_date)
        .join(Assignment, DueDateOverride.assignment_id == Assignment.id)
        .where(Assignment.cohort_id == cohort_id)
    )
    return {(a, u): d for a, u, d in rows}


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    name: str
    email: str


def members_of(session: Session, cohort_id: int, user_id: int | None = None) -> list[MemberRow]:
    """The cohort's members by name; only user_id's row when it is given."""
    query = (
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(User.name, User.id)
    )
    if user_id is not None:
        query = query.where(User.id == user_id)
    return [MemberRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class RemovedRow:
    user_id: int
    name: str
    email: str
    removed_at: datetime


def removed_from(session: Session, cohort_id: int, user_id: int | None = None) -> list[RemovedRow]:
    """The people removed from the cohort and not allowed back, by name; only user_id's row
    when it is given."""
    query = (
        select(User.id, User.name, User.email, CohortBlock.blocked_at)
        .join(CohortBlock, CohortBlock.user_id == User.id)
        .where(CohortBlock.cohort_id == cohort_id)
        .order_by(User.name, User.id)
    )
    if user_id is not None:
        query = query.where(User.id == user_id)
    return [RemovedRow(*row) for row in session.execute(query)]

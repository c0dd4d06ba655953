"""What a learner must finish before each workshop, with status and overdue marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from parley.cohorts.readiness import is_ready
from parley.content import Library
from parley.db import run_statement
from parley.learning.overview import CourseOverview, ModuleOverview
from parley.models import Assignment, Cohort, DueDateOverride, Membership


@dataclass(frozen=True)
class DueItem:
    course_id: str
    overview: ModuleOverview
    due: date
    extended: bool
    overdue: bool


@dataclass(frozen=True)
class CohortDue:
    cohort_id: int
    name: str
    workshop_date: date
    days_left: int
    items: tuple[DueItem, ...]

    @property
    def done(self) -> int:
        return sum(
            1
            for item in self.items
            if is_ready(item.overview.status, item.overview.quiz is not None)
        )


_DUE = (
    select(
        Cohort.id,
        Cohort.name,
        Cohort.workshop_date,
        Assignment.id.label("assignment_id"),
        Assignment.course_id,
        Assignment.module_id,
        Assignment.due_date,
        DueDateOverride.due_date.label("extended_to"),
    )
    .join(Membership, Membership.cohort_id == Cohort.id)
    .outerjoin(Assignment, Assignment.cohort_id == Cohort.id)
    .outerjoin(
        DueDateOverride,
        (DueDateOverride.assignment_id == Assignment.id)
        & (DueDateOverride.user_id == bindparam("user_id")),
    )
    .where(Membership.user_id == bindparam("user_id"))
    .order_by(Cohort.workshop_date, Cohort.id, Assignment.due_date, Assignment.id)
)


def due_for(
    session: Session,
    library: Library,
    user_id: int,
    overviews: dict[str, CourseOverview],
    today: date,
) -> list[CohortDue]:
    """Each cohort the learner is in, with its assignments; one statement."""
    found: list[CohortDue] = []
    cohort: tuple | None = None
    items: list[DueItem] = []
    for row in run_statement(session, _DUE, user_id=user_id):
        if cohort is None or row.id != cohort[0]:
            if cohort is not None:
                found.append(_cohort_due(cohort, items, today))
            cohort, items = (row.id, row.name, row.workshop_date), []
        if row.assignment_id is None:
            continue
        overview = overviews.get(row.course_id)
        module = overview.module(row.module_id) if overview else None
        if module is None or library.course(row.course_id) is None:
            continue
        due = row.extended_to or row.due_date
        ready = is_ready(module.status, module.quiz is not None)
        items.append(
            DueItem(
                row.course_id, module, due, row.extended_to is not None, due < today and not ready
            )
        )
    if cohort is not None:
        found.append(_cohort_due(cohort, items, today))
    return found


def _cohort_due(cohort: tuple, items: list[DueItem], today: date) -> CohortDue:
    cohort_id, name, workshop_date = cohort
    return CohortDue(cohort_id, name, workshop_date, (workshop_date - today).days, tuple(items))

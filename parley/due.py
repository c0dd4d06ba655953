"""What a learner must finish before each workshop, with status and overdue marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.content import Library
from parley.models import Assignment, Cohort, DueDateOverride, Membership
from parley.overview import CourseOverview, ModuleOverview
from parley.readiness import is_ready


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


def due_for(
    session: Session,
    library: Library,
    user_id: int,
    overviews: dict[str, CourseOverview],
    today: date,
) -> list[CohortDue]:
    """Each cohort the learner is in, with its assignments; three statements."""
    cohorts = list(
        session.scalars(
            select(Cohort)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.user_id == user_id)
            .order_by(Cohort.workshop_date, Cohort.id)
        )
    )
    if not cohorts:
        return []
    assignments = list(
        session.scalars(
            select(Assignment)
            .where(Assignment.cohort_id.in_([c.id for c in cohorts]))
            .order_by(Assignment.due_date, Assignment.id)
        )
    )
    overrides = dict(
        session.execute(
            select(DueDateOverride.assignment_id, DueDateOverride.due_date).where(
                DueDateOverride.user_id == user_id,
                DueDateOverride.assignment_id.in_([a.id for a in assignments] or [0]),
            )
        ).all()
    )
    found = []
    for cohort in cohorts:
        items = []
        for assignment in assignments:
            if assignment.cohort_id != cohort.id:
                continue
            overview = overviews.get(assignment.course_id)
            module = overview.module(assignment.module_id) if overview else None
            if module is None or library.course(assignment.course_id) is None:
                continue
            due = overrides.get(assignment.id, assignment.due_date)
            ready = is_ready(module.status, module.quiz is not None)
            items.append(
                DueItem(
                    assignment.course_id,
                    module,
                    due,
                    assignment.id in overrides,
                    due < today and not ready,
                )
            )
        found.append(
            CohortDue(
                cohort.id,
                cohort.name,
                cohort.workshop_date,
                (cohort.workshop_date - today).days,
                tuple(items),
            )
        )
    return found

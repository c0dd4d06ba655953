"""A cohort's readiness grid and weak objectives, rebuilt whenever the data behind them changes.

Building them reads every member's lesson progress, attempts and latest answers (thousands of
rows for a cohort of 500: about 25 ms). The key they are kept under is read on every look
instead, in five small statements, from the rows the grid is built from, whoever wrote them:
the members' names and emails, the assignments and extensions as they are, and counts and sums
over lesson progress and attempts that move with every row added, deleted or completed. An
attempt's answers are written with it and deleted with it, so its row stands for them. Each
worker keeps a few snapshots; several app servers sharing one database each keep their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from parley.cohorts.readiness import (
    ObjectiveStrength,
    Readiness,
    cohort_readiness,
    weak_objectives,
)
from parley.content import Library
from parley.models import Assignment, Attempt, DueDateOverride, LessonProgress, Membership, User

_user, _membership = User.__table__, Membership.__table__
_assignment, _override = Assignment.__table__, DueDateOverride.__table__
_progress, _attempt = LessonProgress.__table__, Attempt.__table__
_member_ids = select(_membership.c.user_id).where(_membership.c.cohort_id == bindparam("cohort_id"))

# Core, built once: every look at the grid reads them; built per request through the ORM,
# 2 ms more, a quarter of the page (make bench, instructor grid p99).
_KEY = (
    select(_user.c.id, _user.c.name, _user.c.email)
    .join(_membership, _membership.c.user_id == _user.c.id)
    .where(_membership.c.cohort_id == bindparam("cohort_id"))
    .order_by(_user.c.id),
    select(
        _assignment.c.id, _assignment.c.course_id, _assignment.c.module_id, _assignment.c.due_date
    )
    .where(_assignment.c.cohort_id == bindparam("cohort_id"))
    .order_by(_assignment.c.id),
    select(_override.c.assignment_id, _override.c.user_id, _override.c.due_date)
    .join(_assignment, _override.c.assignment_id == _assignment.c.id)
    .where(_assignment.c.cohort_id == bindparam("cohort_id"))
    .order_by(_override.c.id),
    # A row added or deleted changes the count and the sum of ids, a lesson completed or not
    # the same over completed rows. SQLite may give a new row the id of the newest row
    # deleted, so the newest creation time counts too.
    select(
        func.count(),
        func.sum(_progress.c.id),
        func.max(_progress.c.first_opened_at),
        func.count(_progress.c.completed_at),
        func.sum(case((_progress.c.completed_at.is_not(None), _progress.c.id), else_=0)),
    ).where(_progress.c.user_id.in_(_member_ids)),
    select(
        func.count(),
        func.sum(_attempt.c.id),
        func.max(_attempt.c.submitted_at),
        func.sum(_attempt.c.score),
        func.sum(case((_attempt.c.passed, 1), else_=0)),
    ).where(_attempt.c.user_id.in_(_member_ids)),
)


def grid_key(session: Session, cohort_id: int, today: date) -> tuple:
    """What a cohort's grid is built from: equal keys give equal grids."""
    found = (session.execute(query, {"cohort_id": cohort_id}).all() for query in _KEY)
    return (today, *(tuple(map(tuple, rows)) for rows in found))


@dataclass(frozen=True)
class CohortSnapshot:
    readiness: Readiness  # rows by name
    weak: tuple[ObjectiveStrength, ...]


class CohortSnapshots:
    """The latest snapshot of a few cohorts, each kept with the key it was built from."""

    def __init__(self, library: Library, capacity: int = 16) -> None:
        self._library = library
        self._capacity = capacity
        self._entries: OrderedDict[int, tuple[tuple, CohortSnapshot]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, cohort_id: int, today: date) -> CohortSnapshot:
        """Return the cohort's snapshot, rebuilding it only if its key has changed."""
        key = grid_key(session, cohort_id, today)
        with self._lock:
            kept = self._entries.get(cohort_id)
            if kept is not None and kept[0] == key:
                self._entries.move_to_end(cohort_id)
                return kept[1]
        readiness = cohort_readiness(session, self._library, cohort_id, today)
        weak = weak_objectives(session, self._library, cohort_id, readiness.course_ids)
        snapshot = CohortSnapshot(readiness, tuple(weak))
        with self._lock:
            self._entries[cohort_id] = (key, snapshot)
            self._entries.move_to_end(cohort_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return snapshot

    def forget(self, cohort_id: int) -> None:
        """Drop a deleted cohort's snapshot from this worker. Other workers keep theirs until
        it is pushed out, but never serve it: the cohort's pages look the cohort up first, and
        a new cohort given the same id (SQLite reuses the highest) has rows of its own, so a
        key of its own."""
        with self._lock:
            self._entries.pop(cohort_id, None)

    def __contains__(self, cohort_id: int) -> bool:
        with self._lock:
            return cohort_id in self._entries

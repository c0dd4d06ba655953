"""A cohort's readiness grid and weak objectives, reused while nothing they show has changed.

Building them reads every member's lesson progress and attempts (thousands of rows for a
cohort of 500); checking whether any of that changed takes four small statements. Each
worker keeps a few snapshots; the check runs on every request, so a snapshot is never
stale, and several app servers sharing one database each keep their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.cohorts.membership import assignments_of, overrides_of
from parley.cohorts.readiness import (
    COHORT_MEMBER_IDS,
    ObjectiveStrength,
    Readiness,
    cohort_readiness,
    weak_objectives,
)
from parley.content import Library
from parley.db import run_statement
from parley.models import Attempt, LessonProgress, Membership

_MEMBER_IDS = COHORT_MEMBER_IDS.order_by(Membership.user_id)
# Attempts are only ever added and a lesson row is added once and completed once, so counts
# move with every change whatever order transactions commit in. Anything that edits names,
# or removes progress or attempts, must add to this signature.
_ACTIVITY = select(
    select(func.count()).where(Attempt.user_id.in_(COHORT_MEMBER_IDS)).scalar_subquery(),
    select(func.count()).where(LessonProgress.user_id.in_(COHORT_MEMBER_IDS)).scalar_subquery(),
    select(func.count(LessonProgress.completed_at))
    .where(LessonProgress.user_id.in_(COHORT_MEMBER_IDS))
    .scalar_subquery(),
)


def cohort_signature(session: Session, cohort_id: int, today: date) -> tuple:
    """Sum up what a cohort's grid is built from: equal signatures give equal grids."""
    members = tuple(run_statement(session, _MEMBER_IDS, cohort_id=cohort_id).scalars())
    activity = tuple(run_statement(session, _ACTIVITY, cohort_id=cohort_id).one())
    assignments = tuple(assignments_of(session, cohort_id))
    extensions = tuple(sorted(overrides_of(session, cohort_id).items()))
    return (today, members, activity, assignments, extensions)


@dataclass(frozen=True)
class CohortSnapshot:
    readiness: Readiness  # rows by name
    weak: tuple[ObjectiveStrength, ...]


class CohortSnapshots:
    """The latest snapshot of a few cohorts, each kept with the signature it was built from."""

    def __init__(self, library: Library, capacity: int = 16) -> None:
        self._library = library
        self._capacity = capacity
        self._entries: OrderedDict[int, tuple[tuple, CohortSnapshot]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, cohort_id: int, today: date) -> CohortSnapshot:
        """Return the cohort's snapshot, rebuilding it only if its signature has changed."""
        signature = cohort_signature(session, cohort_id, today)
        with self._lock:
            kept = self._entries.get(cohort_id)
            if kept is not None and kept[0] == signature:
                self._entries.move_to_end(cohort_id)
                return kept[1]
        readiness = cohort_readiness(session, self._library, cohort_id, today)
        weak = weak_objectives(session, self._library, cohort_id, readiness.course_ids)
        snapshot = CohortSnapshot(readiness, tuple(weak))
        with self._lock:
            self._entries[cohort_id] = (signature, snapshot)
            self._entries.move_to_end(cohort_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return snapshot

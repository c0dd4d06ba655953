"""The learner's dashboard: their own progress (learning) beside what their cohorts expect
of them before each workshop (cohorts), put together here since learning never uses cohorts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from parley.cohorts.due import CohortDue, due_for
from parley.content import Library
from parley.learning import attempts, progress
from parley.learning.mastery import MasterySummary, mastery, summarise
from parley.learning.overview import ContinuePoint, CourseOverview, continue_point, course_overview


@dataclass(frozen=True)
class Dashboard:
    due: list[CohortDue]  # before each workshop of the learner's cohorts
    taking: list[CourseOverview]  # courses started or assigned, in catalogue order
    others: list[CourseOverview]
    masteries: dict[str, MasterySummary]  # by course id, for the courses being taken
    resume: ContinuePoint | None


def learner_dashboard(session: Session, library: Library, user_id: int, now: datetime) -> Dashboard:
    """Everything "My learning" shows at now, in a fixed number of statements."""
    states = progress.lesson_states(session, user_id)
    records = attempts.quiz_records(session, user_id)
    overviews = {
        course.id: course_overview(
            course, states, library.quizzes(course.id), records.get(course.id, {})
        )
        for course in library.courses
    }
    due = due_for(session, library, user_id, overviews, now)
    assigned = {item.course_id for group in due for item in group.items}
    taking = [o for o in overviews.values() if o.started or o.course.id in assigned]
    latest = attempts.latest_answers(session, user_id, library.objectives_by_version)
    return Dashboard(
        due=due,
        taking=taking,
        others=[
            o for course_id, o in overviews.items() if not (o.started or course_id in assigned)
        ],
        masteries={
            o.course.id: summarise(mastery(o.course, latest.get(o.course.id, ()))) for o in taking
        },
        resume=continue_point(library.courses_by_id, states),
    )

"""A cohort's grid is reused only while nothing it shows has changed, whoever changed it."""

from datetime import date, timedelta

from sqlalchemy import delete, select, update

from parley.cohorts import membership
from parley.cohorts.readiness import cohort_readiness, weak_objectives
from parley.cohorts.snapshots import CohortSnapshots
from parley.extensions import db
from parley.learning import progress
from parley.learning.status import Status
from parley.models import (
    Assignment,
    Attempt,
    Cohort,
    DueDateOverride,
    LessonProgress,
    Membership,
    User,
    utcnow,
)
from tests.factories import create_account, make_attempt, make_cohort


def cohort_of_one(app) -> tuple[int, int]:
    """A cohort with one member, Ana A, and the walkouts module due today; returns both ids."""
    owner = create_account(app, "trainer@example.com", role="instructor")
    learner = create_account(app, "ana@example.com", name="Ana A")
    cohort = make_cohort(
        app, owner, name="Spring", modules={"walkouts": date.today()}, members=[learner]
    )
    return cohort.id, learner


def walkouts_quiz(app):
    return app.extensions["parley_content"].quiz("impasse", "walkouts")


def test_an_unchanged_cohort_is_reused_and_a_new_day_rebuilds_it(quiz_app):
    cohort_id, _ = cohort_of_one(quiz_app)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        assert snapshots.get(db.session, cohort_id, today) is first
        assert not first.readiness.rows[0].cells[0].overdue
        later = snapshots.get(db.session, cohort_id, today + timedelta(days=1))
    assert later is not first and later.readiness.rows[0].cells[0].overdue


def test_only_a_few_cohorts_are_kept(quiz_app):
    cohort_id, _ = cohort_of_one(quiz_app)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"], capacity=1)
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        snapshots.get(db.session, cohort_id + 1, today)  # an empty cohort pushes it out
        assert snapshots.get(db.session, cohort_id, today) is not first


def test_a_member_swapped_for_another_rebuilds_it(quiz_app):
    cohort_id, learner = cohort_of_one(quiz_app)
    other = create_account(quiz_app, "bea@example.com", name="Bea B")
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        db.session.execute(delete(Membership).where(Membership.user_id == learner))
        db.session.add(Membership(cohort_id=cohort_id, user_id=other))  # may reuse the row id
        db.session.commit()
        swapped = snapshots.get(db.session, cohort_id, today)
    assert [row.member.name for row in first.readiness.rows] == ["Ana A"]
    assert [row.member.name for row in swapped.readiness.rows] == ["Bea B"]


def test_every_kind_of_change_behind_the_grid_shows_at_the_next_look(quiz_app):
    cohort_id, ana = cohort_of_one(quiz_app)
    ben = create_account(quiz_app, "ben@example.com", name="Ben B")
    library = quiz_app.extensions["parley_content"]
    snapshots = CohortSnapshots(library)
    today = date.today()
    with quiz_app.app_context():
        session = db.session
        cohort = session.get(Cohort, cohort_id)
        course = library.course("impasse")

        def grid():
            """The snapshot, checked against a grid built afresh from the database."""
            snapshot = snapshots.get(session, cohort_id, today)
            fresh = cohort_readiness(session, library, cohort_id, today)
            assert snapshot.readiness == fresh
            assert list(snapshot.weak) == weak_objectives(
                session, library, cohort_id, fresh.course_ids
            )
            return snapshot

        def cell(snapshot, name: str, module_id: str):
            row = next(r for r in snapshot.readiness.rows if r.member.name == name)
            column = next(
                n for n, c in enumerate(snapshot.readiness.columns) if c.module.id == module_id
            )
            return row.cells[column]

        grid()
        session.execute(update(User).where(User.id == ana).values(name="Ana Changed"))
        session.commit()
        assert [row.member.name for row in grid().readiness.rows] == ["Ana Changed"]

        session.execute(update(User).where(User.id == ana).values(email="ana.new@example.com"))
        session.commit()
        assert grid().readiness.matching("ana.new") != ()

        membership.join(session, cohort, ben)
        session.commit()
        assert [row.member.name for row in grid().readiness.rows] == ["Ana Changed", "Ben B"]

        membership.leave(session, cohort_id, ben)
        session.commit()
        assert [row.member.name for row in grid().readiness.rows] == ["Ana Changed"]

        progress.record_lesson_opened(session, ana, "impasse", "reading-a-walkout")
        session.commit()
        assert cell(grid(), "Ana Changed", "walkouts").status is Status.IN_PROGRESS

        for lesson in ("reading-a-walkout", "after-a-walkout"):
            progress.mark_lesson_complete(session, ana, "impasse", lesson)
        session.commit()
        assert cell(grid(), "Ana Changed", "walkouts").status is Status.COMPLETED

        session.execute(  # an operator deletes a row by hand
            delete(LessonProgress).where(LessonProgress.lesson_id == "after-a-walkout")
        )
        session.commit()
        assert cell(grid(), "Ana Changed", "walkouts").lessons_done == 1

        make_attempt(session, ana, walkouts_quiz(quiz_app), score=1.0)
        session.commit()
        assert cell(grid(), "Ana Changed", "walkouts").status is Status.PASSED

        session.execute(delete(Attempt))  # an operator deletes it again
        session.commit()
        assert cell(grid(), "Ana Changed", "walkouts").status is Status.IN_PROGRESS

        membership.assign(session, cohort, course, ["strategies"], today + timedelta(days=2))
        session.commit()
        assert [c.module.id for c in grid().readiness.columns] == ["walkouts", "strategies"]

        membership.assign(session, cohort, course, ["strategies"], today + timedelta(days=5))
        session.commit()
        assert cell(grid(), "Ana Changed", "strategies").due == today + timedelta(days=5)

        strategies = session.scalar(
            select(Assignment.id).where(Assignment.module_id == "strategies")
        )
        membership.extend_due_date(session, cohort, strategies, ana, today + timedelta(days=8))
        session.commit()
        assert cell(grid(), "Ana Changed", "strategies").due == today + timedelta(days=8)

        membership.extend_due_date(session, cohort, strategies, ana, today + timedelta(days=9))
        session.commit()
        assert cell(grid(), "Ana Changed", "strategies").due == today + timedelta(days=9)

        session.execute(delete(DueDateOverride))
        session.commit()
        assert not cell(grid(), "Ana Changed", "strategies").extended

        membership.unassign(session, cohort_id, strategies)
        session.commit()
        assert [c.module.id for c in grid().readiness.columns] == ["walkouts"]


def test_a_new_row_that_takes_a_deleted_rows_id_still_shows(quiz_app):
    cohort_id, ana = cohort_of_one(quiz_app)
    library = quiz_app.extensions["parley_content"]
    snapshots = CohortSnapshots(library)
    today = date.today()
    opened = utcnow() - timedelta(hours=1)
    with quiz_app.app_context():
        session = db.session
        cohort = session.get(Cohort, cohort_id)
        membership.assign(session, cohort, library.course("impasse"), ["strategies"], today)
        progress.record_lesson_opened(session, ana, "impasse", "choosing-a-strategy", opened)
        session.commit()
        before = snapshots.get(session, cohort_id, today).readiness.rows[0].cells
        assert [c.status for c in before] == [Status.NOT_STARTED, Status.IN_PROGRESS]
        newest = session.scalar(select(LessonProgress.id))
        session.execute(delete(LessonProgress))  # SQLite gives the next row this id again
        later = opened + timedelta(minutes=1)
        progress.record_lesson_opened(session, ana, "impasse", "reading-a-walkout", later)
        session.commit()
        if session.get_bind().dialect.name == "sqlite":
            assert session.scalar(select(LessonProgress.id)) == newest
        after = snapshots.get(session, cohort_id, today).readiness.rows[0].cells
    assert [c.status for c in after] == [Status.IN_PROGRESS, Status.NOT_STARTED]


def test_an_attempt_committed_out_of_id_order_rebuilds_it(quiz_app):
    cohort_id, learner = cohort_of_one(quiz_app)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        quiz = walkouts_quiz(quiz_app)
        make_attempt(db.session, learner, quiz, score=0.2, attempt_id=100)  # the later id
        db.session.commit()  # commits first
        first = snapshots.get(db.session, cohort_id, today)
        make_attempt(db.session, learner, quiz, score=1.0, attempt_id=50)
        db.session.commit()
        later = snapshots.get(db.session, cohort_id, today)
    assert first.readiness.rows[0].cells[0].status is Status.IN_PROGRESS
    assert later.readiness.rows[0].cells[0].status is Status.PASSED

"""A cohort's grid is reused only while nothing it shows has changed."""

from datetime import date, timedelta

from parley.cohorts.snapshots import CohortSnapshots
from parley.extensions import db
from parley.models import Assignment, Attempt, Cohort, DueDateOverride, Membership


def make_cohort(app, make_user) -> tuple[int, int]:
    owner = make_user(email="trainer@example.com", role="instructor")
    learner = make_user(email="ana@example.com", name="Ana A")
    with app.app_context():
        cohort = Cohort(
            owner_id=owner,
            name="Spring",
            workshop_date=date.today() + timedelta(days=7),
            join_code="SPRING22",
            invite_token="spring-token",
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(Membership(cohort_id=cohort.id, user_id=learner))
        db.session.add(
            Assignment(
                cohort_id=cohort.id,
                course_id="impasse",
                module_id="walkouts",
                due_date=date.today(),
            )
        )
        db.session.commit()
        return cohort.id, learner


def test_an_unchanged_cohort_is_reused_and_a_new_day_rebuilds_it(quiz_app, make_user):
    cohort_id, _ = make_cohort(quiz_app, make_user)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        assert snapshots.get(db.session, cohort_id, today) is first
        assert not first.readiness.rows[0].cells[0].overdue
        later = snapshots.get(db.session, cohort_id, today + timedelta(days=1))
    assert later is not first and later.readiness.rows[0].cells[0].overdue


def test_a_changed_extension_rebuilds_it(quiz_app, make_user):
    cohort_id, learner = make_cohort(quiz_app, make_user)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        assignment = db.session.query(Assignment).one()
        db.session.add(
            DueDateOverride(
                assignment_id=assignment.id, user_id=learner, due_date=today + timedelta(days=3)
            )
        )
        db.session.commit()
        extended = snapshots.get(db.session, cohort_id, today)
        assert extended is not first and extended.readiness.rows[0].cells[0].extended
        db.session.query(DueDateOverride).one().due_date = today + timedelta(days=4)
        db.session.commit()
        moved = snapshots.get(db.session, cohort_id, today)
    assert moved.readiness.rows[0].cells[0].due == today + timedelta(days=4)


def test_only_a_few_cohorts_are_kept(quiz_app, make_user):
    cohort_id, _ = make_cohort(quiz_app, make_user)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"], capacity=1)
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        snapshots.get(db.session, cohort_id + 1, today)  # an empty cohort pushes it out
        assert snapshots.get(db.session, cohort_id, today) is not first


def test_a_member_swapped_for_another_rebuilds_it(quiz_app, make_user):
    cohort_id, learner = make_cohort(quiz_app, make_user)
    other = make_user(email="bea@example.com", name="Bea B")
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()
    with quiz_app.app_context():
        first = snapshots.get(db.session, cohort_id, today)
        db.session.query(Membership).filter_by(user_id=learner).delete()
        db.session.add(Membership(cohort_id=cohort_id, user_id=other))  # may reuse the row id
        db.session.commit()
        swapped = snapshots.get(db.session, cohort_id, today)
    assert [row.member.name for row in first.readiness.rows] == ["Ana A"]
    assert [row.member.name for row in swapped.readiness.rows] == ["Bea B"]


def test_an_attempt_committed_out_of_id_order_rebuilds_it(quiz_app, make_user):
    cohort_id, learner = make_cohort(quiz_app, make_user)
    snapshots = CohortSnapshots(quiz_app.extensions["parley_content"])
    today = date.today()

    def attempt(attempt_id: int, passed: bool) -> Attempt:
        return Attempt(
            id=attempt_id,
            user_id=learner,
            course_id="impasse",
            quiz_id="walkouts",
            module_id="walkouts",
            quiz_version="v",
            submission_token=f"token-{attempt_id}-xxxxxxxxxxxx",
            score=1.0 if passed else 0.2,
            pass_mark=0.8,
            passed=passed,
        )

    with quiz_app.app_context():
        db.session.add(attempt(100, passed=False))  # the later id commits first
        db.session.commit()
        first = snapshots.get(db.session, cohort_id, today)
        db.session.add(attempt(50, passed=True))
        db.session.commit()
        later = snapshots.get(db.session, cohort_id, today)
    assert first.readiness.rows[0].cells[0].status == "in progress"
    assert later.readiness.rows[0].cells[0].status == "passed"

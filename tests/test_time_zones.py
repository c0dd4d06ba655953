"""Time zones: names checked against the IANA database, today's date in a cohort's zone, due
and overdue judged by it, and assignments that refuse past dates and say what they moved."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from parley.accounts.time_zones import (
    TimeZoneError,
    checked_time_zone,
    local_time,
    set_user_time_zone,
    today_in,
    user_time_zone,
)
from parley.cohorts import membership
from parley.extensions import db
from parley.models import Assignment, Cohort
from parley.web.learn.dashboard import learner_dashboard
from parley.web.support.dates import CLOCK, day, when
from tests.factories import create_account, make_cohort

DUE = date(2026, 3, 14)
LATE_EVENING_UTC = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)  # already the 15th in Auckland


def test_a_zone_name_is_checked_against_the_iana_database():
    assert checked_time_zone("Europe/Paris") == "Europe/Paris"
    assert checked_time_zone("  Pacific/Auckland ") == "Pacific/Auckland"
    assert checked_time_zone("") is None
    assert checked_time_zone(None) is None
    for bad in ["Mars/Olympus", "europe/paris", "../../etc/passwd", "Europe/Paris\x00"]:
        with pytest.raises(TimeZoneError, match=r"is not a time zone\. Use a name such as"):
            checked_time_zone(bad)


def test_today_is_the_date_in_the_zone_not_on_the_server():
    assert today_in("Pacific/Auckland", LATE_EVENING_UTC) == date(2026, 3, 15)
    assert today_in("America/Los_Angeles", LATE_EVENING_UTC) == date(2026, 3, 14)
    assert today_in(None, LATE_EVENING_UTC) == date(2026, 3, 14)
    naive_utc = LATE_EVENING_UTC.replace(tzinfo=None)  # as the database stores times
    assert today_in("Pacific/Auckland", naive_utc) == date(2026, 3, 15)


def test_a_stored_time_is_shown_in_the_zone_with_its_abbreviation():
    winter = local_time(datetime(2026, 1, 15, 13, 5), "Europe/Paris")
    summer = local_time(datetime(2026, 7, 15, 13, 5), "Europe/Paris")
    assert (winter.strftime("%H:%M"), winter.tzname()) == ("14:05", "CET")
    assert (summer.strftime("%H:%M"), summer.tzname()) == ("15:05", "CEST")


def test_dates_and_times_outside_this_year_carry_the_year(app):
    app.extensions[CLOCK] = lambda: datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    with app.test_request_context():
        assert day(date(2026, 6, 10)) == "Wed 10 Jun"
        assert day(date(2020, 1, 1)) == "Wed 01 Jan 2020"
        assert day(date(2020, 1, 1), layout="%d %b") == "01 Jan 2020"
        assert when(datetime(2026, 1, 15, 13, 5)) == "15 Jan 2026 13:05 UTC"
        assert when(datetime(2020, 1, 1, 9, 30), layout="%d %b %H:%M") == "01 Jan 2020 09:30 UTC"
        assert when(datetime(2026, 1, 1, 9, 30), layout="%d %b %H:%M") == "01 Jan 09:30 UTC"


def test_a_users_own_zone_is_set_checked_and_cleared(app):
    user_id = create_account(app, "ana@example.com")
    with app.app_context():
        assert set_user_time_zone(db.session, user_id, "Asia/Tokyo") == "Asia/Tokyo"
        with pytest.raises(TimeZoneError):
            set_user_time_zone(db.session, user_id, "Asia/Atlantis")
        assert user_time_zone(db.session, user_id) == "Asia/Tokyo"
        assert set_user_time_zone(db.session, user_id, "") is None
        assert user_time_zone(db.session, user_id) is None


def two_cohorts_due_on(app, due: date) -> tuple[int, dict[str, int]]:
    """A learner in an Auckland and a Los Angeles cohort, walkouts due on the same date."""
    owner = create_account(app, "trainer@example.com", role="instructor")
    learner = create_account(app, "ana@example.com", name="Ana A")
    ids = {}
    for zone in ["Pacific/Auckland", "America/Los_Angeles"]:
        made = make_cohort(
            app,
            owner,
            name=zone,
            workshop_date=date(2026, 3, 20),
            modules={"walkouts": due},
            members=[learner],
        )
        ids[zone] = made.id
        with app.app_context():
            membership.set_time_zone(db.session, db.session.get(Cohort, made.id), zone)
            db.session.commit()
    return learner, ids


def test_at_2330_utc_on_the_due_date_auckland_is_overdue_and_los_angeles_is_not(quiz_app):
    learner, _ = two_cohorts_due_on(quiz_app, DUE)
    with quiz_app.app_context():
        library = quiz_app.extensions["parley_content"]
        found = learner_dashboard(db.session, library, learner, LATE_EVENING_UTC)
    by_zone = {group.name: group for group in found.due}
    auckland, los_angeles = by_zone["Pacific/Auckland"], by_zone["America/Los_Angeles"]
    assert [item.overdue for item in auckland.items] == [True]
    assert [item.overdue for item in los_angeles.items] == [False]
    assert (auckland.days_left, los_angeles.days_left) == (5, 6)
    assert (auckland.time_zone, los_angeles.time_zone) == (
        "Pacific/Auckland",
        "America/Los_Angeles",
    )


def test_an_hour_earlier_neither_is_overdue(quiz_app):
    learner, _ = two_cohorts_due_on(quiz_app, DUE)
    before_midnight_in_auckland = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)  # 23:30 there
    with quiz_app.app_context():
        library = quiz_app.extensions["parley_content"]
        found = learner_dashboard(db.session, library, learner, before_midnight_in_auckland)
    assert [item.overdue for group in found.due for item in group.items] == [False, False]


def cohort_with_walkouts(app, zone: str | None, due: date) -> int:
    owner = create_account(app, "trainer@example.com", role="instructor")
    made = make_cohort(app, owner, workshop_date=date(2026, 3, 20), modules={"walkouts": due})
    with app.app_context():
        membership.set_time_zone(db.session, db.session.get(Cohort, made.id), zone)
        db.session.commit()
    return made.id


def assign_walkouts(app, cohort_id: int, due: date | None, today: date | None):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        course = app.extensions["parley_content"].course("impasse")
        done = membership.assign(db.session, cohort, course, ["walkouts"], due, today)
        db.session.commit()
        return done


def due_dates(app, cohort_id: int) -> list[date]:
    with app.app_context():
        return list(
            db.session.scalars(select(Assignment.due_date).where(Assignment.cohort_id == cohort_id))
        )


def test_assigning_refuses_a_date_before_today_in_the_cohorts_zone_and_changes_nothing(quiz_app):
    cohort_id = cohort_with_walkouts(quiz_app, "Pacific/Auckland", date(2026, 3, 18))
    today = today_in("Pacific/Auckland", LATE_EVENING_UTC)
    with pytest.raises(membership.PastDueDate) as refused:
        assign_walkouts(quiz_app, cohort_id, DUE, today)
    assert str(refused.value) == (
        "The due date 2026-03-14 is in the past: today is 2026-03-15 in the cohort's time zone "
        "(Pacific/Auckland). Choose today or later."
    )
    assert due_dates(quiz_app, cohort_id) == [date(2026, 3, 18)]


def test_a_reassignment_says_which_due_date_moved_from_what_to_what(quiz_app):
    cohort_id = cohort_with_walkouts(quiz_app, None, date(2026, 3, 18))
    moved = assign_walkouts(quiz_app, cohort_id, date(2026, 3, 19), DUE)
    assert moved.added == () and moved.unchanged == ()
    assert moved.moved == (
        membership.DueDateChange("walkouts", date(2026, 3, 18), date(2026, 3, 19)),
    )
    again = assign_walkouts(quiz_app, cohort_id, date(2026, 3, 19), DUE)
    assert (again.added, again.moved, again.unchanged) == ((), (), ("walkouts",))
    assert due_dates(quiz_app, cohort_id) == [date(2026, 3, 19)]


def test_today_itself_is_a_valid_due_date(quiz_app):
    cohort_id = cohort_with_walkouts(quiz_app, "America/Los_Angeles", date(2026, 3, 18))
    today = today_in("America/Los_Angeles", LATE_EVENING_UTC)
    assert assign_walkouts(quiz_app, cohort_id, DUE, today).moved[0].after == DUE

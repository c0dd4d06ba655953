"""Time zones on the pages: the cohort's and the reader's zone, due dates judged in the cohort's
zone with a fixed clock, past due dates refused, moved ones announced, and where instructors
land after log-in."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from parley.accounts.time_zones import local_time
from parley.cohorts import membership
from parley.extensions import db
from parley.models import Assignment, Attempt, Cohort, User
from parley.web.support.dates import CLOCK
from tests.factories import (
    PASSWORD,
    RIGHT_ANSWERS,
    WORKSHOP,
    assign_on_the_web,
    create_account,
    create_cohort_on_the_web,
    log_in,
    make_cohort,
    signed_in,
    submit_quiz,
    text_of,
    texts,
)

DUE = date(2026, 3, 14)
LATE_EVENING_UTC = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)  # already the 15th in Auckland


@pytest.fixture
def trainer(quiz_app):
    return signed_in(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")


def fix_clock(app, moment: datetime) -> None:
    app.extensions[CLOCK] = lambda: moment


def flashes(page: str) -> list[str]:
    return texts(page, "p.flash")


def cohort_zone(app, cohort_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Cohort, cohort_id).time_zone


def set_cohort_zone(app, cohort_id: int, zone: str | None) -> None:
    with app.app_context():
        membership.set_time_zone(db.session, db.session.get(Cohort, cohort_id), zone)
        db.session.commit()


def due_dates(app, cohort_id: int) -> list[date]:
    with app.app_context():
        return list(
            db.session.scalars(select(Assignment.due_date).where(Assignment.cohort_id == cohort_id))
        )


# --- Landing after log-in -------------------------------------------------------------------


def test_an_instructor_lands_on_their_cohorts_after_log_in(quiz_app):
    create_account(quiz_app, "trainer@example.com", role="instructor")
    response = quiz_app.test_client().post(
        "/login", data={"email": "trainer@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/instructor/"


def test_a_learner_still_lands_on_the_dashboard(quiz_app):
    create_account(quiz_app, "ana@example.com")
    response = quiz_app.test_client().post(
        "/login", data={"email": "ana@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard"


def test_an_instructor_with_a_safe_next_goes_there_and_an_unsafe_one_is_ignored(quiz_app):
    create_account(quiz_app, "trainer@example.com", role="instructor")
    credentials = {"email": "trainer@example.com", "password": PASSWORD}
    safe = quiz_app.test_client().post("/login?next=/courses/impasse", data=credentials)
    assert safe.headers["Location"] == "/courses/impasse"
    unsafe = quiz_app.test_client().post("/login?next=//evil.example/x", data=credentials)
    assert unsafe.headers["Location"] == "/instructor/"


# --- The cohort's zone ----------------------------------------------------------------------


def test_a_cohort_is_created_with_its_time_zone_and_shows_it(quiz_app, trainer):
    response = trainer.post(
        "/instructor/cohorts",
        data={
            "name": "Wellington",
            "workshop_date": WORKSHOP.isoformat(),
            "time_zone": " Pacific/Auckland ",
        },
    )
    cohort_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert cohort_zone(quiz_app, cohort_id) == "Pacific/Auckland"
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert "Time zone: Pacific/Auckland (due dates end at midnight there)" in page
    index = trainer.get("/instructor/").text
    assert '<datalist id="time-zone-names">' in index
    assert '<option value="America/Los_Angeles">' in index
    assert text_of(index, "li.card p.muted") == (
        f"Workshop {WORKSHOP.strftime('%a %d %b %Y')} · time zone Pacific/Auckland · joining open"
    )


def test_a_cohort_without_a_zone_is_in_utc(quiz_app, trainer):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    assert cohort_zone(quiz_app, cohort_id) is None
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert "Time zone: UTC (due dates end at midnight there)" in page


def test_a_bad_zone_name_is_a_form_error_and_no_cohort_is_made(quiz_app, trainer):
    response = trainer.post(
        "/instructor/cohorts",
        data={"name": "Nowhere", "workshop_date": WORKSHOP.isoformat(), "time_zone": "Mars/Base"},
    )
    assert response.status_code == 400
    assert text_of(response.text, "p.field-error") == (
        "“Mars/Base” is not a time zone. Use a name such as Europe/Paris or America/New_York, "
        "or leave it empty for UTC."
    )
    with quiz_app.app_context():
        assert db.session.scalar(select(Cohort.id)) is None


def test_the_instructor_changes_the_cohorts_zone_on_its_own_page(quiz_app, trainer):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    url = f"/instructor/cohorts/{cohort_id}/time-zone"
    assert 'value=""' in trainer.get(url).text
    response = trainer.post(url, data={"time_zone": "Europe/Paris"}, follow_redirects=True)
    assert "Time zone: Europe/Paris. Due dates end at midnight there." in flashes(response.text)
    assert cohort_zone(quiz_app, cohort_id) == "Europe/Paris"
    assert 'value="Europe/Paris"' in trainer.get(url).text
    refused = trainer.post(url, data={"time_zone": "Paris"})
    assert refused.status_code == 400
    assert "“Paris” is not a time zone." in text_of(refused.text, "p.field-error")
    assert cohort_zone(quiz_app, cohort_id) == "Europe/Paris"
    trainer.post(url, data={"time_zone": ""})
    assert cohort_zone(quiz_app, cohort_id) is None


def test_another_instructors_cohort_zone_cannot_be_changed(quiz_app, trainer):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    other = signed_in(quiz_app, "other@example.com", role="instructor")
    url = f"/instructor/cohorts/{cohort_id}/time-zone"
    assert other.post(url, data={"time_zone": "Europe/Paris"}).status_code == 404
    assert cohort_zone(quiz_app, cohort_id) is None


# --- Due and overdue in the cohort's zone, with a fixed clock -------------------------------


def learner_in_cohorts_due_on(app, due: date, zones: list[str]) -> tuple[object, dict]:
    """A signed-in learner in one cohort per zone, walkouts due on the same date."""
    owner = create_account(app, "owner@example.com", role="instructor")
    ana = signed_in(app, "ana@example.com", name="Ana A")
    with app.app_context():
        ana_id = db.session.scalar(select(User.id).where(User.email == "ana@example.com"))
    ids = {}
    for zone in zones:
        made = make_cohort(
            app,
            owner,
            name=zone,
            workshop_date=due + timedelta(days=6),
            modules={"walkouts": due},
            members=[ana_id],
        )
        set_cohort_zone(app, made.id, zone)
        ids[zone] = made.id
    return ana, ids


def test_at_2330_utc_on_the_due_date_the_dashboard_marks_auckland_overdue_not_los_angeles(
    quiz_app,
):
    ana, _ = learner_in_cohorts_due_on(quiz_app, DUE, ["Pacific/Auckland", "America/Los_Angeles"])
    fix_clock(quiz_app, LATE_EVENING_UTC)
    page = ana.get("/dashboard").text
    headings = texts(page, "section.due h2")
    rows = texts(page, "section.due tbody tr")
    by_cohort = dict(zip((h.split("”")[0].split("“")[1] for h in headings), rows, strict=True))
    assert by_cohort == {
        "Pacific/Auckland": "Walkouts Sat 14 Mar overdue not started",
        "America/Los_Angeles": "Walkouts Sat 14 Mar not started",
    }
    fix_clock(quiz_app, LATE_EVENING_UTC - timedelta(hours=13))  # 23:30 in Auckland
    assert "overdue" not in " ".join(texts(ana.get("/dashboard").text, "section.due tbody tr"))


def test_the_grid_is_judged_by_the_cohorts_day_and_follows_a_change_of_zone(quiz_app):
    _, ids = learner_in_cohorts_due_on(quiz_app, DUE, ["Pacific/Auckland"])
    cohort_id = ids["Pacific/Auckland"]
    owner = log_in(quiz_app, "owner@example.com")
    fix_clock(quiz_app, LATE_EVENING_UTC)
    url = f"/instructor/cohorts/{cohort_id}"
    assert '<td class="cell cell-not-started cell-overdue">' in owner.get(url).text
    owner.post(f"{url}/time-zone", data={"time_zone": "America/Los_Angeles"})
    grid = owner.get(url).text  # the same rows, another day: rebuilt, not kept
    assert '<td class="cell cell-not-started">' in grid
    assert '<td class="cell cell-not-started cell-overdue">' not in grid


def test_a_due_date_in_the_past_there_is_refused_with_a_clear_message(quiz_app, trainer):
    fix_clock(quiz_app, LATE_EVENING_UTC)
    auckland, _, _ = create_cohort_on_the_web(trainer, name="Auckland", when=date(2026, 3, 20))
    los_angeles, _, _ = create_cohort_on_the_web(trainer, name="LA", when=date(2026, 3, 20))
    set_cohort_zone(quiz_app, auckland, "Pacific/Auckland")
    set_cohort_zone(quiz_app, los_angeles, "America/Los_Angeles")
    refused = assign_on_the_web(trainer, auckland, due=DUE.isoformat())
    assert refused.status_code == 303
    assert flashes(trainer.get(f"/instructor/cohorts/{auckland}").text) == [
        "The due date 2026-03-14 is in the past: today is 2026-03-15 in the cohort's time "
        "zone (Pacific/Auckland). Choose today or later."
    ]
    assert due_dates(quiz_app, auckland) == []
    assign_on_the_web(trainer, los_angeles, due=DUE.isoformat())
    assert flashes(trainer.get(f"/instructor/cohorts/{los_angeles}").text) == [
        "Assigned 1 module, due Sat 14 Mar."
    ]
    assert due_dates(quiz_app, los_angeles) == [DUE]


def test_assigning_2020_01_01_is_refused(quiz_app, trainer):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id, due="2020-01-01")
    (message,) = flashes(trainer.get(f"/instructor/cohorts/{cohort_id}").text)
    assert message.startswith("The due date 2020-01-01 is in the past: today is ")
    assert due_dates(quiz_app, cohort_id) == []


def test_a_reassignment_says_the_due_date_changed_from_and_to(quiz_app, trainer):
    fix_clock(quiz_app, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    cohort_id, _, _ = create_cohort_on_the_web(trainer, when=date(2026, 3, 20))
    url = f"/instructor/cohorts/{cohort_id}"
    assign_on_the_web(trainer, cohort_id, due="2026-03-10")
    assert flashes(trainer.get(url).text) == ["Assigned 1 module, due Tue 10 Mar."]
    assign_on_the_web(trainer, cohort_id, due="2026-03-12")
    assert flashes(trainer.get(url).text) == [
        "“Walkouts”: due date changed from Tue 10 Mar to Thu 12 Mar."
    ]
    assign_on_the_web(trainer, cohort_id, due="2027-01-05")
    assert flashes(trainer.get(url).text) == [
        "“Walkouts”: due date changed from Thu 12 Mar to Tue 05 Jan 2027."
    ]
    assign_on_the_web(trainer, cohort_id, due="2027-01-05")
    assert flashes(trainer.get(url).text) == [
        "Already assigned, due Tue 05 Jan 2027: nothing changed."
    ]
    assert due_dates(quiz_app, cohort_id) == [date(2027, 1, 5)]


def test_a_due_date_in_another_year_shows_its_year(quiz_app):
    ana, _ = learner_in_cohorts_due_on(quiz_app, date(2027, 1, 6), ["Europe/Paris"])
    fix_clock(quiz_app, datetime(2026, 12, 20, 12, 0, tzinfo=UTC))
    assert texts(ana.get("/dashboard").text, "section.due tbody tr") == [
        "Walkouts Wed 06 Jan 2027 not started"
    ]


# --- The reader's zone: their own, else the cohort's, else UTC ------------------------------


def set_own_zone(client, zone: str):
    return client.post("/account/time-zone", data={"time_zone": zone}, follow_redirects=True)


def test_a_user_sets_and_clears_their_own_zone_on_the_account_page(quiz_app):
    ana = signed_in(quiz_app, "ana@example.com")
    page = ana.get("/account").text
    assert '<datalist id="time-zone-names">' in page
    assert "Times are in your time zone, below." in page
    saved = set_own_zone(ana, "Asia/Tokyo")
    assert "Times are now shown in Asia/Tokyo." in flashes(saved.text)
    assert 'value="Asia/Tokyo"' in saved.text
    assert re.search(r"<td>\d\d \w{3} \d{4} \d\d:\d\d JST</td>", saved.text)
    refused = ana.post("/account/time-zone", data={"time_zone": "Tokyo"})
    assert refused.status_code == 400
    assert "“Tokyo” is not a time zone." in text_of(refused.text, "p.field-error")
    with quiz_app.app_context():
        stored = db.session.scalar(select(User.time_zone).where(User.email == "ana@example.com"))
    assert stored == "Asia/Tokyo"
    cleared = set_own_zone(ana, "")
    assert "Times are now shown in your cohort’s zone, or UTC." in flashes(cleared.text)
    assert re.search(r"<td>\d\d \w{3} \d{4} \d\d:\d\d UTC</td>", cleared.text)


def submitted_at(app) -> datetime:
    with app.app_context():
        return db.session.scalar(select(Attempt.submitted_at))


def test_a_learner_sees_their_submission_time_in_their_own_zone(quiz_app):
    ana = signed_in(quiz_app, "ana@example.com")
    result = ana.get(submit_quiz(ana, RIGHT_ANSWERS).headers["Location"])
    stored = submitted_at(quiz_app)
    utc = f"Submitted {stored.strftime('%d %b %Y, %H:%M')} UTC"
    assert utc in result.text
    set_own_zone(ana, "Asia/Kolkata")
    history = ana.get("/courses/impasse/quizzes/walkouts/attempts").text
    kolkata = local_time(stored, "Asia/Kolkata").strftime("%d %b %Y, %H:%M")
    assert f"{kolkata} IST — 100%" in history


def test_an_instructor_sees_a_cohorts_times_in_its_zone_unless_they_set_their_own(
    quiz_app, trainer
):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    set_cohort_zone(quiz_app, cohort_id, "Asia/Tokyo")
    ana = signed_in(quiz_app, "ana@example.com", name="Ana A")
    ana.post(link)
    submit_quiz(ana, RIGHT_ANSWERS)
    stored = submitted_at(quiz_app)
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    ana_id = int(re.search(r'/learners/(\d+)">Ana A', page).group(1))
    url = f"/instructor/cohorts/{cohort_id}/learners/{ana_id}"
    tokyo = local_time(stored, "Asia/Tokyo").strftime("%d %b %Y %H:%M")
    assert f"walkouts — {tokyo} JST — 100%" in " ".join(texts(trainer.get(url).text, "main li"))
    set_own_zone(trainer, "Asia/Kolkata")
    kolkata = local_time(stored, "Asia/Kolkata").strftime("%d %b %Y %H:%M")
    assert f"walkouts — {kolkata} IST — 100%" in " ".join(texts(trainer.get(url).text, "main li"))

"""Account self-service: changing one's name, and downloading everything held about oneself."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from parley.extensions import db
from parley.models import Assignment, Attempt, ReminderSent, User
from tests.factories import (
    RIGHT_ANSWERS,
    count_statements,
    create_account,
    log_in,
    make_cohort,
    submit_quiz,
    text_of,
)

LESSON_URL = "/courses/impasse/lessons/reading-a-walkout"
WORKSHOP = date.today() + timedelta(days=10)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


@pytest.fixture
def ana(quiz_app):
    create_account(quiz_app, "ana@example.com", name="Ana Learner")
    return log_in(quiz_app, "ana@example.com")


def stored_name(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.name).where(User.email == email))


# --- Change name ----------------------------------------------------------------------------


def test_the_account_page_offers_the_name_and_the_download(ana):
    page = ana.get("/account").text
    assert 'id="name" maxlength="120" name="name" required type="text" value="Ana Learner"' in page
    assert text_of(page, "#name-heading") == "Your name"
    assert 'href="/account/data.json"' in page
    assert "Download my data" in page


def test_a_new_name_is_stored_flashed_and_shown_in_the_header_at_once(quiz_app, ana):
    response = ana.post("/account/name", data={"name": "  Ana María Ruiz  "})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    page = ana.get("/account").text
    assert text_of(page, ".flash-success") == "Your name is now Ana María Ruiz."
    assert text_of(page, ".site-nav button") == "Log out Ana María Ruiz"
    assert stored_name(quiz_app, "ana@example.com") == "Ana María Ruiz"


def test_a_name_of_120_characters_is_accepted(quiz_app, ana):
    assert ana.post("/account/name", data={"name": "N" * 120}).status_code == 303
    assert stored_name(quiz_app, "ana@example.com") == "N" * 120


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("N" * 121, "Field cannot be longer than 120 characters."),
        ("", "This field is required."),
        ("   ", "Enter your name."),
        ("Ana\x1bLearner", "Your name cannot contain control characters."),
    ],
)
def test_a_bad_name_is_refused_with_the_form_kept_and_nothing_changed(quiz_app, ana, name, message):
    response = ana.post("/account/name", data={"name": name})
    assert response.status_code == 400
    assert text_of(response.text, ".field-error") == message
    assert text_of(response.text, "h1") == "Your account"
    if name.strip() and name.isprintable():
        assert f'value="{name}"' in response.text
    assert stored_name(quiz_app, "ana@example.com") == "Ana Learner"
    assert text_of(response.text, ".site-nav button") == "Log out Ana Learner"


def test_changing_a_name_needs_a_log_in(quiz_app):
    create_account(quiz_app, "ana@example.com", name="Ana Learner")
    response = quiz_app.test_client().post("/account/name", data={"name": "Intruder"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert stored_name(quiz_app, "ana@example.com") == "Ana Learner"


# --- Download my data -----------------------------------------------------------------------


def download(client) -> dict:
    response = client.get("/account/data.json")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/json"
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="parley-data-{today}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.text)


@pytest.fixture
def busy_learner(quiz_app, ana):
    """Ana has opened and completed a lesson, taken the quiz twice and joined a cohort; Bo,
    in the same cohort, has done the same once."""
    with quiz_app.app_context():
        ana_id = db.session.scalar(select(User.id).where(User.email == "ana@example.com"))
    assert ana.get(LESSON_URL).status_code == 200
    assert ana.post(f"{LESSON_URL}/complete").status_code in (302, 303)
    wrong = {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat"}
    assert submit_quiz(ana, {**wrong, "c-demo-best": "sure"}).status_code in (302, 303)
    assert submit_quiz(ana, RIGHT_ANSWERS).status_code in (302, 303)
    bo_id = create_account(quiz_app, "bo@example.com", name="Bo Other")
    bo = log_in(quiz_app, "bo@example.com")
    assert bo.get(LESSON_URL).status_code == 200
    bo_answers = {**RIGHT_ANSWERS, "q-demo-best": "small-gracious-moves"}
    assert submit_quiz(bo, bo_answers).status_code in (302, 303)
    trainer_id = create_account(quiz_app, "tim@example.com", name="Tim", role="instructor")
    make_cohort(
        quiz_app,
        trainer_id,
        name="Lisbon workshop",
        workshop_date=WORKSHOP,
        members=[ana_id, bo_id],
    )
    return ana


def test_the_download_holds_profile_progress_attempts_cohorts_and_browsers(busy_learner):
    data = download(busy_learner)
    assert data["format"] == "parley-personal-data/1"
    assert ISO_UTC.match(data["exported_at"])
    profile = data["profile"]
    assert {key: profile[key] for key in ("name", "email", "role", "time_zone")} == {
        "name": "Ana Learner",
        "email": "ana@example.com",
        "role": "learner",
        "time_zone": None,
    }
    assert ISO_UTC.match(profile["created_at"])

    [progress] = data["lesson_progress"]
    assert (progress["course"], progress["lesson"]) == ("impasse", "reading-a-walkout")
    for key in ("first_opened_at", "last_opened_at", "completed_at"):
        assert ISO_UTC.match(progress[key]), key

    first, second = data["attempts"]
    assert (first["course"], first["quiz"]) == ("impasse", "walkouts")
    assert first["submitted_at"] <= second["submitted_at"]
    assert ISO_UTC.match(first["submitted_at"])
    assert re.fullmatch(r"[0-9a-f]+", first["quiz_version"])
    assert (first["pass_mark"], second["pass_mark"]) == (0.8, 0.8)
    assert first["passed"] is (first["score"] >= 0.8)
    assert second["passed"] is True
    assert first["score"] < second["score"] == 1
    best = next(a for a in first["answers"] if a["question"] == "demo-best")
    assert best == {
        "question": "demo-best",
        "response": ["batna-as-threat"],
        "confidence": "sure",
        "score": 0,
        "correct": False,
    }
    answered = {a["question"] for a in second["answers"]}
    assert answered == {"demo-best", "demo-all", "demo-commit", "demo-order", "demo-branch"}
    everything = next(a for a in second["answers"] if a["question"] == "demo-all")
    assert sorted(everything["response"]) == ["add-something-new", "keep-issues-open"]
    assert "result" not in everything

    [cohort] = data["cohorts"]
    assert cohort["name"] == "Lisbon workshop"
    assert cohort["workshop_date"] == WORKSHOP.isoformat()
    assert ISO_UTC.match(cohort["joined_at"])

    [browser] = data["signed_in_browsers"]
    assert set(browser) == {"user_agent", "logged_in_at", "last_seen_at", "remembered_until"}
    assert ISO_UTC.match(browser["last_seen_at"])


def test_the_download_holds_nothing_of_another_account(busy_learner):
    text = busy_learner.get("/account/data.json").text
    assert "bo@example.com" not in text
    assert "Bo Other" not in text
    assert "small-gracious-moves" not in text
    assert "tim@example.com" not in text
    assert len(json.loads(text)["attempts"]) == 2


def test_a_new_account_downloads_empty_lists(quiz_app, ana):
    data = download(ana)
    assert data["lesson_progress"] == []
    assert data["attempts"] == []
    assert data["cohorts"] == []
    assert data["reminders_sent"] == []
    assert data["profile"]["reminders_off_at"] is None
    assert len(data["signed_in_browsers"]) == 1


def test_the_download_holds_the_reminders_sent_and_the_switch(quiz_app, ana):
    with quiz_app.app_context():
        ana_id = db.session.scalar(select(User.id).where(User.email == "ana@example.com"))
    trainer_id = create_account(quiz_app, "tim@example.com", name="Tim", role="instructor")
    make_cohort(quiz_app, trainer_id, modules={"walkouts": WORKSHOP}, members=[ana_id])
    with quiz_app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
        db.session.add(ReminderSent(user_id=ana_id, assignment_id=assignment_id, due_on=WORKSHOP))
        db.session.commit()
    assert ana.post("/account/reminders", data={"reminders": "off"}).status_code == 303

    data = download(ana)
    assert ISO_UTC.match(data["profile"]["reminders_off_at"])
    [reminder] = data["reminders_sent"]
    assert {key: reminder[key] for key in ("course", "module", "due_on")} == {
        "course": "impasse",
        "module": "walkouts",
        "due_on": WORKSHOP.isoformat(),
    }
    assert ISO_UTC.match(reminder["sent_at"])


def test_the_download_needs_a_log_in(quiz_app):
    response = quiz_app.test_client().get("/account/data.json")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount%2Fdata.json"


def test_the_download_costs_the_same_statements_for_one_attempt_or_six(quiz_app, ana):
    submit_quiz(ana, RIGHT_ANSWERS)
    one = count_statements(quiz_app, ana, "/account/data.json")
    for _ in range(5):
        assert submit_quiz(ana, RIGHT_ANSWERS).status_code in (302, 303)
    with quiz_app.app_context():
        assert len(db.session.scalars(select(Attempt.id)).all()) == 6
    six = count_statements(quiz_app, ana, "/account/data.json")
    assert six == one

"""Deleting one's own account on /account/delete: the password confirms it (a wrong one counts
as a failed log-in), everything of the account goes, every browser is logged out, and an
instructor who still owns cohorts is refused until they are handed over or deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from parley.extensions import db
from parley.models import (
    AccountSession,
    Answer,
    Attempt,
    Cohort,
    FailedAttempt,
    LessonProgress,
    Membership,
    PendingSignUp,
    User,
    utcnow,
)
from tests.factories import (
    PASSWORD,
    RIGHT_ANSWERS,
    assign_on_the_web,
    count,
    create_account,
    create_cohort_on_the_web,
    emails,
    join_by_link,
    log_in,
    opens_dashboard,
    submit_quiz,
    text_of,
    texts,
)

LESSON_DONE = "/courses/impasse/lessons/reading-a-walkout/complete"
REMEMBER_COOKIE = "remember_token"
DELETED = "Your account was deleted."
WRONG = "Your password is not correct. Nothing was deleted."


@pytest.fixture
def workshop(quiz_app):
    """A trainer's cohort with the walkouts module assigned; Ana and Ben are members. Ana has
    done a lesson and passed the quiz; Ben got the first question wrong."""
    create_account(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")
    ana_id = create_account(quiz_app, "ana@example.com", name="Ana Learner")
    create_account(quiz_app, "ben@example.com", name="Ben Learner")
    trainer = log_in(quiz_app, "trainer@example.com")
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assert assign_on_the_web(trainer, cohort_id).status_code == 303
    ana, ben = log_in(quiz_app, "ana@example.com"), log_in(quiz_app, "ben@example.com")
    for client in (ana, ben):
        assert join_by_link(client, link).status_code == 303
    assert ana.post(LESSON_DONE).status_code < 400
    assert submit_quiz(ana, RIGHT_ANSWERS).status_code < 400
    assert submit_quiz(ben, {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat"}).status_code < 400
    return {
        "app": quiz_app,
        "trainer": trainer,
        "ana": ana,
        "ben": ben,
        "ana_id": ana_id,
        "cohort_id": cohort_id,
    }


def delete(client, password=PASSWORD, **extra):
    return client.post("/account/delete", data={"password": password}, **extra)


# --- The page -------------------------------------------------------------------------------


def test_the_account_page_links_to_deletion(workshop):
    page = workshop["ana"].get("/account").text
    assert text_of(page, "#delete-heading") == "Delete your account"
    assert '<a href="/account/delete">Delete your account</a>' in page


def test_the_page_says_what_is_deleted_and_offers_the_download_first(workshop):
    response = workshop["ana"].get("/account/delete")
    assert response.status_code == 200
    page = response.text
    assert text_of(page, "h1") == "Delete your account"
    assert texts(page, "li")[-4:] == [
        "your name, e-mail address, password and time zone;",
        "your lesson progress, and your quiz attempts with every answer you gave;",
        "your place in every cohort: you leave them all, and instructors no longer see you in "
        "their readiness grids;",
        "every browser you are logged in on, including those that remember you.",
    ]
    assert (
        "Nothing that names you is kept. Your answers are deleted too, not kept anonymously: "
        "your cohorts’ question analysis and weak spots no longer count them. Backups the site’s "
        "operator made before today still hold your account until they are replaced." in page
    )
    assert '<a href="/account/data.json" download>Download your data first</a>' in page
    assert 'type="password"' in page
    assert text_of(page, "button.danger") == "Delete my account"


def test_the_page_needs_a_log_in(quiz_app):
    response = quiz_app.test_client().get("/account/delete")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- A wrong password -----------------------------------------------------------------------


def test_a_wrong_password_deletes_nothing_and_counts_as_a_failed_log_in(workshop):
    app, ana = workshop["app"], workshop["ana"]
    response = delete(ana, "not my password")
    assert response.status_code == 400
    assert text_of(response.text, ".field-error") == WRONG
    assert emails(app) == ["ana@example.com", "ben@example.com", "trainer@example.com"]
    assert count(app, Attempt, user_id=workshop["ana_id"]) == 1
    assert count(app, FailedAttempt, kind="login", account="ana@example.com") == 1
    assert opens_dashboard(ana)


def test_an_empty_password_is_a_form_error(workshop):
    response = delete(workshop["ana"], "")
    assert response.status_code == 400
    assert text_of(response.text, ".field-error") == "This field is required."
    assert count(workshop["app"], User) == 3
    assert count(workshop["app"], FailedAttempt) == 0


def test_after_ten_wrong_passwords_even_the_right_one_waits_with_retry_after(workshop):
    app, ana = workshop["app"], workshop["ana"]
    assert [delete(ana, "wrong guess").status_code for _ in range(10)] == [400] * 10
    refused = delete(ana)
    assert refused.status_code == 429
    assert "Too many failed log-ins. You can try again in " in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    assert "ana@example.com" in emails(app)
    assert count(app, FailedAttempt, account="ana@example.com") == 10  # a refusal adds none


# --- The right password ---------------------------------------------------------------------


def test_the_right_password_deletes_everything_of_the_account_and_nothing_else(workshop):
    app, ana, ana_id = workshop["app"], workshop["ana"], workshop["ana_id"]
    delete(ana, "a wrong one first")  # recorded under the e-mail: deleted with the account
    log_in(app, "ana@example.com")  # another browser
    with app.app_context():
        ben_id = db.session.scalar(select(User.id).where(User.email == "ben@example.com"))
    before = {model: count(app, model) for model in (Attempt, Answer, Membership, LessonProgress)}
    ben_answers = count(app, Answer) - answers_of(app, ana_id)
    response = delete(ana)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert text_of(ana.get("/").text, ".flash-info") == DELETED
    assert emails(app) == ["ben@example.com", "trainer@example.com"]
    for model in (AccountSession, LessonProgress, Attempt, Membership):
        assert count(app, model, user_id=ana_id) == 0, model.__name__
    assert count(app, FailedAttempt, account="ana@example.com") == 0
    assert count(app, Attempt) == before[Attempt] - 1
    assert count(app, Membership) == before[Membership] - 1
    assert count(app, LessonProgress) == before[LessonProgress] - 1
    assert count(app, Answer) == ben_answers
    assert count(app, Attempt, user_id=ben_id) == 1
    assert count(app, Membership, user_id=ben_id) == 1
    assert count(app, Cohort) == 1
    assert opens_dashboard(workshop["ben"])
    assert workshop["trainer"].get("/instructor/").status_code == 200


def answers_of(app, user_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.user_id == user_id)
    )
    with app.app_context():
        return db.session.scalar(query)


def test_the_deleted_accounts_cookies_open_nothing_remembered_or_not(workshop):
    app, ana = workshop["app"], workshop["ana"]
    remembered = app.test_client()
    data = {"email": "ana@example.com", "password": PASSWORD, "remember": "y"}
    assert remembered.post("/login", data=data).status_code == 302
    saved = remembered.get_cookie(REMEMBER_COOKIE).value
    session_cookie = ana.get_cookie("session").value
    assert delete(ana).status_code == 302
    assert ana.get_cookie(REMEMBER_COOKIE) is None
    assert not opens_dashboard(ana)
    assert not opens_dashboard(remembered)
    replayed = app.test_client()
    replayed.set_cookie(REMEMBER_COOKIE, saved)
    assert not opens_dashboard(replayed)
    copied = app.test_client()
    copied.set_cookie("session", session_cookie)
    assert not opens_dashboard(copied)


def test_the_same_email_can_register_again_as_a_new_account(workshop):
    app = workshop["app"]
    assert delete(workshop["ana"]).status_code == 302
    client = app.test_client()
    data = {"name": "Ana Again", "email": "ana@example.com", "password": PASSWORD}
    assert client.post("/register", data=data).status_code == 302
    page = client.get("/dashboard").text
    assert "Ana Again" in page


def test_a_deleted_learner_leaves_the_grid_and_the_question_analysis(workshop):
    trainer, cohort_id = workshop["trainer"], workshop["cohort_id"]
    grid = f"/instructor/cohorts/{cohort_id}"
    questions = f"{grid}/questions"
    assert texts(trainer.get(grid).text, "a.learner-name") == ["Ana Learner", "Ben Learner"]
    first_row = texts(trainer.get(questions).text, "td")[:4]
    assert first_row[2:] == ["2", "50%"]  # answers, correct
    assert delete(workshop["ana"]).status_code == 302
    assert texts(trainer.get(grid).text, "a.learner-name") == ["Ben Learner"]
    assert texts(trainer.get(questions).text, "td")[2:4] == ["1", "0%"]
    learner_page = trainer.get(f"{grid}/learners/{workshop['ana_id']}")
    assert learner_page.status_code == 404


# --- Instructors who own cohorts ------------------------------------------------------------


def test_an_instructor_who_owns_cohorts_is_shown_them_and_no_button(workshop):
    page = workshop["trainer"].get("/account/delete").text
    cohort_id = workshop["cohort_id"]
    assert "You own 1 cohort. Your account can be deleted once you own none:" in page
    assert texts(page, "ul.owned-cohorts li") == [
        f"Spring workshop (id {cohort_id}) · Delete “Spring workshop”"
    ]
    assert f'href="/instructor/cohorts/{cohort_id}/delete"' in page
    assert "flask cohorts transfer COHORT_ID --to their-email@example.org" in page
    assert "Delete my account" not in page


def test_an_instructor_who_owns_cohorts_is_refused_even_with_the_right_password(workshop):
    app = workshop["app"]
    response = delete(workshop["trainer"])
    assert response.status_code == 409
    assert text_of(response.text, ".form-error") == (
        "You still own 1 cohort. Delete it, or ask an operator to hand it to another "
        "instructor, before you delete your account. Nothing was deleted."
    )
    assert "trainer@example.com" in emails(app)
    assert count(app, Cohort) == 1
    assert count(app, FailedAttempt) == 0  # the password was not even checked
    assert opens_dashboard(workshop["trainer"])


def test_after_handing_the_cohort_over_the_instructor_can_delete_their_account(workshop):
    app = workshop["app"]
    create_account(app, "other@example.com", role="instructor")
    runner = app.test_cli_runner()
    moved = runner.invoke(
        args=["cohorts", "transfer", str(workshop["cohort_id"]), "--to", "other@example.com"]
    )
    assert moved.exit_code == 0, moved.output
    assert "Delete my account" in workshop["trainer"].get("/account/delete").text
    assert delete(workshop["trainer"]).status_code == 302
    assert "trainer@example.com" not in emails(app)
    with app.app_context():
        owner = db.session.scalar(select(User.email).join(Cohort, Cohort.owner_id == User.id))
    assert owner == "other@example.com"
    assert count(app, Membership) == 2  # the learners stay in the cohort


def test_after_deleting_the_cohort_the_instructor_can_delete_their_account(workshop):
    app, trainer = workshop["app"], workshop["trainer"]
    gone = trainer.post(
        f"/instructor/cohorts/{workshop['cohort_id']}/delete", data={"name": "Spring workshop"}
    )
    assert gone.status_code == 303
    assert delete(trainer).status_code == 302
    assert emails(app) == ["ana@example.com", "ben@example.com"]


def test_old_failures_of_other_accounts_are_kept(workshop):
    """Only what names the deleted account goes: the throttles keep counting the rest."""
    app = workshop["app"]
    with app.app_context():
        db.session.add(
            FailedAttempt(
                kind="login",
                address="198.51.100.1",
                account="ben@example.com",
                failed_at=utcnow() - timedelta(minutes=1),
            )
        )
        db.session.commit()
    assert delete(workshop["ana"]).status_code == 302
    assert count(app, FailedAttempt, account="ben@example.com") == 1


def test_a_sign_up_waiting_under_the_deleted_address_goes_too(workshop):
    """A sign-up for the same address (made from elsewhere, waiting for its confirmation) holds
    the address and a name: it goes with the account, and another address's stays."""
    app = workshop["app"]
    with app.app_context():
        for n, email in enumerate(["ana@example.com", "cleo@example.com"]):
            db.session.add(
                PendingSignUp(
                    token_hash=f"{n:064d}", email=email, name="Someone", password_hash="x"
                )
            )
        db.session.commit()
    assert delete(workshop["ana"]).status_code == 302
    assert count(app, PendingSignUp, email="ana@example.com") == 0
    assert count(app, PendingSignUp, email="cleo@example.com") == 1


def test_an_instructor_with_two_cohorts_is_told_about_both(workshop):
    trainer = workshop["trainer"]
    second, _, _ = create_cohort_on_the_web(trainer, name="Autumn workshop")
    refused = delete(trainer)
    assert refused.status_code == 409
    assert text_of(refused.text, ".form-error").startswith(
        "You still own 2 cohorts. Delete them, or ask an operator to hand them to another "
    )
    assert texts(refused.text, "ul.owned-cohorts li") == [
        f"Autumn workshop (id {second}) · Delete “Autumn workshop”",
        f"Spring workshop (id {workshop['cohort_id']}) · Delete “Spring workshop”",
    ]

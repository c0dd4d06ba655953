"""Forgotten passwords, end to end: the mail arrives at a real SMTP server on loopback and its
link is followed with the test client; and the one-time links instructors make."""

from __future__ import annotations

import html
import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from parley import create_app
from parley.accounts import reset
from parley.extensions import db
from parley.models import AccountSession, User, utcnow
from tests.factories import (
    PASSWORD,
    TAMPERINGS,
    create_account,
    create_cohort_on_the_web,
    log_in,
    production_settings,
    text_of,
    unused_smtp_url,
)

NEW_PASSWORD = "a brand new passphrase"
SENT = "Check your e-mail"
NOT_SENT = "The message could not be sent just now: the mail server did not accept it."


@pytest.fixture
def mail_app(mail_app):
    """The shared mail app (sending to the loopback `smtp`), with an account for ana@example.com."""
    create_account(mail_app, "ana@example.com", name="Ana")
    return mail_app


def ask_for_link(client, email="ana@example.com"):
    return client.post("/forgot-password", data={"email": email})


def choose(client, link, new=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"new": new, "confirm": confirm or new})


def sessions_of(app, email="ana@example.com") -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AccountSession)
            .join(User, User.id == AccountSession.user_id)
            .where(User.email == email)
        )


def token_for(app, email="ana@example.com", kind=reset.BY_MAIL, now=None) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return reset.make_token(app.config["SECRET_KEY"], user, kind, now)


def test_the_log_in_page_links_to_forgot_password(client):
    page = client.get("/login").text
    assert '<a href="/forgot-password">Forgot your password?</a>' in page


def test_a_reset_mail_arrives_with_a_link_that_sets_a_new_password(mail_app, smtp):
    client = mail_app.test_client()
    response = ask_for_link(client, "  ANA@example.com ")
    assert response.status_code == 200
    assert text_of(response.text, "h1") == SENT
    (mail,) = smtp.received
    assert mail.recipients == ["ana@example.com"]
    assert mail.subject == "Reset your Parley password"
    (link, _forgot) = mail.links()
    assert link.startswith("http://localhost/reset-password/")
    assert "Hello Ana," in mail.text
    assert "It works once, for 1 hour." in mail.text
    assert f'<a href="{link}">{link}</a>' in mail.html
    assert "It works once, for 1 hour." in mail.html

    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    assert "For ana@example.com." in form.text
    done = choose(client, link)
    assert done.status_code == 302
    assert done.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200  # signed in afresh
    log_in(mail_app, "ana@example.com", NEW_PASSWORD)
    assert (
        mail_app.test_client()
        .post("/login", data={"email": "ana@example.com", "password": PASSWORD})
        .status_code
        == 400
    )


def test_using_the_link_ends_every_other_session(mail_app, smtp):
    elsewhere = log_in(mail_app, "ana@example.com")
    assert elsewhere.get("/account").status_code == 200
    client = mail_app.test_client()
    ask_for_link(client)
    response = choose(client, smtp.received[0].links()[0])
    assert response.status_code == 302
    assert sessions_of(mail_app) == 1  # only the new one, in this browser
    assert elsewhere.get("/account").status_code == 302  # sent to log in
    page = client.get("/dashboard", follow_redirects=True).text
    assert "Your new password is set and you are logged in. 1 other browser logged out." in page


def test_a_used_link_says_it_has_been_used(mail_app, smtp):
    client = mail_app.test_client()
    ask_for_link(client)
    link = smtp.received[0].links()[0]
    assert choose(client, link).status_code == 302
    again = mail_app.test_client().get(link)
    assert again.status_code == 400
    assert "This link has already been used" in again.text
    assert choose(mail_app.test_client(), link, new="yet another passphrase").status_code == 400
    log_in(mail_app, "ana@example.com", NEW_PASSWORD)  # unchanged by the refused reuse


def test_a_second_link_is_void_once_the_first_is_used(mail_app, smtp):
    first = f"/reset-password/{token_for(mail_app, now=utcnow() - timedelta(minutes=5))}"
    client = mail_app.test_client()
    ask_for_link(client)
    second = smtp.received[0].links()[0]
    assert choose(client, second).status_code == 302
    assert "This link has already been used" in mail_app.test_client().get(first).text


def test_a_link_mailed_before_a_change_of_address_opens_nothing(mail_app, smtp):
    """The old mailbox may be the reason for the change: its reset link must not work."""
    client = mail_app.test_client()
    ask_for_link(client)
    link = smtp.received[0].links()[0]
    with mail_app.app_context():
        ana = db.session.scalar(select(User).where(User.email == "ana@example.com"))
        ana.email = "ana.new@example.com"
        db.session.commit()
    page = client.get(link)
    assert page.status_code == 400
    assert (
        "This link has already been used, or the account's password or e-mail address has "
        "changed since it was made."
    ) in html.unescape(page.text)
    assert choose(client, link).status_code == 400
    log_in(mail_app, "ana.new@example.com")  # the password is unchanged


def test_an_instructor_lands_on_the_instructor_pages_after_a_reset(mail_app):
    create_account(mail_app, "tim@example.com", name="Tim", role="instructor")
    link = f"/reset-password/{token_for(mail_app, 'tim@example.com')}"
    response = choose(mail_app.test_client(), link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/instructor/"


def test_a_link_expires_after_one_hour(mail_app):
    made = utcnow() - timedelta(hours=1, seconds=5)
    link = f"/reset-password/{token_for(mail_app, now=made)}"
    response = mail_app.test_client().get(link)
    assert response.status_code == 400
    assert "This link expired 1 hour after it was made. Ask for a new link." in response.text
    assert choose(mail_app.test_client(), link).status_code == 400
    log_in(mail_app, "ana@example.com")  # the old password still works


def test_a_link_made_59_minutes_ago_still_works(mail_app):
    made = utcnow() - timedelta(minutes=59)
    link = f"/reset-password/{token_for(mail_app, now=made)}"
    assert mail_app.test_client().get(link).status_code == 200


@pytest.mark.parametrize("change", TAMPERINGS)
def test_a_tampered_link_is_not_valid(mail_app, change):
    token = change(token_for(mail_app))
    response = mail_app.test_client().get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "This link is not valid: it may have been copied incompletely." in response.text


def test_a_link_signed_with_another_secret_is_not_valid(mail_app, app_config):
    other = create_app({**app_config, "SECRET_KEY": "another-secret-key"})
    response = other.test_client().get(f"/reset-password/{token_for(mail_app)}")
    assert response.status_code == 400
    assert "This link is not valid" in response.text


def test_a_link_for_a_deleted_account_is_not_valid(mail_app):
    token = token_for(mail_app)
    with mail_app.app_context():
        db.session.delete(db.session.scalar(select(User)))
        db.session.commit()
    response = mail_app.test_client().get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "This link is not valid" in response.text


def test_the_new_password_follows_the_registration_rules(mail_app):
    link = f"/reset-password/{token_for(mail_app)}"
    client = mail_app.test_client()
    short = choose(client, link, new="short")
    assert short.status_code == 400
    assert "Use at least 10 characters." in short.text
    differ = choose(client, link, confirm="something different")
    assert differ.status_code == 400
    assert "The two new passwords differ." in differ.text
    assert client.get(link).status_code == 200  # the link was not used up
    log_in(mail_app, "ana@example.com")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(mail_app, smtp):
    known = ask_for_link(mail_app.test_client(), "ana@example.com")
    unknown = ask_for_link(mail_app.test_client(), "nobody@example.com")
    assert unknown.status_code == known.status_code == 200
    assert unknown.text.replace("nobody@example.com", "ana@example.com") == known.text
    assert [mail.recipients for mail in smtp.received] == [["ana@example.com"]]


def test_addresses_beyond_ascii_get_the_same_answer_known_or_not(mail_app, smtp):
    create_account(mail_app, "ñandú@example.com", name="Ñandú")
    known = ask_for_link(mail_app.test_client(), "ñandú@example.com")
    unknown = ask_for_link(mail_app.test_client(), "ñoño@example.com")
    assert known.status_code == unknown.status_code == 200
    assert unknown.text.replace("ñoño", "ñandú") == known.text
    assert [mail.recipients for mail in smtp.received] == [["ñandú@example.com"]]
    assert "Hello Ñandú," in smtp.received[0].text


def test_a_server_that_is_down_gets_the_same_answer_for_known_and_unknown(app_config, caplog):
    app = create_app({**app_config, "MAIL_URL": unused_smtp_url()})
    create_account(app, "ana@example.com")
    with caplog.at_level(logging.WARNING):
        known = ask_for_link(app.test_client(), "ana@example.com")
        unknown = ask_for_link(app.test_client(), "nobody@example.com")
    assert known.status_code == unknown.status_code == 503
    assert NOT_SENT in known.text
    assert unknown.text.replace("nobody@example.com", "ana@example.com") == known.text
    assert "password-reset mail not sent: the mail server at 127.0.0.1" in caplog.text


def test_a_refused_recipient_gets_the_same_answer_for_known_and_unknown(app_config, smtp):
    app = create_app({**app_config, "MAIL_URL": smtp.url})
    create_account(app, "refused@example.com")
    known = ask_for_link(app.test_client(), "refused@example.com")
    with app.app_context():
        db.session.delete(db.session.scalar(select(User)))
        db.session.commit()
    unknown = ask_for_link(app.test_client(), "refused@example.com")
    assert known.status_code == unknown.status_code == 503
    assert NOT_SENT in known.text
    assert known.text == unknown.text
    assert smtp.received == []


def test_requests_are_throttled_per_address_with_a_retry_time(app_config, smtp):
    app = create_app(
        {**app_config, "MAIL_URL": smtp.url, "RESET_REQUESTS_PER_ADDRESS": "3 per hour"}
    )
    client = app.test_client()
    for number in range(3):
        assert ask_for_link(client, f"person{number}@example.com").status_code == 200
    refused = ask_for_link(client, "person9@example.com")
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "Too many reset requests from this network. You can ask again in 60 minutes." in (
        refused.text
    )
    assert 'value="person9@example.com"' in refused.text  # what was typed is kept


def test_one_email_gets_at_most_a_few_links_an_hour_with_the_same_answer(mail_app, smtp):
    answers = [ask_for_link(mail_app.test_client()) for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4
    assert answers[3].text == answers[0].text
    assert len(smtp.received) == 3  # RESET_REQUESTS_PER_EMAIL: 3 per hour


def test_production_without_mail_says_reset_by_mail_is_not_available(app_config):
    app = create_app({**app_config, **production_settings()})
    client = app.test_client()
    page = client.get("/forgot-password")
    assert page.status_code == 200
    expected = "Password reset by e-mail is not available: mail is not configured on this site."
    assert expected in page.text
    answer = ask_for_link(client)
    assert answer.status_code == 503
    assert expected in answer.text


def test_development_without_mail_writes_the_link_to_the_outbox(app_config, tmp_path):
    app = create_app({**app_config, "ENV": "development", "MAIL_OUTBOX": str(tmp_path)})
    create_account(app, "ana@example.com")
    client = app.test_client()
    assert ask_for_link(client).status_code == 200
    (eml,) = tmp_path.glob("*-reset-your-parley-password.eml")
    link = next(line for line in eml.read_text().splitlines() if "/reset-password/" in line).strip()
    assert choose(client, link).status_code == 302


def test_the_forgot_form_refuses_a_bad_email_and_sends_nothing(mail_app, smtp):
    response = ask_for_link(mail_app.test_client(), "not an email")
    assert response.status_code == 400
    assert "Invalid email address." in response.text
    assert smtp.received == []


# --- Instructor-made links ------------------------------------------------------------------


@pytest.fixture
def workshop(mail_app):
    """Tim teaches a cohort that Ana (a learner) and Ida (an instructor) joined; Oli is in none
    of Tim's cohorts."""
    create_account(mail_app, "tim@example.com", name="Tim", role="instructor")
    create_account(mail_app, "ida@example.com", name="Ida", role="instructor")
    create_account(mail_app, "oli@example.com", name="Oli")
    tim = log_in(mail_app, "tim@example.com")
    cohort_id, link, _ = create_cohort_on_the_web(
        tim, name="Spring", when=date.today() + timedelta(days=7)
    )
    for email in ("ana@example.com", "ida@example.com"):
        assert log_in(mail_app, email).post(link).status_code == 303
    with mail_app.app_context():
        ids = {u.email: u.id for u in db.session.scalars(select(User))}
    return {"tim": tim, "cohort": cohort_id, "ids": ids}


def reset_link_url(workshop, email):
    return f"/instructor/cohorts/{workshop['cohort']}/learners/{workshop['ids'][email]}/reset-link"


def test_an_instructor_makes_a_one_time_link_for_a_learner(mail_app, smtp, workshop, caplog):
    learner_page = workshop["tim"].get(
        reset_link_url(workshop, "ana@example.com").rsplit("/", 1)[0]
    )
    assert "Make a password-reset link for Ana</button>" in learner_page.text
    with caplog.at_level(logging.WARNING):
        response = workshop["tim"].post(reset_link_url(workshop, "ana@example.com"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "This link is shown only once." in response.text
    assert "(24 hours)" in response.text
    link = re.search(r'id="reset-link" type="text" readonly value="([^"]+)"', response.text)[1]
    assert link.startswith("http://localhost/reset-password/")
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text
    assert (
        f"password-reset link made by instructor {workshop['ids']['tim@example.com']} "
        f"<tim@example.com> for learner {workshop['ids']['ana@example.com']} <ana@example.com> "
        "(cohort 'Spring'), expires "
    ) in caplog.text
    # The learner is told by mail, without the link.
    (notice,) = smtp.received
    assert notice.recipients == ["ana@example.com"]
    assert notice.subject == "A password-reset link was made for your Parley account"
    assert 'Tim, your instructor in "Spring", made a link for you' in notice.text
    assert token not in notice.text and token not in notice.html
    assert "has been told by e-mail that you made this link" in response.text
    # The link works once.
    client = mail_app.test_client()
    assert choose(client, link).status_code == 302
    assert "This link has already been used" in client.get(link).text


def test_an_instructor_link_lasts_24_hours(mail_app):
    nearly = utcnow() - timedelta(hours=23, minutes=59)
    over = utcnow() - timedelta(hours=24, seconds=5)
    client = mail_app.test_client()
    fresh = token_for(mail_app, kind=reset.BY_INSTRUCTOR, now=nearly)
    assert client.get(f"/reset-password/{fresh}").status_code == 200
    old = client.get(f"/reset-password/{token_for(mail_app, kind=reset.BY_INSTRUCTOR, now=over)}")
    assert old.status_code == 400
    assert "This link expired 24 hours after it was made." in old.text


def test_no_link_for_another_instructor_even_a_member(mail_app, smtp, workshop):
    response = workshop["tim"].post(reset_link_url(workshop, "ida@example.com"))
    assert response.status_code == 403
    assert "Reset links are made for learners only" in response.text
    assert smtp.received == []


def test_no_link_for_someone_outside_the_instructors_cohorts(mail_app, smtp, workshop):
    response = workshop["tim"].post(reset_link_url(workshop, "oli@example.com"))
    assert response.status_code == 404
    assert "That learner is not a member of this cohort." in response.text


def test_no_link_in_another_instructors_cohort(mail_app, workshop):
    ida = log_in(mail_app, "ida@example.com")
    response = ida.post(reset_link_url(workshop, "ana@example.com"))
    assert response.status_code == 404


def test_learners_cannot_make_links(mail_app, workshop):
    ana = log_in(mail_app, "ana@example.com")
    assert ana.post(reset_link_url(workshop, "ana@example.com")).status_code == 403


def test_the_link_is_shown_even_when_the_notice_cannot_be_sent(app_config, caplog):
    app = create_app({**app_config, "MAIL_URL": unused_smtp_url()})
    create_account(app, "ana@example.com", name="Ana")
    create_account(app, "tim@example.com", name="Tim", role="instructor")
    tim = log_in(app, "tim@example.com")
    cohort_id, link, _ = create_cohort_on_the_web(tim, when=date.today() + timedelta(days=7))
    log_in(app, "ana@example.com").post(link)
    with app.app_context():
        ana_id = db.session.scalar(select(User.id).where(User.email == "ana@example.com"))
    response = tim.post(f"/instructor/cohorts/{cohort_id}/learners/{ana_id}/reset-link")
    assert response.status_code == 200
    assert "This link is shown only once." in response.text
    assert "Ana could not be told by e-mail that you made this link" in response.text

"""Sign-up with a mail server: the same answer for a new and a taken address, a link that
creates the account, and a mail to the owner of a taken one; tried against a real SMTP server
on loopback. Without a mail server, sign-up is immediate as before."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from parley import create_app
from parley.accounts import sign_up_confirmation
from parley.extensions import db
from parley.models import FailedAttempt, Membership, PendingSignUp, User
from tests.factories import (
    PASSWORD,
    TAMPERINGS,
    count,
    create_account,
    create_cohort_on_the_web,
    create_mail_app,
    log_in,
    text_of,
    texts,
    unused_smtp_url,
)

CHOSEN = "my own sign-up passphrase"
SENT = "to finish signing up. It works for 24 hours."
NOT_SENT = "The e-mail to finish signing up could not be sent just now"
CSRF = re.compile(r'name="csrf_token" (type="hidden" )?value="[^"]*"')


@pytest.fixture
def mail_app(mail_app):
    """The shared mail app (sending to the loopback `smtp`), with an account for ana@example.com."""
    create_account(mail_app, "ana@example.com", name="Ana")
    return mail_app


def sign_up(client, email, name="Bea", password=CHOSEN, query="", **extra):
    data = {"name": name, "email": email, "password": password, **extra}
    return client.post(f"/register{query}", data=data)


def account_exists(app, email) -> bool:
    return count(app, User, User.email == email) == 1


def moved_clock(app, **delta):
    app.extensions["parley_clock"] = lambda: datetime.now(UTC) + timedelta(**delta)


def link_path(mail) -> str:
    (link, _again) = mail.links()
    return link.replace("http://localhost", "")


def test_a_new_and_a_taken_address_get_the_same_answer(mail_app, smtp):
    new = sign_up(mail_app.test_client(), "bea@example.com")
    taken = sign_up(mail_app.test_client(), "ana@example.com")
    assert new.status_code == taken.status_code == 200
    assert text_of(new.text, "h1") == "Check your e-mail"
    assert texts(new.text, "main p")[0] == f"We sent a link to bea@example.com {SENT}"
    same = CSRF.sub("", taken.text.replace("ana@example.com", "bea@example.com"))
    assert same == CSRF.sub("", new.text)
    assert "already exists" not in taken.text
    assert [mail.recipients for mail in smtp.received] == [["bea@example.com"], ["ana@example.com"]]
    assert not account_exists(mail_app, "bea@example.com")  # not before the link is followed
    assert count(mail_app, PendingSignUp) == 1  # for bea only


def test_the_owner_of_a_taken_address_is_told_by_mail(mail_app, smtp):
    sign_up(mail_app.test_client(), "ANA@example.com")
    (mail,) = smtp.received
    assert mail.recipients == ["ana@example.com"]
    assert mail.subject == "Someone tried to sign up for Parley with your address"
    assert "Hello Ana," in mail.text
    assert "you already have an account with it. No new account was made." in mail.text
    assert mail.links() == ["http://localhost/login", "http://localhost/forgot-password"]
    assert '<a href="http://localhost/forgot-password">Ask for a reset link</a>' in mail.html
    assert count(mail_app, PendingSignUp) == 0
    log_in(mail_app, "ana@example.com")  # nothing changed


def test_the_link_creates_the_account_with_the_chosen_password(mail_app, smtp):
    client = mail_app.test_client()
    sign_up(client, "Bea@Example.com", name="  Bea Berg ")
    (mail,) = smtp.received
    assert mail.subject == "Finish signing up for Parley"
    assert "Hello Bea Berg," in mail.text
    assert "It works for 24 hours. Until then there is no account with this address." in mail.text
    link = link_path(mail)
    assert link.startswith("/sign-up/confirm/")
    assert f'<a href="http://localhost{link}">http://localhost{link}</a>' in mail.html

    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Create the account for <strong>bea@example.com</strong>, named Bea Berg," in page.text
    assert not account_exists(mail_app, "bea@example.com")  # opening the link changes nothing

    done = client.post(link)
    assert done.status_code == 302
    assert done.headers["Location"] == "/dashboard"
    welcome = client.get("/dashboard").text
    assert "Welcome to Parley, Bea Berg. Your e-mail address is confirmed." in welcome
    assert count(mail_app, PendingSignUp) == 0
    log_in(mail_app, "bea@example.com", CHOSEN)


def test_the_link_joins_the_invitations_cohort(mail_app, smtp):
    create_account(mail_app, "tim@example.com", name="Tim", role="instructor")
    trainer = log_in(mail_app, "tim@example.com")
    cohort_id, invite, _code = create_cohort_on_the_web(trainer)
    token = invite.rsplit("/", 1)[1]
    client = mail_app.test_client()
    assert sign_up(client, "bea@example.com", query=f"?join={token}", join=token).status_code == 200
    assert 'and join "Spring workshop"' in smtp.received[0].text
    response = client.post(link_path(smtp.received[0]))
    assert response.status_code == 302
    welcome = client.get("/dashboard").text
    assert "Your e-mail address is confirmed. You joined “Spring workshop”." in welcome
    with mail_app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "bea@example.com"))
    assert count(mail_app, Membership, Membership.user_id == user_id) == 1
    assert count(mail_app, Membership, Membership.cohort_id == cohort_id) == 1


def test_a_taken_address_with_an_invitation_is_sent_to_log_in_and_join(mail_app, smtp):
    create_account(mail_app, "tim@example.com", name="Tim", role="instructor")
    _id, invite, _code = create_cohort_on_the_web(log_in(mail_app, "tim@example.com"))
    token = invite.rsplit("/", 1)[1]
    sign_up(mail_app.test_client(), "ana@example.com", query=f"?join={token}", join=token)
    (mail,) = smtp.received
    assert 'to join "Spring workshop"' in mail.text
    assert mail.links()[0] == f"http://localhost/login?next=/join/{token}"


def test_the_link_goes_on_to_the_page_the_sign_up_came_from(mail_app, smtp):
    client = mail_app.test_client()
    sign_up(client, "bea@example.com", next="/courses/impasse")
    response = client.post(link_path(smtp.received[0]))
    assert response.headers["Location"] == "/courses/impasse"


def test_a_used_link_says_to_log_in(mail_app, smtp):
    client = mail_app.test_client()
    sign_up(client, "bea@example.com")
    link = link_path(smtp.received[0])
    assert client.post(link).status_code == 302
    for again in (mail_app.test_client().get(link), mail_app.test_client().post(link)):
        assert again.status_code == 400
        assert text_of(again.text, "h1") == "This link cannot be used"
        assert (
            "This link has already been used: the account for bea@example.com exists. Log in "
            "with the password you chose when signing up." in again.text
        )
    assert count(mail_app, User) == 2


def test_a_second_sign_up_replaces_the_first_link(mail_app, smtp):
    sign_up(mail_app.test_client(), "bea@example.com", password="the first passphrase")
    sign_up(mail_app.test_client(), "bea@example.com", name="Bea B", password=CHOSEN)
    first, second = (link_path(mail) for mail in smtp.received)
    assert count(mail_app, PendingSignUp) == 1
    refused = mail_app.test_client().post(first)
    assert refused.status_code == 400
    assert "This link was replaced by a newer sign-up with bea@example.com." in refused.text
    assert mail_app.test_client().post(second).status_code == 302
    log_in(mail_app, "bea@example.com", CHOSEN)


def test_a_link_expires_after_24_hours(mail_app, smtp):
    sign_up(mail_app.test_client(), "bea@example.com")
    link = link_path(smtp.received[0])
    moved_clock(mail_app, hours=23, minutes=59)
    assert mail_app.test_client().get(link).status_code == 200
    moved_clock(mail_app, hours=24, seconds=5)
    for response in (mail_app.test_client().get(link), mail_app.test_client().post(link)):
        assert response.status_code == 400
        assert "This link expired 24 hours after it was made. Sign up again." in response.text
    assert not account_exists(mail_app, "bea@example.com")


def test_old_pending_sign_ups_are_pruned_when_new_ones_are_written(mail_app, smtp):
    sign_up(mail_app.test_client(), "bea@example.com")
    moved_clock(mail_app, hours=25)
    sign_up(mail_app.test_client(), "cai@example.com")
    with mail_app.app_context():
        assert db.session.scalars(select(PendingSignUp.email)).all() == ["cai@example.com"]


@pytest.mark.parametrize("change", TAMPERINGS)
def test_a_tampered_link_is_not_valid(mail_app, smtp, change):
    sign_up(mail_app.test_client(), "bea@example.com")
    token = change(link_path(smtp.received[0]).rsplit("/", 1)[1])
    for response in (
        mail_app.test_client().get(f"/sign-up/confirm/{token}"),
        mail_app.test_client().post(f"/sign-up/confirm/{token}"),
    ):
        assert response.status_code == 400
        assert "This link is not valid: it may have been copied incompletely." in response.text
    assert not account_exists(mail_app, "bea@example.com")


def test_an_address_taken_before_the_link_is_followed(mail_app, smtp):
    sign_up(mail_app.test_client(), "bea@example.com")
    create_account(mail_app, "bea@example.com", name="Other Bea")
    response = mail_app.test_client().post(link_path(smtp.received[0]))
    assert response.status_code == 400
    assert "An account for bea@example.com already exists, so this sign-up" in response.text
    assert count(mail_app, User, User.name == "Other Bea") == 1


def test_a_server_that_is_down_gets_the_same_503_for_new_and_taken(app_config, caplog):
    app = create_app({**app_config, "MAIL_URL": unused_smtp_url()})
    create_account(app, "ana@example.com", name="Ana")
    with caplog.at_level(logging.WARNING):
        new = sign_up(app.test_client(), "bea@example.com")
        taken = sign_up(app.test_client(), "ana@example.com")
    assert new.status_code == taken.status_code == 503
    assert NOT_SENT in text_of(new.text, "p.form-error")
    same = CSRF.sub("", taken.text.replace("ana@example.com", "bea@example.com"))
    assert same == CSRF.sub("", new.text)
    assert 'value="bea@example.com"' in new.text  # what was typed is kept
    assert CHOSEN not in new.text  # never the password
    assert count(app, PendingSignUp) == 0
    assert "sign-up mail not sent: the mail server at 127.0.0.1" in caplog.text


def test_a_refused_recipient_keeps_nothing(mail_app, smtp):
    response = sign_up(mail_app.test_client(), "refused@example.com")
    assert response.status_code == 503
    assert count(mail_app, PendingSignUp) == 0
    assert smtp.received == []


def test_one_address_gets_at_most_five_messages_an_hour_with_the_same_answer(mail_app, smtp):
    answers = [sign_up(mail_app.test_client(), "ana@example.com") for _ in range(7)]
    assert {answer.status_code for answer in answers} == {200}
    assert len(smtp.received) == sign_up_confirmation.MAILS_PER_ADDRESS.amount == 5


def test_the_password_is_hashed_for_a_taken_address_too(mail_app, smtp, monkeypatch):
    """The time a sign-up takes does not tell whether its address is taken."""
    hashed = []
    original = sign_up_confirmation.generate_password_hash

    def counting(password, **kwargs):
        hashed.append(password)
        return original(password, **kwargs)

    monkeypatch.setattr(sign_up_confirmation, "generate_password_hash", counting)
    sign_up(mail_app.test_client(), "bea@example.com")
    sign_up(mail_app.test_client(), "ana@example.com")
    assert hashed == [CHOSEN, CHOSEN]


def test_a_bad_form_is_refused_as_before_and_sends_nothing(mail_app, smtp):
    response = sign_up(mail_app.test_client(), "bea@example.com", password="short")
    assert response.status_code == 400
    assert "Use at least 10 characters." in response.text
    assert smtp.received == []
    assert count(mail_app, PendingSignUp) == 0


def test_without_a_mail_server_sign_up_is_immediate_and_says_the_address_is_taken(client, app):
    created = sign_up(client, "bea@example.com")
    assert created.status_code == 302
    assert account_exists(app, "bea@example.com")
    taken = sign_up(app.test_client(), "bea@example.com", password=PASSWORD)
    assert taken.status_code == 400
    assert texts(taken.text, "p.field-error") == ["An account with this email already exists."]
    assert count(app, PendingSignUp) == 0


def test_a_join_code_typed_at_sign_up_is_joined_when_the_link_is_followed(mail_app, smtp):
    create_account(mail_app, "tim@example.com", name="Tim", role="instructor")
    cohort_id, _invite, code = create_cohort_on_the_web(log_in(mail_app, "tim@example.com"))
    client = mail_app.test_client()
    assert sign_up(client, "bea@example.com", code=code).status_code == 200
    assert client.post(link_path(smtp.received[0])).status_code == 302
    assert count(mail_app, Membership, Membership.cohort_id == cohort_id) == 1


def test_development_without_a_mail_server_signs_up_at_once(app_config, tmp_path):
    """make run: other mail goes to the outbox, but sign-up stays immediate."""
    app = create_app({**app_config, "ENV": "development", "MAIL_OUTBOX": str(tmp_path)})
    assert sign_up(app.test_client(), "bea@example.com").status_code == 302
    assert account_exists(app, "bea@example.com")
    assert list(tmp_path.glob("*.eml")) == []


def test_sign_ups_waiting_for_confirmation_use_the_invitations_allowance(app_config, smtp):
    app = create_mail_app(app_config, smtp.url, SIGN_UPS_PER_INVITATION="3 per 15 minutes")
    create_account(app, "tim@example.com", name="Tim", role="instructor")
    _id, invite, _code = create_cohort_on_the_web(log_in(app, "tim@example.com"))
    token = invite.rsplit("/", 1)[1]
    client = app.test_client()
    for n in range(3):
        answer = sign_up(client, f"p{n}@example.com", query=f"?join={token}", join=token)
        assert answer.status_code == 200
    refused = sign_up(client, "p3@example.com", query=f"?join={token}", join=token)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert count(app, PendingSignUp) == 3
    assert len(smtp.received) == 3


def test_other_failures_kept_briefly_do_not_prune_the_mail_cap(app_config, smtp):
    """With every failure setting under an hour, a failed log-in's pruning still keeps the
    confirmation mails an address was sent within the hour."""
    short = {
        key: "10 per 1 minute"
        for key in (
            "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS",
            "LOGIN_FAILURES_PER_ADDRESS",
            "LOGIN_FAILURES_PER_ACCOUNT",
            "LOGIN_TRIES_WHEN_ACCOUNT_UNDER_ATTACK",
            "JOIN_CODE_FAILURES_PER_ADDRESS",
            "RESET_REQUESTS_PER_ADDRESS",
            "RESET_REQUESTS_PER_EMAIL",
        )
    }
    app = create_mail_app(app_config, smtp.url, **short)
    for _ in range(5):
        assert sign_up(app.test_client(), "bea@example.com").status_code == 200
    with app.app_context():  # sent five minutes ago
        for row in db.session.scalars(select(FailedAttempt)):
            row.failed_at -= timedelta(minutes=5)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong password!"})
    assert sign_up(app.test_client(), "bea@example.com").status_code == 200
    assert len(smtp.received) == 5

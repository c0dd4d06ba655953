"""Changing one's e-mail address on the account page: after the password; with a mail server,
confirmed by a link mailed to the new address (tried against a real SMTP server on loopback);
without one, at once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from parley import create_app
from parley.extensions import db
from parley.models import FailedAttempt
from tests.factories import (
    PASSWORD,
    create_account,
    emails,
    log_in,
    smtp_server,
    text_of,
    texts,
    unused_smtp_url,
)

ASKED = "We sent a link to new@example.com: your address stays ana@example.com until you follow it."
NOT_SENT = "The e-mail to confirm your new address could not be sent just now"
USED = "This link has already been used, or the address or password of the account has changed"


@pytest.fixture
def mail_app(mail_app):
    """The shared mail app (sending to the loopback `smtp`), with an account for ana@example.com."""
    create_account(mail_app, "ana@example.com", name="Ana")
    return mail_app


@pytest.fixture
def plain_app(app):
    """An app without a mail server, with an account for ana@example.com."""
    create_account(app, "ana@example.com", name="Ana")
    return app


def ask(client, email="new@example.com", password=PASSWORD):
    return client.post("/account/email", data={"email": email, "current": password})


def login_failures(app, account="ana@example.com") -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(FailedAttempt)
            .where(FailedAttempt.kind == "login", FailedAttempt.account == account)
        )


def link_in(smtp, to="new@example.com") -> str:
    (mail,) = [mail for mail in smtp.received if mail.recipients == [to]]
    (link,) = mail.links()
    return link.replace("http://localhost", "")


def moved_clock(app, **delta):
    app.extensions["parley_clock"] = lambda: datetime.now(UTC) + timedelta(**delta)


# --- Without a mail server: at once ----------------------------------------------------------


def test_the_account_page_offers_the_change(plain_app):
    page = log_in(plain_app, "ana@example.com").get("/account").text
    assert text_of(page, "#email-heading") == "Your e-mail address"
    assert "Now ana@example.com . You log in with it; the change is made at once." in texts(
        page, "section p"
    )
    assert 'action="/account/email"' in page


def test_without_a_mail_server_the_address_changes_at_once(plain_app):
    client = log_in(plain_app, "ana@example.com")
    elsewhere = log_in(plain_app, "ana@example.com")
    response = ask(client, "  New@Example.com ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "Your e-mail address is now new@example.com (it was ana@example.com)." in page
    assert emails(plain_app) == ["new@example.com"]
    log_in(plain_app, "new@example.com")
    old = plain_app.test_client().post(
        "/login", data={"email": "ana@example.com", "password": PASSWORD}
    )
    assert old.status_code == 400
    assert elsewhere.get("/account").status_code == 200  # other browsers stay logged in


def test_without_a_mail_server_a_taken_address_is_a_form_error(plain_app):
    create_account(plain_app, "bea@example.com", name="Bea")
    response = ask(log_in(plain_app, "ana@example.com"), "bea@example.com")
    assert response.status_code == 400
    assert texts(response.text, "p.field-error") == ["Another account already uses this address."]
    assert emails(plain_app) == ["ana@example.com", "bea@example.com"]


def test_ones_own_address_is_a_form_error(plain_app):
    response = ask(log_in(plain_app, "ana@example.com"), "ANA@example.com")
    assert response.status_code == 400
    assert texts(response.text, "p.field-error") == ["That is already your address."]


def test_a_bad_address_is_a_form_error_and_changes_nothing(plain_app):
    response = ask(log_in(plain_app, "ana@example.com"), "not an address")
    assert response.status_code == 400
    assert texts(response.text, "p.field-error") == ["Invalid email address."]
    assert emails(plain_app) == ["ana@example.com"]


def test_a_wrong_password_counts_as_a_failed_log_in(app_config):
    app = create_app({**app_config, "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "3 per hour"})
    create_account(app, "ana@example.com", name="Ana")
    client = log_in(app, "ana@example.com")
    for tried in range(1, 4):
        response = ask(client, password="not my password")
        assert response.status_code == 400
        assert texts(response.text, "p.field-error") == ["Your current password is not correct."]
        assert login_failures(app) == tried
    refused = ask(client)  # the right password, but this address must wait now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many failed log-ins. You can try again in " in text_of(
        refused.text, "p.field-error"
    )
    assert emails(app) == ["ana@example.com"]


def test_logged_out_visitors_are_sent_to_log_in(plain_app):
    response = plain_app.test_client().post(
        "/account/email", data={"email": "new@example.com", "current": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert emails(plain_app) == ["ana@example.com"]


# --- With a mail server: confirmed by a link -------------------------------------------------


def test_a_link_goes_to_the_new_address_and_a_notice_to_the_old(mail_app, smtp):
    client = log_in(mail_app, "ana@example.com")
    assert "We send a link to the new address: the change is made when you follow it." in (
        client.get("/account").text
    )
    response = ask(client)
    assert response.status_code == 303
    assert ASKED in client.get("/account").text
    assert emails(mail_app) == ["ana@example.com"]  # not yet
    link_mail, notice = smtp.received
    assert link_mail.recipients == ["new@example.com"]
    assert link_mail.subject == "Confirm your new Parley e-mail address"
    assert "It works once, for 24 hours. Until then your address stays ana@example.com." in (
        link_mail.text
    )
    link = link_in(smtp)
    assert link.startswith("/account/email/confirm/")
    assert f'<a href="http://localhost{link}">http://localhost{link}</a>' in link_mail.html
    assert notice.recipients == ["ana@example.com"]
    assert notice.subject == "A change of your Parley e-mail address was asked for"
    assert "If it was not you, change your password now: that cancels the change" in notice.text
    assert notice.links() == ["http://localhost/account/password"]


def test_following_the_link_changes_the_address(mail_app, smtp):
    client = log_in(mail_app, "ana@example.com")
    ask(client)
    link = link_in(smtp)
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "from <strong>ana@example.com</strong> to <strong>new@example.com</strong>" in page.text
    assert emails(mail_app) == ["ana@example.com"]  # opening the link changes nothing
    done = client.post(link)
    assert done.status_code == 303
    assert done.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "Your e-mail address is now new@example.com (it was ana@example.com)." in page
    assert emails(mail_app) == ["new@example.com"]
    log_in(mail_app, "new@example.com")


def test_the_link_works_when_logged_out(mail_app, smtp):
    ask(log_in(mail_app, "ana@example.com"))
    client = mail_app.test_client()
    done = client.post(link_in(smtp))
    assert done.status_code == 303
    assert done.headers["Location"] == "/login"
    assert "Your e-mail address is now new@example.com" in client.get("/login").text
    log_in(mail_app, "new@example.com")


def test_the_link_works_once(mail_app, smtp):
    client = log_in(mail_app, "ana@example.com")
    ask(client)
    link = link_in(smtp)
    assert client.post(link).status_code == 303
    for again in (client.get(link), client.post(link), mail_app.test_client().post(link)):
        assert again.status_code == 400
        assert text_of(again.text, "h1") == "This link cannot be used"
        assert USED in again.text
    assert emails(mail_app) == ["new@example.com"]


def test_a_password_change_voids_the_link(mail_app, smtp):
    client = log_in(mail_app, "ana@example.com")
    ask(client)
    new = "another long passphrase"
    changed = client.post(
        "/account/password", data={"current": PASSWORD, "new": new, "confirm": new}
    )
    assert changed.status_code == 302
    response = client.post(link_in(smtp))
    assert response.status_code == 400
    assert USED in response.text
    assert emails(mail_app) == ["ana@example.com"]


def test_an_address_taken_in_the_meantime_is_not_changed_to(mail_app, smtp):
    ask(log_in(mail_app, "ana@example.com"))
    create_account(mail_app, "new@example.com", name="Nina")
    response = mail_app.test_client().post(link_in(smtp))
    assert response.status_code == 400
    assert (
        "Another account has started using new@example.com since this link was sent, so the "
        "address was not changed." in response.text
    )
    assert emails(mail_app) == ["ana@example.com", "new@example.com"]


def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(mail_app, smtp):
    create_account(mail_app, "new@example.com", name="Nina")
    client = log_in(mail_app, "ana@example.com")
    response = ask(client)
    assert response.status_code == 303
    assert ASKED in client.get("/account").text
    owner_mail, notice = smtp.received
    assert owner_mail.recipients == ["new@example.com"]
    assert owner_mail.subject == "Someone tried to move a Parley account to your address"
    assert "Nothing changed: your account and address stay as they are." in owner_mail.text
    assert "/account/email/confirm/" not in owner_mail.text
    assert notice.recipients == ["ana@example.com"]
    assert emails(mail_app) == ["ana@example.com", "new@example.com"]


def test_a_link_expires_after_24_hours(mail_app, smtp):
    ask(log_in(mail_app, "ana@example.com"))
    link = link_in(smtp)
    moved_clock(mail_app, hours=23, minutes=59)
    assert mail_app.test_client().get(link).status_code == 200
    moved_clock(mail_app, hours=24, seconds=5)
    response = mail_app.test_client().post(link)
    assert response.status_code == 400
    assert "This link expired 24 hours after it was sent. Ask for the change again." in (
        response.text
    )
    assert emails(mail_app) == ["ana@example.com"]


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token[:20],
        lambda token: "not-a-token",
        lambda token: "a" * 3000,
    ],
)
def test_a_tampered_link_is_not_valid(mail_app, smtp, change):
    ask(log_in(mail_app, "ana@example.com"))
    token = change(link_in(smtp).rsplit("/", 1)[1])
    for method in ("get", "post"):
        response = getattr(mail_app.test_client(), method)(f"/account/email/confirm/{token}")
        assert response.status_code == 400
        assert "This link is not valid: it may have been copied incompletely." in response.text
    assert emails(mail_app) == ["ana@example.com"]


def test_a_server_that_is_down_changes_nothing_and_says_so(app_config, caplog):
    app = create_app({**app_config, "MAIL_URL": unused_smtp_url()})
    create_account(app, "ana@example.com", name="Ana")
    client = log_in(app, "ana@example.com")
    with caplog.at_level(logging.WARNING):
        response = ask(client)
    assert response.status_code == 503
    assert NOT_SENT in text_of(response.text, "p.form-error")
    assert 'value="new@example.com"' in response.text  # what was typed is kept
    assert emails(app) == ["ana@example.com"]
    assert "address-change mail not sent: the mail server at 127.0.0.1" in caplog.text


def test_a_notice_that_cannot_be_sent_is_logged_and_the_link_still_goes(app_config, caplog):
    with smtp_server(refuse=["ana@example.com"]) as smtp:
        app = create_app({**app_config, "MAIL_URL": smtp.url})
        create_account(app, "ana@example.com", name="Ana")
        client = log_in(app, "ana@example.com")
        with caplog.at_level(logging.WARNING):
            assert ask(client).status_code == 303
        assert [mail.recipients for mail in smtp.received] == [["new@example.com"]]
    assert "address-change notice to account 1 not sent" in caplog.text


def test_development_without_a_mail_server_changes_at_once(app_config, tmp_path):
    """make run: other mail goes to the outbox, but the change is immediate."""
    app = create_app({**app_config, "ENV": "development", "MAIL_OUTBOX": str(tmp_path)})
    create_account(app, "ana@example.com", name="Ana")
    assert ask(log_in(app, "ana@example.com")).status_code == 303
    assert emails(app) == ["new@example.com"]
    assert list(tmp_path.glob("*.eml")) == []

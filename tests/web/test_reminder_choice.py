"""Switching reminder e-mails off and on: the one-click unsubscribe link every reminder carries
(RFC 8058, CSRF-exempt on purpose) and the account page's switch."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from parley.accounts.reminder_choice import unsubscribe_token
from parley.extensions import db
from parley.models import User
from tests.factories import create_account, create_mail_app, log_in, make_cohort, text_of

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
OFF = "Reminder e-mails are off."
ON = "Reminder e-mails are on"


@pytest.fixture
def mail_app(app_config, smtp):
    """CSRF on, as in production: the one-click POST must pass without a token. Ana has
    Walkouts due in two days in Tim's cohort."""
    app = create_mail_app(app_config, smtp.url, WTF_CSRF_ENABLED=True)
    app.extensions["parley_clock"] = lambda: NOW
    tim = create_account(app, "tim@example.com", name="Tim", role="instructor")
    ana = create_account(app, "ana@example.com", name="Ana")
    make_cohort(
        app,
        tim,
        workshop_date=date(2026, 3, 20),
        modules={"walkouts": date(2026, 3, 12)},
        members=[ana],
    )
    return app


def reminders_off_at(app, email="ana@example.com"):
    with app.app_context():
        return db.session.scalar(select(User.reminders_off_at).where(User.email == email))


def send(app):
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    return result


def token_for(app, email="ana@example.com") -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return unsubscribe_token(app.config["SECRET_KEY"], user)


def test_the_one_click_post_from_the_mail_header_switches_reminders_off(mail_app, smtp):
    send(mail_app)
    (reminder,) = [m for m in smtp.received if m.recipients == ["ana@example.com"]]
    link = reminder.message["List-Unsubscribe"][1:-1]
    path = link.removeprefix("http://localhost:5000")
    # What a mail program sends (RFC 8058): no cookie, no CSRF token.
    response = mail_app.test_client().post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert text_of(response.text, "h1") == "Reminders are off"
    assert "You will get no more reminder e-mails from Parley at" in response.text
    assert "log in and open your account page" in response.text
    assert reminders_off_at(mail_app) == NOW.replace(tzinfo=None)


def test_the_link_opens_a_page_with_one_button_and_changes_nothing(mail_app):
    path = f"/reminders/unsubscribe/{token_for(mail_app)}"
    page = mail_app.test_client().get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"  # it shows the account's address
    assert text_of(page.text, "h1") == "Stop reminder e-mails"
    assert '<button type="submit" class="button">Stop reminder e-mails</button>' in page.text
    assert reminders_off_at(mail_app) is None  # a link preview unsubscribes no one
    done = mail_app.test_client().post(path)  # the page's button
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    assert reminders_off_at(mail_app) is not None


def test_after_unsubscribing_no_reminder_or_summary_is_sent(mail_app, smtp):
    mail_app.test_client().post(f"/reminders/unsubscribe/{token_for(mail_app)}")
    mail_app.test_client().post(f"/reminders/unsubscribe/{token_for(mail_app, 'tim@example.com')}")
    result = send(mail_app)
    assert result.output == "0 reminders and 0 summaries sent, 0 not sent\n"
    assert smtp.received == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_gets_a_clear_404_and_changes_nothing(mail_app, method):
    token = token_for(mail_app)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token", "x"):
        response = getattr(mail_app.test_client(), method)(f"/reminders/unsubscribe/{bad}")
        assert response.status_code == 404
        assert text_of(response.text, "h1") == "This link cannot be used"
        assert "This unsubscribe link is not valid" in response.text
    assert reminders_off_at(mail_app) is None


def test_a_link_for_an_account_deleted_and_its_id_reused_does_nothing(app):
    first = create_account(app, "old@example.com")
    token = token_for(app, "old@example.com")
    with app.app_context():
        user = db.session.get(User, first)
        user.created_at = datetime(2020, 1, 1)  # a later account with the same id
        db.session.commit()
    assert app.test_client().post(f"/reminders/unsubscribe/{token}").status_code == 404
    assert reminders_off_at(app, "old@example.com") is None


def test_the_account_page_switches_reminders_off_and_on(app):
    create_account(app, "ana@example.com", name="Ana")
    client = log_in(app, "ana@example.com")
    page = client.get("/account").text
    assert "Reminder e-mails are <strong>on</strong>" in page
    assert '<input type="hidden" name="reminders" value="off">' in page
    assert "Switch reminders off</button>" in page

    off = client.post("/account/reminders", data={"reminders": "off"})
    assert off.status_code == 303
    assert reminders_off_at(app) is not None
    page = client.get("/account").text
    assert f"{OFF} You will get no more reminder e-mails from Parley." in page
    assert "Reminder e-mails are <strong>off</strong> (since " in page
    assert "Switch reminders on</button>" in page

    on = client.post("/account/reminders", data={"reminders": "on"}, follow_redirects=True)
    assert f"{ON}." in on.text
    assert reminders_off_at(app) is None


def test_the_account_switch_refuses_anything_but_on_or_off(app):
    create_account(app, "ana@example.com", name="Ana")
    client = log_in(app, "ana@example.com")
    for data in ({}, {"reminders": "maybe"}, {"reminders": ""}):
        response = client.post("/account/reminders", data=data)
        assert response.status_code == 400
        assert "Choose whether reminder e-mails are on or off; nothing changed." in response.text
    assert reminders_off_at(app) is None


def test_the_account_switch_needs_a_log_in(app):
    anonymous = app.test_client().post("/account/reminders", data={"reminders": "off"})
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login")


def test_the_account_switch_needs_a_csrf_token(mail_app):
    client = mail_app.test_client()
    login_page = client.get("/login").text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": "ana@example.com", "password": "correct horse battery", "csrf_token": token},
    )
    account = client.get("/account")
    assert account.status_code == 200  # logged in
    refused = client.post("/account/reminders", data={"reminders": "off"})
    assert refused.status_code == 400
    assert "This form had expired or did not come from this site" in refused.text
    assert reminders_off_at(mail_app) is None
    token = account.text.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = client.post("/account/reminders", data={"reminders": "off", "csrf_token": token})
    assert accepted.status_code == 303
    assert reminders_off_at(mail_app) is not None


def test_any_unsubscribe_token_is_answered_without_a_500_or_a_change(app):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    create_account(app, "ana@example.com", name="Ana")
    valid = token_for(app)

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        token=st.one_of(
            st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200),
            st.integers(0, len(valid) - 1).map(lambda cut: valid[:cut] + valid[cut + 1 :]),
        ),
        method=st.sampled_from(["get", "post"]),
    )
    def run(token, method):
        token = token.replace("/", "") or "x"
        response = getattr(app.test_client(), method)(f"/reminders/unsubscribe/{token}")
        assert response.status_code < 500
        assert reminders_off_at(app) is None

    run()

"""#17 item 3: sessions end server-side at log-out, everywhere at once, after idling, and at
a password change; log-in issues a new CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from parley import create_app
from parley.accounts.signed_in import load_user
from parley.extensions import db
from parley.models import AccountSession, utcnow
from tests.factories import PASSWORD, create_account, log_in, text_of, texts

FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
LOG_IN_MESSAGE = "Please log in to see that page."


def browser(app, email: str, user_agent: str):
    """A test client that logs in as this account, sending this User-Agent on every request."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def sessions_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AccountSession)
            .where(AccountSession.user_id == user_id)
        )


def last_seen(app, user_id: int):
    with app.app_context():
        return db.session.scalar(
            select(AccountSession.last_seen_at).where(AccountSession.user_id == user_id)
        )


def set_last_seen(app, user_id: int, ago: timedelta) -> None:
    with app.app_context():
        db.session.execute(
            update(AccountSession)
            .where(AccountSession.user_id == user_id)
            .values(last_seen_at=utcnow() - ago)
        )
        db.session.commit()


def is_sent_to_log_in(client, path: str = "/dashboard") -> bool:
    """True if opening path redirects to the log-in page, which then asks to log in."""
    response = client.get(path)
    if response.status_code != 302 or not response.headers["Location"].startswith("/login"):
        return False
    return LOG_IN_MESSAGE in client.get(response.headers["Location"]).text


def test_a_cookie_saved_before_log_out_no_longer_opens_the_dashboard(app, client, auth):
    """The probe's finding: save the cookie, log out, replay it from the same browser."""
    auth.register()
    assert client.get("/dashboard").status_code == 200
    saved = client.get_cookie("session").value
    assert auth.logout().status_code == 302

    replay = app.test_client()  # same user agent and address as the first one
    replay.set_cookie("session", saved)
    assert is_sent_to_log_in(replay)


def test_log_out_ends_only_that_browsers_session(app):
    user_id = create_account(app, "pat@example.com")
    laptop = browser(app, "pat@example.com", FIREFOX_ON_LINUX)
    phone = browser(app, "pat@example.com", SAFARI_ON_IPHONE)
    assert sessions_of(app, user_id) == 2
    laptop.post("/logout")
    assert sessions_of(app, user_id) == 1
    assert phone.get("/dashboard").status_code == 200


def test_the_account_page_lists_the_signed_in_browsers_this_one_first(app):
    create_account(app, "pat@example.com")
    laptop = browser(app, "pat@example.com", FIREFOX_ON_LINUX)
    browser(app, "pat@example.com", SAFARI_ON_IPHONE)
    create_account(app, "other@example.com")
    browser(app, "other@example.com", FIREFOX_ON_LINUX)

    page = laptop.get("/account")
    assert page.status_code == 200
    assert texts(page.text, "th.browser") == ["Firefox on Linux (this browser)", "Safari on iOS"]
    assert 'href="/account/password"' in page.text
    assert 'href="/account"' in laptop.get("/dashboard").text  # the header's Account link


def test_log_out_everywhere_ends_every_session_of_the_account(app):
    create_account(app, "pat@example.com")
    laptop = browser(app, "pat@example.com", FIREFOX_ON_LINUX)
    phone = browser(app, "pat@example.com", SAFARI_ON_IPHONE)
    create_account(app, "other@example.com")
    other = browser(app, "other@example.com", FIREFOX_ON_LINUX)

    response = laptop.post("/account/logout-everywhere")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    landing = laptop.get("/")
    assert text_of(landing.text, "p.flash") == "You have logged out everywhere: 2 browsers."
    assert is_sent_to_log_in(laptop)
    assert is_sent_to_log_in(phone)
    assert other.get("/dashboard").status_code == 200


def test_another_browser_can_be_logged_out_from_the_account_page(app):
    pat = create_account(app, "pat@example.com")
    laptop = browser(app, "pat@example.com", FIREFOX_ON_LINUX)
    phone = browser(app, "pat@example.com", SAFARI_ON_IPHONE)
    create_account(app, "other@example.com")
    other = browser(app, "other@example.com", FIREFOX_ON_LINUX)
    with app.app_context():
        phone_id = db.session.scalar(
            select(AccountSession.id).where(
                AccountSession.user_id == pat, AccountSession.user_agent == SAFARI_ON_IPHONE
            )
        )
        other_id = db.session.scalar(select(AccountSession.id).where(AccountSession.user_id != pat))

    assert laptop.post(f"/account/sessions/{other_id}/logout").status_code == 404
    assert other.get("/dashboard").status_code == 200

    response = laptop.post(f"/account/sessions/{phone_id}/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    page = laptop.get("/account")
    assert text_of(page.text, "p.flash") == "That browser (Safari on iOS) has been logged out."
    assert texts(page.text, "th.browser") == ["Firefox on Linux (this browser)"]
    assert is_sent_to_log_in(phone)
    assert laptop.get("/dashboard").status_code == 200


def test_changing_the_password_deletes_every_other_session_and_keeps_this_one(app):
    pat = create_account(app, "pat@example.com")
    laptop = browser(app, "pat@example.com", FIREFOX_ON_LINUX)
    phone = browser(app, "pat@example.com", SAFARI_ON_IPHONE)
    saved = phone.get_cookie("session").value
    new = "a brand new passphrase"
    response = laptop.post(
        "/account/password", data={"current": PASSWORD, "new": new, "confirm": new}
    )
    assert response.status_code == 302
    assert sessions_of(app, pat) == 1
    assert texts(laptop.get("/account").text, "th.browser") == ["Firefox on Linux (this browser)"]
    replay = app.test_client()
    replay.environ_base["HTTP_USER_AGENT"] = SAFARI_ON_IPHONE
    replay.set_cookie("session", saved)
    assert is_sent_to_log_in(replay)


def test_a_session_idle_for_the_set_days_is_refused_and_deleted(app):
    pat = create_account(app, "pat@example.com")
    client = log_in(app, "pat@example.com")
    set_last_seen(app, pat, timedelta(days=13, hours=23))
    assert client.get("/dashboard").status_code == 200

    set_last_seen(app, pat, timedelta(days=14, minutes=1))
    assert is_sent_to_log_in(client)
    assert sessions_of(app, pat) == 0


def test_a_log_in_deletes_the_idle_sessions_of_accounts_that_never_came_back(app):
    gone = create_account(app, "gone@example.com")
    kept = create_account(app, "kept@example.com")
    create_account(app, "pat@example.com")
    log_in(app, "gone@example.com")
    log_in(app, "kept@example.com")
    set_last_seen(app, gone, timedelta(days=14, minutes=1))
    set_last_seen(app, kept, timedelta(days=13))

    log_in(app, "pat@example.com")
    assert (sessions_of(app, gone), sessions_of(app, kept)) == (0, 1)


def test_the_idle_timeout_is_settable(app_config):
    app_config["SESSION_IDLE_DAYS"] = 2
    app = create_app(app_config)
    pat = create_account(app, "pat@example.com")
    client = log_in(app, "pat@example.com")
    set_last_seen(app, pat, timedelta(days=2, minutes=1))
    assert is_sent_to_log_in(client)


def test_last_seen_is_written_at_most_once_an_hour(app):
    pat = create_account(app, "pat@example.com")
    client = log_in(app, "pat@example.com")

    set_last_seen(app, pat, timedelta(minutes=50))
    before = last_seen(app, pat)
    assert client.get("/dashboard").status_code == 200
    assert last_seen(app, pat) == before  # no write on this request

    set_last_seen(app, pat, timedelta(minutes=70))
    assert client.get("/dashboard").status_code == 200
    assert utcnow() - last_seen(app, pat) < timedelta(minutes=1)


def test_a_session_id_of_the_old_form_or_malformed_opens_nothing(app):
    pat = create_account(app, "pat@example.com")
    log_in(app, "pat@example.com")
    with app.test_request_context():
        # "<user id>:<session version>" was the id before sessions were stored.
        for session_id in [f"{pat}:1", f"{pat}:", f"{pat}", "x:y", f":{pat}", ""]:
            assert load_user(session_id) is None, session_id


# --- CSRF tokens at log-in ------------------------------------------------------------------


@pytest.fixture
def csrf_app(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return create_app(app_config)


def csrf_token(client, path: str) -> str:
    page = client.get(path).text
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_the_csrf_token_from_before_log_in_is_refused_after_it(csrf_app):
    create_account(csrf_app, "pat@example.com")
    client = csrf_app.test_client()
    before = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": "pat@example.com", "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302

    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    after = csrf_token(client, "/dashboard")
    assert after != before
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_the_csrf_token_of_a_signed_in_page_is_refused_after_log_out(csrf_app):
    create_account(csrf_app, "pat@example.com")
    create_account(csrf_app, "sam@example.com")
    client = csrf_app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login", data={"email": "pat@example.com", "password": PASSWORD, "csrf_token": token}
    )
    signed_in = csrf_token(client, "/dashboard")
    assert client.post("/logout", data={"csrf_token": signed_in}).status_code == 302

    # The next person at this browser cannot be made to post with the old page's token.
    sam = {"email": "sam@example.com", "password": PASSWORD, "csrf_token": signed_in}
    assert client.post("/login", data=sam).status_code == 400
    sam["csrf_token"] = csrf_token(client, "/login")
    assert sam["csrf_token"] != signed_in
    assert client.post("/login", data=sam).status_code == 302


def test_registering_also_issues_a_new_csrf_token(csrf_app):
    client = csrf_app.test_client()
    before = csrf_token(client, "/register")
    data = {"name": "Pat", "email": "pat@example.com", "password": PASSWORD, "csrf_token": before}
    assert client.post("/register", data=data).status_code == 302

    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302


@pytest.mark.parametrize("path", ["/account/logout-everywhere", "/account/sessions/1/logout"])
def test_the_account_pages_buttons_need_the_csrf_token(csrf_app, path):
    create_account(csrf_app, "pat@example.com")
    client = csrf_app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login", data={"email": "pat@example.com", "password": PASSWORD, "csrf_token": token}
    )
    response = client.post(path)
    assert response.status_code == 400
    assert "The form could not be accepted" in response.text
    assert client.get("/dashboard").status_code == 200

"""Remember me: a remembered session lasts 30 days whatever its idling, its cookie has secure
flags, and everything that ends a session (log-out, log out everywhere, another browser's
log-out, a password change) ends a remembered one too: its saved cookie opens nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from parley import create_app
from parley.extensions import db
from parley.models import AccountSession, utcnow
from tests.factories import PASSWORD, create_account, opens_dashboard, production_settings, texts

REMEMBER_COOKIE = "remember_token"
LOG_IN_MESSAGE = "Please log in to see that page."


@pytest.fixture
def account(app):
    return create_account(app, "ana@example.com", name="Ana")


def logged_in(app, remember: bool):
    client = app.test_client()
    data = {"email": "ana@example.com", "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def saved_cookie(client) -> str:
    cookie = client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None, "no remember cookie was set"
    return cookie.value


def replayed(app, cookie: str):
    """A new browser holding only the saved remember cookie, no session cookie."""
    client = app.test_client()
    client.set_cookie(REMEMBER_COOKIE, cookie)
    return client


def rows(app, user_id: int) -> list[AccountSession]:
    with app.app_context():
        found = db.session.scalars(
            select(AccountSession).where(AccountSession.user_id == user_id)
        ).all()
        db.session.expunge_all()
        return list(found)


def age_sessions(app, *, idle_days: int, remembered_until_days: int | None = None) -> None:
    """Make every session last seen idle_days ago; move the remembered ones' remembered_until
    if given."""
    with app.app_context():
        seen = utcnow() - timedelta(days=idle_days)
        db.session.execute(update(AccountSession).values(last_seen_at=seen))
        if remembered_until_days is not None:
            until = utcnow() + timedelta(days=remembered_until_days)
            db.session.execute(
                update(AccountSession)
                .where(AccountSession.remembered_until.is_not(None))
                .values(remembered_until=until)
            )
        db.session.commit()


def test_the_log_in_page_offers_remember_me(client):
    page = client.get("/login").text
    assert 'type="checkbox"' in page
    assert "Remember me for 30 days" in page


def test_only_a_remembered_log_in_sets_a_30_day_cookie_and_stores_until_when(app, account):
    client = logged_in(app, remember=True)
    cookie = client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert (
        timedelta(days=29, hours=23)
        < cookie.expires - utcnow().replace(tzinfo=cookie.expires.tzinfo)
        <= timedelta(days=30)
    )
    [row] = rows(app, account)
    assert timedelta(days=29, hours=23) < row.remembered_until - utcnow() <= timedelta(days=30)
    not_remembered = logged_in(app, remember=False)
    assert not_remembered.get_cookie(REMEMBER_COOKIE) is None
    assert [other.remembered_until for other in rows(app, account) if other.id != row.id] == [None]


def test_the_remember_cookie_alone_signs_the_browser_back_in(app, account):
    cookie = saved_cookie(logged_in(app, remember=True))
    assert opens_dashboard(replayed(app, cookie))


def test_the_remember_cookie_is_secure_in_production(app_config):
    app_config.update(production_settings())
    app = create_app(app_config)
    create_account(app, "ana@example.com")
    client = logged_in(app, remember=True)
    cookie = client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None and cookie.secure and cookie.http_only


def test_log_out_ends_the_remembered_session(app, account):
    client = logged_in(app, remember=True)
    cookie = saved_cookie(client)
    client.post("/logout")
    assert not opens_dashboard(replayed(app, cookie))
    assert rows(app, account) == []


def test_log_out_everywhere_ends_remembered_sessions(app, account):
    remembered = logged_in(app, remember=True)
    cookie = saved_cookie(remembered)
    other = logged_in(app, remember=False)
    other.post("/account/logout-everywhere")
    assert not opens_dashboard(replayed(app, cookie))


def test_logging_out_a_remembered_browser_from_the_account_page_ends_it(app, account):
    cookie = saved_cookie(logged_in(app, remember=True))
    [remembered] = rows(app, account)
    other = logged_in(app, remember=False)
    response = other.post(f"/account/sessions/{remembered.id}/logout")
    assert response.status_code == 302
    assert not opens_dashboard(replayed(app, cookie))


def test_a_password_change_elsewhere_ends_remembered_sessions(app, account):
    cookie = saved_cookie(logged_in(app, remember=True))
    other = logged_in(app, remember=False)
    response = other.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert not opens_dashboard(replayed(app, cookie))
    assert opens_dashboard(other)


def test_a_remembered_session_outlives_the_idle_timeout_and_others_do_not(app, account):
    remembered = logged_in(app, remember=True)
    cookie = saved_cookie(remembered)
    forgotten = logged_in(app, remember=False)
    age_sessions(app, idle_days=20)
    assert opens_dashboard(remembered)
    assert opens_dashboard(replayed(app, cookie))
    assert not opens_dashboard(forgotten)


def test_a_remembered_session_ends_at_its_date_if_idle_by_then(app, account):
    cookie = saved_cookie(logged_in(app, remember=True))
    age_sessions(app, idle_days=31, remembered_until_days=-1)
    assert not opens_dashboard(replayed(app, cookie))


def test_a_new_log_in_keeps_idle_remembered_sessions_and_ends_idle_others(app, account):
    logged_in(app, remember=True)
    logged_in(app, remember=False)
    age_sessions(app, idle_days=20)
    logged_in(app, remember=False)  # ends this account's idle sessions
    left = rows(app, account)
    assert len(left) == 2
    assert sum(row.remembered_until is not None for row in left) == 1


def test_the_account_page_says_which_browsers_are_remembered_and_until_when(app, account):
    remembered = logged_in(app, remember=True)
    logged_in(app, remember=False)
    age_sessions(app, idle_days=20, remembered_until_days=10)
    until = (utcnow() + timedelta(days=10)).strftime("%d %b %Y")
    page = remembered.get("/account").text
    browsers = texts(page, "th.browser")
    assert len(browsers) == 1  # the other one idled out; this one is remembered
    assert browsers[0].startswith("Unknown browser (this browser) Remembered until " + until)
    assert any(
        "unless “Remember me” was ticked at log-in" in text for text in texts(page, "p.muted")
    )


def test_a_remembered_session_is_read_in_the_one_query(app, account):
    """load_user still reads the account and its session in one statement."""
    cookie = saved_cookie(logged_in(app, remember=True))
    statements: list[str] = []
    with app.app_context():
        engine = db.engine()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert opens_dashboard(replayed(app, cookie))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    account_reads = [s for s in statements if "account_session" in s and "remembered_until" in s]
    assert len(account_reads) == 1
    assert "JOIN" in account_reads[0]

"""CSRF, throttling, sessions, headers, limits and inert user text."""

import re

import pytest

from parley import create_app
from tests.factories import PASSWORD, create_account, production_settings


@pytest.fixture
def strict_app(app_config):
    """CSRF and rate limits on, as in production."""
    app_config.update(
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=True,
        LOGIN_LIMITS="5 per minute",
        LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes",
        REGISTER_LIMITS="3 per hour",
    )
    return create_app(app_config)


def csrf_token(client, path="/login") -> str:
    return re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).text
    ).group(1)


def test_a_post_without_a_csrf_token_is_a_clear_400(strict_app):
    client = strict_app.test_client()
    response = client.post(
        "/register", data={"name": "A", "email": "a@example.com", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "The form could not be accepted" in response.text
    assert "nothing was saved" in response.text


def test_a_wrong_csrf_token_is_refused(strict_app):
    client = strict_app.test_client()
    csrf_token(client)
    response = client.post(
        "/login", data={"email": "a@example.com", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_forms_work_with_their_token(strict_app):
    client = strict_app.test_client()
    token = csrf_token(client, "/register")
    response = client.post(
        "/register",
        data={"name": "A", "email": "a@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_login_is_throttled_per_account_with_retry_after(strict_app):
    create_account(strict_app, "target@example.com")
    client = strict_app.test_client()
    token = csrf_token(client)
    codes = [
        client.post(
            "/login",
            data={"email": "target@example.com", "password": "wrong one!", "csrf_token": token},
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    response = client.post(
        "/login", data={"email": "target@example.com", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Too many failed log-ins. You can try again in 15 minutes." in response.text
    assert int(response.headers["Retry-After"]) > 0


def test_login_is_throttled_per_address_across_accounts(strict_app):
    client = strict_app.test_client()
    token = csrf_token(client)
    codes = [
        client.post(
            "/login",
            data={"email": f"u{n}@example.com", "password": "nope nope", "csrf_token": token},
        ).status_code
        for n in range(6)
    ]
    assert codes[-1] == 429 and codes[:5] == [400] * 5


def test_registration_is_throttled(strict_app):
    client = strict_app.test_client()
    codes = []
    for n in range(4):
        token = csrf_token(client, "/register")
        response = client.post(
            "/register",
            data={
                "name": "A",
                "email": f"r{n}@example.com",
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
        codes.append(response.status_code)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/register")})
    assert codes == [302, 302, 302, 429]
    assert 3500 < int(response.headers["Retry-After"]) <= 3601  # when the hour starts afresh
    assert "X-RateLimit-Limit" not in response.headers


def test_session_cookie_flags(app_config):
    app_config.update(production_settings())
    app = create_app(app_config)
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client()
    client.post("/register", data={"name": "A", "email": "a@example.com", "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.secure


def test_production_over_https_asks_browsers_to_keep_to_https(app_config):
    """#17: HSTS in production; not in development or tests, which run over plain HTTP."""
    assert "Strict-Transport-Security" not in create_app(app_config).test_client().get("/").headers
    app_config.update(production_settings())
    shown = create_app(app_config).test_client().get("/")
    assert shown.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_secure_cookies_can_be_turned_off_explicitly(app_config, monkeypatch):
    monkeypatch.setenv("PARLEY_SECURE_COOKIES", "0")
    app_config.update(production_settings())
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is False


def test_changing_the_password_ends_other_sessions(app):
    create_account(app, "pat@example.com")
    laptop, phone = app.test_client(), app.test_client()
    for client in (laptop, phone):
        client.post("/login", data={"email": "pat@example.com", "password": PASSWORD})
    response = laptop.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/dashboard").status_code == 200
    assert phone.get("/dashboard").status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post(
            "/login", data={"email": "pat@example.com", "password": "a brand new passphrase"}
        ).status_code
        == 302
    )


def test_a_wrong_current_password_changes_nothing(auth, client):
    auth.register()
    response = client.post(
        "/account/password",
        data={
            "current": "not my password",
            "new": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 400
    assert "current password is not correct" in response.text
    auth.logout()
    assert auth.login().status_code == 302


def test_common_passwords_are_refused(auth):
    response = auth.register(password="qwertyuiop")
    assert response.status_code == 400
    assert "commonly used passwords" in response.text


def test_logout_ends_the_session(client, auth):
    auth.register()
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_request_bodies_over_the_limit_get_413(client, auth):
    auth.register()
    response = client.post("/courses/impasse/quizzes/walkouts", data={"q-x": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.text


def test_names_with_emoji_rtl_and_html_round_trip_inert(client, auth):
    name = "Zoë 🌍 مرحبا <script>alert('x')</script> <b>bold</b>"
    auth.register(name=name, email="zoe@example.com")
    page = client.get("/dashboard").text
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "Zoë 🌍 مرحبا &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_a_500_shows_a_reference_and_logs_the_traceback(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    reference = re.search(r"Reference: <code>([0-9a-f]+)</code>", response.text).group(1)
    assert "Traceback" not in response.text and "kaboom" not in response.text
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_learner_page_for_instructors_is_a_friendly_403(client, auth):
    auth.register()
    response = client.get("/instructor/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/logout",
        "/cohorts/1/leave",
        "/join/any-token",
        "/instructor/cohorts/1/joining",
        "/instructor/cohorts/1/members/1/remove",
        "/instructor/cohorts/1/assignments/1/delete",
        "/courses/impasse/lessons/impasse-defined/complete",
    ],
)
def test_every_action_button_needs_the_csrf_token(strict_app, path):
    response = strict_app.test_client().post(path)
    assert response.status_code == 400
    assert "The form could not be accepted" in response.text

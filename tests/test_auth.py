from sqlalchemy import select

from parley.extensions import db
from parley.models import User
from tests.factories import PASSWORD, create_account, text_of, texts


def test_register_logs_in_and_lands_on_dashboard(client, auth):
    response = auth.register()
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert text_of(client.get("/dashboard").text, "h1") == "My learning"


def test_registered_password_is_hashed_never_stored(app, auth):
    auth.register(password=PASSWORD)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert user.role == "learner"


def test_emails_are_unique_regardless_of_case(auth):
    auth.register(email="Ana@Example.com")
    auth.logout()
    response = auth.register(email="ana@EXAMPLE.com")
    assert response.status_code == 400
    assert texts(response.text, "p.field-error") == ["An account with this email already exists."]


def test_login_accepts_email_in_any_case(auth):
    auth.register(email="ana@example.com")
    auth.logout()
    response = auth.login(email="  ANA@example.COM ")
    assert response.status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(app, auth):
    create_account(app, "ben@example.com")
    wrong_password = auth.login(email="ben@example.com", password="not the password")
    unknown_email = auth.login(email="nobody@example.com", password="not the password")
    assert wrong_password.status_code == unknown_email.status_code == 400
    message = "That email and password do not match an account."
    assert message in wrong_password.text
    assert message in unknown_email.text


def test_short_password_is_refused_with_a_message(auth):
    response = auth.register(password="short")
    assert response.status_code == 400
    assert texts(response.text, "p.field-error") == ["Use at least 10 characters."]


def test_missing_fields_are_named(auth):
    response = auth.register(name="", email="")
    assert response.status_code == 400
    assert response.text.count("This field is required.") == 2  # name and email


def test_logout_is_post_only(client, auth):
    auth.register()
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_pages_need_login_and_return_after_it(app, client, auth):
    create_account(app, "cat@example.com")
    response = client.get("/courses/impasse/modules/walkouts")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login = auth.login(email="cat@example.com", next="/courses/impasse/modules/walkouts")
    assert login.headers["Location"] == "/courses/impasse/modules/walkouts"


def test_login_never_redirects_to_another_site(app, auth):
    create_account(app, "dan@example.com")
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]:
        response = auth.login(email="dan@example.com", next=target)
        assert response.headers["Location"] == "/dashboard", target
        auth.logout()


def test_public_pages_do_not_need_login(client):
    for path in ["/", "/courses", "/login", "/register"]:
        assert client.get(path).status_code == 200, path


def test_no_web_path_makes_an_instructor(app, auth):
    auth.register(role="instructor")
    with app.app_context():
        assert db.session.scalar(select(User.role)) == "learner"

"""Sign-up and a change of address confirmed by mail, in a real browser: the mail reaches a
real SMTP server on loopback and Chromium follows its links; every page accessible and
without sideways scrolling at 375 and 1280 px."""

from __future__ import annotations

import logging
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from parley import create_app
from parley.db import Database
from tests.browser.support import PASSWORD, closing_even_when_dropped, login, page_problems
from tests.factories import POSTGRES_URL, create_account, smtp_server

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(browser_available, tmp_path, migrated_template):
    """A live Parley that sends its mail to a loopback SMTP server: (app, base URL, smtp)."""
    if POSTGRES_URL:
        url = POSTGRES_URL
    else:
        shutil.copy(migrated_template, tmp_path / "parley.db")
        url = f"sqlite:///{tmp_path / 'parley.db'}"
    with smtp_server() as smtp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "browser-confirmation-tests",
                "DATABASE_URL": url,
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "MAIL_URL": smtp.url,
                "MAIL_FROM": "Parley <parley@example.org>",
            }
        )
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, closing_even_when_dropped(app), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}", smtp
        finally:
            server.shutdown()
            thread.join(timeout=10)
            Database.engine(app).dispose()


def test_a_sign_up_is_finished_through_the_mailed_link(mail_server, new_page):
    app, base, smtp = mail_server
    page = new_page(width=375, bypass_csp=True)
    page.goto(base + "/register")
    page.get_by_label("Name").fill("Bea Browser")
    page.get_by_label("Email").fill("confirm-bea@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    problems = page_problems(page, "sign-up-sent")

    (mail,) = smtp.received
    link = mail.links()[0]
    assert link.startswith(base + "/sign-up/confirm/")
    page.goto(link)
    assert page.get_by_role("heading", name="Finish signing up").is_visible()
    problems |= page_problems(page, "sign-up-confirm")
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_text("Your e-mail address is confirmed.").is_visible()
    assert page.url == base + "/dashboard"

    page.goto(link)
    assert page.get_by_role("heading", name="This link cannot be used").is_visible()
    problems |= page_problems(page, "sign-up-link-used")
    assert problems == {}


def test_an_address_is_changed_through_the_mailed_link(mail_server, new_page):
    app, base, smtp = mail_server
    create_account(app, "move-ana@example.com", name="Ana Mover", password=PASSWORD)
    page = new_page(width=375, bypass_csp=True)
    login(page, base, "move-ana@example.com")
    page.goto(base + "/account")
    page.get_by_label("New email").fill("moved-ana@example.com")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change e-mail").click()
    assert page.get_by_text("We sent a link to moved-ana@example.com").is_visible()
    problems = page_problems(page, "account-email-asked")

    link_mail, notice = smtp.received
    assert notice.recipients == ["move-ana@example.com"]
    page.goto(link_mail.links()[0])
    assert page.get_by_role("heading", name="Confirm your new e-mail address").is_visible()
    problems |= page_problems(page, "email-confirm")
    page.get_by_role("button", name="Change my address").click()
    assert page.get_by_text("Your e-mail address is now moved-ana@example.com").is_visible()
    assert page.url == base + "/account"
    assert problems == {}

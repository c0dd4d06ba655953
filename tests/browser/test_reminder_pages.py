"""Reminders in a real browser: `flask reminders send` mails a loopback SMTP server, Chromium
follows the unsubscribe link and the account page's switch; every page accessible and without
sideways scrolling at both widths."""

from __future__ import annotations

import logging
import shutil
import threading
from datetime import date, timedelta

import pytest
from werkzeug.serving import make_server

from parley import create_app
from parley.db import Database
from tests.browser.support import PASSWORD, closing_even_when_dropped, login, page_problems
from tests.factories import POSTGRES_URL, create_account, make_cohort, smtp_server

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(browser_available, tmp_path, migrated_template):
    """A live Parley whose reminders go to a loopback SMTP server: (app, base URL, smtp)."""
    if POSTGRES_URL:
        url = POSTGRES_URL
    else:
        shutil.copy(migrated_template, tmp_path / "parley.db")
        url = f"sqlite:///{tmp_path / 'parley.db'}"
    with smtp_server() as smtp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "browser-reminder-tests",
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
        base = f"http://127.0.0.1:{server.server_port}"
        app.config["BASE_URL"] = base  # the links the command writes
        try:
            yield app, base, smtp
        finally:
            server.shutdown()
            thread.join(timeout=10)
            Database.engine(app).dispose()


def test_the_mailed_unsubscribe_link_and_the_account_switch(mail_server, new_page):
    app, base, smtp = mail_server
    trainer = create_account(app, "remind-tim@example.com", name="Tim", role="instructor")
    learner = create_account(app, "remind-ana@example.com", name="Ana Reminded", password=PASSWORD)
    make_cohort(
        app,
        trainer,
        name="Reminder cohort",
        workshop_date=date.today() + timedelta(days=5),
        modules={"walkouts": date.today() + timedelta(days=2)},
        members=[learner],
    )
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    (reminder,) = [m for m in smtp.received if m.recipients == ["remind-ana@example.com"]]
    link = reminder.message["List-Unsubscribe"][1:-1]
    assert link.startswith(base + "/reminders/unsubscribe/")

    page = new_page(bypass_csp=True)
    page.goto(link)
    assert page.get_by_role("heading", name="Stop reminder e-mails").is_visible()
    problems = page_problems(page, "unsubscribe")
    page.get_by_role("button", name="Stop reminder e-mails").click()
    assert page.get_by_role("heading", name="Reminders are off").is_visible()
    problems |= page_problems(page, "unsubscribe-done")

    page.goto(link[:-3] + "abc")
    assert page.get_by_role("heading", name="This link cannot be used").is_visible()
    assert page.get_by_text("This unsubscribe link is not valid").is_visible()
    problems |= page_problems(page, "unsubscribe-invalid")

    login(page, base, "remind-ana@example.com")
    page.goto(base + "/account")
    reminders = page.get_by_role("region", name="Reminders")
    assert reminders.get_by_text("Reminder e-mails are off").is_visible()
    reminders.get_by_role("button", name="Switch reminders on").click()
    assert page.get_by_text("Reminder e-mails are on.").first.is_visible()
    assert page.get_by_role("button", name="Switch reminders off").is_visible()
    problems |= page_problems(page, "account-reminders")
    assert problems == {}

"""Reminders in a real browser: `flask reminders send` mails a loopback SMTP server, Chromium
follows the unsubscribe link and the account page's switch; every page accessible and without
sideways scrolling at both widths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_server(mail_server):
    """The shared mail_server, its BASE_URL set to its own address: the links that
    `flask reminders send` writes lead to it."""
    app, base, _smtp = mail_server
    app.config["BASE_URL"] = base
    return mail_server


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

"""Password reset by mail in a real browser: the mail reaches a real SMTP server on loopback
and Chromium follows its link; an instructor's one-time link; every page accessible and
without sideways scrolling at both widths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a fresh browser passphrase"


def test_a_forgotten_password_is_reset_through_the_mailed_link(mail_server, new_page):
    app, base, smtp = mail_server
    create_account(app, "reset-ana@example.com", name="Ana Reset", password=PASSWORD)
    page = new_page(bypass_csp=True)
    page.goto(base + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    problems = page_problems(page, "forgot-password")
    page.get_by_label("Email").fill("reset-ana@example.com")
    page.get_by_role("button", name="Send me a reset link").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    problems |= page_problems(page, "forgot-password-sent")

    (mail,) = smtp.received
    assert mail.recipients == ["reset-ana@example.com"]
    link = mail.links()[0]
    assert link.startswith(base + "/reset-password/")
    page.goto(link)
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    problems |= page_problems(page, "reset-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    assert page.get_by_text("Your new password is set and you are logged in.").is_visible()
    assert page.url == base + "/dashboard"

    page.goto(link)
    assert page.get_by_role("heading", name="This link cannot be used").is_visible()
    assert page.get_by_text("This link has already been used").is_visible()
    problems |= page_problems(page, "reset-password-used")
    assert problems == {}


def test_an_instructor_hands_a_learner_a_one_time_link(mail_server, new_page):
    app, base, smtp = mail_server
    trainer_id = create_account(
        app, "reset-trainer@example.com", name="Ria Trainer", role="instructor", password=PASSWORD
    )
    learner_id = create_account(app, "reset-lee@example.com", name="Lee Learner")
    cohort = make_cohort(
        app,
        trainer_id,
        name="Reset cohort",
        workshop_date=date.today() + timedelta(days=5),
        members=[learner_id],
    )
    trainer = new_page(bypass_csp=True)
    login(trainer, base, "reset-trainer@example.com")
    trainer.goto(f"{base}/instructor/cohorts/{cohort.id}/learners/{learner_id}")
    trainer.get_by_role("button", name="Make a password-reset link for Lee Learner").click()
    assert trainer.get_by_text("This link is shown only once.").is_visible()
    link = trainer.locator("#reset-link").input_value()
    problems = page_problems(trainer, "instructor-reset-link")
    assert [m.recipients for m in smtp.received] == [["reset-lee@example.com"]]

    learner = new_page(bypass_csp=True)
    learner.goto(link)
    learner.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    learner.get_by_label("New password again").fill(NEW_PASSWORD)
    learner.get_by_role("button", name="Set new password").click()
    assert learner.get_by_text("Your new password is set and you are logged in.").is_visible()
    assert problems == {}

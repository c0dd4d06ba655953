"""Sign-up and a change of address confirmed by mail, in a real browser: the mail reaches a
real SMTP server on loopback and Chromium follows its links; every page accessible and
without sideways scrolling at 375 and 1280 px."""

from __future__ import annotations

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account

pytestmark = pytest.mark.browser


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

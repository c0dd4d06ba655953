"""Deleting an account and a cohort in a real browser at 375 px: the pages are accessible and
do not scroll sideways at either width, and what they promise happens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser


def test_a_learner_deletes_their_account_on_a_phone(live_server, new_page):
    app, base = live_server
    create_account(app, "delete-dee@example.com", name="Dee Deleted", password=PASSWORD)
    page = new_page(width=375, bypass_csp=True)
    login(page, base, "delete-dee@example.com")
    page.goto(base + "/account")
    page.get_by_role("link", name="Delete your account").click()
    assert page.get_by_role("heading", name="Delete your account").is_visible()
    problems = page_problems(page, "delete-account")
    page.set_viewport_size({"width": 375, "height": 900})
    page.get_by_label("Your password").fill("not the password")
    page.get_by_role("button", name="Delete my account").click()
    assert page.get_by_text("Your password is not correct. Nothing was deleted.").is_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    assert page.get_by_text("Your account was deleted.").is_visible()
    assert page.url == base + "/"
    page.goto(base + "/dashboard")
    assert page.url.startswith(base + "/login")
    assert problems == {}


def test_an_instructor_deletes_a_cohort_then_their_account(live_server, new_page):
    app, base = live_server
    trainer_id = create_account(
        app, "delete-tom@example.com", name="Tom Trainer", role="instructor", password=PASSWORD
    )
    learner_id = create_account(app, "delete-lia@example.com", name="Lia Learner")
    cohort = make_cohort(
        app,
        trainer_id,
        name="Cohort to delete " + "x" * 100,
        workshop_date=date.today() + timedelta(days=5),
        members=[learner_id],
    )
    name = "Cohort to delete " + "x" * 100
    page = new_page(width=375, bypass_csp=True)
    login(page, base, "delete-tom@example.com")
    page.goto(base + "/account/delete")
    assert page.get_by_text("You own 1 cohort.").is_visible()
    problems = page_problems(page, "delete-account-owner")
    page.set_viewport_size({"width": 375, "height": 900})
    page.get_by_role("link", name=f"Delete “{name}”").click()
    assert page.url == f"{base}/instructor/cohorts/{cohort.id}/delete"
    problems |= page_problems(page, "delete-cohort")
    page.set_viewport_size({"width": 375, "height": 900})
    page.get_by_label("Type the cohort’s name to confirm").fill(name)
    page.get_by_role("button", name="Delete this cohort").click()
    assert page.get_by_text(f"Deleted “{name}” with its memberships and assignments.").is_visible()
    page.goto(base + "/account/delete")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    assert page.get_by_text("Your account was deleted.").is_visible()
    assert problems == {}

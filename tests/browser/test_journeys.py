"""Whole journeys in a real browser, as learners and instructors would take them."""

import re
from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, answer_quiz, login, register, screenshot
from tests.factories import create_account

pytestmark = pytest.mark.browser


def test_a_new_learner_studies_fails_retakes_passes_and_sees_progress(live_server, new_page):
    app, base = live_server
    library = app.extensions["parley_content"]
    quiz = library.quiz("impasse", "walkouts")
    book = library.quizzes("impasse").rulebook
    page = new_page()
    register(page, base, "Nadia Learner", "nadia@example.com")
    assert page.get_by_role("heading", name="My learning").is_visible()

    page.goto(base + "/courses/impasse/modules/walkouts")
    page.get_by_role("link", name="Reading a walkout").click()
    assert page.get_by_role("heading", name="What you'll learn").is_visible()
    page.get_by_role("button", name="Mark complete").click()
    assert page.get_by_text("Marked “Reading a walkout” complete.").is_visible()

    page.goto(base + "/courses/impasse/quizzes/walkouts")
    answer_quiz(page, quiz, book, wrong=4)
    assert page.get_by_role("heading", name=re.compile(r"Your result: \d+%")).is_visible()
    assert page.get_by_text("not passed").first.is_visible()
    mistake = page.locator(".verdict-mistake").first
    assert mistake.locator(".rule-cite").inner_text().startswith("Rule: ")
    assert mistake.locator(".rule-cite code").count() == 0  # rules in words, not ids
    lesson_link = mistake.get_by_role("link", name=re.compile("^Read: "))
    assert "/courses/impasse/lessons/" in lesson_link.get_attribute("href")

    page.get_by_role("link", name="Take the quiz again").click()
    answer_quiz(page, quiz, book)
    assert page.get_by_role("heading", name="Your result: 100%").is_visible()

    page.goto(base + "/dashboard")
    assert page.get_by_text("Mastery by objective").is_visible()
    row = page.locator("tr", has_text="Walkouts")
    assert row.get_by_text("passed", exact=True).is_visible()
    assert row.get_by_text("best 100%", exact=True).is_visible()


def test_instructor_assigns_a_module_and_sees_a_joined_learner_progress(live_server, new_page):
    app, base = live_server
    create_account(
        app, "ines@example.com", name="Ines Trainer", role="instructor", password=PASSWORD
    )
    trainer = new_page()
    login(trainer, base, "ines@example.com")
    trainer.get_by_role("link", name="Instructor").click()
    trainer.get_by_label("Cohort name").fill("Harbour workshop")
    workshop = date.today() + timedelta(days=5)
    trainer.get_by_label("Workshop date").fill(workshop.isoformat())
    trainer.get_by_role("button", name="Create cohort").click()
    trainer.get_by_label("What to assign").select_option(
        label="Negotiation: Overcoming Impasse › Walkouts"
    )
    trainer.get_by_role("button", name="Assign").click()
    invite = trainer.get_by_label("Invitation link").input_value()
    cohort_url = trainer.url

    learner = new_page(width=375)
    learner.goto(invite)
    learner.get_by_role("link", name="Sign up and join").click()
    learner.get_by_label("Name").fill("Omar Participant")
    learner.get_by_label("Email").fill("omar@example.com")
    learner.get_by_label("Password").fill(PASSWORD)
    learner.get_by_role("button", name="Sign up").click()
    learner.goto(base + "/dashboard")
    due = learner.locator(".due")
    assert due.get_by_role("heading", name=re.compile("Before “Harbour workshop”")).is_visible()
    assert due.get_by_text(workshop.strftime("%a %d %b")).first.is_visible()

    trainer.goto(cohort_url)
    row = trainer.locator("tr", has_text="Omar Participant")
    assert row.get_by_text("not started").is_visible()
    learner.goto(base + "/courses/impasse/lessons/reading-a-walkout")
    trainer.reload()
    assert (
        trainer.locator("tr", has_text="Omar Participant").get_by_text("in progress").is_visible()
    )
    screenshot(trainer, "journey-instructor-grid-desktop")


def test_a_quiz_can_be_taken_with_the_keyboard_alone(live_server, new_page):
    app, base = live_server
    library = app.extensions["parley_content"]
    quiz = library.quiz("impasse", "no-agreement")
    book = library.quizzes("impasse").rulebook
    page = new_page()
    register(page, base, "Kai Keyboard", "kai@example.com")
    page.goto(base + "/courses/impasse/quizzes/no-agreement")
    # Reach the first answer with Tab from the top of the page, as a keyboard user would.
    page.keyboard.press("Tab")
    first = page.locator("input[type=radio], input[type=checkbox]").first
    for _ in range(60):
        if first.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert first.evaluate("el => el === document.activeElement")
    outline = first.evaluate("el => getComputedStyle(el.closest('label')).outlineStyle")
    assert outline != "none"  # focus is visible
    answer_quiz(page, quiz, book, keyboard=True)
    assert page.get_by_role("heading", name="Your result: 100%").is_visible()

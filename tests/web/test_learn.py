"""Landing, catalogue, course, lesson and dashboard pages as learners use them."""

import re

from markupsafe import escape

from parley.extensions import db
from parley.models import User
from tests.factories import make_attempt, text_of, texts


def test_landing_shows_what_parley_is_and_the_catalogue(client):
    page = client.get("/").text
    assert text_of(page, "h1") == "Practise the hard moments before they happen."
    assert text_of(page, "p.actions") == "Sign up free Log in"
    assert "Negotiation: Overcoming Impasse" in texts(page, "li.card h3")


def test_catalogue_lists_courses_for_visitors(client):
    page = client.get("/courses").text
    assert 'href="/courses/impasse"' in page


def test_course_page_lists_modules_with_progress_bars(client, auth):
    auth.register()
    page = client.get("/courses/impasse").text
    assert texts(page, "ol.module-list h3") == [
        "What impasse is not started",
        "Strategies to overcome impasse not started",
        "Walkouts not started",
        "When no agreement is better not started",
    ]
    assert page.count("<progress") == 5  # the course and each module


def test_module_page_shows_objectives_lessons_and_minutes(app, client, auth):
    module = app.extensions["parley_content"].course("impasse").module("what-is-impasse")
    auth.register()
    page = client.get("/courses/impasse/modules/what-is-impasse").text
    assert text_of(page, "#objectives-heading") == "What you'll learn"
    assert "Tell a temporary impasse from a lasting deadlock" in page
    listed = re.findall(r'">([^<]+)</a>\s*<span class="muted">(\d+) min</span>', page)
    assert listed == [(str(escape(lesson.title)), str(lesson.minutes)) for lesson in module.lessons]
    assert f"About {module.minutes} minutes in all." in page
    assert 'href="/courses/impasse/lessons/when-impasse-strikes"' in page


def test_lesson_page_has_objectives_toc_body_and_neighbours(client, auth):
    auth.register()
    page = client.get("/courses/impasse/lessons/when-impasse-strikes").text
    assert "On this page" in page and 'href="#batna"' in page
    assert 'id="batna"' in page
    assert 'rel="prev" href="/courses/impasse/lessons/impasse-defined"' in page
    assert 'rel="next" href="/courses/impasse/lessons/handling-impasse-gracefully"' in page
    assert "Mark complete" in page


def test_unknown_course_module_or_lesson_is_404(client, auth):
    auth.register()
    assert client.get("/courses/nope").status_code == 404
    assert client.get("/courses/impasse/modules/nope").status_code == 404
    assert client.get("/courses/impasse/lessons/nope").status_code == 404
    assert client.post("/courses/impasse/lessons/nope/complete").status_code == 404


def test_dashboard_offers_to_continue_where_you_left_off(client, auth):
    auth.register()
    client.get("/courses/impasse/lessons/when-impasse-strikes")
    page = client.get("/dashboard").text
    assert "Continue where you left off" in page
    assert 'href="/courses/impasse/lessons/when-impasse-strikes">When impasse strikes' in page


def test_dashboard_continues_after_the_last_completed_lesson(client, auth):
    auth.register()
    client.post("/courses/impasse/lessons/impasse-defined/complete")
    page = client.get("/dashboard").text
    assert 'href="/courses/impasse/lessons/when-impasse-strikes"' in page
    assert text_of(page, "section.resume p") == (
        "When impasse strikes, and why in Negotiation: Overcoming Impasse"
    )


def test_dashboard_details_the_courses_being_taken_and_lists_the_rest(app, client, auth):
    feedback = app.extensions["parley_content"].course("feedback")
    auth.register()
    fresh = client.get("/dashboard").text
    assert "You have not started a course yet" in fresh
    assert 'href="/courses/impasse">Negotiation: Overcoming Impasse</a>' in fresh
    assert "Module progress in" not in fresh
    client.get("/courses/impasse/lessons/impasse-defined")
    page = client.get("/dashboard").text
    assert "You have not started a course yet" not in page
    assert "Module progress in Negotiation: Overcoming Impasse" in page
    others = page.split("Other courses")[1]
    assert (
        f'Giving feedback at work</a> <span class="muted">· {len(feedback.modules)} modules · '
        f"about {feedback.minutes} minutes · not started</span>"
    ) in others
    assert "Module progress in Giving feedback" not in page


def test_a_course_wide_check_alone_counts_as_taking_the_course(app, client, auth):
    auth.register()
    with app.app_context():
        user = db.session.query(User).filter_by(email="ana@example.com").one()
        ready_check = app.extensions["parley_content"].quiz("impasse", "ready-for-the-workshop")
        assert ready_check.module_id is None  # it belongs to no module
        make_attempt(db.session, user.id, ready_check, score=0.5)
        db.session.commit()
    dashboard = client.get("/dashboard").text
    assert "You have not started a course yet" not in dashboard
    assert "Module progress in Negotiation: Overcoming Impasse" in dashboard


def test_new_learner_journey_keeps_progress_across_logins(client, auth):
    auth.register(email="newbie@example.com")
    assert client.get("/courses/impasse/lessons/impasse-defined").status_code == 200
    client.post("/courses/impasse/lessons/impasse-defined/complete")
    auth.logout()
    assert client.get("/dashboard").status_code == 302
    auth.login(email="newbie@example.com")
    page = client.get("/dashboard").text
    assert '<span class="muted">1/3</span>' in page  # lessons completed in the first module
    lesson = client.get("/courses/impasse/lessons/impasse-defined").text
    assert "You completed this lesson." in lesson

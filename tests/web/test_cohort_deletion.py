"""Deleting a cohort on /instructor/cohorts/<id>/delete: only its owner, only once its name is
typed; its memberships, assignments, extensions and removals go, the learners' progress and
attempts stay, and its readiness snapshot is never served again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from parley.cohorts import ownership
from parley.extensions import db
from parley.models import (
    Assignment,
    Attempt,
    Cohort,
    CohortBlock,
    DueDateOverride,
    LessonProgress,
    Membership,
    PendingSignUp,
)
from tests.factories import (
    POSTGRES_URL,
    RIGHT_ANSWERS,
    assign_on_the_web,
    count,
    create_account,
    create_cohort_on_the_web,
    join_by_link,
    log_in,
    submit_quiz,
    text_of,
    texts,
)

NAME = "Spring workshop"


@pytest.fixture
def world(quiz_app):
    """A trainer's cohort: the walkouts module assigned, Ana a member with a passed quiz and
    an extension, Ben removed from it."""
    create_account(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")
    ana_id = create_account(quiz_app, "ana@example.com", name="Ana Learner")
    ben_id = create_account(quiz_app, "ben@example.com", name="Ben Learner")
    trainer = log_in(quiz_app, "trainer@example.com")
    cohort_id, link, _ = create_cohort_on_the_web(trainer, name=NAME)
    assert assign_on_the_web(trainer, cohort_id).status_code == 303
    ana, ben = log_in(quiz_app, "ana@example.com"), log_in(quiz_app, "ben@example.com")
    for client in (ana, ben):
        assert join_by_link(client, link).status_code == 303
    assert ana.post("/courses/impasse/lessons/reading-a-walkout/complete").status_code < 400
    assert submit_quiz(ana, RIGHT_ANSWERS).status_code < 400
    with quiz_app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    later = (date.today() + timedelta(days=30)).isoformat()
    extended = trainer.post(
        f"/instructor/cohorts/{cohort_id}/learners/{ana_id}/extend",
        data={"assignment": assignment_id, "due_date": later},
    )
    assert extended.status_code < 400
    removed = trainer.post(f"/instructor/cohorts/{cohort_id}/members/{ben_id}/remove")
    assert removed.status_code < 400
    assert count(quiz_app, DueDateOverride) == 1
    assert count(quiz_app, CohortBlock) == 1
    trainer.get("/instructor/")  # shows (and so clears) the flashed messages
    return {"app": quiz_app, "trainer": trainer, "ana": ana, "id": cohort_id, "ana_id": ana_id}


def delete(client, cohort_id, name=NAME):
    return client.post(f"/instructor/cohorts/{cohort_id}/delete", data={"name": name})


def kept(app) -> dict:
    return {
        model.__name__: count(app, model)
        for model in (Cohort, Membership, Assignment, DueDateOverride, CohortBlock)
    }


def test_the_cohort_page_links_to_its_delete_page(world):
    page = world["trainer"].get(f"/instructor/cohorts/{world['id']}").text
    assert text_of(page, "p.delete-cohort") == "Delete cohort"
    assert f'href="/instructor/cohorts/{world["id"]}/delete"' in page


def test_the_delete_page_says_what_goes_and_what_stays(world):
    response = world["trainer"].get(f"/instructor/cohorts/{world['id']}/delete")
    assert response.status_code == 200
    page = response.text
    assert text_of(page, "h1") == f"Delete “{NAME}”"
    assert texts(page, "ul.deleted-with-cohort li") == [
        "1 membership: the learners leave the cohort, and its invitation link and join code "
        "stop working;",
        "1 assignment with their due dates, and 1 extended due date;",
        "1 removal (people who could not rejoin);",
        "its readiness grid, question analysis and debriefs.",
    ]
    assert "The learners keep their accounts, their lesson progress and their quiz attempts." in (
        page
    )
    assert f"flask cohorts transfer {world['id']} --to their-email@example.org" in page
    assert text_of(page, "label") == "Type the cohort’s name to confirm"
    assert text_of(page, "button.danger") == "Delete this cohort"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("spring workshop", f"That is not this cohort’s name. Type “{NAME}” exactly to delete it."),
        ("Spring", f"That is not this cohort’s name. Type “{NAME}” exactly to delete it."),
        ("", "This field is required."),
        ("x" * 201, "Field cannot be longer than 200 characters."),
    ],
)
def test_a_name_that_does_not_match_deletes_nothing(world, typed, message):
    app = world["app"]
    before = kept(app)
    response = delete(world["trainer"], world["id"], typed)
    assert response.status_code == 400
    assert text_of(response.text, ".field-error") == message
    assert text_of(response.text, "h1") == f"Delete “{NAME}”"
    if typed and len(typed) <= 200:
        assert f'value="{typed}"' in response.text
    assert kept(app) == before


def test_only_the_owner_can_open_or_use_the_delete_page(world):
    app = world["app"]
    create_account(app, "other@example.com", role="instructor")
    other = log_in(app, "other@example.com")
    path = f"/instructor/cohorts/{world['id']}/delete"
    before = kept(app)
    assert other.get(path).status_code == 404
    assert delete(other, world["id"]).status_code == 404
    assert world["ana"].get(path).status_code == 403
    assert delete(world["ana"], world["id"]).status_code == 403
    assert app.test_client().post(path, data={"name": NAME}).status_code == 302  # to log in
    assert delete(world["trainer"], 9999).status_code == 404
    assert kept(app) == before


def test_the_typed_name_deletes_the_cohort_and_keeps_the_learners_work(world):
    app, trainer = world["app"], world["trainer"]
    response = delete(trainer, world["id"], f"  {NAME} ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/instructor/"
    page = trainer.get("/instructor/").text
    assert text_of(page, ".flash-success") == (
        f"Deleted “{NAME}” with its memberships and assignments."
    )
    assert "You have no cohorts yet." in page
    assert kept(app) == {
        "Cohort": 0,
        "Membership": 0,
        "Assignment": 0,
        "DueDateOverride": 0,
        "CohortBlock": 0,
    }
    assert count(app, Attempt, user_id=world["ana_id"]) == 1
    assert count(app, LessonProgress, user_id=world["ana_id"]) == 1
    assert trainer.get(f"/instructor/cohorts/{world['id']}").status_code == 404
    assert world["ana"].get("/dashboard").status_code == 200


def test_a_deleted_cohorts_snapshot_is_dropped_and_never_served(world):
    app, trainer = world["app"], world["trainer"]
    snapshots = app.extensions["parley_snapshots"]
    grid = trainer.get(f"/instructor/cohorts/{world['id']}").text
    assert texts(grid, "a.learner-name") == ["Ana Learner"]
    assert world["id"] in snapshots
    assert delete(trainer, world["id"]).status_code == 303
    assert world["id"] not in snapshots
    # SQLite gives the next cohort the deleted one's id: its page is its own.
    new_id, _, _ = create_cohort_on_the_web(trainer, name="Autumn workshop")
    assert new_id == world["id"] or POSTGRES_URL  # PostgreSQL never reuses an id
    assert assign_on_the_web(trainer, new_id).status_code == 303
    page = trainer.get(f"/instructor/cohorts/{new_id}").text
    assert text_of(page, "h1") == "Autumn workshop"
    assert "Ana Learner" not in page
    assert "No one has joined yet." in page


def test_a_sign_up_waiting_for_confirmation_outlives_the_cohort(world):
    app = world["app"]
    with app.app_context():
        db.session.add(
            PendingSignUp(
                token_hash="0" * 64,
                email="new@example.com",
                name="New",
                password_hash="x",
                cohort_id=world["id"],
            )
        )
        db.session.commit()
    assert delete(world["trainer"], world["id"]).status_code == 303
    with app.app_context():
        pending = db.session.scalars(select(PendingSignUp)).all()
        assert [(p.email, p.cohort_id) for p in pending] == [("new@example.com", None)]


def test_cohort_contents_counts_only_this_cohort(world):
    app, trainer = world["app"], world["trainer"]
    other_id, _, _ = create_cohort_on_the_web(trainer, name="Other")
    with app.app_context():
        assert ownership.cohort_contents(db.session, other_id) == ownership.CohortContents(
            members=0, assignments=0, extensions=0, removed=0
        )
        assert ownership.cohort_contents(db.session, world["id"]) == ownership.CohortContents(
            members=1, assignments=1, extensions=1, removed=1
        )

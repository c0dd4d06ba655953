"""Progress is kept per account and keyed by stable ids."""

import re

from sqlalchemy import false, select

from parley import create_app
from parley.extensions import db
from parley.learning import progress
from parley.models import User
from tests.factories import create_account, lesson_front, write_lesson


def states_of(app, email: str) -> dict:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return progress.lesson_states(db.session, user_id)


def test_opening_a_lesson_records_first_and_last_opened(app, client, auth):
    auth.register()
    client.get("/courses/impasse/lessons/impasse-defined")
    client.get("/courses/impasse/lessons/impasse-defined")
    (state,) = states_of(app, "ana@example.com").values()
    assert state.lesson_id == "impasse-defined"
    assert state.first_opened_at <= state.last_opened_at
    assert state.completed_at is None


def test_mark_complete_updates_module_and_course_progress(client, auth):
    auth.register()
    response = client.post("/courses/impasse/lessons/impasse-defined/complete")
    assert response.status_code == 302
    module_page = client.get("/courses/impasse/modules/what-is-impasse").text
    assert 'value="33" aria-label="Module progress"' in module_page  # 1 of 3 lessons
    badges = re.findall(r'<span class="badge badge-([a-z-]+)">([a-z ]+)</span>', module_page)
    assert badges == [("completed", "completed")] + [("not-started", "not started")] * 2


def test_completing_twice_keeps_the_first_completion_time(app, client, auth):
    auth.register()
    client.post("/courses/impasse/lessons/impasse-defined/complete")
    (first,) = states_of(app, "ana@example.com").values()
    client.post("/courses/impasse/lessons/impasse-defined/complete")
    (again,) = states_of(app, "ana@example.com").values()
    assert first.completed_at is not None and again.completed_at == first.completed_at


def test_progress_is_per_account(client, auth):
    auth.register(email="one@example.com")
    client.post("/courses/impasse/lessons/impasse-defined/complete")
    auth.logout()
    auth.register(email="two@example.com")
    page = client.get("/courses/impasse/modules/what-is-impasse").text
    assert 'value="0" aria-label="Module progress"' in page


def _content(make_course, title: str, order: list[str], module: str = "basics"):
    root = make_course(modules={module: order, "later": ["final-lesson"]})
    for number, lesson_id in enumerate(order, start=1):
        title_here = title if lesson_id == "tracked-lesson" else None
        write_lesson(
            root / "demo" / module / f"{number:02d}-{lesson_id}.md",
            lesson_front(lesson_id, title=title_here),
        )
    return root


def test_progress_survives_retitling_reordering_and_moving(app_config, tmp_path, make_course):
    first = _content(make_course, "Old title", ["tracked-lesson", "other-lesson"])
    app_config.update(COURSES_DIR=str(first), QUIZZES_DIR=str(tmp_path / "no-quizzes"))
    client = create_app(app_config).test_client()
    client.post(
        "/register", data={"name": "A", "email": "a@example.com", "password": "a long password"}
    )
    client.post("/courses/demo/lessons/tracked-lesson/complete")

    moved = tmp_path / "moved"
    make_course(
        modules={"basics": ["other-lesson"], "later": ["final-lesson", "tracked-lesson"]},
        root=moved,
    )
    write_lesson(
        next((moved / "demo" / "later").glob("02-*.md")),
        lesson_front("tracked-lesson", title="A brand new title"),
    )
    app_config["COURSES_DIR"] = str(moved)
    client = create_app(app_config).test_client()
    client.post("/login", data={"email": "a@example.com", "password": "a long password"})
    page = client.get("/courses/demo/modules/later").text
    assert "A brand new title" in page
    assert 'value="50" aria-label="Module progress"' in page  # 1 of the 2 lessons in "later"


def test_removed_lesson_keeps_its_history(app_config, tmp_path, make_course):
    root = make_course(modules={"basics": ["kept-lesson", "doomed-lesson"]})
    app_config.update(COURSES_DIR=str(root), QUIZZES_DIR=str(tmp_path / "no-quizzes"))
    app = create_app(app_config)
    client = app.test_client()
    client.post(
        "/register", data={"name": "A", "email": "a@example.com", "password": "a long password"}
    )
    client.post("/courses/demo/lessons/doomed-lesson/complete")

    smaller = make_course(modules={"basics": ["kept-lesson"]}, root=tmp_path / "smaller")
    app_config["COURSES_DIR"] = str(smaller)
    app = create_app(app_config)
    client = app.test_client()
    client.post("/login", data={"email": "a@example.com", "password": "a long password"})
    assert client.get("/dashboard").status_code == 200
    assert client.get("/courses/demo/lessons/doomed-lesson").status_code == 404
    assert ("demo", "doomed-lesson") in states_of(app, "a@example.com")


def test_two_first_openings_at_once_store_one_row_and_neither_fails(app, monkeypatch):
    """A second tab opens the lesson after the first one's read found no row, but before its
    insert: the second insert finds the row stored and stores nothing."""
    user_id = create_account(app, "ana@example.com")
    with app.app_context():
        first_state, first_wrote = progress.record_lesson_opened(
            db.session, user_id, "impasse", "impasse-defined"
        )
        db.session.commit()
        nothing_found = progress._OPENED.where(false())
        monkeypatch.setattr(progress, "_OPENED", nothing_found)  # the read came too early
        _, second_wrote = progress.record_lesson_opened(
            db.session, user_id, "impasse", "impasse-defined"
        )
        db.session.commit()
        progress.mark_lesson_complete(db.session, user_id, "impasse", "impasse-defined")
        db.session.commit()
        rows = progress.lesson_states(db.session, user_id)
    assert (first_wrote, second_wrote) == (True, False)
    assert list(rows) == [("impasse", "impasse-defined")]
    assert rows[("impasse", "impasse-defined")].first_opened_at == first_state.first_opened_at
    assert rows[("impasse", "impasse-defined")].completed

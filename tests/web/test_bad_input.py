"""Property-based: arbitrary input to every form never causes a 500 or a half-change."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from parley.extensions import db
from parley.models import Assignment, Base
from tests.factories import (
    PASSWORD,
    QUIZ_URL,
    RIGHT_ANSWERS,
    assign_on_the_web,
    create_account,
    create_cohort_on_the_web,
    log_in,
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

characters = st.characters(blacklist_categories=("Cs",))
short_text = st.text(characters, max_size=40)
values = st.one_of(
    short_text,
    st.text(characters, min_size=500, max_size=4000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e9",
            "null",
            "[]",
            "2026-02-30",
            "9999-12-31",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "=SUM(A1)",
            "🌍" * 30,
            "\u202ertl",
            "\x00nul",
            "apologise",
            "walk",
            "commit",
            "1",
            "2",
            "3",
            "Europe/Paris",
            "Pacific/Auckland",
            "Etc/GMT+14",
            "../../etc/passwd",
            "europe/paris",
        ]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.dates().map(date.isoformat),
)


def form_data(fields: list[str]):
    keys = st.one_of(st.sampled_from(fields), short_text)
    return st.dictionaries(keys, st.one_of(values, st.lists(values, max_size=3)), max_size=12)


# A wrong password or join code is refused (4xx) and counted on purpose: the throttles' own
# record, written whole, not a half-change.
COUNTED_ON_REFUSAL = {"failed_attempt"}


def database_state(app) -> dict:
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in Base.metadata.sorted_tables
            if table.name not in COUNTED_ON_REFUSAL
        }


def check(app, response, before) -> None:
    assert response.status_code < 500, response.text[:500]
    assert response.status_code in range(200, 500)
    if response.status_code >= 400:
        assert "<h1>" in response.text or response.is_json
        assert database_state(app) == before


@pytest.fixture
def world(quiz_app):
    """A learner and an instructor with a cohort, an assignment and a membership."""
    learner_id = create_account(quiz_app, "learner@example.com", name="Lea")
    create_account(quiz_app, "trainer@example.com", name="Tim", role="instructor")
    learner = log_in(quiz_app, "learner@example.com")
    trainer = log_in(quiz_app, "trainer@example.com")
    cohort_id, link, _ = create_cohort_on_the_web(
        trainer, name="C", when=date.today() + timedelta(days=7)
    )
    assign_on_the_web(trainer, cohort_id)
    assert learner.post(link).status_code == 303
    with quiz_app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    assert assignment_id is not None
    return {
        "app": quiz_app,
        "learner": learner,
        "trainer": trainer,
        "token": link.rsplit("/", 1)[1],
        "ids": {"cohort": cohort_id, "learner": learner_id, "assignment": assignment_id},
    }


LEARNER_FORMS = {
    "/account/password": ["current", "new", "confirm"],
    "/join": ["code"],
    "/courses/impasse/lessons/reading-a-walkout/complete": ["x"],
    QUIZ_URL: [
        *RIGHT_ANSWERS,
        "quiz_version",
        "submission",
        "advance",
        "c-demo-best",
        "c-demo-all",
        "q-demo-branch-assessed",
    ],
    "/cohorts/{cohort}/leave": ["x"],
    "/account/time-zone": ["time_zone"],
    "/account/name": ["name"],
    "/account/reminders": ["reminders"],
    "/account/email": ["email", "current"],
    "/account/delete": ["password"],
}
TRAINER_FORMS = {
    "/instructor/cohorts": ["name", "workshop_date", "description", "time_zone"],
    "/instructor/cohorts/{cohort}/time-zone": ["time_zone"],
    "/instructor/cohorts/{cohort}/assign": ["target", "due_date"],
    "/instructor/cohorts/{cohort}/learners/{learner}/extend": ["assignment", "due_date"],
    "/instructor/cohorts/{cohort}/learners/{learner}/reset-link": ["x"],
    "/instructor/cohorts/{cohort}/joining": ["open"],
    "/instructor/cohorts/{cohort}/assignments/{assignment}/delete": ["x"],
    "/instructor/cohorts/{cohort}/members/{learner}/remove": ["x"],
    "/instructor/cohorts/{cohort}/roster": ["text", "file"],
    "/instructor/cohorts/{cohort}/delete": ["name"],
    "/account/delete": ["password"],  # refused: the instructor still owns the cohort
}


@pytest.mark.parametrize("path", list(LEARNER_FORMS))
def test_learner_forms_survive_any_input(world, path):
    app, client = world["app"], world["learner"]

    @SETTINGS
    @given(data=form_data(LEARNER_FORMS[path]))
    def run(data):
        before = database_state(app)
        check(app, client.post(path.format(**world["ids"]), data=data), before)

    run()


@pytest.mark.parametrize("path", list(TRAINER_FORMS))
def test_instructor_forms_survive_any_input(world, path):
    app, client = world["app"], world["trainer"]

    @SETTINGS
    @given(data=form_data(TRAINER_FORMS[path]))
    def run(data):
        before = database_state(app)
        check(app, client.post(path.format(**world["ids"]), data=data), before)

    run()


@pytest.mark.parametrize(
    "path",
    [
        "/register",
        "/login",
        "/join/{token}",
        "/forgot-password",
        "/reminders/unsubscribe/not-a-token",
    ],
)
def test_visitor_forms_survive_any_input(world, path):
    app = world["app"]
    path = path.format(token=world["token"])

    @SETTINGS
    @given(data=form_data(["name", "email", "password", "next", "join", "code", "remember"]))
    def run(data):
        client = app.test_client()
        before = database_state(app)
        check(app, client.post(path, data=data), before)

    run()


@SETTINGS
@given(path=st.text(characters, min_size=1, max_size=80))
def test_any_url_is_answered_without_a_500(quiz_app, path):
    client = quiz_app.test_client()
    response = client.get("/" + path.lstrip("/"))
    assert response.status_code < 500


def test_a_valid_password_change_still_works_after_the_fuzzing_setup(world):
    response = world["learner"].post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "another long passphrase",
            "confirm": "another long passphrase",
        },
    )
    assert response.status_code == 302


def test_the_reset_password_form_survives_any_input(world):
    """A valid link's form (a link used up by a valid example turns the rest into 400s)."""
    from parley.accounts.reset import BY_MAIL, make_token
    from parley.models import User

    app = world["app"]
    with app.app_context():
        user = db.session.get(User, world["ids"]["learner"])
        path = f"/reset-password/{make_token(app.config['SECRET_KEY'], user, BY_MAIL)}"

    @SETTINGS
    @given(data=form_data(["new", "confirm", "csrf_token"]))
    def run(data):
        client = app.test_client()
        before = database_state(app)
        check(app, client.post(path, data=data), before)

    run()


def test_the_sign_up_and_address_change_links_survive_any_input(world):
    """Valid confirmation links (the first valid example uses each up; the rest get 400s),
    and tokens anyone could type."""
    from parley.accounts import email_change, sign_up_confirmation
    from parley.accounts.failures import kept_for
    from parley.models import User

    app = world["app"]
    with app.app_context():
        user = db.session.get(User, world["ids"]["learner"])
        change = email_change.make_token(app.config["SECRET_KEY"], user, "moved@example.com")
        asked = sign_up_confirmation.request_sign_up(
            db.session,
            app.config["SECRET_KEY"],
            email="pending@example.com",
            name="Pat",
            password=PASSWORD,
            cohort_id=world["ids"]["cohort"],
            next_path="",
            address="127.0.0.1",
            keep_failures_for=kept_for(app.config),
        )
        db.session.commit()
    paths = st.one_of(
        st.sampled_from([f"/sign-up/confirm/{asked.token}", f"/account/email/confirm/{change}"]),
        st.text(characters, min_size=1, max_size=200).map(
            lambda token: f"/sign-up/confirm/{token.replace('/', '')}"
        ),
        st.text(characters, min_size=1, max_size=200).map(
            lambda token: f"/account/email/confirm/{token.replace('/', '')}"
        ),
    )

    @SETTINGS
    @given(path=paths, data=form_data(["csrf_token", "x"]), method=st.sampled_from(["get", "post"]))
    def run(path, data, method):
        client = app.test_client()
        before = database_state(app)
        if method == "get":
            response = client.get(path)
            assert response.status_code < 500, response.text[:500]
            assert database_state(app) == before  # opening a link changes nothing
        else:
            check(app, client.post(path, data=data), before)

    run()


def test_the_sign_up_form_with_a_mail_server_survives_any_input(app_config):
    from parley import create_app
    from tests.factories import smtp_server

    with smtp_server() as smtp:
        app = create_app({**app_config, "MAIL_URL": smtp.url})
        create_account(app, "taken@example.com")

        @SETTINGS
        @given(data=form_data(["name", "email", "password", "next", "join", "code"]))
        def run(data):
            before = database_state(app)
            check(app, app.test_client().post("/register", data=data), before)

        run()

"""Invitations: a new link and code, removal until allowed back, closed cohorts that name
themselves only to members, and wrong join codes throttled per address and per account."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from parley import create_app
from parley.accounts.failures import record_failure
from parley.cohorts import membership
from parley.config import ConfigError
from parley.extensions import db
from parley.models import Cohort, FailedAttempt, User, utcnow
from tests.factories import (
    PASSWORD,
    create_account,
    create_cohort_on_the_web,
    invitation_on_the_page,
    join_by_link,
    log_in,
    make_cohort,
    signed_in,
    text_of,
    texts,
)

REMOVED = "Your instructor removed you from this cohort. Ask them to allow you back."
CLOSED = "This cohort is not taking new members. Ask your instructor."
NO_SUCH_CODE = "No cohort has that code. Check it with your instructor."
TOO_MANY = "Too many wrong codes. Try again in {}."
BAD_LINK = (
    "This invitation link is not valid. Ask your instructor for a new one, or type the "
    "join code at /join."
)


@pytest.fixture
def trainer(quiz_app):
    return signed_in(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")


@pytest.fixture
def learner(quiz_app):
    """Return make(email, name) -> (client signed in as a new learner, their id)."""

    def make(email, name="Lena Learner"):
        user_id = create_account(quiz_app, email, name=name)
        return log_in(quiz_app, email), user_id

    return make


def flashes(page: str) -> list[str]:
    return texts(page, "p.flash")


def dashboard_cohorts(client) -> list[str]:
    return texts(client.get("/dashboard").text, "section.due h2")


def removed_list(page: str) -> list[str]:
    return texts(page, "ul.removed-list li")


def cohort_row(app, cohort_id: int) -> tuple[str, str]:
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        return cohort.invite_token, cohort.join_code


# --- New link and code -----------------------------------------------------------------------


def test_a_new_link_and_code_replace_the_old_ones_and_members_stay(trainer, learner):
    cohort_id, old_link, old_code = create_cohort_on_the_web(trainer)
    ana, _ = learner("ana@example.com", "Ana A")
    assert join_by_link(ana, old_link).status_code == 303

    response = trainer.post(f"/instructor/cohorts/{cohort_id}/invitation/renew")
    assert response.status_code == 303
    assert flashes(trainer.get(response.headers["Location"]).text) == [
        "New invitation link and join code made. The old link and code no longer work; "
        "members already in the cohort stay."
    ]
    new_link, new_code = invitation_on_the_page(trainer, cohort_id)
    assert new_link.startswith("/join/") and new_link != old_link
    assert len(new_code) == 8 and new_code != old_code

    ben, _ = learner("ben@example.com", "Ben B")
    old_page = ben.get(old_link)
    assert old_page.status_code == 404
    assert BAD_LINK in texts(old_page.text, "main p")
    assert join_by_link(ben, old_link).status_code == 404
    by_old_code = ben.post("/join", data={"code": old_code})
    assert by_old_code.status_code == 400
    assert texts(by_old_code.text, "p.field-error") == [NO_SUCH_CODE]
    assert dashboard_cohorts(ben) == []

    assert ben.post("/join", data={"code": new_code}).status_code == 303
    assert dashboard_cohorts(ana)[0].startswith("Before “Spring workshop” — ")
    assert dashboard_cohorts(ben)[0].startswith("Before “Spring workshop” — ")


def test_only_the_cohorts_instructor_can_make_a_new_link(quiz_app, trainer, learner):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    before = cohort_row(quiz_app, cohort_id)
    url = f"/instructor/cohorts/{cohort_id}/invitation/renew"
    rival = signed_in(quiz_app, "rival@example.com", name="Rita Rival", role="instructor")
    refused = rival.post(url)
    assert refused.status_code == 404
    assert "You have no cohort at this address." in refused.text
    ana, _ = learner("ana@example.com")
    assert ana.post(url).status_code == 403
    assert trainer.get(url).status_code == 405
    assert cohort_row(quiz_app, cohort_id) == before


def test_instructor_forms_need_the_csrf_token(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    app = create_app(app_config)
    owner = create_account(app, "trainer@example.com", role="instructor")
    ana = create_account(app, "ana@example.com", name="Ana A")
    cohort = make_cohort(app, owner, members=[ana])
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": "trainer@example.com", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302, response.text
    base = f"/instructor/cohorts/{cohort.id}"
    before = cohort_row(app, cohort.id)
    for path in ["/invitation/renew", f"/members/{ana}/remove", f"/removed/{ana}/allow"]:
        refused = client.post(base + path)
        assert refused.status_code == 400, path
        assert text_of(refused.text, "h1") == "The form could not be accepted"
    assert cohort_row(app, cohort.id) == before
    page = client.get(base).text
    assert texts(page, "main section ul li a") == ["Ana A"]
    assert removed_list(page) == []


# --- Removal and allowing back ---------------------------------------------------------------


def test_a_removed_member_cannot_rejoin_by_link_or_code(trainer, learner):
    cohort_id, link, code = create_cohort_on_the_web(trainer)
    ben, ben_id = learner("ben@example.com", "Ben B")
    join_by_link(ben, link)

    response = trainer.post(f"/instructor/cohorts/{cohort_id}/members/{ben_id}/remove")
    assert response.status_code == 303
    page = trainer.get(response.headers["Location"]).text
    assert flashes(page) == [
        "Removed Ben B from the cohort. Their own progress is kept. They cannot rejoin "
        "until you allow them back."
    ]
    today = utcnow().strftime("%d %b %Y")
    assert removed_list(page) == [f"Ben B (ben@example.com), removed on {today} Allow back Ben B"]
    assert dashboard_cohorts(ben) == []

    by_link = join_by_link(ben, link)
    assert by_link.status_code == 403
    assert text_of(by_link.text, "p.eyebrow") == "Error 403"
    assert REMOVED in texts(by_link.text, "section p")
    by_code = ben.post("/join", data={"code": code})
    assert by_code.status_code == 403
    assert REMOVED in texts(by_code.text, "section p")
    invitation = ben.get(link).text
    assert texts(invitation, "main p.form-error") == [REMOVED]
    assert texts(invitation, "main form button") == []
    assert dashboard_cohorts(ben) == []


def test_registering_through_an_invitation_is_refused_to_a_removed_account(quiz_app):
    """Every way in (link, code, signing up with an invitation) goes through join."""
    owner = create_account(quiz_app, "trainer@example.com", role="instructor")
    ben = create_account(quiz_app, "ben@example.com", name="Ben B")
    cohort = make_cohort(quiz_app, owner, members=[ben])
    with quiz_app.app_context():
        found = db.session.get(Cohort, cohort.id)
        assert membership.remove_member(db.session, cohort.id, ben) is True
        with pytest.raises(membership.Removed, match=f"^{REMOVED}$"):
            membership.join(db.session, found, ben)
        assert membership.is_member(db.session, cohort.id, ben) is False


def test_allowing_back_lets_them_rejoin_without_adding_them(trainer, learner):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    ben, ben_id = learner("ben@example.com", "Ben B")
    join_by_link(ben, link)
    base = f"/instructor/cohorts/{cohort_id}"
    trainer.post(f"{base}/members/{ben_id}/remove")

    response = trainer.post(f"{base}/removed/{ben_id}/allow")
    assert response.status_code == 303
    page = trainer.get(response.headers["Location"]).text
    assert flashes(page) == [
        "Removed Ben B from the cohort. Their own progress is kept. They cannot rejoin "
        "until you allow them back.",
        "Ben B may join again with the invitation link or the join code. They are not added "
        "back automatically.",
    ]
    assert removed_list(page) == []
    assert texts(page, "main section ul li a") == []  # no member
    assert dashboard_cohorts(ben) == []

    assert join_by_link(ben, link).status_code == 303
    assert dashboard_cohorts(ben)[0].startswith("Before “Spring workshop” — ")
    again = trainer.post(f"{base}/removed/{ben_id}/allow")
    assert again.status_code == 404
    assert "That person was not removed from this cohort." in again.text


def test_only_the_cohorts_instructor_can_allow_back(quiz_app, trainer, learner):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    ben, ben_id = learner("ben@example.com", "Ben B")
    join_by_link(ben, link)
    base = f"/instructor/cohorts/{cohort_id}"
    trainer.post(f"{base}/members/{ben_id}/remove")
    rival = signed_in(quiz_app, "rival@example.com", name="Rita Rival", role="instructor")
    assert rival.post(f"{base}/removed/{ben_id}/allow").status_code == 404
    assert ben.post(f"{base}/removed/{ben_id}/allow").status_code == 403
    assert trainer.get(f"{base}/removed/{ben_id}/allow").status_code == 405
    assert join_by_link(ben, link).status_code == 403


def test_a_learner_who_leaves_may_join_again(trainer, learner):
    cohort_id, link, code = create_cohort_on_the_web(trainer)
    ana, _ = learner("ana@example.com", "Ana A")
    join_by_link(ana, link)
    assert ana.post(f"/cohorts/{cohort_id}/leave").status_code == 303
    assert removed_list(trainer.get(f"/instructor/cohorts/{cohort_id}").text) == []
    assert ana.post("/join", data={"code": code}).status_code == 303
    assert dashboard_cohorts(ana)[0].startswith("Before “Spring workshop” — ")


# --- Closed cohorts --------------------------------------------------------------------------


def close(trainer, cohort_id):
    response = trainer.post(f"/instructor/cohorts/{cohort_id}/joining", data={"open": "0"})
    assert response.status_code == 303


def test_a_closed_cohorts_invitation_names_it_to_members_only(quiz_app, trainer, learner):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    ana, _ = learner("ana@example.com", "Ana A")
    join_by_link(ana, link)
    close(trainer, cohort_id)
    ben, _ = learner("ben@example.com", "Ben B")
    for client in [quiz_app.test_client(), ben]:
        response = client.get(link)
        assert response.status_code == 200
        assert "Spring workshop" not in response.text and "Bring a case." not in response.text
        assert text_of(response.text, "title") == "Join a cohort · Parley"
        assert text_of(response.text, "h1") == "Join a workshop cohort"
        assert texts(response.text, "main p.form-error") == [CLOSED]
    member_page = ana.get(link).text
    assert text_of(member_page, "h1") == "Spring workshop"
    assert "Bring a case." in texts(member_page, "main p")


def test_signing_up_through_a_closed_cohorts_invitation_does_not_name_it(quiz_app, trainer):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    close(trainer, cohort_id)
    token = link.rsplit("/", 1)[1]
    visitor = quiz_app.test_client()
    form = visitor.get(f"/register?join={token}").text
    assert "Spring workshop" not in form
    assert texts(form, "main p.form-error") == [
        "The cohort of your invitation is not taking new members. Ask your instructor."
    ]
    response = visitor.post(
        "/register",
        data={
            "name": "New Person",
            "email": "new@example.com",
            "password": "a long password",
            "join": token,
        },
    )
    assert response.status_code == 302
    welcome = visitor.get("/dashboard").text
    assert flashes(welcome) == [f"Welcome to Parley, New Person. {CLOSED}"]
    assert "Spring workshop" not in welcome


def test_joining_a_closed_cohort_is_refused_without_naming_it(trainer, learner):
    cohort_id, link, code = create_cohort_on_the_web(trainer)
    close(trainer, cohort_id)
    ben, _ = learner("ben@example.com", "Ben B")
    for response in [join_by_link(ben, link), ben.post("/join", data={"code": code})]:
        assert response.status_code == 409
        assert CLOSED in texts(response.text, "section p")
        assert "Spring workshop" not in response.text


def test_an_open_cohorts_invitation_still_names_it(quiz_app, trainer):
    _, link, _ = create_cohort_on_the_web(trainer)
    page = quiz_app.test_client().get(link).text
    assert text_of(page, "h1") == "Spring workshop"
    assert text_of(page, "title") == "Join Spring workshop · Parley"


# --- Wrong join codes ------------------------------------------------------------------------


def signed_in_from(app, email: str, address: str, name: str = "Lena Learner"):
    """A client logged in from this address (a session does not move between addresses);
    the account is created unless it exists."""
    if user_id_of(app, email) is None:
        create_account(app, email, name=name)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def user_id_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def failures_of(app, kind: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(FailedAttempt.address, FailedAttempt.account)
            .where(FailedAttempt.kind == kind)
            .order_by(FailedAttempt.id)
        )
        return [tuple(row) for row in rows]


def record_failures(
    app, count: int, ago: timedelta, address="10.0.0.1", account="", kind="join-code"
):
    with app.app_context():
        for _ in range(count):
            record_failure(db.session, kind, address, account, utcnow() - ago)
        db.session.commit()


def test_wrong_codes_are_refused_after_ten_from_one_address(quiz_app, trainer):
    _, _, code = create_cohort_on_the_web(trainer)
    ana = signed_in_from(quiz_app, "ana@example.com", "10.0.0.1", "Ana A")
    for _ in range(10):
        response = ana.post("/join", data={"code": "ZZZZZZZZ"})
        assert response.status_code == 400
        assert texts(response.text, "p.field-error") == [NO_SUCH_CODE]
    ana_id = user_id_of(quiz_app, "ana@example.com")
    assert failures_of(quiz_app, "join-code") == [("10.0.0.1", str(ana_id))] * 10

    refused = ana.post("/join", data={"code": code})  # even the right one: it is not looked up
    assert refused.status_code == 429
    assert 899 <= int(refused.headers["Retry-After"]) <= 900
    assert texts(refused.text, "p.field-error") == [TOO_MANY.format("15 minutes")]
    assert dashboard_cohorts(ana) == []
    assert len(failures_of(quiz_app, "join-code")) == 10  # a refused try records nothing

    ben = signed_in_from(quiz_app, "ben@example.com", "10.0.0.1", "Ben B")
    assert ben.post("/join", data={"code": code}).status_code == 429
    cleo = signed_in_from(quiz_app, "cleo@example.com", "10.0.0.2", "Cleo C")
    assert cleo.post("/join", data={"code": code}).status_code == 303
    assert dashboard_cohorts(cleo)[0].startswith("Before “Spring workshop” — ")


def test_wrong_codes_are_refused_after_ten_from_one_account(quiz_app, trainer):
    _, _, code = create_cohort_on_the_web(trainer)
    for number in range(10):
        ana = signed_in_from(quiz_app, "ana@example.com", f"10.0.1.{number}", "Ana A")
        assert ana.post("/join", data={"code": "ZZZZZZZZ"}).status_code == 400
    ana = signed_in_from(quiz_app, "ana@example.com", "10.0.2.1")
    refused = ana.post("/join", data={"code": code})
    assert refused.status_code == 429
    assert texts(refused.text, "p.field-error") == [TOO_MANY.format("15 minutes")]
    ben = signed_in_from(quiz_app, "ben@example.com", "10.0.2.1", "Ben B")
    assert ben.post("/join", data={"code": code}).status_code == 303


def test_two_app_processes_count_wrong_codes_together(quiz_app, app_config, trainer):
    """Two apps on one database stand for two workers: neither keeps a count of its own."""
    _, _, code = create_cohort_on_the_web(trainer)
    other_worker = create_app(app_config)
    first = signed_in_from(quiz_app, "ana@example.com", "10.0.0.1", "Ana A")
    second = signed_in_from(other_worker, "ana@example.com", "10.0.0.1")
    statuses = [
        client.post("/join", data={"code": "ZZZZZZZZ"}).status_code
        for client in [first, second] * 5
    ]
    assert statuses == [400] * 10
    assert first.post("/join", data={"code": code}).status_code == 429
    assert second.post("/join", data={"code": code}).status_code == 429


def test_the_wait_ends_when_the_oldest_failures_leave_the_window(quiz_app, trainer):
    _, _, code = create_cohort_on_the_web(trainer)
    ana = signed_in_from(quiz_app, "ana@example.com", "10.0.0.1")
    record_failures(quiz_app, 10, timedelta(minutes=5), address="10.0.0.1")
    refused = ana.post("/join", data={"code": code})
    assert refused.status_code == 429
    assert 595 <= int(refused.headers["Retry-After"]) <= 600
    assert texts(refused.text, "p.field-error") == [TOO_MANY.format("10 minutes")]


def test_failures_older_than_the_window_do_not_count(quiz_app, trainer):
    _, _, code = create_cohort_on_the_web(trainer)
    ana = signed_in_from(quiz_app, "ana@example.com", "10.0.0.1")
    record_failures(quiz_app, 10, timedelta(minutes=16), address="10.0.0.1")
    assert ana.post("/join", data={"code": "ZZZZZZZZ"}).status_code == 400
    assert ana.post("/join", data={"code": code}).status_code == 303


def test_a_wrong_code_prunes_only_failures_no_window_counts(quiz_app):
    """Pruning deletes every kind, so it keeps as long as the longest window (log-ins: 1 h)."""
    record_failures(quiz_app, 1, timedelta(hours=2), address="10.9.9.9", kind="login")
    record_failures(quiz_app, 1, timedelta(minutes=30), address="10.9.9.8", kind="login")
    ana = signed_in_from(quiz_app, "ana@example.com", "10.0.0.1")
    assert ana.post("/join", data={"code": "ZZZZZZZZ"}).status_code == 400
    assert failures_of(quiz_app, "login") == [("10.9.9.8", "")]


def test_the_allowance_is_a_setting(app_config):
    app_config["JOIN_CODE_FAILURES_PER_ADDRESS"] = "2 per 1 minute"
    app = create_app(app_config)
    create_account(app, "ana@example.com")
    ana = log_in(app, "ana@example.com")
    assert [ana.post("/join", data={"code": "ZZZZZZZZ"}).status_code for _ in range(3)] == [
        400,
        400,
        429,
    ]


def test_an_unreadable_allowance_stops_the_start(app_config):
    app_config["JOIN_CODE_FAILURES_PER_ADDRESS"] = "lots"
    with pytest.raises(ConfigError, match="PARLEY_JOIN_CODE_FAILURES_PER_ADDRESS must read like"):
        create_app(app_config)

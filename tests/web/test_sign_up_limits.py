"""Workshop-scale sign-up: sign-ups through a cohort's invitation (link or join code) are
limited per invitation in the database, others per address; a refused sign-up keeps what was
typed (never the password) and says when to try again."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from parley import create_app
from parley.config import ConfigError
from parley.extensions import db
from parley.models import Cohort, Membership, User, utcnow
from tests.factories import PASSWORD, create_account, make_cohort, text_of, texts

PER_ADDRESS = "Too many sign-ups from this network. Try again in {}."
PER_INVITATION = "Too many sign-ups through this invitation. Try again in {}."
NO_SUCH_CODE = "No cohort has that code. Check it with your instructor."


@pytest.fixture
def limited(app_config):
    """Rate limits on, small enough to reach in a test."""
    app_config.update(
        RATELIMIT_ENABLED=True,
        REGISTER_LIMITS="3 per hour",
        SIGN_UPS_PER_INVITATION="5 per 15 minutes",
        JOIN_CODE_FAILURES_PER_ADDRESS="3 per 15 minutes",
    )
    return create_app(app_config)


def cohort_of(app, **extra):
    """A cohort owned by a new instructor: (id, invitation token, join code)."""
    owner = create_account(app, f"owner{extra.pop('n', '')}@example.com", role="instructor")
    made = make_cohort(app, owner, **extra)
    with app.app_context():
        code = db.session.get(Cohort, made.id).join_code
    return made.id, made.invite_token, code


def sign_up(app, n: int, **extra):
    """One sign-up in a new browser, as a new person from the same address."""
    data = {"name": f"Person {n}", "email": f"p{n}@example.com", "password": PASSWORD, **extra}
    return app.test_client().post(f"/register?join={extra.get('join', '')}", data=data)


def members(app, cohort_id: int) -> int:
    with app.app_context():
        query = select(func.count()).where(Membership.cohort_id == cohort_id)
        return db.session.scalar(query)


def accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def field_value(page: str, name: str) -> str | None:
    """The value attribute of the input with this name, None if it has none."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag is not None, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_anonymous_sign_ups_stay_limited_per_address_and_the_form_comes_back_filled(limited):
    codes = [sign_up(limited, n).status_code for n in range(3)]
    refused = sign_up(limited, 3)
    assert codes == [302, 302, 302]
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3601
    assert text_of(refused.text, "form p.form-error") == PER_ADDRESS.format("60 minutes")
    assert field_value(refused.text, "name") == "Person 3"
    assert field_value(refused.text, "email") == "p3@example.com"
    assert field_value(refused.text, "password") in (None, "")
    assert PASSWORD not in refused.text
    assert accounts(limited) == 3


def test_a_room_of_200_signs_up_through_one_invitation_from_one_address(app_config):
    """The default allowance; the per-address limit (10 an hour) does not apply."""
    app_config.update(RATELIMIT_ENABLED=True)
    app = create_app(app_config)
    cohort_id, token, _ = cohort_of(app)
    codes = [sign_up(app, n, join=token).status_code for n in range(200)]
    assert codes == [302] * 200
    assert members(app, cohort_id) == 200
    assert sign_up(app, 200).status_code == 302  # anonymous: its own allowance, unused


def test_the_invitation_allowance_is_refused_with_the_form_kept(limited):
    cohort_id, token, _ = cohort_of(limited)
    codes = [sign_up(limited, n, join=token).status_code for n in range(5)]
    refused = sign_up(limited, 5, join=token)
    assert codes == [302] * 5
    assert refused.status_code == 429
    assert 890 < int(refused.headers["Retry-After"]) <= 900
    assert text_of(refused.text, "form p.form-error") == PER_INVITATION.format("15 minutes")
    assert field_value(refused.text, "name") == "Person 5"
    assert field_value(refused.text, "email") == "p5@example.com"
    assert field_value(refused.text, "join") == token
    assert field_value(refused.text, "password") in (None, "")
    assert PASSWORD not in refused.text
    assert members(limited, cohort_id) == 5
    assert sign_up(limited, 6).status_code == 302  # the address's own allowance is untouched


def test_each_invitation_has_its_own_allowance(limited):
    _, first, _ = cohort_of(limited, n=1)
    other_id, second, _ = cohort_of(limited, n=2)
    assert [sign_up(limited, n, join=first).status_code for n in range(6)][-1] == 429
    assert sign_up(limited, 10, join=second).status_code == 302
    assert members(limited, other_id) == 1


def test_sign_ups_leave_the_count_when_their_window_has_passed(limited):
    cohort_id, token, _ = cohort_of(limited)
    for n in range(5):
        sign_up(limited, n, join=token)
    with limited.app_context():
        # the two oldest sign-ups were 16 and 10 minutes ago
        for email, ago in (("p0@example.com", 16), ("p1@example.com", 10)):
            when = utcnow() - timedelta(minutes=ago)
            db.session.execute(update(User).where(User.email == email).values(created_at=when))
            user_id = db.session.scalar(select(User.id).where(User.email == email))
            db.session.execute(
                update(Membership).where(Membership.user_id == user_id).values(joined_at=when)
            )
        db.session.commit()
    assert sign_up(limited, 5, join=token).status_code == 302
    refused = sign_up(limited, 6, join=token)
    assert refused.status_code == 429
    # the next to leave is the one from 10 minutes ago: in 5 minutes
    assert 290 < int(refused.headers["Retry-After"]) <= 300
    assert text_of(refused.text, "form p.form-error") == PER_INVITATION.format("5 minutes")


def test_failed_sign_ups_use_up_nothing_of_the_invitation(limited):
    cohort_id, token, _ = cohort_of(limited)
    create_account(limited, "taken@example.com")
    for _ in range(6):
        answer = limited.test_client().post(
            "/register",
            data={"name": "T", "email": "taken@example.com", "password": PASSWORD, "join": token},
        )
        assert answer.status_code == 400
    assert [sign_up(limited, n, join=token).status_code for n in range(5)] == [302] * 5


def test_a_closed_cohorts_invitation_counts_per_address(limited):
    cohort_id, token, _ = cohort_of(limited)
    with limited.app_context():
        db.session.execute(update(Cohort).values(joining_open=False))
        db.session.commit()
    codes = [sign_up(limited, n, join=token).status_code for n in range(3)]
    refused = sign_up(limited, 3, join=token)
    assert codes == [302, 302, 302]
    assert refused.status_code == 429
    assert text_of(refused.text, "form p.form-error") == PER_ADDRESS.format("60 minutes")
    assert members(limited, cohort_id) == 0


def test_workers_sharing_the_database_share_the_invitation_count(limited, app_config):
    cohort_id, token, _ = cohort_of(limited)
    other_worker = create_app(app_config)
    for n in range(3):
        assert sign_up(limited, n, join=token).status_code == 302
    for n in range(3, 5):
        assert sign_up(other_worker, n, join=token).status_code == 302
    assert sign_up(limited, 5, join=token).status_code == 429
    assert sign_up(other_worker, 6, join=token).status_code == 429


# --- The join code on the sign-up form --------------------------------------------------------


def test_the_sign_up_form_takes_a_join_code_and_joins_its_cohort(limited):
    cohort_id, token, code = cohort_of(limited, name="Autumn workshop")
    page = limited.test_client().get("/register").text
    assert "Join code (optional)" in page
    by_link = limited.test_client().get(f"/register?join={token}").text
    assert "Join code (optional)" not in by_link  # the link already says which cohort
    client = limited.test_client()
    answer = client.post(
        "/register",
        data={"name": "Ana", "email": "ana@example.com", "password": PASSWORD, "code": code},
    )
    assert answer.status_code == 302
    assert members(limited, cohort_id) == 1
    assert "You joined “Autumn workshop”." in " ".join(
        texts(client.get("/dashboard").text, "p.flash")
    )


def test_a_join_code_is_read_in_any_case_and_with_spaces(limited):
    cohort_id, _, code = cohort_of(limited)
    typed = f" {code[:4].lower()} {code[4:].lower()} "
    assert sign_up(limited, 1, code=typed).status_code == 302
    assert members(limited, cohort_id) == 1


def test_sign_ups_by_join_code_count_against_that_invitation(limited):
    cohort_id, token, code = cohort_of(limited)
    codes = [sign_up(limited, n, code=code).status_code for n in range(3)]
    codes += [sign_up(limited, n, join=token).status_code for n in range(3, 6)]
    assert codes == [302] * 5 + [429]
    refused = sign_up(limited, 6, code=code)
    assert refused.status_code == 429
    assert text_of(refused.text, "form p.form-error") == PER_INVITATION.format("15 minutes")
    assert field_value(refused.text, "code") == code
    assert field_value(refused.text, "name") == "Person 6"


def test_the_join_code_query_parameter_fills_the_field(limited):
    _, _, code = cohort_of(limited)
    page = limited.test_client().get(f"/register?code={code}").text
    assert field_value(page, "code") == code


def test_a_wrong_join_code_creates_no_account_and_keeps_the_form(limited):
    answer = sign_up(limited, 1, code="ZZZZ-ZZZZ")
    assert answer.status_code == 400
    assert text_of(answer.text, "p.field-error") == NO_SUCH_CODE
    assert field_value(answer.text, "code") == "ZZZZ-ZZZZ"
    assert field_value(answer.text, "email") == "p1@example.com"
    assert accounts(limited) == 0


def test_wrong_join_codes_on_the_sign_up_form_are_throttled_per_address(limited):
    _, _, code = cohort_of(limited)
    codes = [sign_up(limited, n, code="ZZZZ-ZZZZ").status_code for n in range(3)]
    refused = sign_up(limited, 3, code=code)  # even the right one: refused unchecked
    assert codes == [400, 400, 400]
    assert refused.status_code == 429
    assert 890 < int(refused.headers["Retry-After"]) <= 900
    assert text_of(refused.text, "p.field-error") == (
        "Too many wrong join codes. Try again in 15 minutes."
    )
    assert accounts(limited) == 1  # the owner only


def test_a_bad_invitation_allowance_stops_the_start(app_config):
    app_config["SIGN_UPS_PER_INVITATION"] = "lots"
    with pytest.raises(ConfigError, match="PARLEY_SIGN_UPS_PER_INVITATION must read like"):
        create_app(app_config)


def test_a_bad_per_address_limit_stops_the_start(app_config):
    app_config["REGISTER_LIMITS"] = "often"
    with pytest.raises(ConfigError, match="REGISTER_LIMITS must read like '10 per hour'"):
        create_app(app_config)


def test_the_invitation_allowance_is_read_from_the_environment(app_config, monkeypatch):
    monkeypatch.setenv("PARLEY_SIGN_UPS_PER_INVITATION", "2 per minute")
    app = create_app(app_config)
    assert app.config["SIGN_UPS_PER_INVITATION"] == "2 per minute"

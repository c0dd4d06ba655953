"""#17 items 1-2: failed log-ins counted in the database, with OWASP's three rules, so a
guesser is slowed down and never locks the owner out; Flask-Limiter only caps requests."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from parley import create_app
from parley.accounts import lockout
from parley.accounts.failures import record_failure
from parley.config import ConfigError
from parley.extensions import db
from parley.models import FailedAttempt, utcnow
from tests.factories import PASSWORD, create_account, log_in

OWNER = "owner@example.com"
WRONG = "not the password"
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def guarded(app_config):
    """The shipped lock-out rules and Flask-Limiter's coarse limits, both on, as deployed."""
    app_config["RATELIMIT_ENABLED"] = True
    app = create_app(app_config)
    create_account(app, OWNER)
    return app


def try_login(app, email, password, address=HERE):
    return app.test_client().post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def failures(app, **where) -> int:
    query = select(func.count()).select_from(FailedAttempt)
    for column, value in where.items():
        query = query.where(getattr(FailedAttempt, column) == value)
    with app.app_context():
        return db.session.scalar(query)


def failed_before(app, ago: timedelta, times: int, address=HERE, email=OWNER) -> None:
    """Failures already counted, as if they had happened that long ago."""
    with app.app_context():
        for _ in range(times):
            record_failure(db.session, "login", address, email, now=utcnow() - ago)
        db.session.commit()


def refused_for(response) -> int:
    """The 429's Retry-After, once the page has been checked for the words that say why."""
    assert response.status_code == 429
    assert "Too many failed log-ins. You can try again in " in response.text
    return int(response.headers["Retry-After"])


def assert_refused_until_window_ends(response, window: int, started: float) -> None:
    """Refused until `window` seconds after the first counted failure, made after `started`
    (time.monotonic()): no sooner, however slow the machine, and no later."""
    assert window - (time.monotonic() - started) - 1 <= refused_for(response) <= window


def test_the_eleventh_try_from_one_address_is_refused_even_with_the_right_password(
    guarded, monkeypatch
):
    started = time.monotonic()
    codes = [try_login(guarded, OWNER, WRONG).status_code for _ in range(10)]
    assert codes == [400] * 10

    def never(*_args):
        raise AssertionError("a refused try must not check the password")

    monkeypatch.setattr(lockout, "authenticate", never)
    refused = try_login(guarded, OWNER, PASSWORD)
    assert_refused_until_window_ends(refused, 900, started)
    assert "Too many failed log-ins. You can try again in 15 minutes." in refused.text
    for _ in range(5):  # hammering a lock does not lengthen it
        assert try_login(guarded, OWNER, PASSWORD).status_code == 429
    assert failures(guarded, address=HERE, account=OWNER) == 10


@pytest.mark.parametrize("guesses", [30, 101])
def test_the_owner_logs_in_from_another_address_however_many_guesses(guarded, guesses):
    """Finding 2: 30 wrong passwords from one address locked the owner out everywhere."""
    for n in range(guesses):
        address = f"192.0.2.{n // 10 + 1}"  # ten from each address, the most one may try
        assert try_login(guarded, OWNER, WRONG, address).status_code == 400, n
    assert failures(guarded, account=OWNER) == guesses
    assert try_login(guarded, OWNER, PASSWORD, ELSEWHERE).status_code == 302


def test_an_address_is_refused_after_fifty_failures_on_any_accounts(guarded):
    started = time.monotonic()
    codes = [try_login(guarded, f"u{n}@example.com", WRONG).status_code for n in range(50)]
    assert codes == [400] * 50
    refused = try_login(guarded, OWNER, PASSWORD)
    assert_refused_until_window_ends(refused, 3600, started)
    assert "You can try again in 60 minutes." in refused.text
    assert try_login(guarded, OWNER, PASSWORD, ELSEWHERE).status_code == 302


def test_an_account_under_attack_lets_each_guessing_address_try_once_a_minute(guarded):
    for n in range(98):
        failed_before(guarded, timedelta(minutes=30), 1, address=f"10.0.{n}.1")
    failed_before(guarded, timedelta(seconds=30), 1, address=HERE)
    failed_before(guarded, timedelta(minutes=2), 1, address="10.1.0.2")
    assert failures(guarded, account=OWNER) == 100  # at the allowance, not above it
    assert try_login(guarded, OWNER, WRONG).status_code == 400  # HERE tries freely
    assert failures(guarded, account=OWNER) == 101  # now above it: under attack

    refused = try_login(guarded, OWNER, PASSWORD)  # HERE failed a moment ago
    assert 55 <= refused_for(refused) <= 60
    assert "You can try again in 1 minute." in refused.text
    assert try_login(guarded, OWNER, WRONG, "10.1.0.2").status_code == 400  # 2 minutes ago
    assert try_login(guarded, OWNER, PASSWORD, "10.1.0.2").status_code == 429  # and now
    assert try_login(guarded, OWNER, WRONG, ELSEWHERE).status_code == 400  # no failures yet
    assert try_login(guarded, OWNER, WRONG, ELSEWHERE).status_code == 429
    assert try_login(guarded, OWNER, PASSWORD, "10.9.9.9").status_code == 302  # the owner
    assert try_login(guarded, "other@example.com", WRONG).status_code == 400  # other accounts


def test_the_wait_says_when_the_oldest_counted_failure_leaves_the_window(guarded):
    failed_before(guarded, timedelta(minutes=14, seconds=30), 10)
    refused = try_login(guarded, OWNER, PASSWORD)
    assert 29 <= refused_for(refused) <= 30
    assert "You can try again in 30 seconds." in refused.text


def fail_on_other_accounts(app, ago: timedelta) -> None:
    for n in range(50):
        failed_before(app, ago, 1, email=f"u{n}@example.com")


def fail_from_everywhere(app, ago: timedelta) -> None:
    for n in range(101):
        failed_before(app, ago, 1, address=f"10.2.{n}.1")
    failed_before(app, timedelta(seconds=30), 1)  # HERE too, a moment ago


WINDOWS = {
    "per account and address": (
        timedelta(minutes=15),
        lambda app, ago: failed_before(app, ago, 10),
    ),
    "per address": (timedelta(hours=1), fail_on_other_accounts),
    "per account": (timedelta(hours=1), fail_from_everywhere),
}


@pytest.mark.parametrize("rule", WINDOWS)
def test_failures_count_only_inside_their_window(guarded, rule):
    window, fail = WINDOWS[rule]
    fail(guarded, window + timedelta(minutes=1))
    assert try_login(guarded, OWNER, PASSWORD).status_code == 302  # checks, never prunes
    fail(guarded, window - timedelta(minutes=1))
    assert try_login(guarded, OWNER, PASSWORD).status_code == 429


def test_a_successful_log_in_forgets_that_address_failures_for_that_account(guarded):
    failed_before(guarded, timedelta(minutes=1), 9)
    failed_before(guarded, timedelta(minutes=1), 3, address=ELSEWHERE)
    failed_before(guarded, timedelta(minutes=1), 4, email="other@example.com")
    assert try_login(guarded, OWNER, PASSWORD).status_code == 302
    assert failures(guarded, address=HERE, account=OWNER) == 0
    assert failures(guarded, address=ELSEWHERE, account=OWNER) == 3
    assert failures(guarded, address=HERE, account="other@example.com") == 4
    codes = [try_login(guarded, OWNER, WRONG).status_code for _ in range(11)]
    assert codes == [400] * 10 + [429]


def test_known_and_unknown_emails_get_identical_answers(guarded):
    def answers(email):
        started = time.monotonic()
        responses = [try_login(guarded, email, WRONG) for _ in range(11)]
        assert_refused_until_window_ends(responses[-1], 900, started)
        return [(r.status_code, r.text.replace(email, "EMAIL")) for r in responses]

    known, unknown = answers(OWNER), answers("nobody@example.com")
    assert known == unknown
    assert [status for status, _ in unknown] == [400] * 10 + [429]
    assert "Too many failed log-ins. You can try again in 15 minutes." in unknown[-1][1]
    assert failures(guarded, account="nobody@example.com") == 10


def test_emails_count_in_any_case(guarded):
    failed_before(guarded, timedelta(minutes=1), 10)
    assert try_login(guarded, "  OWNER@Example.com ", PASSWORD).status_code == 429


def test_wrong_current_passwords_count_as_failed_log_ins(guarded):
    learner = log_in(guarded, OWNER)
    here = "127.0.0.1"  # log_in's address: strong session protection ends a moved session

    def change(current):
        return learner.post(
            "/account/password",
            data={
                "current": current,
                "new": "a new long passphrase",
                "confirm": "a new long passphrase",
            },
            environ_base={"REMOTE_ADDR": here},
        )

    started = time.monotonic()
    assert [change(WRONG).status_code for _ in range(10)] == [400] * 10
    refused = change(PASSWORD)
    assert_refused_until_window_ends(refused, 900, started)
    assert try_login(guarded, OWNER, PASSWORD, here).status_code == 429
    assert try_login(guarded, OWNER, PASSWORD, ELSEWHERE).status_code == 302


def test_recording_a_failure_prunes_what_no_window_counts(guarded):
    failed_before(guarded, timedelta(minutes=61), 3, address=ELSEWHERE)
    failed_before(guarded, timedelta(minutes=59), 2, address=ELSEWHERE)
    assert try_login(guarded, OWNER, WRONG).status_code == 400
    assert failures(guarded, address=ELSEWHERE) == 2
    assert failures(guarded, address=HERE) == 1


def test_the_coarse_limit_counts_every_log_in_post_whatever_its_outcome(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_LIMITS="3 per minute")
    app = create_app(app_config)
    create_account(app, OWNER)
    codes = [try_login(app, OWNER, PASSWORD).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert try_login(app, OWNER, PASSWORD, ELSEWHERE).status_code == 302


@pytest.mark.parametrize("value", ["lots", "0 per hour", ""])
def test_a_lockout_setting_that_cannot_be_read_stops_the_start(app_config, value):
    app_config["LOGIN_FAILURES_PER_ADDRESS"] = value
    with pytest.raises(ConfigError) as error:
        create_app(app_config)
    assert (
        f"PARLEY_LOGIN_FAILURES_PER_ADDRESS must read like '10 per 15 minutes' (at least "
        f"1), not {value!r}" == str(error.value)
    )

"""parley.accounts.sessions: stored sessions (#17 item 3) and how a browser is named."""

from __future__ import annotations

import hashlib

import pytest

from parley.accounts.sessions import (
    browser_name,
    end_all_sessions,
    end_other_sessions,
    end_session,
    find_session,
    start_session,
)
from parley.extensions import db
from tests.factories import create_account


def test_a_session_stores_the_hash_of_its_token_never_the_token(app):
    pat = create_account(app, "pat@example.com")
    with app.app_context():
        token = start_session(db.session, pat, "x" * 300)
        row = find_session(db.session, pat, token)
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.token_hash, row.user_agent)
        assert row.user_agent == "x" * 200
        assert row.created_at == row.last_seen_at


def test_a_token_opens_only_its_own_accounts_session(app):
    pat = create_account(app, "pat@example.com")
    sam = create_account(app, "sam@example.com")
    with app.app_context():
        token = start_session(db.session, pat, "")
        assert find_session(db.session, sam, token) is None
        end_session(db.session, sam, token)
        assert find_session(db.session, pat, token) is not None
        end_session(db.session, pat, token)
        assert find_session(db.session, pat, token) is None


def test_ending_the_others_keeps_the_one_named_and_other_accounts(app):
    pat = create_account(app, "pat@example.com")
    sam = create_account(app, "sam@example.com")
    with app.app_context():
        laptop, phone, tablet = (start_session(db.session, pat, "") for _ in range(3))
        sams = start_session(db.session, sam, "")
        assert end_other_sessions(db.session, pat, laptop) == 2
        assert [find_session(db.session, pat, t) is None for t in (laptop, phone, tablet)] == [
            False,
            True,
            True,
        ]
        assert end_all_sessions(db.session, pat) == 1
        assert find_session(db.session, pat, laptop) is None
        assert find_session(db.session, sam, sams) is not None


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64)", "A browser on Linux"),
        ("Werkzeug/3.1", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_a_browser_is_named_in_a_few_words(user_agent, name):
    assert browser_name(user_agent) == name

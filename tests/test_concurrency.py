"""50 concurrent quiz submissions against gunicorn (the shipped gunicorn.conf.py) on loopback:
none lost, none a 500."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from parley.extensions import db
from parley.models import Answer, Attempt
from tests.factories import (
    PASSWORD,
    QUIZ_URL,
    RIGHT_ANSWERS,
    create_account,
    served_by_gunicorn,
)

LEARNERS = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that reports redirects instead of following them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode()


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}"(?: type="hidden")? value="([^"]+)"', page).group(1)


@pytest.fixture
def server(quiz_app, app_config, tmp_path):
    """Gunicorn with the shipped settings and four workers, serving the test quiz from
    quiz_app's database, where 50 learners have accounts."""
    for n in range(LEARNERS):
        create_account(quiz_app, f"c{n}@example.com")
    with served_by_gunicorn(
        app_config["DATABASE_URL"],
        tmp_path,
        "--graceful-timeout",
        "5",
        workers=4,
        PARLEY_QUIZZES_DIR=str(quiz_app.config["QUIZZES_DIR"]),
    ) as running:
        yield running.base
    assert "Traceback" not in running.log.read_text()


def test_fifty_concurrent_submissions_lose_nothing_and_never_fail(server, quiz_app):
    browsers, forms = [], []
    for n in range(LEARNERS):
        browser = Browser(server)
        page = browser.request("/login")[1]
        status, _ = browser.request(
            "/login",
            {
                "csrf_token": hidden(page, "csrf_token"),
                "email": f"c{n}@example.com",
                "password": PASSWORD,
            },
        )
        assert status == 302
        quiz_page = browser.request(QUIZ_URL)[1]
        forms.append(
            {
                **RIGHT_ANSWERS,
                "csrf_token": hidden(quiz_page, "csrf_token"),
                "quiz_version": hidden(quiz_page, "quiz_version"),
                "submission": hidden(quiz_page, "submission"),
            }
        )
        browsers.append(browser)

    barrier = threading.Barrier(LEARNERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def submit(index: int) -> None:
        barrier.wait(timeout=30)
        codes = [browsers[index].request(QUIZ_URL, forms[index])[0]]
        if index % 5 == 0:  # a double click
            codes.append(browsers[index].request(QUIZ_URL, forms[index])[0])
        with lock:
            statuses.extend(codes)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(LEARNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(statuses) == LEARNERS + LEARNERS // 5
    assert set(statuses) == {303}, statuses
    with quiz_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == LEARNERS
        assert db.session.scalar(select(func.count()).select_from(Answer)) == LEARNERS * 5

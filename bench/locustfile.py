"""Load scenarios for `make bench`; each run selects one with --tags.

A paired scenario alternates, every BENCH_PHASE seconds, between the baseline route and the
page it measures, so both see the same machine: a drift in its speed cancels out of the ratio.
"""

import itertools
import os
import re
import secrets
import time
from urllib.parse import urlencode

from locust import FastHttpUser, between, tag, task

QUIZ = "/courses/impasse/quizzes/walkouts"
LESSON = "/courses/impasse/lessons/reading-a-walkout"
ANSWERS = os.environ.get("BENCH_ANSWERS", "")
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE", "1"))
WARM_UP_SECONDS = float(os.environ.get("BENCH_WARM_UP", "2"))
PHASE_PAIRS = int(os.environ.get("BENCH_PHASE_PAIRS", "8"))
FIRST_LEARNER = int(os.environ.get("BENCH_FIRST_LEARNER", "0"))  # each scenario its own learners
_numbers = itertools.count()
_epoch = time.monotonic()


def phase() -> str:
    """Return the phase now: warm-up, then baseline and page by turns, then cool-down."""
    elapsed = time.monotonic() - _epoch - WARM_UP_SECONDS
    if elapsed < 0:
        return "warm-up"
    number = int(elapsed / PHASE_SECONDS)
    if number >= 2 * PHASE_PAIRS:
        return "cool-down"
    return "baseline" if number % 2 == 0 else "page"


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}"(?: type="hidden")? value="([^"]+)"', page).group(1)


class Learner(FastHttpUser):
    wait_time = between(0, 0)
    # One connection per request, as gunicorn sees them behind nginx (docs/operations.md),
    # which opens a new upstream connection for each request unless told to keep them.
    default_headers = {"Connection": "close"}

    def on_start(self):
        role = os.environ.get("BENCH_ROLE", "learner")
        email = (
            "instructor@bench.example"
            if role == "instructor"
            else f"learner{(FIRST_LEARNER + next(_numbers)) % 500}@bench.example"
        )
        page = self.client.get("/login").text
        self.client.post(
            "/login",
            data={
                "email": email,
                "password": "bench-password-123",
                "csrf_token": hidden(page, "csrf_token"),
            },
            allow_redirects=False,
        )
        quiz = self.client.get(QUIZ).text
        self.csrf = hidden(quiz, "csrf_token")
        self.version = hidden(quiz, "quiz_version")

    def baseline(self) -> bool:
        """Send the baseline request instead outside page phases; say whether it did."""
        now = phase()
        if now == "page":
            return False
        self.client.get("/ping", name=now)  # warm-up and cool-down are left out of the figures
        return True

    @tag("lesson")
    @task
    def lesson(self):
        if not self.baseline():
            self.client.get(LESSON, name="lesson page")

    @tag("quiz")
    @task
    def quiz(self):
        if not self.baseline():
            self.client.get(QUIZ, name="quiz page")

    @tag("submit")
    @task
    def submit(self):
        if self.baseline():
            return
        body = (
            ANSWERS
            + "&"
            + urlencode(
                {
                    "csrf_token": self.csrf,
                    "quiz_version": self.version,
                    "submission": secrets.token_urlsafe(18),
                }
            )
        )
        self.client.post(
            QUIZ,
            data=body,
            allow_redirects=False,
            name="quiz submission",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    @tag("dashboard")
    @task
    def dashboard(self):
        if not self.baseline():
            self.client.get("/dashboard", name="learner dashboard")

    @tag("instructor")
    @task
    def instructor(self):
        self.client.get("/instructor/cohorts/1", name="instructor dashboard (500 learners)")

"""Load scenarios for `make bench`; each run selects one with --tags."""

import itertools
import os
import re
import secrets
from urllib.parse import urlencode

from locust import FastHttpUser, between, tag, task

QUIZ = "/courses/impasse/quizzes/walkouts"
LESSON = "/courses/impasse/lessons/reading-a-walkout"
ANSWERS = os.environ.get("BENCH_ANSWERS", "")
_numbers = itertools.count()


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}"(?: type="hidden")? value="([^"]+)"', page).group(1)


class Learner(FastHttpUser):
    wait_time = between(0, 0)

    def on_start(self):
        role = os.environ.get("BENCH_ROLE", "learner")
        email = (
            "instructor@bench.example"
            if role == "instructor"
            else f"learner{next(_numbers) % 500}@bench.example"
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

    @tag("baseline")
    @task
    def baseline(self):
        self.client.get("/ping", name="baseline")

    @tag("lesson")
    @task
    def lesson(self):
        self.client.get(LESSON, name="lesson page")

    @tag("quiz")
    @task
    def quiz(self):
        self.client.get(QUIZ, name="quiz page")

    @tag("submit")
    @task
    def submit(self):
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
        self.client.get("/dashboard", name="learner dashboard")

    @tag("instructor")
    @task
    def instructor(self):
        self.client.get("/instructor/cohorts/1", name="instructor dashboard (500 learners)")

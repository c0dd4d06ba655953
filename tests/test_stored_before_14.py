"""Attempts stored before issue #14 reshaped the code read the same after it.

tests/data/stored_before_14/ holds rows that the code of commit a083f6c stored (three learners'
attempts at a quiz of every kind, a cohort, lesson progress), and the review pages, readiness
grid and exports that code showed of them, rendered with the shipped courses. Those pages also
show the course's modules and lessons, so an edit to the shipped walkouts or what-is-impasse
modules changes them: then regenerate the pages with the code of that commit.
"""

from __future__ import annotations

import json
import re

import pytest
from alembic import command

from parley import create_app
from parley.cli import alembic_config
from tests.factories import STORED_BEFORE_14, insert_rows, log_in, stored_rows, text_of

PASSWORD = "correct horse battery"  # the accounts in the stored rows have this password
COHORT = 1


def visible_text(page: str) -> str:
    """The words a reader sees inside <main>, one space between them."""
    return text_of(page, "main")


def golden(name: str) -> str:
    return (STORED_BEFORE_14 / name).read_bytes().decode("utf-8")


@pytest.fixture
def stored_app(unmigrated_database, app_config):
    """The shipped content over a database that holds the stored rows, migrated to head."""
    command.upgrade(alembic_config(unmigrated_database), "0003")
    insert_rows(unmigrated_database, stored_rows())
    command.upgrade(alembic_config(unmigrated_database), "head")
    return create_app({**app_config, "DATABASE_URL": unmigrated_database})


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/courses/impasse/quizzes/walkouts/attempts/1", "review-first.html"),
        ("/courses/impasse/quizzes/walkouts/attempts/2", "review-second.html"),
    ],
)
def test_a_learner_reviews_a_stored_attempt_as_before(stored_app, path, page):
    shown = log_in(stored_app, "ana@example.com", PASSWORD).get(path)
    assert shown.status_code == 200
    assert visible_text(shown.text) == visible_text(golden(page))


def test_an_instructor_reviews_a_stored_attempt_as_before(stored_app):
    path = f"/instructor/cohorts/{COHORT}/learners/2/attempts/3"
    shown = log_in(stored_app, "tess@example.com", PASSWORD).get(path)
    assert visible_text(shown.text) == visible_text(golden("instructor-attempt.html"))


def test_the_readiness_grid_reads_as_before(stored_app):
    shown = log_in(stored_app, "tess@example.com", PASSWORD).get(f"/instructor/cohorts/{COHORT}")
    assert visible_text(shown.text) == visible_text(golden("grid.html"))


@pytest.mark.parametrize("export", ["matrix.csv", "answers.csv"])
def test_the_csv_exports_are_as_before(stored_app, export):
    shown = log_in(stored_app, "tess@example.com", PASSWORD).get(
        f"/instructor/cohorts/{COHORT}/export/{export}"
    )
    assert shown.text == golden(export)


def test_the_xapi_export_is_as_before(stored_app):
    shown = log_in(stored_app, "tess@example.com", PASSWORD).get(
        f"/instructor/cohorts/{COHORT}/export/xapi.json"
    )
    assert json.loads(shown.text) == json.loads(golden("xapi.json"))
    assert re.search(r'"response": "walk\[,\]walk-win-lose"', shown.text)

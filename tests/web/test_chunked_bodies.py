"""#17 finding 10: a body sent without a Content-Length (chunked, as gunicorn passes it on) is
held to the 256 KiB limit: refused whole with 413, never cut off at the limit and stored."""

import io
import urllib.parse

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from parley.extensions import db
from parley.models import Attempt
from tests.factories import QUIZ_URL, RIGHT_ANSWERS, form_fields, signed_in


def post_chunked(client, path: str, fields: dict):
    """POST fields as gunicorn hands on a chunked body: no Content-Length, input terminated."""
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    environ = EnvironBuilder(
        path=path,
        method="POST",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input_terminated": True},
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    return client.open(Request(environ))  # a dict would have its Content-Length put back


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attempt))


def quiz_form(client) -> dict:
    return {**form_fields(client.get(QUIZ_URL).text), **RIGHT_ANSWERS}


def test_an_oversized_chunked_quiz_is_refused_whole_and_nothing_is_stored(quiz_app):
    client = signed_in(quiz_app, "pat@example.com")
    response = post_chunked(client, QUIZ_URL, {**quiz_form(client), "z": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert "The request was larger than 256 KiB, so nothing was saved." in response.text
    assert response.headers["Connection"] == "close"
    assert attempts(quiz_app) == 0


def test_a_chunked_quiz_under_the_limit_is_read_whole_and_stored(quiz_app):
    client = signed_in(quiz_app, "pat@example.com")
    response = post_chunked(client, QUIZ_URL, {**quiz_form(client), "z": "a" * (200 * 1024)})
    assert response.status_code == 303
    assert attempts(quiz_app) == 1

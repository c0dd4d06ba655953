"""Request bodies sent without a Content-Length (chunked) are held to MAX_CONTENT_LENGTH too.

Werkzeug stops reading such a body at the limit and parses what it read, so an oversized
chunked form was cut off and stored. Here the body is read whole, up to one byte past the
limit, before anything parses it: over the limit is a 413, under it a complete body.
"""

from __future__ import annotations

import io
from typing import IO

from flask import Flask, Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property

READ_SIZE = 64 * 1024


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The whole stream, or RequestEntityTooLarge as soon as it is longer than limit."""
    body = bytearray()
    while True:
        piece = stream.read(min(READ_SIZE, limit + 1 - len(body)))
        if not piece:
            return bytes(body)
        body.extend(piece)
        if len(body) > limit:
            raise RequestEntityTooLarge(
                f"The request was larger than {limit // 1024} KiB, so nothing was saved."
            )


class BoundedRequest(Request):
    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        unsized = self.content_length is None and "wsgi.input_terminated" in self.environ
        if limit is None or not unsized:
            return super().stream
        return io.BytesIO(read_at_most(self.environ["wsgi.input"], limit))


def close_after_refusal(response):
    """An unread body follows a 413: end the connection rather than read it to the end."""
    if response.status_code == 413:
        response.headers["Connection"] = "close"
    return response


def bound_request_bodies(app: Flask) -> None:
    app.request_class = BoundedRequest
    app.after_request(close_after_refusal)

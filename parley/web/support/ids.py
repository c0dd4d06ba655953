"""Ids in URLs: an `int` path segment matches only a value a table's id column can hold.

Every table's id is an INTEGER (32-bit on PostgreSQL), so a larger number in a URL cannot
name a row. Without this bound it reached the database: SQLite raised OverflowError and
PostgreSQL "integer out of range", both a 500; now the URL does not match and the answer is
the 404 page.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` bounded to the ids the tables can hold (0 to LARGEST_ID)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def register_id_converter(app: Flask) -> None:
    """Make `int` in every route this bounded converter; call before the blueprints."""
    app.url_map.converters["int"] = IdConverter

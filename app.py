"""Entry point: `flask --app app run`, or `gunicorn -c gunicorn.conf.py`, which builds the app
with create_app() once, before its workers start."""

import sys

from parley import create_app as build_app
from parley.config import ConfigError
from parley.content import ContentInvalid


def create_app():
    """Build the app; on bad content or configuration, print why and exit 1."""
    try:
        return build_app()
    except (ContentInvalid, ConfigError) as exc:
        sys.exit(f"Parley cannot start.\n{exc}")

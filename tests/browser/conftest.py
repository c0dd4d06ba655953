"""A live Parley server and Debian's Chromium driven by Playwright (no browser download).

Where Chromium or axe-core is missing the browser tests are skipped with the reason;
with PARLEY_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading

import pytest
from alembic import command
from werkzeug.serving import make_server

from parley import create_app
from parley.cli import alembic_config
from parley.db import Database
from tests.browser.support import ARGS, AXE, CHROMIUM, closing_even_when_dropped
from tests.factories import POSTGRES_URL, empty_postgres_tables


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed (/usr/bin/chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if not AXE.exists():
        return "axe-core is not installed (run make test with npm available)"
    return None


@pytest.fixture(scope="session")
def browser_available():
    reason = _missing()
    if reason and os.environ.get("PARLEY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but {reason}")
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def live_server(browser_available, tmp_path_factory, migrated_template):
    """Serve the real content on a free loopback port from a fresh database."""
    folder = tmp_path_factory.mktemp("live")
    if POSTGRES_URL:
        empty_postgres_tables(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        shutil.copy(migrated_template, folder / "parley.db")
        url = f"sqlite:///{folder / 'parley.db'}"
        command.upgrade(alembic_config(url), "head")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, closing_even_when_dropped(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    Database.engine(app).dispose()
    if POSTGRES_URL:
        empty_postgres_tables(POSTGRES_URL)


@pytest.fixture(scope="session")
def chromium(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """Open pages in fresh contexts: new_page(width=1280, scheme="light")."""
    contexts = []

    def make(width: int = 1280, scheme: str = "light", bypass_csp: bool = False):
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=bypass_csp
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()

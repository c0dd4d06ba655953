"""A live Parley server and Debian's Chromium driven by Playwright (no browser download).

Where Chromium or axe-core is missing the browser tests are skipped with the reason;
with PARLEY_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack

import pytest
from alembic import command

from parley import create_app
from parley.cli import alembic_config
from tests.browser.support import ARGS, AXE, CHROMIUM, SETTINGS, serving
from tests.factories import POSTGRES_URL, empty_postgres_tables, smtp_server


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
    app = create_app({**SETTINGS, "DATABASE_URL": url})
    with serving(app) as base:
        yield app, base
    if POSTGRES_URL:
        empty_postgres_tables(POSTGRES_URL)


@pytest.fixture
def live_site(browser_available, tmp_path, migrated_template):
    """Start a live Parley of this test's own, from a fresh database (the same PostgreSQL
    database as live_server's when testing on it): live_site(**config) -> (app, base URL);
    config adds to or overrides the usual settings."""
    with ExitStack() as stack:

        def start(**config):
            if POSTGRES_URL:
                url = POSTGRES_URL
            else:
                shutil.copy(migrated_template, tmp_path / "parley.db")
                url = f"sqlite:///{tmp_path / 'parley.db'}"
            app = create_app({**SETTINGS, "DATABASE_URL": url, **config})
            return app, stack.enter_context(serving(app))

        yield start


@pytest.fixture
def mail_server(live_site):
    """A live Parley of this test's own that sends its mail to a loopback SMTP server:
    (app, base URL, smtp)."""
    with smtp_server() as smtp:
        app, base = live_site(MAIL_URL=smtp.url, MAIL_FROM="Parley <parley@example.org>")
        yield app, base, smtp


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

"""What the browser tests share: where Chromium and axe-core are, the page widths, how to
answer a quiz, take a screenshot or run axe in a page, and how to serve an app on loopback
(not fixtures: those are in conftest)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from parley.config import PROJECT_ROOT
from parley.db import Database
from parley.grading import derive

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = {"phone": 375, "desktop": 1280}
PASSWORD = "a long browser password"
SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "browser-tests",
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}  # a live server's, with its DATABASE_URL


def register(page, base: str, name: str, email: str) -> None:
    """Sign up through the form, as a visitor would."""
    page.goto(base + "/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def login(page, base: str, email: str) -> None:
    """Log in through the form with the browser tests' password."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; return serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str, full_page: bool = True) -> None:
    """Write a screenshot into test-artifacts/screenshots/ (the README tour's come from here)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def _option_input(page, name: str, value: str):
    return page.locator(f'input[name="{name}"][value="{value}"]')


def answer_quiz(page, quiz, book, wrong: int = 0, keyboard: bool = False) -> None:
    """Answer every question on the open quiz page (the first `wrong` best-move ones wrongly)."""
    made_wrong = 0
    for question in quiz.questions:
        key = derive(book, question)
        name = f"q-{question.id}"
        if question.kind == "best":
            choice = key.answer[0]
            if made_wrong < wrong:
                # A move the rule book does not call sound here: no second-best credit.
                unsound = [
                    o.strategy_id
                    for o in question.options
                    if key.outcomes[o.strategy_id].status not in ("recommended", "acceptable")
                ]
                choice = (
                    unsound or [o.strategy_id for o in question.options if o.strategy_id != choice]
                )[0]
                made_wrong += 1
            _choose(page, _option_input(page, name, choice), keyboard)
        elif question.kind == "all-that-apply":
            for strategy_id in key.answer:
                _choose(page, _option_input(page, name, strategy_id), keyboard)
        elif question.kind == "commit-or-walk":
            _choose(page, _option_input(page, f"{name}-decision", key.answer[0]), keyboard)
            if key.answer[0] == "walk":
                _choose(page, _option_input(page, f"{name}-reason", key.answer[1]), keyboard)
        elif question.kind == "order":
            for position, strategy_id in enumerate(key.answer, start=1):
                page.select_option(f"#{name}-{strategy_id}", str(position))
        elif question.kind == "diagnose":
            for fact, value in zip(question.diagnose, key.answer, strict=False):
                _choose(page, _option_input(page, f"{name}-{fact}", value), keyboard)
            _choose(page, _option_input(page, name, key.answer[-1]), keyboard)
        else:
            step = question.steps[0]
            for choice in key.answer:
                _choose(page, _option_input(page, f"{name}-{step.id}", choice), keyboard)
                option = next(o for o in step.options if o.strategy_id == choice)
                if option.next_step is None:
                    break
                page.locator(f'button[name="advance"][value="{question.id}"]').click()
                step = question.step(option.next_step)
    page.get_by_role("button", name="Submit answers").click()


def _choose(page, locator, keyboard: bool) -> None:
    if keyboard:
        locator.focus()
        locator.press("Space")
    else:
        locator.check()


def page_problems(page, name: str) -> dict:
    """Sideways scrolling at either width and serious axe violations, by page name."""
    problems = {}
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width_name}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems[f"{name} at {width}px"] = f"scrolls sideways by {overflow}px"
    violations = axe_violations(page)
    if violations:
        problems[name] = violations
    return problems


def closing_even_when_dropped(app):
    """The app for Werkzeug's development server, whose every response body is closed even
    when the browser drops the connection.

    When Chromium resets a connection (an aborted stylesheet download), the server's cleanup
    reads the socket and fails before it closes the body, so a static file stays open and
    pytest reports its ResourceWarning. This generator closes the body when it finishes, and
    when it is thrown away unfinished.
    """

    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve app on a free 127.0.0.1 port from a thread for the duration; yields its base URL.
    Afterwards the server is stopped and the app's connection pool closed."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, closing_even_when_dropped(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        Database.engine(app).dispose()

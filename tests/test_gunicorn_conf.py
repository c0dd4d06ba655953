"""gunicorn.conf.py (#17 findings 6 and 7): a production start that cannot work exits once with
its reason; silent and slow clients do not stall the server."""

from __future__ import annotations

import http.client
import runpy
import shutil
import socket
import subprocess
import time
from contextlib import ExitStack
from types import SimpleNamespace

import pytest

from parley.extensions import db
from tests.factories import (
    GUNICORN_CONF,
    POSTGRES_URL,
    free_port,
    gunicorn_command,
    production_environment,
    served_by_gunicorn,
)

START_SECONDS = 30  # a start that cannot work must have ended by then
ANSWER_SECONDS = 10  # a request must be answered within this, whoever else is connected


def shipped() -> dict:
    """The settings in gunicorn.conf.py, as gunicorn reads them (with this environment)."""
    return runpy.run_path(str(GUNICORN_CONF))


def start_once(env: dict[str, str], folder) -> tuple[int | None, str]:
    """Start gunicorn with the shipped settings; return its exit status (None if it was still
    running after START_SECONDS, then stopped) and everything it printed."""
    log = folder / "start.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            gunicorn_command(), cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            status = process.wait(timeout=START_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            status = None
    return status, log.read_text()


@pytest.mark.parametrize(
    ("secret_key", "reason"),
    [
        (None, "SECRET_KEY is required outside development"),
        ("x", "SECRET_KEY is too short or too simple for production"),
    ],
    ids=["no secret key", "a one-character secret key"],
)
def test_a_production_start_without_a_usable_secret_key_exits_once_with_the_reason(
    database_url, tmp_path, secret_key, reason
):
    env = production_environment(database_url, tmp_path, free_port())
    env.pop("PARLEY_SECRET_KEY", None)
    if secret_key is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = secret_key

    status, output = start_once(env, tmp_path)

    assert status == 1, f"still running after {START_SECONDS} s:\n{output[-2000:]}"
    assert f"Parley cannot start.\n{reason}" in output
    assert output.count("Booting worker") == 0
    assert "Traceback" not in output


# --- Liveness: one gunicorn, started with the shipped settings, serves the tests below ------


@pytest.fixture(scope="module")
def server(migrated_template, tmp_path_factory):
    """The shipped settings with two workers, on a migrated database."""
    folder = tmp_path_factory.mktemp("gunicorn")
    url = POSTGRES_URL
    if url is None:
        shutil.copy(migrated_template, folder / "parley.db")
        url = f"sqlite:///{folder / 'parley.db'}"
    with served_by_gunicorn(url, folder, workers=2) as running:
        yield running
    log = running.log.read_text()
    assert "Traceback" not in log
    assert "[ERROR]" not in log


def hold_connections(stack: ExitStack, port: int, count: int, first_bytes: bytes) -> None:
    """Open count connections that send first_bytes (maybe nothing) and then wait."""
    for _ in range(count):
        connection = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
        if first_bytes:
            connection.sendall(first_bytes)


def seconds_to_answer(port: int, path: str = "/ping") -> tuple[int, float]:
    """GET path on a new connection; return the status and how long it took."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=START_SECONDS * 2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.monotonic() - started


SLOW_STARTS = {
    "silent": b"",
    "half a request line": b"GET /pi",
    "headers unfinished": b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n",
}


@pytest.mark.parametrize("first_bytes", SLOW_STARTS.values(), ids=SLOW_STARTS.keys())
def test_two_connections_that_stop_sending_do_not_delay_a_request(server, first_bytes):
    with ExitStack() as held:
        hold_connections(held, server.port, 2, first_bytes)
        time.sleep(0.5)  # both accepted, as a worker would be busy with them
        status, seconds = seconds_to_answer(server.port)
    assert status == 200
    assert seconds < ANSWER_SECONDS, f"answered after {seconds:.1f} s"


def test_hundreds_of_silent_connections_and_a_slow_one_per_thread_do_not_stall_it(server):
    """Slow clients hold every thread of both workers, for one head deadline at most; then a
    request waiting in the listen queue is taken by whichever worker has a thread free."""
    settings = shipped()
    head_seconds = settings["SlowClientThreadWorker"].REQUEST_HEAD_SECONDS
    assert head_seconds + 2 < ANSWER_SECONDS
    slow = 2 * settings["threads"]  # the server's two workers
    with ExitStack() as held:
        hold_connections(held, server.port, 200, b"")
        hold_connections(held, server.port, slow, SLOW_STARTS["headers unfinished"])
        time.sleep(0.5)
        status, seconds = seconds_to_answer(server.port)
    assert status == 200
    assert seconds < ANSWER_SECONDS, f"answered after {seconds:.1f} s"


def test_a_silent_connection_is_closed_after_the_keepalive_seconds(server):
    keepalive = shipped()["keepalive"]
    with socket.create_connection(("127.0.0.1", server.port)) as silent:
        silent.settimeout(keepalive + ANSWER_SECONDS)
        started = time.monotonic()
        assert silent.recv(1) == b""  # closed by the server, with no answer
        assert keepalive - 1 <= time.monotonic() - started < keepalive + 3


def test_the_workers_read_the_database(server):
    for _ in range(4):
        status, _ = seconds_to_answer(server.port, "/healthz")
        assert status == 200


def test_a_worker_drops_the_connections_it_inherits_and_the_master_keeps_them(app):
    engine = db.engine(app)
    with engine.connect() as connection:
        inherited = connection.connection.dbapi_connection
    assert engine.pool.checkedin() == 1

    shipped()["post_fork"](SimpleNamespace(app=SimpleNamespace(callable=app)), None)

    assert engine.pool.checkedin() == 0  # the worker opens its own when it needs one
    assert inherited.execute("SELECT 1").fetchone() == (1,)  # still the master's to close
    inherited.close()


def test_the_worker_count_comes_from_web_concurrency(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert shipped()["workers"] == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "three")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number of at least 1"):
        shipped()


def test_the_address_comes_from_parley_bind(monkeypatch):
    monkeypatch.delenv("PARLEY_BIND", raising=False)
    assert shipped()["bind"] == ["127.0.0.1:8000"]
    monkeypatch.setenv("PARLEY_BIND", "127.0.0.1:9000, unix:/run/parley.sock")
    assert shipped()["bind"] == ["127.0.0.1:9000", "unix:/run/parley.sock"]

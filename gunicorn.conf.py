"""gunicorn's settings for Parley: `gunicorn -c gunicorn.conf.py` from anywhere.

docs/operations.md ("Serve with gunicorn") explains each setting; `make bench` and the tests
serve with this file too. From the environment: PARLEY_BIND (default 127.0.0.1:8000; several
addresses separated by commas) and WEB_CONCURRENCY (worker processes; default one per core,
at least 2). Command-line options, and GUNICORN_CMD_ARGS, override anything set here.

Why threads and not gevent: gevent would have to monkey-patch the app before it is imported
(preload), and SQLite and password hashing block its single loop, so one busy request would
stall every connection of its worker. gthread keeps each request on its own thread.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path

from gunicorn.workers import gthread


def _whole_number(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{variable} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _cores() -> int:
    """The cores this process may run on (Linux honours taskset and cpusets)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "app:create_app()"
chdir = str(Path(__file__).resolve().parent)  # where app.py is, whatever the caller's folder
bind = [address.strip() for address in os.environ.get("PARLEY_BIND", "127.0.0.1:8000").split(",")]
proc_name = "parley"

# Build the app once, in the master, before forking. A start that cannot work (no SECRET_KEY,
# bad content) then prints its message and exits with status 1, instead of the master booting
# workers that exit at once, over and over. A restart reloads code and content; SIGHUP does not.
preload_app = True

# Processes run Python in parallel (one per core); threads only wait in parallel. Two: while
# one thread waits on a slow client, the other serves. More make SQLite writers wait on each
# other and share each core among more requests: in short bench runs, 8 threads took the
# quiz submission's p99 from 100-300 ms (1 or 2 threads, or sync) to 1 s, the grid's to 1 s.
workers = _whole_number("WEB_CONCURRENCY", max(2, _cores()))
threads = 2
worker_connections = 1000  # open connections a worker keeps, idle ones included


class SlowClientThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, with no thread left waiting on a slow or silent client.

    gunicorn 27's gthread gives a new connection a thread for up to 5 s before its first
    byte, so a burst of silent connections queues real requests behind them; and a client
    that sends part of a request keeps its thread until it hangs up, with no timeout at all.
    And a worker accepts connections while all its threads are busy, where they wait even if
    another worker is free.

    Here a connection that has sent nothing waits on the poller, not in a thread. Once it has
    sent something, its request line and headers must arrive within REQUEST_HEAD_SECONDS and
    the rest of the exchange within `timeout`, or its socket is shut, which frees the thread.
    A worker with no thread free accepts no connection: another worker, or the listen queue,
    takes it.
    """

    REQUEST_HEAD_SECONDS = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadlines: dict[gthread.TConn, float] = {}  # connections being served
        self.in_threads = 0  # connections given to the thread pool and not back yet

    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled and self.in_threads < self.cfg.threads)

    def enqueue_req(self, conn):
        self.in_threads += 1
        if self.in_threads >= self.cfg.threads:
            self.set_accept_enabled(False)  # the main loop enables it again when one is free
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.in_threads -= 1
        super().finish_request(conn, fs)

    def handle(self, conn):
        fresh = not conn.initialized and not conn.data_ready
        if fresh and not conn.wait_for_data(0):  # nothing to read yet
            return gthread._DEFER  # the worker puts it on its poller until it is readable
        self.deadlines[conn] = time.monotonic() + self.REQUEST_HEAD_SECONDS
        try:
            return super().handle(conn)
        finally:
            self.deadlines.pop(conn, None)

    def handle_request(self, req, conn):
        if self.cfg.timeout:
            self.deadlines[conn] = time.monotonic() + self.cfg.timeout
        else:
            self.deadlines.pop(conn, None)
        return super().handle_request(req, conn)

    def murder_pending(self):
        """Also shut the sockets of connections past their deadline (the main loop calls
        this at least once a second); the blocked thread then sees the connection end."""
        super().murder_pending()
        now = time.monotonic()
        for conn, deadline in self.deadlines.copy().items():
            if deadline <= now and self.deadlines.pop(conn, None) is not None:
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)


worker_class = SlowClientThreadWorker

# Seconds. timeout: a request may take this long once its headers are in (as with the sync
# worker), and a worker whose main loop is silent this long is restarted. graceful_timeout:
# how long a stopping worker lets requests finish. keepalive: how long an idle connection,
# or a new one that has sent nothing, stays open.
timeout = 30
graceful_timeout = 30
keepalive = 5

# Request head limits; larger gets 400 (or 414 for the line). Parley's URLs are short and
# browsers send about 20 headers; a Cookie header can still carry other sites' cookies.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190


def post_fork(server, worker):
    """Give each worker its own database connections: none opened in the master before the
    fork (the app connects on its first request) may be shared with a worker."""
    from parley.extensions import db

    app = server.app.callable  # built in the master (preload_app)
    if app is not None:
        db.engine(app).dispose(close=False)

"""#17 item 1 with gunicorn as shipped, 2 workers, on loopback: failed log-ins are counted once for
the whole server, whichever worker answers, and a worker's death forgets none of them."""

import http.client
import http.cookiejar
import os
import re
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.factories import PASSWORD, create_account, served_by_gunicorn

OWNER = "owner@example.com"
WORKERS = 2


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FromAddress(urllib.request.HTTPHandler):
    """Connect from this loopback address (all of 127.0.0.0/8 is this machine)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req):
        return self.do_open(http.client.HTTPConnection, req, source_address=(self.address, 0))


class Visitor:
    """A browser at one address: keeps cookies, reports redirects instead of following."""

    def __init__(self, base: str, address: str = "127.0.0.1") -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
            FromAddress(address),
        )

    def request(self, path: str, data: dict | None = None):
        """(status, headers, body) of one request."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()

    def log_in(self, password: str):
        page = self.request("/login")[2]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return self.request("/login", {"csrf_token": token, "email": OWNER, "password": password})


class Server:
    """A gunicorn master whose workers can be killed; its access log names each answer's
    worker."""

    def __init__(self, master: int, base: str, access_log: Path) -> None:
        self.master, self.base, self.access_log = master, base, access_log

    def workers(self) -> set[int]:
        found = set()
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":\t", 1)
                    for line in status.read_text().splitlines()
                    if ":\t" in line
                )
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.master):
                found.add(int(status.parent.name))
        return found

    def wait_until_up(self, old_workers: set[int] = frozenset()) -> set[int]:
        """Wait (at most 60 s) for WORKERS workers, none of them old, answering."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            workers = self.workers()
            if len(workers) == WORKERS and not workers & old_workers:
                try:
                    if Visitor(self.base).request("/login")[0] == 200:
                        return workers
                except OSError:
                    pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn's workers did not come up; workers now: {self.workers()}")

    def kill_workers(self, posts_so_far: int) -> set[int]:
        """SIGKILL every worker (once they have logged what they answered), as the probe's
        idle connections made happen; return when new ones answer."""
        self.answered_by("/login", posts_so_far)
        old = self.workers()
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        return self.wait_until_up(old)

    def answered_by(self, path: str, expected: int) -> list[int]:
        """The worker of each POST to path, in order, once the access log has all `expected`
        (a worker writes its line just after the answer; at most 10 s)."""
        deadline = time.monotonic() + 10
        while True:
            pids = []
            for line in self.access_log.read_text().splitlines():
                pid, method, url = line.split()[:3]
                if method == "POST" and url == path:
                    pids.append(int(pid.strip("<>")))
            if len(pids) >= expected or time.monotonic() > deadline:
                return pids
            time.sleep(0.1)


@pytest.fixture
def server(app, app_config, tmp_path):
    """Gunicorn as shipped (gunicorn.conf.py), 2 workers, on app's database, where the owner
    has an account."""
    create_account(app, OWNER, password=PASSWORD)
    access_log = tmp_path / "access.log"
    options = ("--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s")
    with served_by_gunicorn(
        app_config["DATABASE_URL"], tmp_path, "--graceful-timeout", "5", *options, workers=WORKERS
    ) as served:
        running = Server(served.pid, served.base, access_log)
        running.wait_until_up()
        yield running
    assert "Traceback" not in served.log.read_text()


def test_ten_failures_per_account_and_address_across_workers_and_their_deaths(server):
    guesser = Visitor(server.base)
    first = [guesser.log_in("wrong guess number one")[0] for _ in range(5)]
    server.kill_workers(posts_so_far=5)  # every worker's memory of those five is gone
    then = [guesser.log_in("wrong guess number two")[0] for _ in range(5)]
    assert first + then == [400] * 10  # never a 429 among them

    status, headers, page = guesser.log_in(PASSWORD)
    assert status == 429
    assert "Too many failed log-ins. You can try again in 15 minutes." in page
    assert 800 <= int(headers["Retry-After"]) <= 900

    server.kill_workers(posts_so_far=11)
    assert guesser.log_in(PASSWORD)[0] == 429  # still counted after both workers died

    assert Visitor(server.base, "127.0.0.2").log_in(PASSWORD)[0] == 302  # the owner elsewhere

    workers = server.answered_by("/login", 13)
    assert len(workers) == 13
    assert len(set(workers[:10])) >= WORKERS, workers  # the ten were not one process's count

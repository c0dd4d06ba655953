"""`make bench`: seed, serve with gunicorn on loopback (the shipped gunicorn.conf.py, as in
production, with 2 workers), load each scenario with Locust headless for a fixed time, and
compare with a constant route on the same server.

A shared machine's speed drifts from one moment to the next, so each page is measured in a
run that switches every second between the baseline route and the page: both see the same
machine, and the ratio is the page's request count over the baseline's. Each page gets a few
such runs; its ratio is their median. The instructor dashboard, judged by its p99, runs alone.
Content loading is timed before any of that, as an app loads before it serves."""

from __future__ import annotations

import csv
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from alembic import command

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.content_load import time_content_load  # noqa: E402
from bench.seed import seed  # noqa: E402
from parley import create_app  # noqa: E402
from parley.cli import alembic_config  # noqa: E402
from parley.extensions import db  # noqa: E402
from parley.grading import kind_of  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))  # per paired run
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
PHASE_SECONDS = 1.0  # a paired run switches between baseline and page this often
WARM_UP_SECONDS = 2.0  # while users log in
PHASE_PAIRS = int((SECONDS - WARM_UP_SECONDS - 1) / (2 * PHASE_SECONDS))  # then a spare second
INSTRUCTOR_SECONDS = 20
USERS = int(os.environ.get("BENCH_USERS", "16"))
WORKERS = 2  # gunicorn worker processes, whatever the machine: figures stay comparable
PAIRED = [  # (name, locust tag): each round runs a baseline slice, then the scenario
    ("lesson page", "lesson"),
    ("quiz page", "quiz"),
    ("quiz submission", "submit"),
    ("learner dashboard", "dashboard"),
]
INSTRUCTOR = "instructor dashboard (500 learners)"
SCENARIO_TAGS = [tag for _, tag in PAIRED] + ["instructor"]
TARGETS = {"lesson page": 0.6, "quiz page": 0.5, "quiz submission": 0.3, "learner dashboard": 0.4}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def right_answers(library) -> str:
    quiz = library.quiz("impasse", "walkouts")
    fields = [
        field
        for q in quiz.questions
        for field in kind_of(q.kind).form_fields(q, quiz.keys[q.id].answer)
    ]
    return urlencode(fields)


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def run_scenario(
    tag: str, role: str, base: str, work: Path, env: dict, seconds: int = SECONDS
) -> dict[str, dict]:
    """Run one Locust scenario; return each named request's figures (not log-in ones)."""
    prefix = work / f"locust-{tag}"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{seconds}s",
            "--host",
            base,
            "--tags",
            tag,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={
            **env,
            "BENCH_ROLE": role,
            # Each scenario logs in its own learners, so one scenario's writes (the quiz
            # submissions) never change what another measures.
            "BENCH_FIRST_LEARNER": str(USERS * SCENARIO_TAGS.index(tag)),
            "BENCH_PHASE": str(PHASE_SECONDS),
            "BENCH_WARM_UP": str(WARM_UP_SECONDS),
            "BENCH_PHASE_PAIRS": str(PHASE_PAIRS),
        },
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return {
        name: {
            "rps": float(row["Requests/s"]),
            "p50_ms": float(row["50%"]),
            "p99_ms": float(row["99%"]),
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
        }
        for name, row in rows.items()
        if name != "Aggregated" and not name.startswith("/")
    }


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "processor": platform.machine(),
    }


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def summary(name: str, runs: list[dict], ratios: list[float] | None = None) -> dict:
    """One row from several runs: median rate and p50, worst p99, median ratio and its range."""
    row = {
        "name": name,
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "failures": sum(r["failures"] for r in runs),
    }
    if ratios is not None:
        row["ratio_to_baseline"] = round(statistics.median(ratios), 3)
        row["ratio_range"] = [round(min(ratios), 3), round(max(ratios), 3)]
    return row


def halves(found: dict) -> dict:
    """Give a paired request's rate while it ran: PHASE_PAIRS phases of PHASE_SECONDS."""
    return {**found, "rps": found["requests"] / (PHASE_PAIRS * PHASE_SECONDS)}


def measure(base: str, work: Path, env: dict) -> list[dict]:
    """Run every scenario; return the table's rows, baseline first."""
    baselines: list[dict] = []
    paired: dict[str, list[tuple[dict, dict]]] = {name: [] for name, _ in PAIRED}
    for round_number in range(1, ROUNDS + 1):
        for name, tag in PAIRED:
            found = run_scenario(tag, "learner", base, work, env)
            before, page = halves(found["baseline"]), halves(found[name])
            baselines.append(before)
            paired[name].append((before, page))
            print(
                f"  round {round_number}, {name}: {page['rps']:.0f} req/s "
                f"(baseline in the same run {before['rps']:.0f})"
            )
    instructor = run_scenario("instructor", "instructor", base, work, env, INSTRUCTOR_SECONDS)
    instructor = instructor[INSTRUCTOR]
    print(f"  {INSTRUCTOR}: {instructor['rps']:.0f} req/s, p99 {instructor['p99_ms']:.0f} ms")
    baseline = summary("baseline", baselines, [1.0])
    rows = [baseline]
    for name, runs in paired.items():
        ratios = [page["requests"] / (before["requests"] or 1) for before, page in runs]
        rows.append(summary(name, [page for _, page in runs], ratios))
    rows.append(summary(INSTRUCTOR, [instructor], [instructor["rps"] / (baseline["rps"] or 1.0)]))
    return rows


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    # First, as an app starts before it serves: minutes of full load slow this machine down.
    content = time_content_load(work / "content")
    print(f"content load: {content['seconds']:.2f} s, restart {content['restart_seconds']:.2f} s")
    url = os.environ.get("PARLEY_DATABASE_URL") or f"sqlite:///{work / 'bench.db'}"
    print(f"database: {url.split('@')[-1]}")
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        seeded = seed(db.session, app.extensions["parley_content"])
        answers = right_answers(app.extensions["parley_content"])
    print(f"seeded: {seeded}")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PARLEY_DATABASE_URL": url,
        "PARLEY_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PARLEY_SECURE_COOKIES": "0",
        "BENCH_ANSWERS": answers,
        "PARLEY_RENDER_CACHE_DIR": str(work / "render-cache"),
        "PARLEY_BASE_URL": base,
    }
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--no-control-socket",  # by default one in $HOME, shared with any other gunicorn
        ],
        cwd=work,
        env={**env, "PARLEY_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(WORKERS)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        measured = measure(base, work, env)
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    info = {"machine": machine(), "commit": commit()}
    rows = [{**row, **info} for row in measured]
    print()
    print(
        f"{'scenario':<38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} "
        f"{'rounds':>12} {'target':>8}"
    )
    for row in rows:
        target = TARGETS.get(row["name"])
        mark = (
            ""
            if target is None
            else (f">= {target}" + (" ok" if row["ratio_to_baseline"] >= target else " MISS"))
        )
        if row["name"].startswith("instructor"):
            mark = "p99<300" + (" ok" if row["p99_ms"] < 300 else " MISS")
        failures = f"  ({row['failures']} failures)" if row["failures"] else ""
        spread = row.get("ratio_range")
        rounds = f"{spread[0]:.2f}-{spread[1]:.2f}" if spread else ""
        print(
            f"{row['name']:<38} {row['rps']:>8.1f} {row['p50_ms']:>8.0f} {row['p99_ms']:>8.0f} "
            f"{row['ratio_to_baseline']:>7.2f} {rounds:>12} {mark:>8}{failures}"
        )
    first, restart = content["seconds_range"], content["restart_seconds_range"]
    print(
        f"content load, {content['lessons']} lessons and {content['questions']} questions, "
        f"median of {content['rounds']}: first load {content['seconds']:.2f} s "
        f"({first[0]:.2f}-{first[1]:.2f}), restart with rendered lessons kept "
        f"{content['restart_seconds']:.2f} s ({restart[0]:.2f}-{restart[1]:.2f}); "
        + ("ok" if content["seconds"] <= 3 and content["restart_seconds"] <= 0.5 else "MISS")
        + " (targets: first load <= 3 s, restart <= 0.5 s)"
    )
    print(f"worker resident memory after the run: {rss} MB (target < 150 MB each)")
    (ROOT / "bench" / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    (ROOT / "bench" / "resources.json").write_text(
        json.dumps({"content_load": content, "worker_rss_mb": rss, **info}, indent=2) + "\n"
    )
    print(
        f"wrote bench/results.json and bench/resources.json in {time.monotonic() - started:.0f} s"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: seed, serve with gunicorn (2 workers) on loopback, load each scenario with
Locust headless for a fixed time, and compare with a constant route on the same server."""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import signal
import socket
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
from parley.answers import encode_answers  # noqa: E402
from parley.cli import alembic_config  # noqa: E402
from parley.extensions import db  # noqa: E402
from parley.grading import Response, derive  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
USERS = int(os.environ.get("BENCH_USERS", "16"))
SCENARIOS = [  # (name, locust tag, role)
    ("baseline", "baseline", "learner"),
    ("lesson page", "lesson", "learner"),
    ("quiz page", "quiz", "learner"),
    ("quiz submission", "submit", "learner"),
    ("learner dashboard", "dashboard", "learner"),
    ("instructor dashboard (500 learners)", "instructor", "instructor"),
]
TARGETS = {"lesson page": 0.6, "quiz page": 0.5, "quiz submission": 0.3, "learner dashboard": 0.4}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def right_answers(library) -> str:
    quiz = library.quiz("impasse", "walkouts")
    book = library.quizzes("impasse").rulebook
    responses = {q.id: Response(derive(book, q).answer) for q in quiz.questions}
    return urlencode(encode_answers(quiz.questions, responses))


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def run_scenario(tag: str, role: str, base: str, work: Path, env: dict) -> dict:
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
            f"{SECONDS}s",
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
        env={**env, "BENCH_ROLE": role},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    name = next(
        n
        for n in rows
        if n not in ("Aggregated", "/login", "/courses/impasse/quizzes/walkouts")
        and not n.startswith("/")
    )
    row = rows[name]
    return {
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
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


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="parley-bench-"))
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
        "SECRET_KEY": "bench-secret",
        "PARLEY_SECURE_COOKIES": "0",
        "BENCH_ANSWERS": answers,
    }
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
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
        results = []
        for name, tag, role in SCENARIOS:
            found = run_scenario(tag, role, base, work, env)
            results.append({"name": name, **found})
            print(f"  {name}: {found['rps']:.0f} req/s")
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    baseline = results[0]["rps"] or 1.0
    info = {"machine": machine(), "commit": commit()}
    rows = [
        {
            "name": r["name"],
            "rps": round(r["rps"], 1),
            "p50_ms": r["p50_ms"],
            "p99_ms": r["p99_ms"],
            "ratio_to_baseline": round(r["rps"] / baseline, 3),
            **info,
        }
        for r in results
    ]
    content = time_content_load(work / "content")
    print()
    print(f"{'scenario':<38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'target':>8}")
    for row, raw in zip(rows, results, strict=True):
        target = TARGETS.get(row["name"])
        mark = (
            ""
            if target is None
            else (f">= {target}" + (" ok" if row["ratio_to_baseline"] >= target else " MISS"))
        )
        if row["name"].startswith("instructor"):
            mark = "p99<300" + (" ok" if row["p99_ms"] < 300 else " MISS")
        failures = f"  ({raw['failures']} failures)" if raw["failures"] else ""
        print(
            f"{row['name']:<38} {row['rps']:>8.1f} {row['p50_ms']:>8.0f} {row['p99_ms']:>8.0f} "
            f"{row['ratio_to_baseline']:>7.2f} {mark:>8}{failures}"
        )
    print(
        f"content load, {content['lessons']} lessons and {content['questions']} questions: "
        f"first load {content['seconds']:.2f} s, restart with rendered lessons kept "
        f"{content['restart_seconds']:.2f} s (target < 2 s)"
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

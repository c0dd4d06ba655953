"""Time loading 1,000 generated lessons and 500 generated questions."""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from parley.content import load_library

PARAGRAPH = (
    "A generated paragraph of lesson {n} that stands in for real teaching text, with **bold** "
    "words, a [link](lesson-{link:04d}.md#part-1) and enough length to make rendering honest. "
)


def write_content(root: Path, lessons: int = 1000, questions: int = 500) -> tuple[Path, Path]:
    courses, quizzes = root / "courses", root / "quizzes"
    modules = [f"module-{m:02d}" for m in range(lessons // 50)]
    course = courses / "bench"
    course.mkdir(parents=True)
    (course / "course.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "Benchmark course",
                "summary": "Generated.",
                "modules": [{"id": m, "title": m, "summary": ""} for m in modules],
            }
        )
    )
    for n in range(lessons):
        module = modules[n // 50]
        front = {
            "id": f"lesson-{n:04d}",
            "title": f"Lesson {n}",
            "minutes": 5,
            "objectives": [
                {"id": f"objective-{n:04d}-{k}", "text": "Do a thing."} for k in range(2)
            ],
        }
        paragraph = PARAGRAPH.format(n=n, link=(n * 7) % lessons)  # every lesson differs
        body = "\n\n".join(
            f"## Part {p} {{#part-{p}}}\n\n{paragraph * 3}\n\n| a | b |\n|---|---|\n| {n} | {p} |"
            for p in range(1, 4)
        )
        folder = course / module
        folder.mkdir(exist_ok=True)
        (folder / f"{n % 50:02d}-lesson-{n:04d}.md").write_text(
            f'---\n{yaml.safe_dump(front)}---\n{body}\n!!! note "Key takeaways"\n    - one\n'
        )
    book = {
        "facts": {
            "mood": {"meaning": "How it feels.", "values": {"calm": "calm", "tense": "tense"}}
        },
        "strategies": [
            {
                "id": f"strategy-{s}",
                "name": f"Strategy {s}",
                "kind": "strategy",
                "statement": "Do it.",
                "teaches": {"lesson": f"lesson-{s:04d}", "section": "part-1"},
                "recommended": [
                    {
                        "id": f"strategy-{s}.r",
                        "when": {"mood": "calm" if s % 2 else "tense"},
                        "weight": 1 + s,
                        "because": "Because it fits.",
                    }
                ],
            }
            for s in range(6)
        ],
    }
    folder = quizzes / "bench"
    folder.mkdir(parents=True)
    (folder / "rules.yaml").write_text(yaml.safe_dump(book))
    per_quiz = questions // len(modules)
    for m, module in enumerate(modules):
        quiz = {
            "title": f"Quiz {m}",
            "module": module,
            "questions": [
                {
                    "id": f"q-{m:02d}-{q:03d}",
                    "kind": "best",
                    "objectives": [f"objective-{m * 50 + q % 50:04d}-0"],
                    "scenario": f"Scenario {m}-{q} with some **Markdown**.",  # each its own
                    "facts": {"mood": "calm"},
                    "options": [
                        {"strategy": f"strategy-{s}", "feedback": "Why."} for s in range(4)
                    ],
                }
                for q in range(per_quiz)
            ],
        }
        (folder / f"{module}.yaml").write_text(yaml.safe_dump(quiz))
    return courses, quizzes


def load_once(courses: Path, quizzes: Path, cache: Path) -> dict:
    """Load the content once, in this process; return the time, a digest and the counts."""
    started = time.perf_counter()
    library, report = load_library(courses, quizzes, render_cache_dir=cache)
    seconds = time.perf_counter() - started
    shown = [(lesson.id, lesson.html) for course in library.courses for lesson in course.lessons]
    shown += [
        (q.id, q.scenario_html)
        for found in library.quizzes_by_course.values()
        for q in found.questions
    ]
    return {
        "seconds": seconds,
        "digest": hashlib.sha256(json.dumps(shown).encode()).hexdigest(),
        "lessons": library.counts()["lessons"],
        "questions": library.counts()["questions"],
        "errors": [str(p) for p in report.errors][:3],
    }


def _load_in_a_new_process(courses: Path, quizzes: Path, cache: Path) -> dict:
    """An app loads its content in a fresh process, so each timed load runs in one."""
    found = subprocess.run(
        [sys.executable, __file__, str(courses), str(quizzes), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(found.stdout)


def time_content_load(root: Path, rounds: int = 3) -> dict:
    """Time first loads (every lesson rendered) and restarts (rendered lessons reused)."""
    # Each round starts from an empty render cache, in a new process. The median is the
    # figure, as this machine's speed drifts from one second to the next; the range is kept.
    courses, quizzes = write_content(root)
    firsts, restarts = [], []
    for round_number in range(rounds):
        cache = root / f"render-cache-{round_number}"
        first = _load_in_a_new_process(courses, quizzes, cache)
        again = _load_in_a_new_process(courses, quizzes, cache)
        assert again["digest"] == first["digest"], "a restart must load the same content"
        firsts.append(first["seconds"])
        restarts.append(again["seconds"])
    return {
        "seconds": round(statistics.median(firsts), 3),
        "seconds_range": [round(min(firsts), 3), round(max(firsts), 3)],
        "restart_seconds": round(statistics.median(restarts), 3),
        "restart_seconds_range": [round(min(restarts), 3), round(max(restarts), 3)],
        "rounds": rounds,
        "lessons": first["lessons"],
        "questions": first["questions"],
        "errors": first["errors"],
    }


if __name__ == "__main__":
    print(json.dumps(load_once(*(Path(arg) for arg in sys.argv[1:4]))))

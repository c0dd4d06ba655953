"""Time loading 1,000 generated lessons and 500 generated questions."""

from __future__ import annotations

import statistics
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


def time_content_load(root: Path, rounds: int = 3) -> dict:
    """Time first loads (every lesson rendered) and restarts (rendered lessons reused)."""
    # Each round starts from an empty render cache. The median is the figure, as this
    # machine's speed drifts from one second to the next; the range is kept beside it.
    courses, quizzes = write_content(root)
    firsts, restarts = [], []
    for round_number in range(rounds):
        cache = root / f"render-cache-{round_number}"
        started = time.perf_counter()
        library, report = load_library(courses, quizzes, render_cache_dir=cache)
        firsts.append(time.perf_counter() - started)
        started = time.perf_counter()
        again, _ = load_library(courses, quizzes, render_cache_dir=cache)
        restarts.append(time.perf_counter() - started)
        assert again == library, "a restart from the render cache must load the same content"
    errors = [str(p) for p in report.errors]
    counts = library.counts()
    return {
        "seconds": round(statistics.median(firsts), 3),
        "seconds_range": [round(min(firsts), 3), round(max(firsts), 3)],
        "restart_seconds": round(statistics.median(restarts), 3),
        "restart_seconds_range": [round(min(restarts), 3), round(max(restarts), 3)],
        "rounds": rounds,
        "lessons": counts["lessons"],
        "questions": counts["questions"],
        "errors": errors[:3],
    }

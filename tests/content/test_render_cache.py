"""Rendered lessons are kept between loads and reused only when nothing about them changed;
many lessons render in worker processes, to the same HTML."""

import pytest

import parley.content.render_cache as render_cache
import parley.content.rendering as rendering
from parley.config import PROJECT_ROOT
from parley.content.library import load_library
from tests.factories import LESSON_BODY, lesson_front, write_lesson


def count_renders(monkeypatch) -> list[str]:
    """Record each lesson body rendered from Markdown in this process."""
    calls = []
    real = rendering.render

    def counting(body, course_id):
        calls.append(body)
        return real(body, course_id)

    monkeypatch.setattr(rendering, "render", counting)
    return calls


def render_in_worker_processes(monkeypatch) -> list:
    """Render in worker processes from two lessons on, as on two cores; record each pool."""
    pools = []

    class RecordedPool(rendering.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(rendering, "PARALLEL_FROM", 2)
    monkeypatch.setattr(rendering.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(rendering, "ProcessPoolExecutor", RecordedPool)
    return pools


@pytest.fixture
def renders(monkeypatch):
    return count_renders(monkeypatch)


def course_of_distinct_lessons(make_course, lesson_ids):
    root = make_course(modules={"basics": lesson_ids})
    for number, lesson_id in enumerate(lesson_ids, start=1):
        write_lesson(
            root / "demo" / "basics" / f"{number:02d}-{lesson_id}.md",
            lesson_front(lesson_id),
            f"{LESSON_BODY}\nAbout {lesson_id}.\n",
        )
    return root


def load(root, cache):
    library, report = load_library(root, render_cache_dir=cache)
    assert not report.errors, report.errors
    return library


def test_a_second_load_renders_only_the_lesson_that_changed(make_course, tmp_path, renders):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson", "third"])
    cache = tmp_path / "render-cache"
    first = load(root, cache)
    assert len(renders) == 3
    assert load(root, cache) == first and len(renders) == 3
    write_lesson(
        root / "demo" / "basics" / "02-second-lesson.md",
        lesson_front("second-lesson"),
        LESSON_BODY + "\nA new **closing** line.\n",
    )
    changed = load(root, cache)
    assert len(renders) == 4
    assert "<strong>closing</strong>" in changed.course("demo").lessons_by_id["second-lesson"].html
    assert (
        changed.course("demo").lessons_by_id["first-lesson"]
        == first.course("demo").lessons_by_id["first-lesson"]
    )


def test_a_damaged_or_outdated_cache_is_rendered_again(make_course, tmp_path, renders, monkeypatch):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson"])
    cache = tmp_path / "render-cache"
    first = load(root, cache)
    (cache / "demo.json").write_text("{not json", encoding="utf-8")
    assert load(root, cache) == first and len(renders) == 4
    monkeypatch.setattr(render_cache, "FORMAT", render_cache.FORMAT + 1)
    assert load(root, cache) == first and len(renders) == 6


def test_a_cache_folder_that_cannot_be_written_only_costs_time(make_course, tmp_path, renders):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson"])
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert load(root, blocked / "render-cache") == load(root, None)
    assert len(renders) == 4


def test_lessons_rendered_in_worker_processes_are_the_same(make_course, monkeypatch):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson", "third"])
    write_lesson(
        root / "demo" / "basics" / "03-third.md",
        lesson_front("third"),
        "## About {#about}\n\nSee [the first](first-lesson.md#first) and **this**.\n",
    )
    here = load(root, None).course("demo")
    pools = render_in_worker_processes(monkeypatch)
    in_workers = load(root, None).course("demo")
    assert len(pools) == 1
    assert [
        (lesson.id, lesson.html, lesson.toc, lesson.links) for lesson in in_workers.lessons
    ] == [(lesson.id, lesson.html, lesson.toc, lesson.links) for lesson in here.lessons]
    assert (
        '<a href="/courses/demo/lessons/first-lesson#first" rel="noopener noreferrer">the first</a>'
        in in_workers.lessons_by_id["third"].html
    )


def test_lessons_rendered_in_worker_processes_are_kept_for_the_next_start(
    make_course, tmp_path, monkeypatch
):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson", "third"])
    cache = tmp_path / "render-cache"
    with monkeypatch.context() as patch:
        pools = render_in_worker_processes(patch)
        first = load(root, cache)
    assert len(pools) == 1
    assert first == load(root, None)
    rendered = count_renders(monkeypatch)
    assert load(root, cache) == first
    assert rendered == []


def test_scenarios_are_kept_too_and_a_restart_renders_none(tmp_path, renders):
    cache = tmp_path / "render-cache"
    courses, quizzes = PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes"
    first, report = load_library(courses, quizzes, render_cache_dir=cache)
    assert not report.errors
    scenarios = {q.scenario for found in first.quizzes_by_course.values() for q in found.questions}
    assert scenarios <= set(renders)
    assert (cache / "impasse.scenarios.json").is_file()
    renders.clear()
    again, _ = load_library(courses, quizzes, render_cache_dir=cache)
    assert renders == []
    assert [q.scenario_html for q in again.quizzes("impasse").questions] == [
        q.scenario_html for q in first.quizzes("impasse").questions
    ]

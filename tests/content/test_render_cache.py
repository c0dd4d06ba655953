"""Rendered lessons are kept between loads, and reused only when nothing about them changed."""

import pytest

import parley.content.render_cache as render_cache
import parley.content.rendering as rendering
from parley.content.library import load_library
from tests.content_files import LESSON_BODY, lesson_front, write_lesson


@pytest.fixture
def renders(monkeypatch):
    """Count the lessons actually rendered from Markdown."""
    calls = []
    real = rendering.render

    def counting(body, href=None):
        calls.append(body)
        return real(body, href)

    monkeypatch.setattr(rendering, "render", counting)
    return calls


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


@pytest.fixture
def submitted(monkeypatch):
    """Record the lesson bodies sent to worker processes, rendering on two for a few lessons."""
    sent = []
    real = rendering.LessonRenderer.submit

    def recording(self, course_id, bodies):
        sent.extend(bodies)
        return real(self, course_id, bodies)

    monkeypatch.setattr(rendering, "PARALLEL_FROM", 2)
    monkeypatch.setattr(rendering.LessonRenderer, "submit", recording)
    return sent


def test_lessons_rendered_on_several_cores_are_kept_for_the_next_start(
    make_course, tmp_path, renders, submitted
):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson", "third"])
    cache = tmp_path / "render-cache"
    first = load(root, cache)
    assert len(submitted) == 3 and renders == []
    assert load(root, cache) == first == load(root, None)
    assert len(submitted) == 3 + 3  # only the load without a cache rendered anything
    assert renders == []


def test_one_changed_lesson_is_rendered_here_not_in_a_process_pool(
    make_course, tmp_path, renders, submitted
):
    root = course_of_distinct_lessons(make_course, ["first-lesson", "second-lesson", "third"])
    cache = tmp_path / "render-cache"
    load(root, cache)
    write_lesson(
        root / "demo" / "basics" / "03-third.md", lesson_front("third"), LESSON_BODY + "\nNew.\n"
    )
    changed = load(root, cache)
    assert len(submitted) == 3 and len(renders) == 1
    assert "New." in changed.course("demo").lessons_by_id["third"].html

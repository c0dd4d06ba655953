"""Render a course's Markdown (lessons, scenarios), reusing what the render cache kept."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from parley.content.markdown import Rendered, render
from parley.content.render_cache import RenderCache, body_key, rendering_stamp

# Content-load bench (1,000 lessons, 2 cores): rendered in this process, a first load takes
# 2.9-4.0 s, over its 3 s target; in worker processes 1.6-2.2 s. Below PARALLEL_FROM lessons to
# render (a restart after an edit, a small course), starting the pool costs more than it saves.
PARALLEL_FROM = 200  # lessons to render in one course
CHUNK = 16  # lessons per task sent to a worker


class CourseRenders:
    """A course's Markdown rendered for one load: what the render cache kept under `name`, and
    what this load rendered. `save` keeps exactly the texts this load used."""

    def __init__(self, course_id: str, cache: RenderCache | None, name: str | None = None):
        self.course_id = course_id
        self.cache = cache
        self.name = name or course_id
        self.stamp = rendering_stamp(course_id)
        self.kept = cache.read(self.name, self.stamp) if cache else {}
        self.used: dict[str, Rendered] = {}

    def missing(self, texts: list[str]) -> list[str]:
        """The texts, once each, that the cache did not keep."""
        return list(
            {body_key(text): text for text in texts if body_key(text) not in self.kept}.values()
        )

    def rendered(self, text: str) -> Rendered:
        """The text's rendering: kept, or rendered now."""
        key = body_key(text)
        found = self.used.get(key) or self.kept.get(key) or render(text, self.course_id)
        self.used[key] = found
        return found

    def add(self, texts: list[str], renderings: list[Rendered]) -> None:
        """Take renderings made elsewhere (in worker processes), one per text."""
        for text, rendering in zip(texts, renderings, strict=True):
            self.used[body_key(text)] = rendering

    def save(self) -> None:
        if self.cache is not None and self.used.keys() != self.kept.keys():
            self.cache.write(self.name, self.stamp, self.used)


def render_lessons(course_id: str, bodies: list[str], cache: RenderCache | None) -> list[Rendered]:
    """Return one rendering per body, in order; keep exactly these for the next start."""
    renders = CourseRenders(course_id, cache)
    missing = renders.missing(bodies)
    renders.add(missing, _render_all(course_id, missing))
    found = [renders.rendered(body) for body in bodies]
    renders.save()
    return found


def _render_all(course_id: str, bodies: list[str]) -> list[Rendered]:
    """Render bodies in order, on every core when there are many."""
    if len(bodies) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return [render(body, course_id) for body in bodies]
    # fork, as the bench measured: workers start with the converter already imported.
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(partial(render, course_id=course_id), bodies, chunksize=CHUNK))

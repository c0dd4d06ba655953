"""Render each course's lesson bodies: reuse the kept ones, and use every core for many.

Rendering runs in the background while the caller goes on reading (more lessons, the quiz
files); `CourseRenders.results` waits for it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from types import TracebackType

from parley.content.markdown import Rendered, render
from parley.content.render_cache import RenderCache, body_key, rendering_stamp

PARALLEL_FROM = 200  # lessons in a course; below this a process pool costs more than it saves
CHUNK = 16  # lessons per task sent to a worker process


def default_lesson_href(course_id: str, lesson_id: str) -> str:
    return f"/courses/{course_id}/lessons/{lesson_id}"


def _render_for_course(course_id: str, bodies: list[str]) -> list[Rendered]:
    href = partial(default_lesson_href, course_id)
    return [render(body, href) for body in bodies]


class LessonRenderer:
    """Hands out each course's renders; courses with many lessons share one process pool."""

    def __init__(self, cache: RenderCache | None = None) -> None:
        self.cache = cache
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LessonRenderer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def course(
        self, course_id: str, href: Callable[[str], str], lesson_count: int
    ) -> CourseRenders:
        """Start a course's renders; the cache and pool serve only hrefs marked default_for."""
        return CourseRenders(self, course_id, href, lesson_count)

    def submit(self, course_id: str, bodies: list[str]) -> Future[list[Rendered]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=os.cpu_count(),
                mp_context=multiprocessing.get_context("fork"),
                initializer=gc.enable,  # the loader pauses it; workers are ordinary processes
            )
        return self._pool.submit(_render_for_course, course_id, bodies)


class CourseRenders:
    """One course's lesson bodies, added in reading order and rendered at most once each."""

    def __init__(
        self,
        renderer: LessonRenderer,
        course_id: str,
        href: Callable[[str], str],
        lesson_count: int,
    ) -> None:
        self.renderer = renderer
        self.course_id = course_id
        self.href = href
        # Other processes and the cache can only rebuild the default links from the course id.
        default = getattr(href, "default_for", None) == course_id
        self.cache = renderer.cache if default else None
        self.stamp = rendering_stamp(default_lesson_href(course_id, "")) if self.cache else ""
        self.kept = self.cache.read(course_id, self.stamp) if self.cache else {}
        # Lessons that will need rendering, about: the cache keeps exactly the last load's.
        to_render = lesson_count - len(self.kept)
        self.parallel = default and to_render >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
        self.keys: list[str] = []
        self.fresh: dict[str, Rendered] = {}
        self.waiting: list[tuple[list[str], Future[list[Rendered]]]] = []
        self.asked: set[str] = set()

    def add(self, bodies: list[str]) -> None:
        """Queue lesson bodies (in reading order), rendering those not kept or already asked."""
        missing: dict[str, str] = {}
        for body in bodies:
            key = body_key(body)
            self.keys.append(key)
            if key not in self.kept and key not in self.asked:
                missing[key] = body
                self.asked.add(key)
        if not self.parallel:
            self.fresh.update((key, render(body, self.href)) for key, body in missing.items())
            return
        items = list(missing.items())
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            future = self.renderer.submit(self.course_id, [body for _, body in chunk])
            self.waiting.append(([key for key, _ in chunk], future))

    def results(self) -> list[Rendered]:
        """Wait for the renders; return one per added body, in order, and update the cache."""
        for keys, future in self.waiting:
            self.fresh.update(zip(keys, future.result(), strict=True))
        self.waiting.clear()
        found = {**self.kept, **self.fresh}
        if self.cache and (self.fresh or len(self.kept) != len(set(self.keys))):
            self.cache.write(self.course_id, self.stamp, {key: found[key] for key in self.keys})
        return [found[key] for key in self.keys]

"""Render a course's lesson bodies, reusing those kept in the render cache."""

from __future__ import annotations

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


def render_lessons(course_id: str, bodies: list[str], cache: RenderCache | None) -> list[Rendered]:
    """Return one rendering per body, in order; keep exactly these for the next start."""
    keys = [body_key(body) for body in bodies]
    stamp = rendering_stamp(course_id)
    kept = cache.read(course_id, stamp) if cache else {}
    missing = {key: body for key, body in zip(keys, bodies, strict=True) if key not in kept}
    rendered = _render_all(course_id, list(missing.values()))
    found = kept | dict(zip(missing, rendered, strict=True))
    if cache and set(kept) != set(keys):
        cache.write(course_id, stamp, {key: found[key] for key in keys})
    return [found[key] for key in keys]


def _render_all(course_id: str, bodies: list[str]) -> list[Rendered]:
    """Render bodies in order, on every core when there are many."""
    if len(bodies) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return [render(body, course_id) for body in bodies]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(partial(render, course_id=course_id), bodies, chunksize=CHUNK))

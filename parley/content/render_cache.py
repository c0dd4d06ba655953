"""Rendered Markdown kept on disk between starts, so a restart renders only what changed.

Each course has a JSON file for its lessons (`<course>.json`) and one for its quiz scenarios
(`<course>.scenarios.json`): a stamp of how the course's Markdown is rendered, and each text's
rendered HTML, contents and links under a hash of its Markdown. A file with another stamp
(a new Markdown or nh3 release, other allowed tags...), or one that cannot be read, counts as
empty; writing is atomic, and a cache that cannot be written is skipped. The files hold
trusted HTML: only the app's own user should be able to write the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import markdown
import nh3

from parley.content.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    EXTENSIONS,
    LESSON_LINK,
    LINK_REL,
    URL_SCHEMES,
    Rendered,
    lesson_url,
)
from parley.content.model import TocEntry

FORMAT = 1  # bump whenever render() changes in a way the markers below do not show


def rendering_stamp(course_id: str) -> str:
    """A fingerprint of everything besides the Markdown that shapes a course's rendered HTML."""
    markers = (
        FORMAT,
        markdown.__version__,
        nh3.__version__,
        EXTENSIONS,
        sorted(ALLOWED_TAGS),
        sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
        sorted(URL_SCHEMES),
        LINK_REL,
        LESSON_LINK.pattern,
        lesson_url(course_id, ""),
    )
    return hashlib.sha256(repr(markers).encode()).hexdigest()[:24]


def body_key(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


class RenderCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def read(self, name: str, stamp: str) -> dict[str, Rendered]:
        """Return the renderings kept under name (a course's lessons or scenarios) by text key;
        empty if none fit this stamp."""
        try:
            data = json.loads(self._path(name).read_text(encoding="utf-8"))
            if data.get("stamp") != stamp:
                return {}
            return {
                key: Rendered(
                    html,
                    tuple(TocEntry(*entry) for entry in toc),
                    tuple((target, anchor) for target, anchor in links),
                )
                for key, (html, toc, links) in data["lessons"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def write(self, name: str, stamp: str, lessons: dict[str, Rendered]) -> None:
        """Keep exactly these renderings under name; skip quietly if the folder is read-only."""
        data = {
            "stamp": stamp,
            "lessons": {
                key: [
                    r.html,
                    [[e.level, e.anchor, e.title] for e in r.toc],
                    [list(link) for link in r.lesson_links],
                ]
                for key, r in lessons.items()
            },
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(data))  # one shot: json.dump encodes in Python, 5x slower
            os.replace(temporary, self._path(name))
        except OSError:
            Path(temporary).unlink(missing_ok=True)

"""Render lesson and scenario Markdown to sanitised HTML, once, at load."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import markdown
import nh3

from parley.content.model import TocEntry

EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list", "sane_lists"]

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"
# Built once: nh3.clean converts the allowed sets at every call, most of the cost for a short text.
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL
)
LESSON_LINK = re.compile(r'href="([a-z0-9][a-z0-9-]*)\.md(#[A-Za-z0-9_-]+)?"')


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    lesson_links: tuple[tuple[str, str], ...]


def _flatten(tokens: list[dict]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(token["level"], token["id"], token["name"]))
        entries.extend(_flatten(token.get("children", [])))
    return entries


_converter = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reset between documents (building one is costly)."""
    md = getattr(_converter, "md", None)
    if md is None:
        md = _converter.md = markdown.Markdown(extensions=EXTENSIONS)
        # Prettify only adds newlines between block tags: 5-10% of rendering, nothing shown.
        md.treeprocessors.deregister("prettify")
    return md.reset()


def lesson_url(course_id: str, lesson_id: str) -> str:
    """Where the app serves a lesson; links between lessons are rewritten to it."""
    return f"/courses/{course_id}/lessons/{lesson_id}"


def render(text: str, course_id: str) -> Rendered:
    """Render Markdown; `lesson-id.md#anchor` links become links to that lesson of the course."""
    md = _markdown()
    html = md.convert(text)
    links: list[tuple[str, str]] = []

    def rewrite(match: re.Match[str]) -> str:
        lesson_id, anchor = match.group(1), match.group(2) or ""
        links.append((lesson_id, anchor.lstrip("#")))
        return f'href="{lesson_url(course_id, lesson_id)}{anchor}"'

    html = LESSON_LINK.sub(rewrite, html)
    clean = _SANITISER.clean(html)
    return Rendered(clean, tuple(_flatten(md.toc_tokens)), tuple(links))

"""Render lesson and scenario Markdown to sanitised HTML, once, at load."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import markdown
import nh3

from parley.content.inline import use_triggered_inline
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
TOC_MARKER = "[TOC]"  # a paragraph of just this becomes the lesson's table of contents
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
        md = _converter.md = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs={"toc": {"marker": TOC_MARKER}}
        )
        # Prettify only adds newlines between block tags: a fifth of the cost, nothing shown.
        md.treeprocessors.deregister("prettify")
        use_triggered_inline(md)
    return md.reset()


def render(text: str, lesson_href: Callable[[str], str] | None = None) -> Rendered:
    """Render Markdown; rewrite `lesson-id.md#anchor` links with lesson_href."""
    md = _markdown()
    # Looking for the marker walks the whole tree; most texts cannot contain it. (Markdown
    # drops STX and ETX before parsing, so a text with either may hide one.)
    maybe = TOC_MARKER in text or "\x02" in text or "\x03" in text
    md.treeprocessors["toc"].marker = TOC_MARKER if maybe else ""
    html = md.convert(text)
    links: list[tuple[str, str]] = []

    def rewrite(match: re.Match[str]) -> str:
        lesson_id, anchor = match.group(1), match.group(2) or ""
        links.append((lesson_id, anchor.lstrip("#")))
        target = lesson_href(lesson_id) if lesson_href else lesson_id
        return f'href="{target}{anchor}"'

    html = LESSON_LINK.sub(rewrite, html)
    clean = _SANITISER.clean(html)
    return Rendered(clean, tuple(_flatten(md.toc_tokens)), tuple(links))

"""Split a long list into numbered pages for a page of the site."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    number: int
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The 1-based position of the first item shown (0 when there are none)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def paginate(items: Sequence[Any], number: int, size: int) -> Page:
    """Return page `number` of items; a number past the end shows the last page."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(items[start : start + size], number, pages, len(items), size)


def page_number() -> int:
    """The ?page= of this request (1 when absent); anything but a whole number is a 400."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        abort(400, description="The page must be a whole number, such as 2.")
    return int(raw)

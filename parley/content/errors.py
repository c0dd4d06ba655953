"""Content problems, each tied to the file that has it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file."""

    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity}: {self.path}: {self.message}"


@dataclass
class ContentReport:
    """Every problem found while loading content, in the order found."""

    problems: list[ContentError] = field(default_factory=list)

    def error(self, path: object, message: str) -> None:
        self.problems.append(ContentError(str(path), message))

    def warning(self, path: object, message: str) -> None:
        self.problems.append(ContentError(str(path), message, severity="warning"))

    @property
    def errors(self) -> list[ContentError]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ContentError]:
        return [p for p in self.problems if p.severity == "warning"]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" naming the known id closest to a mistyped one, or "" if none is
    close."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class ContentInvalid(Exception):
    """Raised when content has errors; its message lists every one."""

    def __init__(self, report: ContentReport) -> None:
        self.report = report
        lines = [str(p) for p in report.errors]
        super().__init__(
            f"content has {len(lines)} error(s):\n" + "\n".join(f"  {line}" for line in lines)
        )

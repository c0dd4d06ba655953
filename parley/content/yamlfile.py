"""Read YAML documents and front matter, turning parse errors into report lines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from parley.content.errors import ContentReport
from parley.content.schema import describe

T = TypeVar("T", bound=BaseModel)


# What PyYAML calls the construct it was reading when it gave up, in an author's words.
_CONSTRUCTS = {
    "flow mapping": "the {...} mapping",
    "flow sequence": "the [...] list",
    "quoted scalar": "the quoted text",
    "block mapping": "the mapping",
    "block sequence": "the list",
    "plain scalar": "the value",
    "block collection": "the indented block",
}


def _at(mark: yaml.Mark, first_line: int) -> str:
    return f"line {mark.line + first_line}, column {mark.column + 1}"


def _yaml_problem(exc: yaml.YAMLError, first_line: int) -> str:
    """Where the parser gave up and why, and where the construct it was reading started."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    text = f"bad YAML at {_at(mark, first_line)}: {problem}" if mark else f"bad YAML: {problem}"
    context = getattr(exc, "context", None)
    start = getattr(exc, "context_mark", None)
    if context and start is not None and (mark is None or start.index != mark.index):
        construct = re.sub(r"^while \w+ (an? )?", "", context)  # "while parsing a flow mapping"
        what = _CONSTRUCTS.get(construct, f"the {construct}")
        text += f" (in {what} that starts at {_at(start, first_line)})"
    return text


def read_text(path: Path, report: ContentReport, label: str) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(label, f"cannot be read: {exc}")
        return None


SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


def parse_yaml(text: str, report: ContentReport, label: str, first_line: int = 1) -> Any:
    """The YAML document in text, or None with the problem reported; first_line is the line of
    the file that text starts on, so that reported lines are the file's."""
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        report.error(label, _yaml_problem(exc, first_line))
        return None


def load_yaml(path: Path, report: ContentReport, label: str) -> Any:
    text = read_text(path, report, label)
    return None if text is None else parse_yaml(text, report, label)


def split_front_matter(
    text: str, report: ContentReport, label: str
) -> tuple[dict[str, Any] | None, str]:
    """Return (front matter mapping, Markdown body); report what is wrong."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        report.error(label, "has no front matter (the file must start with a line '---')")
        return None, text
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            data = parse_yaml("".join(lines[1:index]), report, label, first_line=2)
            body = "".join(lines[index + 1 :])
            if data is None and not report_has(report, label):
                report.error(label, "front matter is empty")
            if data is not None and not isinstance(data, dict):
                report.error(label, "front matter must be a mapping of fields")
                return None, body
            return data, body
    report.error(label, "front matter is not closed by a line '---'")
    return None, text


def report_has(report: ContentReport, label: str) -> bool:
    return any(p.path == label for p in report.problems)


def load_spec(
    path: Path, model: type[T], report: ContentReport, label: str
) -> tuple[Any, T | None]:
    """Read a YAML file and validate it as model; return (raw data, spec or None)."""
    data = load_yaml(path, report, label)
    if data is None:
        if not report_has(report, label):
            report.error(label, "is empty")
        return None, None
    try:
        return data, model.model_validate(data)
    except ValidationError as exc:
        report.error(label, describe(exc))
        return data, None

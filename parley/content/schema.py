"""Pydantic shapes of course.yaml and lesson front matter."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModuleSpec(Strict):
    id: Slug
    title: Text
    summary: str = ""


class CourseSpec(Strict):
    title: Text
    summary: Text
    modules: list[ModuleSpec] = Field(min_length=1)


class ObjectiveSpec(Strict):
    id: Slug
    text: Text


class LessonSpec(Strict):
    id: Slug
    title: Text
    minutes: int = Field(gt=0, le=600)
    objectives: list[ObjectiveSpec] = Field(min_length=1)


def describe(error: ValidationError) -> str:
    """Turn a pydantic error into one readable line per problem."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field"
        elif item["type"] == "string_pattern_mismatch":
            message = "must be lower-case letters, digits and hyphens"
        parts.append(f"{where} {message}")
    return "; ".join(parts)

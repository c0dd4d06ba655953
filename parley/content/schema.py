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


ConditionValue = str | list[str] | dict[str, str | list[str]]


class FactValueSpec(Strict):
    label: Text
    meaning: Text


class FactSpec(Strict):
    meaning: Text
    label: Text | None = None  # what a diagnose question calls the fact
    values: dict[Slug, Text | FactValueSpec] = Field(min_length=2)


class LessonSectionSpec(Strict):
    lesson: Slug
    section: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]


class RuleSpec(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=120)]
    when: dict[str, ConditionValue] = Field(default_factory=dict)
    weight: int = Field(default=1, ge=0, le=100)
    because: Text
    teaches: LessonSectionSpec | None = None


class StrategySpec(Strict):
    id: Slug
    name: Text
    kind: str
    statement: Text
    teaches: LessonSectionSpec
    sequence: Slug | None = None
    step: int | None = Field(default=None, ge=1)
    last_resort: bool = False
    recommended: list[RuleSpec] = Field(default_factory=list)
    acceptable: list[RuleSpec] = Field(default_factory=list)
    mistakes: list[RuleSpec] = Field(default_factory=list)


class SequenceSpec(Strict):
    name: Text
    because: Text


class RuleBookSpec(Strict):
    acceptable_credit: float = Field(default=0.5, gt=0, lt=1)
    facts: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], FactSpec]
    sequences: dict[Slug, SequenceSpec] = Field(default_factory=dict)
    strategies: list[StrategySpec] = Field(min_length=1)


class OptionSpec(Strict):
    strategy: Slug
    label: str | None = None
    feedback: str = ""
    next: Slug | None = None


class StepSpec(Strict):
    id: Slug
    situation: Text
    prompt: str = ""
    facts: dict[str, str] = Field(default_factory=dict)
    options: list[Slug | OptionSpec] = Field(min_length=2)


class QuestionSpec(Strict):
    id: Slug
    kind: str
    objectives: list[Slug] = Field(min_length=1)
    scenario: Text
    prompt: str = ""
    facts: dict[str, str] = Field(default_factory=dict)
    options: list[Slug | OptionSpec] = Field(default_factory=list)
    steps: list[StepSpec] = Field(default_factory=list)
    expect: str | list[str] | None = None
    diagnose: list[str] = Field(default_factory=list)  # the facts a diagnose question asks about


class QuizSpec(Strict):
    title: Text
    module: Slug | None = None
    summary: str = ""
    pass_mark: float = Field(default=0.8, gt=0, le=1)
    questions: list[QuestionSpec] = Field(min_length=1)

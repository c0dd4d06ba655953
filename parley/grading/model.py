"""The rule book, questions and results as frozen dataclasses (no Flask, no SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

STRATEGY_KINDS = (
    "strategy",
    "step",
    "walkout-step",
    "no-agreement",
    "commit",
    "principle",
    "mistake",
)
CONFIDENCES = ("sure", "unsure", "guessing")


@dataclass(frozen=True)
class Fact:
    """A fact a scenario states, with its allowed values and what each means.

    label and value_labels are the learner-facing names a diagnose question shows; a fact
    without them can still be stated by scenarios and used by rules.
    """

    name: str
    meaning: str
    values: Mapping[str, str]
    label: str = ""
    value_labels: Mapping[str, str] = field(default_factory=dict)

    def value_label(self, value: str) -> str:
        return self.value_labels.get(value) or value.replace("-", " ")


@dataclass(frozen=True)
class Condition:
    """fact must (or, negated, must not) have one of values."""

    fact: str
    values: frozenset[str]
    negated: bool = False

    def holds(self, facts: Mapping[str, str]) -> bool:
        value = facts.get(self.fact)
        if value is None:
            return False
        return (value in self.values) != self.negated

    def describe(self) -> str:
        values = " or ".join(sorted(self.values))
        return f"{self.fact} is {'not ' if self.negated else ''}{values}"


@dataclass(frozen=True)
class LessonRef:
    """The lesson section that teaches a strategy."""

    lesson_id: str
    anchor: str


@dataclass(frozen=True)
class Rule:
    """When every condition holds, the rule fires and its reason applies."""

    id: str
    strategy_id: str
    verdict: str  # "recommended", "acceptable" (sound, but second-best) or "mistake"
    conditions: tuple[Condition, ...]
    because: str
    weight: int = 1
    teaches: LessonRef | None = None  # where this rule is taught, if not the strategy's section

    def fires(self, facts: Mapping[str, str]) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)


@dataclass(frozen=True)
class Strategy:
    id: str
    name: str
    kind: str
    statement: str
    teaches: LessonRef
    recommended: tuple[Rule, ...] = ()
    mistakes: tuple[Rule, ...] = ()
    sequence: str | None = None
    step: int | None = None
    last_resort: bool = False
    acceptable: tuple[Rule, ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.recommended + self.acceptable + self.mistakes


@dataclass(frozen=True)
class Sequence:
    """An ordered series of steps (e.g. after a walkout), with the reason for the order."""

    id: str
    name: str
    because: str

    @property
    def rule_id(self) -> str:
        return f"sequence:{self.id}"


DEFAULT_ACCEPTABLE_CREDIT = 0.5


@dataclass(frozen=True)
class RuleBook:
    course_id: str
    facts: Mapping[str, Fact]
    strategies: Mapping[str, Strategy]
    sequences: Mapping[str, Sequence] = field(default_factory=dict)
    # The score a second-best ("acceptable") move earns where one best move is asked for.
    acceptable_credit: float = DEFAULT_ACCEPTABLE_CREDIT
    _rules: dict[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rules: dict[str, Rule] = {}
        for strategy in self.strategies.values():
            for rule in strategy.rules:
                rules.setdefault(rule.id, rule)
        object.__setattr__(self, "_rules", rules)

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)


@dataclass(frozen=True)
class Option:
    """A choice offered in a question; it names a strategy."""

    strategy_id: str
    label: str
    feedback: str = ""
    next_step: str | None = None


@dataclass(frozen=True)
class Step:
    """One situation of a branching scenario."""

    id: str
    situation: str
    situation_html: str
    facts: Mapping[str, str]
    options: tuple[Option, ...]
    prompt: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    objectives: tuple[str, ...]
    scenario: str
    scenario_html: str
    prompt: str
    facts: Mapping[str, str]
    options: tuple[Option, ...]
    steps: tuple[Step, ...] = ()
    expect: tuple[str, ...] | None = None
    source: str = ""
    diagnose: tuple[str, ...] = ()  # the facts a diagnose question asks the learner to read

    def option(self, strategy_id: str) -> Option | None:
        return next((o for o in self.options if o.strategy_id == strategy_id), None)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class Response:
    """A learner's answer: the chosen option ids, in the order that matters for the kind.

    best: (choice,); all-that-apply: the picks; order: all options, first to last;
    commit-or-walk: ("commit",) or ("walk", reason); branching: one choice per step taken.
    """

    choices: tuple[str, ...]
    confidence: str | None = None


@dataclass(frozen=True)
class OptionVerdict:
    """What one option turned out to be, and why, citing the rule."""

    strategy_id: str
    label: str
    chosen: bool
    # "right", "second-best" (chosen, acceptable but not the best), "mistake", "missed", or
    # None (not chosen and not in the key)
    verdict: str | None
    rule_id: str | None
    reason: str
    teaches: LessonRef
    note: str = ""
    step_id: str | None = None
    rule_title: str = ""  # the cited rule in words, for learners (the id is for exports)


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    score: float
    verdicts: tuple[OptionVerdict, ...]
    summary: str
    key: tuple[str, ...] = field(default=())

    @property
    def correct(self) -> bool:
        return self.score >= 0.999

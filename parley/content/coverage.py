"""Which objectives each question assesses, and how often each strategy is right or a distractor."""

from __future__ import annotations

from dataclasses import dataclass

from parley.content.model import Course, CourseQuizzes
from parley.grading import Question, derive


@dataclass(frozen=True)
class StrategyCoverage:
    strategy_id: str
    kind: str
    right_in: tuple[str, ...]
    distractor_in: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    objectives: dict[str, tuple[str, ...]]
    strategies: dict[str, StrategyCoverage]


def _roles(quizzes: CourseQuizzes, question: Question) -> tuple[set[str], set[str]]:
    """Return (strategies in the key, strategies offered but not in the key)."""
    key = derive(quizzes.rulebook, question)
    if question.kind == "branching":
        right = {step.best for step in key.steps}
        offered = {o.strategy_id for step in question.steps for o in step.options}
    else:
        right = set(key.answer) - {"walk", "commit"}
        if key.answer == ("commit",):
            right |= {
                o.strategy_id
                for o in question.options
                if quizzes.rulebook.strategies[o.strategy_id].kind == "commit"
            }
        offered = {o.strategy_id for o in question.options}
    return right, offered - right


def coverage(course: Course, quizzes: CourseQuizzes) -> Coverage:
    objectives: dict[str, list[str]] = {objective: [] for objective in course.objectives_by_id}
    right: dict[str, list[str]] = {s: [] for s in quizzes.rulebook.strategies}
    distractor: dict[str, list[str]] = {s: [] for s in quizzes.rulebook.strategies}
    for question in quizzes.questions:
        for objective in question.objectives:
            objectives.setdefault(objective, []).append(question.id)
        if question.kind == "order":
            continue  # every step of an order question is in its key: it proves nothing here
        in_key, others = _roles(quizzes, question)
        for strategy_id in in_key:
            right[strategy_id].append(question.id)
        for strategy_id in others:
            distractor[strategy_id].append(question.id)
    strategies = {
        s.id: StrategyCoverage(s.id, s.kind, tuple(right[s.id]), tuple(distractor[s.id]))
        for s in quizzes.rulebook.strategies.values()
    }
    return Coverage({k: tuple(v) for k, v in objectives.items()}, strategies)


def coverage_table(course: Course, quizzes: CourseQuizzes) -> list[str]:
    """Render the objective x question and strategy coverage tables as text lines."""
    found = coverage(course, quizzes)
    lines = [f"coverage of course '{course.id}':", "  objective                        questions"]
    for objective, questions in found.objectives.items():
        lines.append(f"  {objective:<32} {len(questions):>3}  {' '.join(questions)}")
    lines.append("  strategy                         kind          right  distractor")
    for item in found.strategies.values():
        lines.append(
            f"  {item.strategy_id:<32} {item.kind:<13} {len(item.right_in):>5}  "
            f"{len(item.distractor_in):>10}"
        )
    return lines

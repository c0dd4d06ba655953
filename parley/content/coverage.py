"""Which objectives each question assesses, and how often each strategy is right or a distractor."""

from __future__ import annotations

from dataclasses import dataclass

from parley.content.model import Course, CourseQuizzes
from parley.grading import kind_of


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


def coverage(course: Course, quizzes: CourseQuizzes) -> Coverage:
    objectives: dict[str, list[str]] = {objective: [] for objective in course.objectives_by_id}
    right: dict[str, list[str]] = {s: [] for s in quizzes.rulebook.strategies}
    distractor: dict[str, list[str]] = {s: [] for s in quizzes.rulebook.strategies}
    for quiz in quizzes.quizzes:
        for question in quiz.questions:
            for objective in question.objectives:
                objectives.setdefault(objective, []).append(question.id)
            kind = kind_of(question.kind)
            roles = kind.roles(quizzes.rulebook, question, quiz.keys[question.id])
            if roles is None:
                continue  # the kind cannot show a strategy as a distractor
            in_key, others = roles
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

"""Mastery per objective and confidence calibration, from answers already graded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parley.content.model import Course


@dataclass(frozen=True)
class ObjectiveMastery:
    objective_id: str
    text: str
    answered: int
    share: float | None  # mean score of the latest answers to the questions assessing it

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def mastery(course: Course, latest: Iterable) -> list[ObjectiveMastery]:
    """Mastery of each objective of course from the latest answer to each question."""
    scores: dict[str, list[float]] = {}
    for answer in latest:
        for objective in answer.objectives:
            scores.setdefault(objective, []).append(answer.score)
    found = []
    for objective in course.objectives_by_id.values():
        values = scores.get(objective.id, [])
        share = sum(values) / len(values) if values else None
        found.append(ObjectiveMastery(objective.id, objective.text, len(values), share))
    return found


@dataclass(frozen=True)
class Calibration:
    sure_right: int
    sure_wrong: tuple[int, ...]
    unsure_right: tuple[int, ...]
    unsure_wrong: int
    guessing_right: int
    guessing_wrong: int
    unrated: int

    @property
    def rated(self) -> int:
        return (
            self.sure_right
            + len(self.sure_wrong)
            + len(self.unsure_right)
            + self.unsure_wrong
            + self.guessing_right
            + self.guessing_wrong
        )


def calibration(answers: Iterable) -> Calibration:
    """Count answers by confidence and correctness; wrong-but-sure ones by question number."""
    sure_right = unsure_wrong = guessing_right = guessing_wrong = unrated = 0
    sure_wrong: list[int] = []
    unsure_right: list[int] = []
    for answer in answers:
        if answer.confidence == "sure":
            if answer.correct:
                sure_right += 1
            else:
                sure_wrong.append(answer.position)
        elif answer.confidence == "unsure":
            if answer.correct:
                unsure_right.append(answer.position)
            else:
                unsure_wrong += 1
        elif answer.confidence == "guessing":
            if answer.correct:
                guessing_right += 1
            else:
                guessing_wrong += 1
        else:
            unrated += 1
    return Calibration(
        sure_right,
        tuple(sure_wrong),
        tuple(unsure_right),
        unsure_wrong,
        guessing_right,
        guessing_wrong,
        unrated,
    )

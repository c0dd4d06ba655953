"""Mastery per objective and confidence calibration, from answers already graded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parley.content.model import Course, Lesson


@dataclass(frozen=True)
class ObjectiveMastery:
    objective_id: str
    text: str
    answered: int
    share: float | None  # mean score of the latest answers to the questions assessing it
    lesson_id: str = ""

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
        found.append(
            ObjectiveMastery(objective.id, objective.text, len(values), share, objective.lesson_id)
        )
    return found


def by_lesson(course: Course, objectives: Iterable[ObjectiveMastery]) -> list[tuple[Lesson, list]]:
    """Group objectives under the lesson that teaches each, in course order."""
    groups: dict[str, list[ObjectiveMastery]] = {}
    for item in objectives:
        groups.setdefault(item.lesson_id, []).append(item)
    return [(lesson, groups[lesson.id]) for lesson in course.lessons if lesson.id in groups]


@dataclass(frozen=True)
class MasterySummary:
    """A course's mastery in brief: how many objectives are assessed, and the weakest."""

    assessed: int
    total: int
    weakest: tuple[ObjectiveMastery, ...]


def summarise(objectives: Sequence[ObjectiveMastery], shown: int = 5) -> MasterySummary:
    """Count the assessed objectives and pick the weakest few, lowest share first."""
    assessed = [o for o in objectives if o.share is not None]
    weakest = sorted(assessed, key=lambda o: o.share)[:shown]
    return MasterySummary(len(assessed), len(objectives), tuple(weakest))


@dataclass(frozen=True)
class Calibration:
    """How confidence matched the answers: right (full score), partly right (a second-best
    move, or part of an answer), wrong; wrong-but-sure and right-but-unsure by question number."""

    sure_right: int
    sure_wrong: tuple[int, ...]
    unsure_right: tuple[int, ...]
    unsure_wrong: int
    guessing_right: int
    guessing_wrong: int
    unrated: int
    sure_partly: tuple[int, ...] = ()
    unsure_partly: int = 0
    guessing_partly: int = 0

    @property
    def rated(self) -> int:
        return (
            self.sure_right
            + len(self.sure_wrong)
            + len(self.sure_partly)
            + len(self.unsure_right)
            + self.unsure_wrong
            + self.unsure_partly
            + self.guessing_right
            + self.guessing_wrong
            + self.guessing_partly
        )


def calibration(answers: Iterable) -> Calibration:
    """Count answers by confidence and by right, partly right or wrong; wrong-but-sure,
    partly-right-but-sure and right-but-unsure ones by question number."""
    sure_right = unsure_wrong = guessing_right = guessing_wrong = unrated = 0
    unsure_partly = guessing_partly = 0
    sure_wrong: list[int] = []
    sure_partly: list[int] = []
    unsure_right: list[int] = []
    for answer in answers:
        partly = not answer.correct and answer.score > 0
        if answer.confidence == "sure":
            if answer.correct:
                sure_right += 1
            elif partly:
                sure_partly.append(answer.position)
            else:
                sure_wrong.append(answer.position)
        elif answer.confidence == "unsure":
            if answer.correct:
                unsure_right.append(answer.position)
            elif partly:
                unsure_partly += 1
            else:
                unsure_wrong += 1
        elif answer.confidence == "guessing":
            if answer.correct:
                guessing_right += 1
            elif partly:
                guessing_partly += 1
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
        tuple(sure_partly),
        unsure_partly,
        guessing_partly,
    )

"""Flip-one-fact pairs: two questions of a course whose stated facts differ in exactly one,
and whose keys differ. They teach that the situation decides the move."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from parley.content.model import CourseQuizzes
from parley.grading import Question


@dataclass(frozen=True)
class FlipPair:
    first: str
    second: str
    fact: str
    values: tuple[str, str]
    keys: tuple[tuple[str, ...], tuple[str, ...]]


def stated_facts(question: Question) -> dict[str, str]:
    """The facts a question states; a branching question's are its own and its first step's."""
    facts = dict(question.facts)
    if question.steps:
        facts.update(question.steps[0].facts)
    return facts


def flip_pairs(quizzes: CourseQuizzes) -> list[FlipPair]:
    """Every pair of questions of the same kind that differ in exactly one stated fact and
    have different keys."""
    questions = [
        (question, quiz.keys[question.id].answer)
        for quiz in quizzes.quizzes
        for question in quiz.questions
    ]
    pairs = []
    for (one, one_key), (other, other_key) in combinations(questions, 2):
        if one.kind != other.kind or one_key == other_key:
            continue
        facts, other_facts = stated_facts(one), stated_facts(other)
        if facts.keys() != other_facts.keys():
            continue
        differing = [name for name in facts if facts[name] != other_facts[name]]
        if len(differing) == 1:
            name = differing[0]
            pairs.append(
                FlipPair(
                    one.id,
                    other.id,
                    name,
                    (facts[name], other_facts[name]),
                    (one_key, other_key),
                )
            )
    return pairs


def flip_pairs_table(course_id: str, pairs: list[FlipPair]) -> list[str]:
    lines = [f"flip-one-fact pairs of course '{course_id}': {len(pairs)}"]
    for pair in pairs:
        lines.append(
            f"  {pair.first} / {pair.second}: {pair.fact} {pair.values[0]} -> {pair.values[1]}"
            f" changes the key from {' '.join(pair.keys[0])} to {' '.join(pair.keys[1])}"
        )
    return lines

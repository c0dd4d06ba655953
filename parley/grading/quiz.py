"""Grade a whole quiz: each question, the mean score and pass or fail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parley.grading.derive import Key
from parley.grading.kinds import grade
from parley.grading.model import Question, QuestionResult, Response, RuleBook


@dataclass(frozen=True)
class QuizResult:
    results: tuple[QuestionResult, ...]
    score: float
    pass_mark: float

    @property
    def passed(self) -> bool:
        return self.score + 1e-9 >= self.pass_mark


def grade_quiz(
    book: RuleBook,
    questions: Sequence[Question],
    responses: Mapping[str, Response],
    pass_mark: float,
    keys: Mapping[str, Key] | None = None,
) -> QuizResult:
    """Grade every question (against keys by question id, derived where not given); raise
    ResponseError, naming the question, if a response does not fit."""
    keys = keys or {}
    results = []
    for number, question in enumerate(questions, start=1):
        try:
            results.append(grade(book, question, responses[question.id], keys.get(question.id)))
        except ValueError as exc:
            raise type(exc)(f"Question {number}: {exc}") from exc
    score = sum(r.score for r in results) / len(results) if results else 0.0
    return QuizResult(tuple(results), round(score, 4), pass_mark)

"""How well a learner who answers without reading would do at each quiz.

Four such learners take each quiz many times, each time with the choices in a fresh random
order, drawn as the quiz page draws them (`shuffled`, with a seed in place of a token):

- **first** takes the first choice shown in every group (the first half in all-that-apply, the
  order shown in ordering);
- **last** mirrors first;
- **longest** takes the longest label (the longer half; the longest first);
- **eliminator** strikes out strategies that are never right anywhere in the course and picks
  at random among the rest (in all-that-apply, each remaining option with probability one half).

A quiz is guessable when any of them scores, on average, at or above the pass mark minus
`MARGIN`. `content check` prints the table and fails on a guessable quiz.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from parley.content.coverage import coverage
from parley.content.errors import ContentReport
from parley.content.model import Course, CourseQuizzes, Quiz
from parley.grading import RuleBook, kind_of
from parley.grading.kinds.base import Guesser, Shown, shuffled
from parley.grading.model import Response
from parley.grading.quiz import grade_quiz

MARGIN = 0.20  # a blind learner must stay this far below the pass mark
ATTEMPTS = 200  # simulated attempts per learner and quiz
NEVER_RIGHT_SHARE = 0.30  # above this share of never-right distractors, warn
_SEED = b"parley guessability"


def _half(shown: Shown) -> int:
    return (len(shown) + 1) // 2


class First:
    name = "first"

    def one(self, shown: Shown) -> str:
        return shown[0][0]

    def some(self, shown: Shown) -> list[str]:
        return [choice for choice, _ in shown[: _half(shown)]]

    def order(self, shown: Shown) -> list[str]:
        return [choice for choice, _ in shown]


class Last:
    name = "last"

    def one(self, shown: Shown) -> str:
        return shown[-1][0]

    def some(self, shown: Shown) -> list[str]:
        return [choice for choice, _ in shown[-_half(shown) :]]

    def order(self, shown: Shown) -> list[str]:
        return [choice for choice, _ in reversed(shown)]


class Longest:
    name = "longest"

    @staticmethod
    def _by_length(shown: Shown) -> list[str]:
        return [choice for choice, _ in sorted(shown, key=lambda c: -len(c[1]))]

    def one(self, shown: Shown) -> str:
        return self._by_length(shown)[0]

    def some(self, shown: Shown) -> list[str]:
        return self._by_length(shown)[: _half(shown)]

    def order(self, shown: Shown) -> list[str]:
        return self._by_length(shown)


class Eliminator:
    name = "eliminator"

    def __init__(self, never_right: set[str], rng: random.Random) -> None:
        self.never_right = never_right
        self.rng = rng

    def _left(self, shown: Shown) -> list[str]:
        left = [choice for choice, _ in shown if choice not in self.never_right]
        return left or [choice for choice, _ in shown]

    def one(self, shown: Shown) -> str:
        return self.rng.choice(self._left(shown))

    def some(self, shown: Shown) -> list[str]:
        left = self._left(shown)
        picked = [choice for choice in left if self.rng.random() < 0.5]
        return picked or [self.rng.choice(left)]  # the form asks for at least one

    def order(self, shown: Shown) -> list[str]:
        ids = [choice for choice, _ in shown]
        self.rng.shuffle(ids)
        return ids


LEARNERS = ("first", "last", "longest", "eliminator")


@dataclass(frozen=True)
class BlindScore:
    """One blind learner's results over the simulated attempts at a quiz."""

    learner: str
    mean: float
    best: float
    passes: int
    attempts: int


@dataclass(frozen=True)
class Guessability:
    quiz: Quiz
    scores: tuple[BlindScore, ...]
    distractors: int
    never_right_distractors: int

    @property
    def limit(self) -> float:
        return round(self.quiz.pass_mark - MARGIN, 4)

    @property
    def too_guessable(self) -> tuple[BlindScore, ...]:
        return tuple(s for s in self.scores if s.mean + 1e-9 >= self.limit)

    @property
    def never_right_share(self) -> float:
        return self.never_right_distractors / self.distractors if self.distractors else 0.0


def never_right(course: Course, quizzes: CourseQuizzes) -> set[str]:
    """Strategies no question of the course has in its key."""
    found = coverage(course, quizzes)
    return {s.strategy_id for s in found.strategies.values() if not s.right_in}


def blind_attempts(
    quiz: Quiz,
    book: RuleBook,
    learner: Callable[[int], Guesser],
    attempts: int = ATTEMPTS,
) -> list[float]:
    """The scores of `attempts` blind attempts, attempt n made by learner(n) over the n-th
    random order."""
    scores = []
    for n in range(attempts):
        arrange = shuffled(_SEED, f"{quiz.course_id}/{quiz.id}/{n}")
        guesser = learner(n)
        responses = {
            q.id: Response(kind_of(q.kind).guess(q, book, arrange, guesser)) for q in quiz.questions
        }
        scores.append(grade_quiz(book, quiz.questions, responses, quiz.pass_mark, quiz.keys).score)
    return scores


def _learner(name: str, struck: set[str]) -> Callable[[int], Guesser]:
    if name == "eliminator":
        return lambda n: Eliminator(struck, random.Random(n))
    fixed = {"first": First(), "last": Last(), "longest": Longest()}[name]
    return lambda _n: fixed


def guessability(
    course: Course, quizzes: CourseQuizzes, attempts: int = ATTEMPTS
) -> list[Guessability]:
    """Each quiz of the course, with how the four blind learners score at it."""
    struck = never_right(course, quizzes)
    found = []
    for quiz in quizzes.quizzes:
        scores = []
        for name in LEARNERS:
            results = blind_attempts(quiz, quizzes.rulebook, _learner(name, struck), attempts)
            passes = sum(1 for score in results if score + 1e-9 >= quiz.pass_mark)
            scores.append(
                BlindScore(name, sum(results) / len(results), max(results), passes, len(results))
            )
        distractors = never = 0
        for question in quiz.questions:
            roles = kind_of(question.kind).roles(quizzes.rulebook, question, quiz.keys[question.id])
            if roles is None:
                continue
            distractors += len(roles[1])
            never += len(roles[1] & struck)
        found.append(Guessability(quiz, tuple(scores), distractors, never))
    return found


def guessability_table(found: list[Guessability]) -> list[str]:
    """The report as text lines, one block per quiz."""
    lines = []
    for item in found:
        quiz = item.quiz
        lines.append(
            f"guessability of quiz '{quiz.course_id}/{quiz.id}' (pass mark "
            f"{quiz.pass_mark:.0%}, a blind learner must stay under {item.limit:.0%}):"
        )
        lines.append("  learner      mean   best  passed")
        for score in item.scores:
            lines.append(
                f"  {score.learner:<10} {score.mean:>5.0%} {score.best:>6.0%}  "
                f"{score.passes}/{score.attempts}"
            )
        lines.append(
            f"  never-right distractors: {item.never_right_distractors} of {item.distractors}"
            f" ({item.never_right_share:.0%})"
        )
    return lines


def report_guessability(found: list[Guessability], report: ContentReport) -> None:
    """An error for each quiz a blind learner could pass, and a warning for each quiz whose
    distractors are mostly strategies that are never right."""
    for item in found:
        quiz = item.quiz
        where = quiz.questions[0].source if quiz.questions else f"{quiz.course_id}/{quiz.id}"
        for score in item.too_guessable:
            report.error(
                where,
                f"quiz '{quiz.id}' can be passed without reading: the {score.learner} learner "
                f"scores {score.mean:.0%} on average, at or above {item.limit:.0%} (the pass "
                f"mark minus {MARGIN:.0%})",
            )
        if item.never_right_share > NEVER_RIGHT_SHARE:
            report.warning(
                where,
                f"quiz '{quiz.id}': {item.never_right_share:.0%} of its distractors are "
                "strategies that are never right anywhere in the course (more than "
                f"{NEVER_RIGHT_SHARE:.0%}); a learner who strikes them out guesses better",
            )

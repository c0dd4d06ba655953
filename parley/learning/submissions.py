"""Turn a submitted quiz form into a stored attempt, or into a form to show again."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from parley.content.model import Quiz
from parley.grading import ResponseError, RuleBook
from parley.grading.kinds import orders_shown
from parley.grading.kinds.base import Arrangement, as_authored
from parley.grading.quiz import grade_quiz
from parley.learning import attempts
from parley.learning.answers import ParsedAnswers, parse_answers

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass
class Submission:
    """What happened: an attempt id to show, or a form to show again with messages."""

    attempt_id: int | None = None
    parsed: ParsedAnswers = field(default_factory=ParsedAnswers)
    messages: list[str] = field(default_factory=list)
    status: int = 200
    repeated: bool = False


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def submit_quiz(
    session: Session,
    *,
    user_id: int,
    quiz: Quiz,
    book: RuleBook,
    form,
    lesson_titles: dict[str, str],
    order_for: Callable[[str], Arrangement] = lambda _token: as_authored,
) -> Submission:
    """Validate, grade and record one submission, with the order its form showed the choices
    in (order_for gives it from the submission token); never commits."""
    token = form.get("submission", "")
    if not TOKEN.match(token):
        return Submission(messages=["This form is incomplete; reload the quiz."], status=400)
    existing = attempts.find_attempt_by_token(session, user_id, token)
    if existing is not None:
        return Submission(attempt_id=existing, repeated=True)
    parsed = parse_answers(quiz.questions, book, form)
    if form.get("quiz_version") != quiz.version:
        return Submission(
            parsed=parsed,
            status=409,
            messages=[
                "This quiz was updated after you opened it, so nothing was saved. Your answers "
                "to the questions that are still here are filled in below: check them and "
                "submit again."
            ],
        )
    if parsed.problems:
        return Submission(parsed=parsed, status=400, messages=parsed.problems)
    if form.get("advance"):
        return Submission(parsed=parsed)
    messages = []
    if parsed.unfinished:
        messages.append(
            f"The scenario in question {_numbers(parsed.unfinished)} continues: make your next "
            "choice, then submit."
        )
    if parsed.missing:
        messages.append(f"Please answer question {_numbers(parsed.missing)} before submitting.")
    if messages:
        return Submission(parsed=parsed, status=400, messages=messages)
    try:
        graded = grade_quiz(book, quiz.questions, parsed.responses, quiz.pass_mark, quiz.keys)
    except ResponseError as exc:
        return Submission(parsed=parsed, status=400, messages=[str(exc)])
    arrange = order_for(token)
    attempt_id = attempts.record_attempt(
        session,
        user_id=user_id,
        quiz=quiz,
        book=book,
        token=token,
        graded=graded,
        responses=parsed.responses,
        lesson_titles=lesson_titles,
        shown=orders_shown(quiz.questions, book, arrange),
    )
    return Submission(attempt_id=attempt_id)

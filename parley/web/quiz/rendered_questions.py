"""The quiz page's questions as HTML: each question is drawn once, and its choices are placed in
the attempt's own order on every request.

Drawing a dozen questions is most of the quiz page's cost. Measured in process (instructions
counted by callgrind): drawing them on each request made the quiz page cost 34% more (make
bench, quiz page). Every attempt shows its choices in its own order, so a cache of whole forms
would miss on every request; instead a question is drawn once in the authored order, each choice
wrapped in a marker by the `shown_choice` macro (templates/quiz/_choices.html), and split into a
`Drawn` question: the text around the choices, and each choice's HTML by group and id. Placing
the choices in an order is a join.

The drawn questions of a quiz are kept per app under (course, quiz, quiz version): the version
covers its questions and rule book, and the course its scenario links; the templates do not
change while the app runs. So nothing needs invalidating: an edited quiz has a new version.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Flask, current_app, render_template
from markupsafe import Markup

from parley.content.model import Quiz
from parley.grading import RuleBook
from parley.grading.kinds.base import Arrangement, as_authored
from parley.learning.answers import ParsedAnswers
from parley.web.quiz.view import question_form

EXTENSION = "parley_drawn_questions"
_CHOICE = re.compile(r"<!--choice (\S+) (\S+)-->(.*?)<!--/choice-->", re.DOTALL)


@dataclass(frozen=True)
class Drawn:
    """A question's HTML with its choices taken out: `pieces` is the text around them, with an
    empty slot where each choice goes; `groups` gives, per part id, the slots of its choices in
    the document and each choice's HTML by id."""

    pieces: tuple[str, ...]
    groups: tuple[tuple[str, tuple[int, ...], dict[str, str]], ...]

    def html(self, arrange: Arrangement) -> Markup:
        """The question with each group's choices in the order arrange gives."""
        pieces = list(self.pieces)
        for part, slots, by_id in self.groups:
            for slot, choice in zip(slots, arrange(part, tuple(by_id)), strict=True):
                pieces[slot] = by_id[choice]
        return Markup("".join(pieces))


def drawn(html: str) -> Drawn:
    """Split a question drawn in the authored order at its choice markers."""
    pieces: list[str] = []
    groups: dict[str, tuple[list[int], dict[str, str]]] = {}
    end = 0
    for match in _CHOICE.finditer(html):
        pieces.append(html[end : match.start()])
        part, choice, choice_html = match.groups()
        slots, by_id = groups.setdefault(part, ([], {}))
        slots.append(len(pieces))
        by_id[choice] = choice_html
        pieces.append("")
        end = match.end()
    pieces.append(html[end:])
    return Drawn(
        tuple(pieces),
        tuple((part, tuple(slots), by_id) for part, (slots, by_id) in groups.items()),
    )


class DrawnQuizzes:
    """The drawn questions of up to `capacity` quizzes; when full it starts again.

    Reads take no lock: a dict lookup is atomic, and two requests drawing the same quiz at
    once both store the same questions.
    """

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._kept: dict[Hashable, tuple[Drawn, ...]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[Drawn, ...] | None:
        return self._kept.get(key)

    def keep(self, key: Hashable, questions: tuple[Drawn, ...]) -> tuple[Drawn, ...]:
        with self._lock:
            if len(self._kept) >= self._capacity:
                self._kept.clear()
            self._kept[key] = questions
        return questions


def _draw(quiz: Quiz, book: RuleBook, parsed: ParsedAnswers | None) -> tuple[Drawn, ...]:
    return tuple(
        drawn(
            render_template("quiz/_question.html", q=question_form(number, question, book, parsed))
        )
        for number, question in enumerate(quiz.questions, start=1)
    )


def questions_html(
    quiz: Quiz,
    book: RuleBook,
    parsed: ParsedAnswers | None = None,
    arrange: Arrangement = as_authored,
) -> Markup:
    """The quiz's questions as form fields, each group of choices in the order arrange gives,
    with what was sent filled in when parsed is given."""
    if parsed is not None:
        questions = _draw(quiz, book, parsed)
    else:
        kept: DrawnQuizzes = current_app.extensions[EXTENSION]
        key = (quiz.course_id, quiz.id, quiz.version)
        questions = kept.get(key) or kept.keep(key, _draw(quiz, book, None))
    return Markup("").join(question.html(arrange) for question in questions)


def register_drawn_questions(app: Flask) -> None:
    app.extensions[EXTENSION] = DrawnQuizzes()

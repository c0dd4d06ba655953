"""The quiz page's questions as HTML; the blank form is kept per app, keyed by what it shows.

Drawing a dozen questions is most of the quiz page's cost. A blank form's HTML depends on the
course (its scenarios link to the course's lessons), the quiz, the quiz's version (its
questions and rule book), the order each group of choices is shown in, and the templates,
which do not change while the app runs. The first four are the key, so nothing needs
invalidating: an edited quiz has a new version, another order is another entry. Measured in
process (instructions counted by callgrind): drawing the questions on each request made the
quiz page cost 34% more (make bench, quiz page).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from flask import Flask, current_app, render_template
from markupsafe import Markup

from parley.content.model import Quiz
from parley.grading import RuleBook, kind_of
from parley.grading.kinds.base import Arrangement, as_authored
from parley.learning.answers import ParsedAnswers
from parley.web.quiz.view import QuestionForm, question_form

EXTENSION = "parley_blank_questions"


class BlankQuestions:
    """The HTML of blank quiz forms drawn, up to `capacity` of them; when full it starts again.

    Reads take no lock: a dict lookup is atomic, and two requests drawing the same form at
    once both store the same HTML.
    """

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._kept: dict[Hashable, Markup] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Markup | None:
        return self._kept.get(key)

    def keep(self, key: Hashable, html: Markup) -> Markup:
        with self._lock:
            if len(self._kept) >= self._capacity:
                self._kept.clear()
            self._kept[key] = html
        return html


def draw(form: QuestionForm) -> Markup:
    return Markup(render_template("quiz/_question.html", q=form))


def questions_html(
    quiz: Quiz,
    book: RuleBook,
    parsed: ParsedAnswers | None = None,
    arrange: Arrangement = as_authored,
) -> Markup:
    """The quiz's questions as form fields, with what was sent filled in when parsed is given."""
    if parsed is not None:
        return Markup("").join(
            draw(question_form(number, question, book, parsed, arrange))
            for number, question in enumerate(quiz.questions, start=1)
        )
    kept: BlankQuestions = current_app.extensions[EXTENSION]
    shown = None if arrange is as_authored else _orders_shown(quiz, book, arrange)
    key = (quiz.course_id, quiz.id, quiz.version, shown)
    html = kept.get(key)
    if html is None:
        forms = (
            question_form(number, question, book, None, arrange)
            for number, question in enumerate(quiz.questions, start=1)
        )
        html = kept.keep(key, Markup("").join(draw(form) for form in forms))
    return html


def _orders_shown(quiz: Quiz, book: RuleBook, arrange: Arrangement) -> tuple:
    """The order each group of each question's choices is shown in."""
    return tuple(
        tuple(arrange(part, ids))
        for question in quiz.questions
        for part, ids in kind_of(question.kind).choice_groups(question, book)
    )


def register_blank_questions(app: Flask) -> None:
    app.extensions[EXTENSION] = BlankQuestions()

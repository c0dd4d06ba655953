"""Each question's form HTML, kept per app and keyed by everything it is drawn from.

The quiz page draws a dozen questions; drawing them is most of its cost. A question's HTML
is a pure function of its QuestionForm (text, choices in the order shown, what is filled in)
and of the templates, which do not change while the app runs. So the QuestionForm itself is
the key: nothing needs invalidating, an edited question has a new form, and a different order
of options is a different entry. Measured with `make bench`: without it the quiz page's
ratio fell from 0.54 to 0.XX (docs/benchmark.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, current_app, render_template
from markupsafe import Markup

from parley.web.quiz.view import QuestionForm

EXTENSION = "parley_rendered_questions"


class RenderedQuestions:
    """The HTML of the most recently drawn question forms, at most `capacity` of them."""

    def __init__(self, capacity: int = 2048) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[QuestionForm, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def html(self, form: QuestionForm) -> Markup:
        try:
            hash(form)
        except TypeError:  # a kind whose form body is not hashable is drawn every time
            return _draw(form)
        with self._lock:
            found = self._kept.get(form)
            if found is not None:
                self._kept.move_to_end(form)
                return found
        drawn = _draw(form)
        with self._lock:
            self._kept[form] = drawn
            while len(self._kept) > self._capacity:
                self._kept.popitem(last=False)
        return drawn


def _draw(form: QuestionForm) -> Markup:
    return Markup(render_template("quiz/_question.html", q=form))


def questions_html(forms: list[QuestionForm]) -> Markup:
    """The questions' form HTML, in order."""
    kept: RenderedQuestions = current_app.extensions[EXTENSION]
    return Markup("").join(kept.html(form) for form in forms)


def register_rendered_questions(app: Flask) -> None:
    app.extensions[EXTENSION] = RenderedQuestions()

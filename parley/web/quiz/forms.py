"""A quiz's questions as form fields; the blank form is rendered once per quiz version."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from markupsafe import Markup

from parley.content.model import Quiz
from parley.grading import RuleBook
from parley.learning.answers import ParsedAnswers
from parley.web.quiz.view import quiz_view


def questions_html(quiz: Quiz, book: RuleBook, parsed: ParsedAnswers | None = None) -> Markup:
    """Render the questions, with a learner's answers filled in when parsed is given."""
    if parsed is not None:
        return _render(quiz, book, parsed)
    blank_forms: dict = current_app.extensions["parley_blank_quiz_forms"]
    key = (quiz.course_id, quiz.id, quiz.version)
    if key not in blank_forms:
        blank_forms[key] = _render(quiz, book)
    return blank_forms[key]


def _render(quiz: Quiz, book: RuleBook, parsed: ParsedAnswers | None = None) -> Markup:
    questions = quiz_view(quiz.questions, book, parsed)
    return Markup(render_template("quiz/_questions.html", questions=questions))


def register_blank_forms(app: Flask) -> None:
    app.extensions["parley_blank_quiz_forms"] = {}

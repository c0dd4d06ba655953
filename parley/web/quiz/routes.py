"""Take a quiz, see its result, review past attempts."""

import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from parley.extensions import db
from parley.grading.kinds.base import Arrangement, shuffled
from parley.learning import attempts
from parley.learning.mastery import calibration
from parley.learning.overview import QuizStatus, quiz_status
from parley.learning.submissions import TOKEN, Submission, submit_quiz
from parley.web.quiz.rendered_questions import questions_html
from parley.web.quiz.view import review_items
from parley.web.support.current import course_or_404, library
from parley.web.support.pagination import page_number, paginate

blueprint = Blueprint("quiz", __name__)
HISTORY_PAGE_SIZE = 50  # past attempts a page


def _quiz_or_404(course_id: str, quiz_id: str):
    course = course_or_404(course_id)
    quiz = library().quiz(course_id, quiz_id)
    if quiz is None:
        abort(404, description="This course has no such quiz.")
    return course, quiz, library().quizzes(course_id).rulebook


def _my_status(course, quiz) -> QuizStatus:
    records = attempts.quiz_records(db.session, current_user.id, course.id, quiz.id)
    return quiz_status(quiz, records.get(course.id, {}))


def _order_for(token: str) -> Arrangement:
    """The order a form with this submission token shows its choices in (see `shuffled`)."""
    secret = current_app.secret_key
    return shuffled(secret.encode() if isinstance(secret, str) else secret, token)


def _render_quiz(course, quiz, book, parsed=None, messages=(), token=None, status=200):
    if not token or not TOKEN.match(token):
        token = secrets.token_urlsafe(24)
    page = render_template(
        "quiz/take.html",
        course=course,
        module=course.module(quiz.module_id) if quiz.module_id else None,
        quiz=quiz,
        questions_html=questions_html(quiz, book, parsed, _order_for(token)),
        status=_my_status(course, quiz),
        messages=messages,
        token=token,
    )
    return page, status


@blueprint.get("/courses/<course_id>/quizzes/<quiz_id>")
@login_required
def take(course_id: str, quiz_id: str):
    course, quiz, book = _quiz_or_404(course_id, quiz_id)
    return _render_quiz(course, quiz, book)


@blueprint.post("/courses/<course_id>/quizzes/<quiz_id>")
@login_required
def submit(course_id: str, quiz_id: str):
    course, quiz, book = _quiz_or_404(course_id, quiz_id)
    titles = {lesson.id: lesson.title for lesson in course.lessons}
    try:
        outcome = submit_quiz(
            db.session,
            user_id=current_user.id,
            quiz=quiz,
            book=book,
            form=request.form,
            lesson_titles=titles,
            order_for=_order_for,
        )
        if outcome.attempt_id is not None:
            db.session.commit()
    except IntegrityError:
        # A twin request with the same submission token was stored first: show that one.
        db.session.rollback()
        existing = attempts.find_attempt_by_token(
            db.session, current_user.id, request.form["submission"]
        )
        if existing is None:
            raise
        outcome = Submission(attempt_id=existing, repeated=True)
    if outcome.attempt_id is None:
        db.session.rollback()
        return _render_quiz(
            course,
            quiz,
            book,
            outcome.parsed,
            outcome.messages,
            request.form.get("submission"),
            outcome.status,
        )
    return redirect(
        url_for(".attempt", course_id=course.id, quiz_id=quiz.id, attempt_id=outcome.attempt_id),
        code=303,
    )


@blueprint.get("/courses/<course_id>/quizzes/<quiz_id>/attempts/<int:attempt_id>")
@login_required
def attempt(course_id: str, quiz_id: str, attempt_id: int):
    course = course_or_404(course_id)
    found = attempts.attempt_with_answers(db.session, current_user.id, attempt_id)
    if found is None or found[0].course_id != course_id or found[0].quiz_id != quiz_id:
        abort(404, description="There is no such attempt of yours.")
    row, answers = found
    quiz = library().quiz(course_id, quiz_id)
    return render_template(
        "quiz/result.html",
        course=course,
        quiz=quiz,
        quiz_title=quiz.title if quiz else quiz_id,
        attempt=row,
        items=review_items(answers, course),
        calibration=calibration(answers),
        status=_my_status(course, quiz) if quiz else None,
    )


@blueprint.get("/courses/<course_id>/quizzes/<quiz_id>/attempts")
@login_required
def history(course_id: str, quiz_id: str):
    course, quiz, _ = _quiz_or_404(course_id, quiz_id)
    found = attempts.attempts_for(db.session, current_user.id, course.id, quiz.id)
    return render_template(
        "quiz/history.html",
        course=course,
        quiz=quiz,
        status=_my_status(course, quiz),
        attempts=paginate(found, page_number(), HISTORY_PAGE_SIZE),
    )

"""Landing page, catalogue, course, module and lesson pages, and the learner dashboard."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from parley.extensions import db
from parley.learning import attempts, progress
from parley.learning.mastery import by_lesson, mastery
from parley.learning.overview import course_overview, neighbours
from parley.web.learn.dashboard import learner_dashboard
from parley.web.support.current import course_or_404, library
from parley.web.support.dates import now

blueprint = Blueprint("learn", __name__)


def _my_states(course_id: str | None = None) -> dict:
    if not current_user.is_authenticated:
        return {}
    return progress.lesson_states(db.session, current_user.id, course_id)


def _my_overview(course, states: dict | None = None, records: dict | None = None):
    """Return the current account's progress in one course, from states and records if given."""
    if records is None:
        records = attempts.quiz_records(db.session, current_user.id, course.id)
    return course_overview(
        course,
        _my_states(course.id) if states is None else states,
        library().quizzes(course.id),
        records.get(course.id, {}),
    )


@blueprint.get("/")
def landing():
    return render_template("learn/landing.html", courses=library().courses)


@blueprint.get("/courses")
def catalogue():
    states = _my_states()
    overviews = [course_overview(course, states) for course in library().courses]
    return render_template("learn/catalogue.html", overviews=overviews)


@blueprint.get("/courses/<course_id>")
@login_required
def course(course_id: str):
    found = course_or_404(course_id)
    return render_template("learn/course.html", overview=_my_overview(found))


@blueprint.get("/courses/<course_id>/modules/<module_id>")
@login_required
def module(course_id: str, module_id: str):
    found = course_or_404(course_id)
    overview = _my_overview(found).module(module_id)
    if overview is None:
        abort(404, description="This course has no such module.")
    return render_template("learn/module.html", course=found, overview=overview)


@blueprint.get("/courses/<course_id>/lessons/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str):
    found = course_or_404(course_id)
    item = found.lessons_by_id.get(lesson_id)
    if item is None:
        abort(404, description="This course has no such lesson.")
    state, changed = progress.record_lesson_opened(
        db.session, current_user.id, course_id, lesson_id
    )
    if changed:
        db.session.commit()
    previous, following = neighbours(found, item)
    return render_template(
        "learn/lesson.html",
        course=found,
        module=found.module(item.module_id),
        lesson=item,
        state=state,
        previous=previous,
        following=following,
    )


@blueprint.post("/courses/<course_id>/lessons/<lesson_id>/complete")
@login_required
def complete_lesson(course_id: str, lesson_id: str):
    found = course_or_404(course_id)
    item = found.lessons_by_id.get(lesson_id)
    if item is None:
        abort(404, description="This course has no such lesson.")
    progress.mark_lesson_complete(db.session, current_user.id, course_id, lesson_id)
    db.session.commit()
    flash(f"Marked “{item.title}” complete.", "success")
    _, following = neighbours(found, item)
    if following is not None:
        return redirect(url_for(".lesson", course_id=course_id, lesson_id=following.id))
    return redirect(url_for(".course", course_id=course_id))


@blueprint.get("/dashboard")
@login_required
def dashboard():
    found = learner_dashboard(db.session, library(), current_user.id, now())
    return render_template("learn/dashboard.html", dashboard=found)


@blueprint.get("/courses/<course_id>/mastery")
@login_required
def mastery_page(course_id: str):
    found = course_or_404(course_id)
    latest = attempts.latest_answers(
        db.session, current_user.id, library().objectives_by_version, course_id
    )
    objectives = mastery(found, latest.get(course_id, ()))
    return render_template(
        "learn/mastery.html",
        course=found,
        sections=by_lesson(found, objectives),
        assessed=any(item.share is not None for item in objectives),
    )

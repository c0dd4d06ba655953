"""Instructor pages: cohorts, assignments, readiness, learners, analysis, exports, debrief."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from parley.accounts.reset import ResetRefused
from parley.cohorts import exports, membership
from parley.cohorts.debrief import question_debrief
from parley.cohorts.readiness import (
    cohort_readiness,
    question_analysis,
)
from parley.cohorts.snapshots import CohortSnapshot
from parley.extensions import db
from parley.learning import attempts, progress
from parley.web.auth.reset import make_instructor_link
from parley.web.instructor.forms import AssignForm, CohortForm, CohortTimeZoneForm, ExtensionForm
from parley.web.quiz.view import kind_template, review_items
from parley.web.support.current import library
from parley.web.support.dates import cohort_today, day
from parley.web.support.headers import no_store
from parley.web.support.pagination import page_number, paginate
from parley.web.support.urls import absolute_url, site_root

blueprint = Blueprint("instructor", __name__, url_prefix="/instructor")
SORTS = {"name": "Name", "readiness": "Most ready first", "readiness-asc": "Least ready first"}
GRID_PAGE_SIZE = 50  # learners per page of the readiness grid


@blueprint.before_request
@login_required
def require_instructor():
    if not current_user.is_instructor:
        abort(403, description="Only instructors can open instructor pages.")


def _cohort_or_404(cohort_id: int):
    cohort = membership.owned_cohort(db.session, current_user.id, cohort_id)
    if cohort is None:
        abort(404, description="You have no cohort at this address.")
    return cohort


def _member_or_404(cohort, user_id: int):
    member = next(iter(membership.members_of(db.session, cohort.id, user_id)), None)
    if member is None:
        abort(404, description="That learner is not a member of this cohort.")
    return member


def _course_ids(cohort) -> list[str]:
    assigned = {a.course_id for a in membership.assignments_of(db.session, cohort.id)}
    return sorted(c for c in assigned if library().course(c) is not None)


def _assign_choices():
    choices = []
    for course in library().courses:
        choices.append((f"course:{course.id}", f"Whole course: {course.title}"))
        for module in course.modules:
            choices.append((f"module:{course.id}/{module.id}", f"{course.title} › {module.title}"))
    return choices


@blueprint.get("/")
def index():
    return render_template(
        "instructor/index.html",
        cohorts=membership.cohorts_owned_by(db.session, current_user.id),
        form=CohortForm(),
    )


@blueprint.post("/cohorts")
def create_cohort():
    form = CohortForm()
    if not form.validate_on_submit():
        page = render_template(
            "instructor/index.html",
            cohorts=membership.cohorts_owned_by(db.session, current_user.id),
            form=form,
        )
        return page, 400
    cohort = membership.create_cohort(
        db.session,
        owner_id=current_user.id,
        name=form.name.data,
        workshop_date=form.workshop_date.data,
        description=form.description.data or "",
        time_zone=form.time_zone.data,
    )
    db.session.commit()
    flash(f"Created “{cohort.name}”. Share the invitation link or the join code.", "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@blueprint.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    search = request.args.get("q", "").strip()[:100]
    number = page_number()
    snapshot = _snapshot(found)
    readiness = snapshot.readiness.sorted_by(sort)
    assign_form = AssignForm()
    assign_form.target.choices = _assign_choices()
    return render_template(
        "instructor/cohort.html",
        cohort=found,
        readiness=readiness,
        grid=paginate(readiness.matching(search), number, GRID_PAGE_SIZE),
        search=search,
        weak=snapshot.weak,
        sort=sort,
        sorts=SORTS,
        assign_form=assign_form,
        invite_url=absolute_url("cohorts.join_by_link", token=found.invite_token),
        removed=membership.removed_from(db.session, found.id),
    )


def _snapshot(cohort) -> CohortSnapshot:
    today = cohort_today(cohort)  # the grid is kept by the cohort's day: overdue moves with it
    return current_app.extensions["parley_snapshots"].get(db.session, cohort.id, today)


@blueprint.post("/cohorts/<int:cohort_id>/assign")
def assign(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    form = AssignForm()
    form.target.choices = _assign_choices()
    if not form.validate_on_submit():
        flash("Choose a course or module, and a valid due date.", "error")
        return redirect(url_for(".cohort", cohort_id=found.id), 303)
    kind, _, target = form.target.data.partition(":")
    course_id, _, module_id = target.partition("/")
    course = library().course(course_id)
    if course is None:
        abort(400, description="That course does not exist.")
    module_ids = [module_id] if kind == "module" else [m.id for m in course.modules]
    try:
        done = membership.assign(
            db.session, found, course, module_ids, form.due_date.data, cohort_today(found)
        )
    except membership.PastDueDate as exc:
        flash(str(exc), "error")
        return redirect(url_for(".cohort", cohort_id=found.id), 303)
    except membership.CohortError as exc:
        abort(400, description=str(exc))
    db.session.commit()
    for message in _assigned_messages(done, course, found):
        flash(message, "success")
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


def _assigned_messages(done: membership.Assigned, course, cohort) -> list[str]:
    """What an assignment tells the instructor: what was added, and every due date moved."""
    messages = []
    if done.added:
        count, due = len(done.added), day(done.due, cohort)
        messages.append(f"Assigned {count} module{'s' if count != 1 else ''}, due {due}.")
    for change in done.moved:
        messages.append(
            f"“{course.module(change.module_id).title}”: due date changed from "
            f"{day(change.before, cohort)} to {day(change.after, cohort)}."
        )
    if not messages:
        messages.append(f"Already assigned, due {day(done.due, cohort)}: nothing changed.")
    return messages


@blueprint.route("/cohorts/<int:cohort_id>/time-zone", methods=["GET", "POST"])
def time_zone(cohort_id: int):
    """The cohort's time zone: its due dates end at midnight there."""
    found = _cohort_or_404(cohort_id)
    form = CohortTimeZoneForm(time_zone=found.time_zone or "")
    if form.validate_on_submit():
        membership.set_time_zone(db.session, found, form.time_zone.data)
        db.session.commit()
        flash(f"Time zone: {found.time_zone or 'UTC'}. Due dates end at midnight there.", "success")
        return redirect(url_for(".cohort", cohort_id=found.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("instructor/time_zone.html", cohort=found, form=form), status


@blueprint.post("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/delete")
def unassign(cohort_id: int, assignment_id: int):
    found = _cohort_or_404(cohort_id)
    if not membership.unassign(db.session, found.id, assignment_id):
        abort(404, description="That assignment is not part of this cohort.")
    db.session.commit()
    flash("Assignment removed.", "info")
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


@blueprint.post("/cohorts/<int:cohort_id>/joining")
def set_joining(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    found.joining_open = request.form.get("open") == "1"
    db.session.commit()
    flash("Joining is open." if found.joining_open else "Joining is closed.", "info")
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


@blueprint.post("/cohorts/<int:cohort_id>/invitation/renew")
def renew_invitation(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    membership.renew_invitation(db.session, found)
    db.session.commit()
    flash(
        "New invitation link and join code made. The old link and code no longer work; "
        "members already in the cohort stay.",
        "success",
    )
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


@blueprint.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
def remove_member(cohort_id: int, user_id: int):
    found = _cohort_or_404(cohort_id)
    member = _member_or_404(found, user_id)
    membership.remove_member(db.session, found.id, member.user_id)
    db.session.commit()
    flash(
        f"Removed {member.name} from the cohort. Their own progress is kept. They cannot "
        "rejoin until you allow them back.",
        "info",
    )
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


@blueprint.post("/cohorts/<int:cohort_id>/removed/<int:user_id>/allow")
def allow_back(cohort_id: int, user_id: int):
    found = _cohort_or_404(cohort_id)
    person = next(iter(membership.removed_from(db.session, found.id, user_id)), None)
    if person is None:
        abort(404, description="That person was not removed from this cohort.")
    membership.allow_back(db.session, found.id, person.user_id)
    db.session.commit()
    flash(
        f"{person.name} may join again with the invitation link or the join code. "
        "They are not added back automatically.",
        "success",
    )
    return redirect(url_for(".cohort", cohort_id=found.id), 303)


@blueprint.get("/cohorts/<int:cohort_id>/learners/<int:user_id>")
def learner(cohort_id: int, user_id: int):
    found = _cohort_or_404(cohort_id)
    member = _member_or_404(found, user_id)
    states = progress.lesson_states(db.session, member.user_id)
    readiness = cohort_readiness(
        db.session, library(), found.id, cohort_today(found), user_id=member.user_id
    )
    (row,) = readiness.rows
    course_ids = readiness.course_ids
    form = ExtensionForm()
    form.assignment.choices = [
        (c.assignment.id, f"{c.module.title} (due {c.assignment.due_date.isoformat()})")
        for c in readiness.columns
    ]
    return render_template(
        "instructor/learner.html",
        cohort=found,
        member=member,
        courses=[library().course(c) for c in course_ids],
        states=states,
        readiness=readiness,
        row=row,
        history={c: attempts.attempts_for(db.session, member.user_id, c) for c in course_ids},
        form=form,
    )


@blueprint.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/extend")
def extend(cohort_id: int, user_id: int):
    found = _cohort_or_404(cohort_id)
    member = _member_or_404(found, user_id)
    form = ExtensionForm()
    form.assignment.choices = [
        (a.id, str(a.id)) for a in membership.assignments_of(db.session, found.id)
    ]
    if not form.validate_on_submit():
        flash("Choose a module and a valid date.", "error")
    else:
        try:
            membership.extend_due_date(
                db.session,
                found,
                form.assignment.data,
                member.user_id,
                form.due_date.data,
                cohort_today(found),
            )
        except membership.CohortError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{member.name} now has until {form.due_date.data.isoformat()}.", "success")
    return redirect(url_for(".learner", cohort_id=found.id, user_id=member.user_id), 303)


@blueprint.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/reset-link")
def reset_link(cohort_id: int, user_id: int):
    """A one-time password-reset link for a learner of this cohort, shown once on this page."""
    found = _cohort_or_404(cohort_id)
    member = _member_or_404(found, user_id)
    try:
        made = make_instructor_link(current_user, member.user_id, found.name)
    except ResetRefused as exc:
        abort(403, description=str(exc))
    return no_store(
        render_template("instructor/reset_link.html", cohort=found, member=member, made=made)
    )


@blueprint.get("/cohorts/<int:cohort_id>/learners/<int:user_id>/attempts/<int:attempt_id>")
def learner_attempt(cohort_id: int, user_id: int, attempt_id: int):
    found = _cohort_or_404(cohort_id)
    member = _member_or_404(found, user_id)
    result = attempts.attempt_with_answers(db.session, member.user_id, attempt_id)
    if result is None:
        abort(404, description="That learner has no such attempt.")
    row, answers = result
    return render_template(
        "instructor/attempt.html",
        cohort=found,
        member=member,
        attempt=row,
        items=review_items(answers, library().course(row.course_id)),
    )


@blueprint.get("/cohorts/<int:cohort_id>/questions")
def questions(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    return render_template(
        "instructor/questions.html",
        cohort=found,
        stats=question_analysis(db.session, library(), found.id, _course_ids(found)),
    )


def _csv(name: str, text: str) -> Response:
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.get("/cohorts/<int:cohort_id>/export/matrix.csv")
def export_matrix(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    readiness = _snapshot(found).readiness
    text = exports.to_csv(exports.MATRIX_COLUMNS, exports.matrix_rows(readiness))
    return _csv(f"cohort-{found.id}-readiness.csv", text)


@blueprint.get("/cohorts/<int:cohort_id>/export/answers.csv")
def export_answers(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    text = exports.to_csv(exports.ANSWER_COLUMNS, exports.answer_rows(db.session, found.id))
    return _csv(f"cohort-{found.id}-answers.csv", text)


@blueprint.get("/cohorts/<int:cohort_id>/export/xapi.json")
def export_xapi(cohort_id: int):
    found = _cohort_or_404(cohort_id)
    statements = exports.xapi_statements(db.session, found.id, site_root())
    return Response(
        json.dumps(statements, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="cohort-{found.id}-xapi.json"'},
    )


@blueprint.get("/cohorts/<int:cohort_id>/debrief/<course_id>/<quiz_id>")
@blueprint.get("/cohorts/<int:cohort_id>/debrief/<course_id>/<quiz_id>/<int:number>")
def debrief(cohort_id: int, course_id: str, quiz_id: str, number: int = 1):
    found = _cohort_or_404(cohort_id)
    quiz = library().quiz(course_id, quiz_id)
    if quiz is None or not 1 <= number <= len(quiz.questions):
        abort(404, description="There is no such question to debrief.")
    question = quiz.questions[number - 1]
    book = library().quizzes(course_id).rulebook
    return render_template(
        "instructor/debrief.html",
        cohort=found,
        quiz=quiz,
        question=question,
        number=number,
        parts=question_debrief(db.session, book, found.id, quiz, question),
        template=kind_template(question.kind),
        course_id=course_id,
    )

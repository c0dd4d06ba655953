"""Learners join a cohort by invitation link or code, and can leave it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from parley.cohorts import membership
from parley.extensions import db
from parley.web.cohorts.forms import JoinCodeForm

blueprint = Blueprint("cohorts", __name__)


def _join_and_redirect(cohort):
    try:
        added = membership.join(db.session, cohort, current_user.id)
    except membership.CohortError as exc:
        db.session.rollback()
        abort(409, description=str(exc))
    db.session.commit()
    if added:
        flash(f"You joined “{cohort.name}”. What is due before the workshop is below.", "success")
    else:
        flash(f"You are already in “{cohort.name}”.", "info")
    return redirect(url_for("learn.dashboard"), 303)


@blueprint.get("/join/<token>")
def join_by_link(token: str):
    cohort = membership.cohort_by_invite(db.session, token)
    if cohort is None:
        abort(
            404,
            description="This invitation link is not valid. Ask your instructor for a "
            "new one, or type the join code at /join.",
        )
    member = current_user.is_authenticated and membership.is_member(
        db.session, cohort.id, current_user.id
    )
    return render_template("cohorts/join.html", cohort=cohort, member=member, token=token)


@blueprint.post("/join/<token>")
@login_required
def confirm_join(token: str):
    cohort = membership.cohort_by_invite(db.session, token)
    if cohort is None:
        abort(404, description="This invitation link is not valid.")
    return _join_and_redirect(cohort)


@blueprint.route("/join", methods=["GET", "POST"])
@login_required
def join_by_code():
    form = JoinCodeForm()
    if form.validate_on_submit():
        cohort = membership.cohort_by_code(db.session, form.code.data)
        if cohort is not None:
            return _join_and_redirect(cohort)
        form.code.errors.append("No cohort has that code. Check it with your instructor.")
    status = 400 if form.is_submitted() else 200
    return render_template("cohorts/code.html", form=form), status


@blueprint.post("/cohorts/<int:cohort_id>/leave")
@login_required
def leave(cohort_id: int):
    if not membership.leave(db.session, cohort_id, current_user.id):
        abort(404, description="You are not a member of that cohort.")
    db.session.commit()
    flash("You left the cohort. Your progress is kept.", "info")
    return redirect(url_for("learn.dashboard"), 303)

"""Learners join a cohort by invitation link or code, and can leave it."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required

from parley.accounts.failures import in_words, retry_after_seconds
from parley.cohorts import joining, membership
from parley.extensions import db
from parley.web.cohorts.forms import JoinCodeForm

blueprint = Blueprint("cohorts", __name__)

RULES = "parley_join_code_rules"


@blueprint.record_once
def keep_join_code_rules(state: BlueprintSetupState) -> None:
    """Read the join-code allowance as the blueprint is registered: a bad one stops the start."""
    state.app.extensions[RULES] = joining.JoinCodeRules.from_settings(state.app.config)


def _join_and_redirect(cohort):
    try:
        added = membership.join(db.session, cohort, current_user.id)
    except membership.Removed as exc:
        db.session.rollback()
        abort(403, description=str(exc))
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
    user_id = current_user.id if current_user.is_authenticated else None
    found = joining.invitation(db.session, token, user_id)
    if found is None:
        abort(
            404,
            description="This invitation link is not valid. Ask your instructor for a "
            "new one, or type the join code at /join.",
        )
    return render_template("cohorts/join.html", invitation=found, token=token)


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
        found = joining.look_up_code(
            db.session,
            current_app.extensions[RULES],
            form.code.data,
            request.remote_addr or "",
            current_user.id,
        )
        if found.wait:
            form.code.errors.append(f"Too many wrong codes. Try again in {in_words(found.wait)}.")
            headers = {"Retry-After": str(retry_after_seconds(found.wait))}
            return render_template("cohorts/code.html", form=form), 429, headers
        if found.cohort is not None:
            return _join_and_redirect(found.cohort)
        db.session.commit()  # the failure counts
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

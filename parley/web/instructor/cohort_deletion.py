"""Deleting a cohort: its owner types its name to confirm (views on the instructor
blueprint)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from parley.cohorts import ownership
from parley.extensions import db
from parley.web.instructor.routes import _cohort_or_404, blueprint


class DeleteCohortForm(FlaskForm):
    name = StringField(
        "Type the cohort’s name to confirm",
        validators=[InputRequired(), Length(max=200)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def _page(cohort, form: DeleteCohortForm, status: int = 200):
    contents = ownership.cohort_contents(db.session, cohort.id)
    page = render_template(
        "instructor/delete_cohort.html", cohort=cohort, form=form, contents=contents
    )
    return page, status


@blueprint.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
def delete_cohort(cohort_id: int):
    """What deleting the cohort removes and keeps; deletes it once its name is typed."""
    cohort = _cohort_or_404(cohort_id)
    form = DeleteCohortForm()
    if not form.validate_on_submit():
        return _page(cohort, form, 400 if form.is_submitted() else 200)
    if form.name.data != cohort.name:
        form.name.errors.append(
            f"That is not this cohort’s name. Type “{cohort.name}” exactly to delete it."
        )
        return _page(cohort, form, 400)
    name = cohort.name
    ownership.delete_cohort(db.session, cohort)
    db.session.commit()
    current_app.extensions["parley_snapshots"].forget(cohort_id)
    flash(f"Deleted “{name}” with its memberships and assignments.", "success")
    return redirect(url_for(".index"), 303)

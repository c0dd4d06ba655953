"""Deleting one's own account on /account/delete (views on the auth blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from parley.accounts import lockout
from parley.accounts.deletion import StillOwnsCohorts, WrongPassword, delete_own_account
from parley.accounts.deletion import owned_cohorts as cohorts_owned
from parley.accounts.signed_in import sign_out
from parley.extensions import db
from parley.web.auth.limits import login_per_address, login_rules
from parley.web.auth.routes import _address, _try_later, blueprint


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[InputRequired(), Length(max=256)])


def _page(
    form: DeleteAccountForm,
    status: int = 200,
    headers: dict[str, str] | None = None,
    owned: list | None = None,
):
    """The page, listing the cohorts the account owns (read here unless given)."""
    owned = cohorts_owned(db.session, current_user.id) if owned is None else owned
    page = render_template("auth/delete.html", form=form, owned=owned)
    return page, status, headers or {}


@blueprint.route("/account/delete", methods=["GET", "POST"])
@login_required
@login_per_address
def delete_account():
    """What deleting the account removes, and the form that deletes it; a wrong password
    counts as a failed log-in, as on the change-password page."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    rules, address = login_rules(), _address()
    wait = lockout.wait_before_trying(db.session, rules, address, current_user.email)
    if wait:
        message, headers = _try_later(wait)
        form.password.errors.append(message)
        return _page(form, 429, headers)
    try:
        delete_own_account(db.session, current_user.id, form.password.data)
    except StillOwnsCohorts as exc:
        form.form_errors.append(str(exc))
        return _page(form, 409, owned=exc.cohorts)
    except WrongPassword as exc:
        lockout.record_login_failure(db.session, rules, address, current_user.email)
        db.session.commit()
        form.password.errors.append(str(exc))
        return _page(form, 400)
    db.session.commit()  # every session of the account went with it, remembered ones too
    sign_out()  # and this browser's cookies: the session and the remember cookie
    flash("Your account was deleted.", "info")
    return redirect(url_for("learn.landing"))

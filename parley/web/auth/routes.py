"""Register, log in and log out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from parley.accounts.signed_in import SignedIn
from parley.accounts.users import AccountError, authenticate, change_password, create_user
from parley.cohorts import membership
from parley.extensions import db
from parley.web.auth.forms import ChangePasswordForm, LoginForm, RegisterForm
from parley.web.auth.limits import login_per_account, login_per_address, register_per_address
from parley.web.support.safe_redirect import is_safe_local_path

blueprint = Blueprint("auth", __name__)

BAD_LOGIN = "That email and password do not match an account."


def _next_url(form_value: str | None) -> str:
    target = form_value or request.args.get("next")
    return target if is_safe_local_path(target) else url_for("learn.dashboard")


@blueprint.route("/register", methods=["GET", "POST"])
@register_per_address
def register():
    form = RegisterForm(next=request.args.get("next", ""), join=request.args.get("join", ""))
    invited = membership.cohort_by_invite(db.session, form.join.data or "")
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            )
        except AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            message = _join_on_register(invited, user)
            db.session.commit()
            login_user(SignedIn.of(user))
            flash(f"Welcome to Parley, {user.name}.{message}", "success")
            return redirect(_next_url(form.next.data))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form, invited=invited), status


def _join_on_register(cohort, user) -> str:
    """Join the cohort whose invitation brought this person; say what happened."""
    if cohort is None:
        return ""
    try:
        membership.join(db.session, cohort, user.id)
    except membership.CohortError as exc:
        return f" {exc}"
    return f" You joined “{cohort.name}”."


@blueprint.route("/login", methods=["GET", "POST"])
@login_per_address
@login_per_account
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(SignedIn.of(user))
            return redirect(_next_url(form.next.data))
        form.form_errors.append(BAD_LOGIN)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@blueprint.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("learn.landing"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
@login_per_address
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account = change_password(
                db.session,
                current_user.id,
                form.current.data,
                form.new.data,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            )
        except AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(SignedIn.of(account))  # this session carries on; every other one has ended
            flash("Your password has changed. You were logged out everywhere else.", "success")
            return redirect(url_for("learn.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status

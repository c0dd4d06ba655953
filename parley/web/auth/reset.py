"""Forgotten passwords: ask for a link by e-mail, follow it to set a new password; and the
one-time links instructors make for their learners (views on the auth blueprint)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from parley import mail
from parley.accounts import reset, sessions
from parley.accounts.failures import in_words, retry_after_seconds
from parley.accounts.signed_in import sign_in
from parley.cohorts.roster import cohort_names_of
from parley.extensions import db
from parley.models import User
from parley.web.auth.forms import new_password_field
from parley.web.auth.routes import blueprint
from parley.web.support.headers import no_store
from parley.web.support.mailing import compose
from parley.web.support.urls import absolute_url

NOT_SENT = (
    "The message could not be sent just now: the mail server did not accept it. "
    "Nothing was changed. Try again in a few minutes, or ask your instructor for a reset link."
)


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[InputRequired(), Email(), Length(max=320)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class ResetPasswordForm(FlaskForm):
    new = new_password_field("New password")
    confirm = PasswordField(
        "New password again",
        validators=[InputRequired(), EqualTo("new", message="The two new passwords differ.")],
    )


@blueprint.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Send a reset link to a known e-mail; the answer is the same for an unknown one."""
    if not mail.mail_enabled(current_app.config):
        status = 503 if request.method == "POST" else 200
        return render_template("auth/forgot.html", form=None, unavailable=True), status
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("auth/forgot.html", form=form), status
    asked = reset.request_reset(
        db.session,
        reset.reset_rules(current_app.config),
        request.remote_addr or "",
        form.email.data,
    )
    db.session.commit()
    if asked.wait:
        wait = in_words(asked.wait)
        form.form_errors.append(
            f"Too many reset requests from this network. You can ask again in {wait}."
        )
        page = render_template("auth/forgot.html", form=form)
        return page, 429, {"Retry-After": str(retry_after_seconds(asked.wait))}
    try:
        _send_or_rehearse(asked.send_to, form.email.data)
    except mail.MailNotSent as exc:
        current_app.logger.warning("password-reset mail not sent: %s", exc)
        form.form_errors.append(NOT_SENT)
        return render_template("auth/forgot.html", form=form), 503
    return render_template(
        "auth/forgot_sent.html", email=form.email.data, hours=reset.BY_MAIL.hours
    )


def _send_or_rehearse(user: User | None, email: str) -> None:
    """Mail a link to a known account; for an unknown e-mail (or one that had its links for
    now), go through the same conversation with the mail server without a message, so that
    an unreachable or refusing server gets the same answer either way."""
    if user is None:
        mail.check_delivery(email)
        return
    token = reset.make_token(current_app.config["SECRET_KEY"], user, reset.BY_MAIL)
    mail.send(
        compose(
            "reset",
            user.email,
            "Reset your Parley password",
            user=user,
            link=absolute_url("auth.reset_password", token=token),
            hours=reset.BY_MAIL.hours,
            forgot_url=absolute_url("auth.forgot_password"),
        )
    )


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password through a reset link: every session of the account ends, and this
    browser is signed in afresh."""
    try:
        user, kind = reset.check_token(db.session, current_app.config["SECRET_KEY"], token)
    except reset.LinkRefused as exc:
        page = render_template("auth/reset_refused.html", message=str(exc), reason=exc.reason)
        return no_store(page, 400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:  # someone else's session in this browser ends too
            sessions.end_session(db.session, current_user.id, current_user.token)
        ended = reset.set_new_password(
            db.session, user, form.new.data, current_app.config["PASSWORD_HASH_METHOD"]
        )
        sign_in(db.session, user, request.user_agent.string)
        db.session.commit()
        others = f" {ended} other browser{'' if ended == 1 else 's'} logged out." if ended else ""
        if kind == reset.INVITATION:
            flash("Your password is set and you are logged in. Welcome to Parley!", "success")
        else:
            flash(f"Your new password is set and you are logged in.{others}", "success")
        landing = "instructor.index" if user.role == "instructor" else "learn.dashboard"
        return redirect(url_for(landing))
    status = 400 if form.is_submitted() else 200
    # An invitation (roster import) names the cohorts its account was added to.
    cohorts = cohort_names_of(db.session, user.id) if kind == reset.INVITATION else None
    page = render_template("auth/reset.html", form=form, user=user, invited_to=cohorts)
    return no_store(page, status)


@dataclass(frozen=True)
class MadeLink:
    """A reset link an instructor made: shown once, never stored or logged."""

    url: str
    expires_at: datetime
    told_by_mail: bool | None  # None: no mail on this site; False: the mail failed


def make_instructor_link(instructor, learner_id: int, cohort_name: str) -> MadeLink:
    """A 24-hour reset link for a learner (reset.ResetRefused for an instructor's account),
    logged without the token; the learner is told by mail where mail is on. The caller has
    checked that the learner is a member of one of the instructor's cohorts."""
    learner = db.session.get(User, learner_id)
    if learner is None:
        raise reset.ResetRefused("That account no longer exists.")
    reset.check_instructor_may_reset(learner)
    url, expires_at = audited_link(instructor, learner, reset.BY_INSTRUCTOR, cohort_name)
    return MadeLink(
        url,
        expires_at,
        _tell_learner(instructor, learner, cohort_name)
        if mail.mail_enabled(current_app.config)
        else None,
    )


AUDIT_LABELS = {reset.BY_INSTRUCTOR: "password-reset", reset.INVITATION: "invitation"}


def audited_link(
    instructor, learner: User, kind: reset.LinkKind, cohort_name: str
) -> tuple[str, datetime]:
    """A link of this kind an instructor made for a learner, and when it expires; logged as
    an audit line, never with its token."""
    token = reset.make_token(current_app.config["SECRET_KEY"], learner, kind)
    expires_at = reset.expires_at(kind)
    # A warning, so that it is written at the default log level.
    current_app.logger.warning(
        "%s link made by instructor %s <%s> for learner %s <%s> (cohort %r), expires %s UTC",
        AUDIT_LABELS[kind],
        instructor.id,
        instructor.email,
        learner.id,
        learner.email,
        cohort_name,
        f"{expires_at:%Y-%m-%d %H:%M}",
    )
    return absolute_url("auth.reset_password", token=token), expires_at


def _tell_learner(instructor, learner: User, cohort_name: str) -> bool:
    """Mail the learner that a link was made for them (never the link); False if it failed."""
    try:
        mail.send(
            compose(
                "reset_made",
                learner.email,
                "A password-reset link was made for your Parley account",
                user=learner,
                instructor_name=instructor.name,
                cohort_name=cohort_name,
                hours=reset.BY_INSTRUCTOR.hours,
                forgot_url=absolute_url("auth.forgot_password"),
            )
        )
    except mail.MailNotSent as exc:
        current_app.logger.warning("reset-link notice to learner %s not sent: %s", learner.id, exc)
        return False
    return True

"""Sign-up where a mail server is configured: the same answer for a new and a taken address.

The register view hands a valid form here. A new address gets a link that creates the
account (parley.accounts.sign_up_confirmation); a taken one's owner is told by mail that
someone tried. Both mail one message and show the same page, or the same 503 if the mail
server does not take it, with nothing kept.
"""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_wtf import FlaskForm

from parley import mail
from parley.accounts import sign_up_confirmation as confirmation
from parley.accounts.failures import kept_for
from parley.extensions import db
from parley.models import Cohort, User
from parley.web.support.dates import now
from parley.web.support.mailing import compose
from parley.web.support.safe_redirect import is_safe_local_path
from parley.web.support.urls import absolute_url

NOT_SENT = (
    "The e-mail to finish signing up could not be sent just now: the mail server did not "
    "accept it. Nothing was saved. Try again in a few minutes."
)


def sign_up_by_mail(form: FlaskForm, invited: Cohort | None):
    """Answer a valid sign-up form: mail a link to a new address, or a notice to a taken
    one's owner; the same page for both (200), or the register form with NOT_SENT (503)."""
    config = current_app.config
    next_path = form.next.data if is_safe_local_path(form.next.data) else ""
    asked = confirmation.request_sign_up(
        db.session,
        config["SECRET_KEY"],
        email=form.email.data,
        name=form.name.data,
        password=form.password.data,
        cohort_id=invited.id if invited is not None else None,
        next_path=next_path or "",
        address=request.remote_addr or "",
        keep_failures_for=kept_for(config),
        hash_method=config["PASSWORD_HASH_METHOD"],
        now=now(),
    )
    try:
        if asked.token is not None:
            _send_link(form.email.data, form.name.data, asked.token, invited)
        elif asked.existing is not None:
            _tell_owner(asked.existing, invited, form.join.data or "", next_path or "")
    except mail.MailNotSent as exc:
        db.session.rollback()  # no pending row without its link; the count is not used up
        current_app.logger.warning("sign-up mail not sent: %s", exc)
        form.form_errors.append(NOT_SENT)
        return render_template("auth/register.html", form=form, invited=invited), 503
    db.session.commit()
    return render_template("auth/sign_up_sent.html", email=form.email.data.strip())


def _send_link(email: str, name: str, token: str, invited: Cohort | None) -> None:
    mail.send(
        compose(
            "sign_up_confirm",
            email.strip(),
            "Finish signing up for Parley",
            person=name.strip(),
            link=absolute_url("auth.confirm_sign_up", token=token),
            cohort=invited if invited is not None and invited.joining_open else None,
            sign_up_url=absolute_url("auth.register"),
        )
    )


def _tell_owner(owner: User, invited: Cohort | None, join_token: str, next_path: str) -> None:
    """Mail the owner of a taken address that someone tried to sign up with it, with a log-in
    link that goes on to the invitation (or where the sign-up was going)."""
    if invited is not None and join_token and invited.invite_token == join_token:
        next_path = url_for("cohorts.join_by_link", token=join_token)
    login_url = absolute_url("auth.login", next=next_path or None)
    mail.send(
        compose(
            "sign_up_existing",
            owner.email,
            "Someone tried to sign up for Parley with your address",
            user=owner,
            login_url=login_url,
            forgot_url=absolute_url("auth.forgot_password"),
            cohort=invited if invited is not None and invited.joining_open else None,
        )
    )

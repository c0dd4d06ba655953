"""Links that confirm an e-mail address: finishing a sign-up, and changing one's address
(views on the auth blueprint).

A link opens a page with one button; the button does the work. Mail scanners that open
every link in a message therefore create no account and change no address.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from parley import mail
from parley.accounts import email_change, lockout, sessions
from parley.accounts import sign_up_confirmation as confirmation
from parley.accounts.signed_in import sign_in
from parley.accounts.users import AccountError
from parley.extensions import db
from parley.models import Cohort, User
from parley.web.auth.forms import ChangeEmailForm
from parley.web.auth.limits import login_per_address, login_rules
from parley.web.auth.routes import _join_on_register, _try_later, account, blueprint
from parley.web.support.dates import now
from parley.web.support.headers import no_store
from parley.web.support.mailing import compose
from parley.web.support.safe_redirect import is_safe_local_path
from parley.web.support.urls import absolute_url

CHANGE_NOT_SENT = (
    "The e-mail to confirm your new address could not be sent just now: the mail server did "
    "not accept it. Your address was not changed. Try again in a few minutes."
)


# --- Finishing a sign-up ---------------------------------------------------------------------


@blueprint.route("/sign-up/confirm/<token>", methods=["GET", "POST"])
def confirm_sign_up(token: str):
    """Show the pending sign-up's address and a button; the button creates the account, joins
    the invitation's cohort and logs this browser in."""
    secret = current_app.config["SECRET_KEY"]
    try:
        if request.method == "GET":
            pending = confirmation.pending_sign_up(db.session, secret, token, now())
            page = render_template("auth/sign_up_confirm.html", pending=pending)
            return no_store(page)
        confirmed = confirmation.confirm_sign_up(db.session, secret, token, now())
    except confirmation.SignUpLinkRefused as exc:
        page = render_template("auth/sign_up_refused.html", message=str(exc), reason=exc.reason)
        return no_store(page, 400)
    if current_user.is_authenticated:  # someone else's session in this browser ends
        sessions.end_session(db.session, current_user.id, current_user.token)
    user = confirmed.user
    cohort = db.session.get(Cohort, confirmed.cohort_id) if confirmed.cohort_id else None
    joined = _join_on_register(cohort, user)
    sign_in(db.session, user, request.user_agent.string)
    db.session.commit()
    flash(f"Welcome to Parley, {user.name}. Your e-mail address is confirmed.{joined}", "success")
    target = confirmed.next_path
    return redirect(target if is_safe_local_path(target) else url_for("learn.dashboard"))


# --- Changing one's address ------------------------------------------------------------------


@blueprint.post("/account/email")
@login_required
@login_per_address
def change_email():
    """Change the address after the password: with a mail server, mail a link to the new
    address (and a notice to the old one); without one, at once. A wrong password counts as
    a failed log-in."""
    form = ChangeEmailForm()
    if not form.validate_on_submit():
        return account(email_form=form), 400
    address = request.remote_addr or ""
    wait = lockout.wait_before_trying(db.session, login_rules(), address, current_user.email)
    if wait:
        message, headers = _try_later(wait)
        form.current.errors.append(message)
        return account(email_form=form), 429, headers
    by_link = mail.mail_server_configured(current_app.config)
    try:
        asked = email_change.ask_to_change(
            db.session, current_user.id, form.current.data, form.email.data
        )
        old = asked.user.email
        if not by_link:  # at once; a taken address is a form error
            email_change.change_email(db.session, asked.user, asked.new_email)
    except email_change.WrongPassword as exc:
        lockout.record_login_failure(db.session, login_rules(), address, current_user.email)
        db.session.commit()
        form.current.errors.append(str(exc))
        return account(email_form=form), 400
    except AccountError as exc:
        form.email.errors.append(str(exc))
        return account(email_form=form), 400
    if not by_link:
        db.session.commit()
        flash(f"Your e-mail address is now {asked.new_email} (it was {old}).", "success")
        return redirect(url_for("auth.account"), 303)
    try:
        _mail_change(asked)
    except mail.MailNotSent as exc:
        db.session.rollback()
        current_app.logger.warning("address-change mail not sent: %s", exc)
        form.form_errors.append(CHANGE_NOT_SENT)
        return account(email_form=form), 503
    db.session.commit()
    flash(
        f"We sent a link to {asked.new_email}: your address stays {asked.user.email} until you "
        "follow it. It works for 24 hours.",
        "success",
    )
    return redirect(url_for("auth.account"), 303)


def _mail_change(asked: email_change.ChangeAsked) -> None:
    """Mail the new address its link (or, if another account uses it, tell that account's
    owner), then tell the old address; only the first failure is the asker's: a notice
    that cannot be sent is logged."""
    user, new = asked.user, asked.new_email
    if asked.taken:
        first = compose(
            "email_taken",
            new,
            "Someone tried to move a Parley account to your address",
            email=new,
            login_url=absolute_url("auth.login"),
            forgot_url=absolute_url("auth.forgot_password"),
        )
    else:
        token = email_change.make_token(current_app.config["SECRET_KEY"], user, new, now())
        first = compose(
            "email_confirm",
            new,
            "Confirm your new Parley e-mail address",
            user=user,
            new_email=new,
            link=absolute_url("auth.confirm_email", token=token),
        )
    mail.send(first)
    notice = compose(
        "email_notice",
        user.email,
        "A change of your Parley e-mail address was asked for",
        user=user,
        new_email=new,
        password_url=absolute_url("auth.password"),
    )
    try:
        mail.send(notice)
    except mail.MailNotSent as exc:
        current_app.logger.warning("address-change notice to account %s not sent: %s", user.id, exc)


@blueprint.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Show the change a link asks for and a button; the button makes it, logged in or not."""
    secret = current_app.config["SECRET_KEY"]
    try:
        link = email_change.check_token(db.session, secret, token, now())
    except email_change.ChangeLinkRefused as exc:
        page = render_template("auth/email_refused.html", message=str(exc), reason=exc.reason)
        return no_store(page, 400)
    if request.method == "GET":
        return no_store(render_template("auth/email_confirm.html", link=link))
    user: User = link.user
    old = user.email
    email_change.change_email(db.session, user, link.new_email)
    db.session.commit()
    flash(f"Your e-mail address is now {link.new_email} (it was {old}).", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("auth.account"), 303)
    return redirect(url_for("auth.login"), 303)

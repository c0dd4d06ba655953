"""Roster import (views on the instructor blueprint): paste or upload a CSV of names and
e-mails; every bad row is listed and nothing is imported, or everyone is added and the new
accounts get an invitation to choose a password, by e-mail or as a printable list."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import TextAreaField

from parley import mail
from parley.accounts import reset
from parley.cohorts import roster
from parley.extensions import db
from parley.web.auth.reset import audited_link
from parley.web.instructor.routes import _cohort_or_404, blueprint
from parley.web.support.errors import handle_http_error
from parley.web.support.headers import no_store
from parley.web.support.mailing import compose
from parley.web.support.urls import absolute_url

TOO_LARGE = (
    f"That roster is too large to accept, so nothing was imported: one import takes at most "
    f"{roster.MAX_BYTES // 1024} KB and {roster.MAX_ROWS:,} people. Split it into smaller files."
)
BOTH = (
    "Paste the roster or choose a file, not both: empty the text box, or choose no file, "
    "and import again."
)
NEITHER = f"Paste the roster or choose a CSV file (first line: “{roster.EXAMPLE}”)."
# Mail goes one message a connection (parley.mail): at most this long on one page, well within
# gunicorn's 30-second request timeout.
SENDING_SECONDS = 20
CHANGED = (
    "An account with one of these e-mail addresses was made while you were importing, so "
    "nothing was imported. Import the roster again."
)


class RosterForm(FlaskForm):
    text = TextAreaField(
        "Paste the roster",
        description=(
            f"First line: the column names, “{roster.EXAMPLE}” (other columns are ignored). "
            "Then one person a line. Commas, semicolons or cells copied from a spreadsheet."
        ),
    )
    file = FileField("Or choose a CSV file", description="Saved as CSV UTF-8.")


@dataclass(frozen=True)
class Invitation:
    """What the import did for one person, and how they were told."""

    line: int
    name: str
    email: str
    outcome: roster.Outcome
    link: str | None  # an invitation link, shown on the page unless it was e-mailed
    mailed: bool | None  # None: nothing to send or no mail on this site; False: it failed

    @property
    def link_to_hand_over(self) -> bool:
        return self.link is not None and not self.mailed


@blueprint.errorhandler(RequestEntityTooLarge)
def roster_too_large(error: RequestEntityTooLarge):
    """The roster page says what it takes; every other page keeps the usual 413."""
    if request.endpoint == "instructor.roster":
        error.description = TOO_LARGE
    return handle_http_error(error)


@blueprint.route("/cohorts/<int:cohort_id>/roster", methods=["GET", "POST"], endpoint="roster")
def roster_import(cohort_id: int):
    """The import form; on POST, all rows are imported or none."""
    found = _cohort_or_404(cohort_id)
    form = RosterForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return _form_page(found, form), status
    try:
        plan = roster.plan_import(db.session, found, roster.read_roster(_submitted(form)))
    except roster.RosterTooLarge as exc:
        return _form_page(found, form, str(exc)), 413
    except roster.RosterUnreadable as exc:
        return _form_page(found, form, str(exc)), 400
    if plan.problems:
        return _form_page(found, form, plan=plan), 400
    try:
        done = roster.import_roster(db.session, plan, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
    except IntegrityError:  # someone signed up with one of the new addresses meanwhile
        db.session.rollback()
        return _form_page(found, form, CHANGED), 409
    page = render_template(
        "instructor/roster_done.html",
        cohort=found,
        plan=plan,
        told=_tell_everyone(found, done),
        sending_seconds=SENDING_SECONDS,
        mail_on=mail.mail_enabled(current_app.config),
        expires_at=reset.expires_at(reset.INVITATION),
        lasting=reset.INVITATION.in_words,
        Outcome=roster.Outcome,
    )
    return no_store(page)


def _submitted(form: RosterForm) -> str:
    """The roster's text: pasted, or the chosen file's (RosterUnreadable for neither or
    both, or a file that is not UTF-8)."""
    pasted = form.text.data or ""
    upload = form.file.data
    chosen = isinstance(upload, FileStorage) and bool(upload.filename)
    if chosen and pasted.strip():
        raise roster.RosterUnreadable(BOTH)
    if chosen:
        return roster.decode(upload.stream.read(roster.MAX_BYTES + 1))
    if not pasted.strip():
        raise roster.RosterUnreadable(NEITHER)
    return pasted


def _form_page(cohort, form: RosterForm, error: str | None = None, plan=None) -> str:
    uploaded = isinstance(form.file.data, FileStorage) and bool(form.file.data.filename)
    return render_template(
        "instructor/roster.html",
        cohort=cohort,
        form=form,
        error=error,
        plan=plan,
        uploaded=uploaded,
        max_kb=roster.MAX_BYTES // 1024,
        max_rows=roster.MAX_ROWS,
        mail_on=mail.mail_enabled(current_app.config),
    )


@dataclass(frozen=True)
class Told:
    people: list[Invitation]
    out_of_time: bool  # sending stopped at SENDING_SECONDS; the rest are shown, not mailed


def _tell_everyone(cohort, done: list[roster.Imported]) -> Told:
    """Make each invitation link (logged, never the token) and send the e-mails where mail is
    on. A server that cannot be reached is not tried again for the rest of the roster, and
    sending stops after SENDING_SECONDS so that the page comes back within the server's
    request timeout: those people's links are shown instead."""
    mail_on = mail.mail_enabled(current_app.config)
    deadline = time.monotonic() + SENDING_SECONDS
    server_down = out_of_time = False
    people = []
    for imported in done:
        user, outcome = imported.user, imported.outcome
        link = None
        if outcome in (roster.Outcome.NEW, roster.Outcome.INVITE_AGAIN):
            link = _invitation_link(cohort, user)
        message = _message(cohort, user, outcome, link, imported.joined) if mail_on else None
        mailed = None
        if message is not None:
            mailed = False
            out_of_time = out_of_time or time.monotonic() > deadline
            if not (server_down or out_of_time):
                try:
                    mail.send(message)
                    mailed = True
                except mail.MailNotSent as exc:
                    current_app.logger.warning("roster mail to user %s not sent: %s", user.id, exc)
                    server_down = not isinstance(exc, mail.MessageRefused)
        people.append(Invitation(imported.line, user.name, user.email, outcome, link, mailed))
    return Told(people, out_of_time)


def _invitation_link(cohort, user) -> str:
    url, _expires_at = audited_link(current_user, user, reset.INVITATION, cohort.name)
    return url


def _message(cohort, user, outcome: roster.Outcome, link: str | None, joined: bool):
    """The e-mail for this person: an invitation with the link, a note that they were added,
    or none (already a member)."""
    common = {
        "user": user,
        "cohort_name": cohort.name,
        "instructor_name": current_user.name,
        "workshop_date": cohort.workshop_date,
    }
    if link is not None:
        return compose(
            "invitation",
            user.email,
            f"You are invited to {cohort.name} on Parley",
            link=link,
            lasting=reset.INVITATION.in_words,
            forgot_url=absolute_url("auth.forgot_password"),
            **common,
        )
    if joined:
        return compose(
            "roster_added",
            user.email,
            f"You were added to {cohort.name} on Parley",
            dashboard_url=absolute_url("learn.dashboard"),
            **common,
        )
    return None

"""Reminder e-mails seen from the web: switching them off or on on the account page, the
one-click unsubscribe link every reminder carries, and the messages themselves (written from
templates/mail/reminder.* and cohort_summary.*) for `flask reminders send`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from parley.accounts.invited import has_password
from parley.accounts.reminder_choice import (
    switch_reminders,
    unsubscribe_token,
    user_for_token,
)
from parley.accounts.time_zones import today_in
from parley.cohorts.reminders import CohortSummary, LearnerReminder, ReminderPlan
from parley.extensions import csrf, db
from parley.mail import Message
from parley.models import User
from parley.web.auth.routes import blueprint
from parley.web.support.dates import day, now
from parley.web.support.headers import no_store
from parley.web.support.mailing import compose
from parley.web.support.urls import absolute_url

# Where links in messages point when PARLEY_BASE_URL is unset (development only: it is
# required elsewhere): the address `flask run` serves.
DEVELOPMENT_SITE = "http://localhost:5000"
SWITCHED_OFF = "You will get no more reminder e-mails from Parley."


class ReminderChoiceForm(FlaskForm):
    reminders = HiddenField("Reminder e-mails", validators=[InputRequired(), AnyOf(["on", "off"])])


@blueprint.post("/account/reminders")
@login_required
def set_reminders():
    """Switch reminder e-mails (and cohort summaries) on or off for this account."""
    form = ReminderChoiceForm()
    if not form.validate_on_submit():
        abort(400, description="Choose whether reminder e-mails are on or off; nothing changed.")
    on = form.reminders.data == "on"
    user = db.session.get(User, current_user.id)
    switch_reminders(db.session, user, on, now())
    db.session.commit()
    if on:
        flash("Reminder e-mails are on.", "success")
    else:
        flash(f"Reminder e-mails are off. {SWITCHED_OFF}", "success")
    return redirect(url_for("auth.account"), 303)


@blueprint.route("/reminders/unsubscribe/<token>", methods=["GET", "POST"])
# Exempt from CSRF on purpose: RFC 8058's one-click unsubscribe is a POST that the reader's
# mail program sends on its own (body "List-Unsubscribe=One-Click"), with no page and so no
# token. The signed link is what authorises it, and all it can do is switch reminders off.
@csrf.exempt
def unsubscribe(token: str):
    """GET: a page with one button (a link preview must not unsubscribe anyone); POST: switch
    reminders off, no log-in needed. A tampered link is a 404 saying so."""
    user = user_for_token(db.session, current_app.config["SECRET_KEY"], token)
    if user is None:
        return no_store(render_template("auth/unsubscribe.html", invalid=True), 404)
    if request.method == "GET":
        return no_store(render_template("auth/unsubscribe.html", email=user.email, done=False))
    switch_reminders(db.session, user, False, now())
    db.session.commit()
    return no_store(render_template("auth/unsubscribe.html", email=user.email, done=True))


# --- The messages ----------------------------------------------------------------------------


@contextmanager
def site_context(app: Flask) -> Iterator[None]:
    """A request context for building links outside a request (the CLI), at PARLEY_BASE_URL."""
    base = app.config.get("BASE_URL") or DEVELOPMENT_SITE
    with app.test_request_context("/", base_url=base):
        yield


def due_in_words(due: date, time_zone: str | None) -> str:
    """ "today", "tomorrow" or "in 3 days", judged in the cohort's zone."""
    left = (due - today_in(time_zone, now())).days
    if left <= 0:
        return "today"
    return "tomorrow" if left == 1 else f"in {left} days"


def _unsubscribe_headers(link: str) -> dict[str, str]:
    """RFC 2369's List-Unsubscribe and RFC 8058's one-click POST."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


class ReminderMail:
    """Writes reminders and summaries (a Composer for parley.cohorts.reminders.deliver)."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.secret = current_app.config["SECRET_KEY"]

    def _unsubscribe_link(self, user: User) -> str:
        token = unsubscribe_token(self.secret, user)
        return absolute_url("auth.unsubscribe", token=token)

    def reminder(self, reminder: LearnerReminder) -> Message:
        user = db.session.get(User, reminder.user_id)
        link = self._unsubscribe_link(user)
        message = compose(
            "reminder",
            reminder.email,
            reminder_subject(reminder),
            reminder=reminder,
            due_in_words=due_in_words,
            dashboard_url=absolute_url("learn.dashboard"),
            # Invited by a roster import and no password chosen yet: they cannot log in.
            password_url=None if has_password(user) else absolute_url("auth.forgot_password"),
            account_url=absolute_url("auth.account"),
            unsubscribe_url=link,
        )
        return _with_headers(message, _unsubscribe_headers(link))

    def summary(self, summary: CohortSummary) -> Message:
        link = self._unsubscribe_link(db.session.get(User, summary.instructor_id))
        message = compose(
            "cohort_summary",
            summary.instructor_email,
            summary_subject(summary),
            summary=summary,
            days=self.days,
            due_in_words=due_in_words,
            cohort_url=absolute_url("instructor.cohort", cohort_id=summary.cohort_id),
            account_url=absolute_url("auth.account"),
            unsubscribe_url=link,
        )
        return _with_headers(message, _unsubscribe_headers(link))


def _with_headers(message: Message, headers: dict[str, str]) -> Message:
    return Message(message.to, message.subject, message.text, message.html, headers)


def reminder_subject(reminder: LearnerReminder) -> str:
    modules = reminder.modules
    if len(modules) == 1:
        module = modules[0]
        return f"Reminder: {module.module_title} is due {day(module.due, module)}"
    last = modules[-1]
    return f"Reminder: {len(modules)} modules are due by {day(last.due, last)}"


def summary_subject(summary: CohortSummary) -> str:
    soon = len({behind.email for behind in summary.due_soon})
    late = len({behind.email for behind in summary.overdue})
    parts = []
    if soon:
        parts.append(f"{soon} learner{'s' if soon != 1 else ''} not ready for what is due soon")
    if late:
        parts.append(f"{late} overdue")
    return f"{summary.cohort_name}: {', '.join(parts)}"


def describe(plan: ReminderPlan) -> Iterator[str]:
    """What --dry-run prints: each message's kind, recipient and subject, then its modules."""
    for reminder in plan.reminders:
        yield f"reminder to {reminder.email}: {reminder_subject(reminder)}"
        for module in reminder.modules:
            yield f"  {_module_line(module)}"
    for summary in plan.summaries:
        yield f"summary to {summary.instructor_email}: {summary_subject(summary)}"
        for label, found in (("not ready", summary.due_soon), ("overdue", summary.overdue)):
            for behind in found:
                yield f"  {label}: {behind.name} <{behind.email}>: {_module_line(behind.module)}"


def _module_line(module) -> str:
    extended = ", extended" if module.extended else ""
    return (
        f"{module.course_title} / {module.module_title} ({module.cohort_name}), due "
        f"{day(module.due, module)}{extended}: {module.status}"
    )

"""Register, log in and log out."""

import json
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from parley.accounts import lockout, sessions
from parley.accounts.failures import in_words, retry_after_seconds
from parley.accounts.profile import change_name
from parley.accounts.reminder_choice import reminders_off_since
from parley.accounts.signed_in import sign_in, sign_out
from parley.accounts.time_zones import set_user_time_zone
from parley.accounts.users import AccountError, change_password, create_user
from parley.cohorts import membership, signups
from parley.cohorts.personal_data import personal_data
from parley.extensions import db
from parley.mail import mail_server_configured
from parley.models import utcnow
from parley.web.auth.confirmed_sign_up import sign_up_by_mail
from parley.web.auth.forms import (
    ChangeEmailForm,
    ChangeNameForm,
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
)
from parley.web.auth.limits import (
    keep_login_rules,
    login_per_address,
    login_rules,
    sign_up_rules,
    sign_up_wait,
)
from parley.web.support.dates import own_zone
from parley.web.support.safe_redirect import is_safe_local_path
from parley.web.support.time_zone_field import TimeZoneForm

blueprint = Blueprint("auth", __name__)
blueprint.record_once(keep_login_rules)

BAD_LOGIN = "That email and password do not match an account."


def _address() -> str:
    return request.remote_addr or ""


def _try_later(wait: timedelta) -> tuple[str, dict[str, str]]:
    """What a refused try is told, the same for every e-mail, and its Retry-After header."""
    message = f"Too many failed log-ins. You can try again in {in_words(wait)}."
    return message, {"Retry-After": str(retry_after_seconds(wait))}


def _next_url(form_value: str | None) -> str:
    """A safe local next, else instructors' cohorts or the signed-in learner's dashboard."""
    target = form_value or request.args.get("next")
    if is_safe_local_path(target):
        return target
    return url_for("instructor.index" if current_user.is_instructor else "learn.dashboard")


@blueprint.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm(
        next=request.args.get("next", ""),
        join=request.args.get("join", ""),
        code=request.args.get("code", ""),
    )
    invited = membership.cohort_by_invite(db.session, form.join.data or "")
    if form.validate_on_submit():
        if invited is None and (form.code.data or "").strip():
            found = signups.cohort_for_code(db.session, sign_up_rules(), form.code.data, _address())
            if found.wait:
                form.code.errors.append(
                    f"Too many wrong join codes. Try again in {in_words(found.wait)}."
                )
                headers = {"Retry-After": str(retry_after_seconds(found.wait))}
                return render_template("auth/register.html", form=form, invited=None), 429, headers
            if found.cohort is None:
                db.session.commit()  # the failure counts
                form.code.errors.append("No cohort has that code. Check it with your instructor.")
                return render_template("auth/register.html", form=form, invited=None), 400
            invited = found.cohort
        refused = sign_up_wait(invited)
        if refused:
            form.form_errors.append(refused.message)
            page = render_template("auth/register.html", form=form, invited=invited)
            return page, 429, refused.headers
        if mail_server_configured(current_app.config):  # the same answer for a taken address
            return sign_up_by_mail(form, invited)
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
            sign_in(db.session, user, request.user_agent.string)
            db.session.commit()
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
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        tried = lockout.try_login(
            db.session, login_rules(), _address(), form.email.data, form.password.data
        )
        db.session.commit()
        if tried.wait:
            message, headers = _try_later(tried.wait)
            form.form_errors.append(message)
            return render_template("auth/login.html", form=form), 429, headers
        user = tried.user
        if user is not None:
            sign_in(db.session, user, request.user_agent.string, remember=form.remember.data)
            db.session.commit()
            return redirect(_next_url(form.next.data))
        form.form_errors.append(BAD_LOGIN)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@blueprint.post("/logout")
@login_required
def logout():
    sessions.end_session(db.session, current_user.id, current_user.token)
    db.session.commit()
    sign_out()
    flash("You have logged out.", "info")
    return redirect(url_for("learn.landing"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
@login_per_address
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        wait = lockout.wait_before_trying(db.session, login_rules(), _address(), current_user.email)
        if wait:
            message, headers = _try_later(wait)
            form.current.errors.append(message)
            return render_template("auth/password.html", form=form), 429, headers
        try:
            change_password(
                db.session,
                current_user.id,
                form.current.data,
                form.new.data,
                keep_token=current_user.token,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            )
        except AccountError as exc:
            lockout.record_login_failure(db.session, login_rules(), _address(), current_user.email)
            db.session.commit()
            form.current.errors.append(str(exc))
        else:
            db.session.commit()  # this session carries on; every other one has ended
            flash("Your password has changed. You were logged out everywhere else.", "success")
            return redirect(url_for("learn.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@blueprint.get("/account")
@login_required
def account(
    zone_form: TimeZoneForm | None = None,
    name_form: ChangeNameForm | None = None,
    email_form: ChangeEmailForm | None = None,
):
    browsers = sessions.signed_in_browsers(
        db.session, current_user.id, current_user.token, current_app.config["SESSION_IDLE_DAYS"]
    )
    zone_form = zone_form or TimeZoneForm(time_zone=own_zone() or "")
    name_form = name_form or ChangeNameForm(name=current_user.name)
    return render_template(
        "auth/account.html",
        browsers=browsers,
        reminders_off_at=reminders_off_since(db.session, current_user.id),
        zone_form=zone_form,
        name_form=name_form,
        email_form=email_form or ChangeEmailForm(formdata=None),
        mail_server=mail_server_configured(current_app.config),
    )


@blueprint.post("/account/name")
@login_required
def set_name():
    """Change the account's name; a bad one is a form error (400) and nothing changes."""
    form = ChangeNameForm()
    if not form.validate_on_submit():
        return account(name_form=form), 400
    try:
        user = change_name(db.session, current_user.id, form.name.data)
    except AccountError as exc:
        form.name.errors = [str(exc)]
        return account(name_form=form), 400
    db.session.commit()
    flash(f"Your name is now {user.name}.", "success")
    return redirect(url_for("auth.account"), 303)


@blueprint.get("/account/data.json")
@login_required
def download_data():
    """Everything held about this account, as one JSON file to keep."""
    now = utcnow()
    data = personal_data(db.session, current_user.id, now=now)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="parley-data-{now.date()}.json"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.post("/account/time-zone")
@login_required
def set_time_zone():
    """Set or clear the reader's own time zone; a bad name is a form error, nothing changes."""
    form = TimeZoneForm()
    if not form.validate_on_submit():
        return account(zone_form=form), 400
    stored = set_user_time_zone(db.session, current_user.id, form.time_zone.data)
    db.session.commit()
    flash(f"Times are now shown in {stored or 'your cohort’s zone, or UTC'}.", "success")
    return redirect(url_for("auth.account"), 303)


@blueprint.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    ended = sessions.end_all_sessions(db.session, current_user.id)
    db.session.commit()
    sign_out()
    flash(f"You have logged out everywhere: {ended} browser{'' if ended == 1 else 's'}.", "info")
    return redirect(url_for("learn.landing"))


@blueprint.post("/account/sessions/<int:session_id>/logout")
@login_required
def logout_browser(session_id: int):
    """Log out another browser of this account; 404 if it is not one."""
    ended = sessions.end_session_by_id(db.session, current_user.id, session_id, current_user.token)
    if ended is None:
        abort(404)
    db.session.commit()
    flash(f"That browser ({sessions.browser_name(ended.user_agent)}) has been logged out.", "info")
    return redirect(url_for("auth.account"))

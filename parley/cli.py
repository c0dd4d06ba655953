"""Flask commands: `users`, `cohorts`, `reminders`, `db` and `content` (content works even
when the app cannot load)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import InterfaceError, OperationalError

from parley.accounts.operations import delete_user, list_users, user_by_email
from parley.accounts.passwords import password_problem
from parley.accounts.reset import set_new_password
from parley.accounts.users import AccountError, create_user, set_role
from parley.cohorts import ownership
from parley.cohorts.membership import CohortError
from parley.config import content_dirs
from parley.content import load_library
from parley.content.coverage import coverage_table
from parley.content.errors import did_you_mean
from parley.content.flip_pairs import flip_pairs, flip_pairs_table
from parley.content.guessability import guessability, guessability_table, report_guessability
from parley.content.quizzes import RULES_FILE
from parley.extensions import db
from parley.grading.explain import explain
from parley.models import ROLES

users_cli = AppGroup("users", help="Manage accounts.")
cohorts_cli = AppGroup("cohorts", help="List, hand over or delete cohorts.")
db_cli = AppGroup("db", help="Create or upgrade the database.")
content_cli = click.Group("content", help="Check course and quiz files.")


def _needs_database(command: Callable[..., None]) -> Callable[..., None]:
    """Turn "the database cannot be opened" into one line saying what to do."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else exc.__class__.__name__
            raise click.ClickException(
                f"the database cannot be opened ({reason}); create it or bring it up to date "
                "with: flask --app app db upgrade"
            ) from exc

    return run


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@_needs_database
def create_user_command(email: str, name: str, role: str) -> None:
    """Create an account; the password is prompted, or read from standard input."""
    password = _read_password()
    problem = password_problem(password)
    if problem:
        raise click.ClickException(f"password refused: {problem}")
    try:
        user = create_user(db.session, email=email, name=name, password=password, role=role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@_needs_database
def set_role_command(email: str, role: str) -> None:
    """Make an account a learner or an instructor."""
    try:
        user = set_role(db.session, email, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}")


@users_cli.command("reset-password")
@click.argument("email")
@_needs_database
def reset_password_command(email: str) -> None:
    """Set an account's password (prompted, or read from standard input) and end every one of
    its sessions."""
    try:
        user = user_by_email(db.session, email)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    password = _read_password()
    problem = password_problem(password)
    if problem:
        raise click.ClickException(f"password refused: {problem}")
    ended = set_new_password(db.session, user, password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo(
        f"new password set for {user.email}; {ended} session{'s' if ended != 1 else ''} ended"
    )


@users_cli.command("list")
@click.option("--role", type=click.Choice(ROLES), default=None, help="Only accounts with it.")
@_needs_database
def list_users_command(role: str | None) -> None:
    """Print every account, oldest first: email, name, role and creation date, tab-separated."""
    for user in list_users(db.session, role):
        click.echo(f"{user.email}\t{user.name}\t{user.role}\t{user.created_at:%Y-%m-%d}")


@users_cli.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_needs_database
def delete_user_command(email: str, yes: bool) -> None:
    """Delete an account with its progress, attempts, memberships and sessions. An instructor
    who still owns cohorts is refused."""
    try:
        user = user_by_email(db.session, email)
        if not yes:
            click.confirm(
                f"Delete {user.role} {user.email} ({user.name}) and all of their progress?",
                abort=True,
            )
        address = user.email
        delete_user(db.session, user)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"deleted {address}")


@cohorts_cli.command("list")
@_needs_database
def list_cohorts_command() -> None:
    """Print every cohort by workshop date: id, name, owner's email, members and workshop
    date, tab-separated (a tab or line break in a name is printed as a space)."""
    for row in ownership.list_cohorts(db.session):
        name = " ".join(row.name.replace("\t", " ").splitlines())
        click.echo(
            f"{row.id}\t{name}\t{row.owner_email}\t{row.members}\t{row.workshop_date:%Y-%m-%d}"
        )


@cohorts_cli.command("transfer")
@click.argument("cohort_id", type=int)
@click.option("--to", "email", required=True, help="The new owner: an instructor's email.")
@_needs_database
def transfer_cohort_command(cohort_id: int, email: str) -> None:
    """Hand a cohort to another instructor, with its members, assignments and invitation. A
    new owner who was a member of it stops being one."""
    try:
        moved = ownership.transfer_cohort(db.session, cohort_id, email)
    except CohortError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"cohort {moved.cohort_id} “{moved.cohort_name}” now belongs to {moved.new_owner}; "
        f"{moved.old_owner} no longer owns it"
    )
    if moved.membership_ended:
        click.echo(
            f"{moved.new_owner} was a member of it and no longer is: instructors do not learn "
            "in their own cohorts (their progress and attempts stay with their account)"
        )


@cohorts_cli.command("delete")
@click.argument("cohort_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_needs_database
def delete_cohort_command(cohort_id: int, yes: bool) -> None:
    """Delete a cohort with its memberships, assignments, extensions and removals; learners
    keep their accounts, progress and attempts."""
    try:
        cohort = ownership.cohort_by_id(db.session, cohort_id)
    except CohortError as exc:
        raise click.ClickException(str(exc)) from exc
    name = cohort.name
    if not yes:
        contents = ownership.cohort_contents(db.session, cohort.id)
        click.confirm(
            f"Delete cohort {cohort.id} “{name}” with its {contents.members} "
            f"membership{'s' if contents.members != 1 else ''} and {contents.assignments} "
            f"assignment{'s' if contents.assignments != 1 else ''}?",
            abort=True,
        )
    ownership.delete_cohort(db.session, cohort)
    db.session.commit()
    click.echo(f"deleted cohort {cohort_id} “{name}”")


def alembic_config(url: str):
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["url"] = url
    return config


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Create the database or bring it up to date through the migrations."""
    from alembic import command

    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
    click.echo(f"database is at {revision}")


@content_cli.command("check")
@click.option("--courses", "courses_dir", type=click.Path(path_type=Path), default=None)
@click.option("--quizzes", "quizzes_dir", type=click.Path(path_type=Path), default=None)
def check_command(courses_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Load all content, print every problem, and exit 1 if there is an error."""
    default_courses, default_quizzes = content_dirs()
    library, report = load_library(courses_dir or default_courses, quizzes_dir or default_quizzes)
    for course_quizzes in library.quizzes_by_course.values():
        course = library.course(course_quizzes.course_id)
        for line in coverage_table(course, course_quizzes):
            click.echo(line)
        for line in flip_pairs_table(course.id, flip_pairs(course_quizzes)):
            click.echo(line)
        found = guessability(course, course_quizzes)
        for line in guessability_table(found):
            click.echo(line)
        report_guessability(found, report)
    for problem in report.problems:
        click.echo(str(problem))
    counts = library.counts()
    summary = ", ".join(f"{number} {name}" for name, number in counts.items())
    click.echo(f"{summary}, {len(report.errors)} errors, {len(report.warnings)} warnings")
    sys.exit(1 if report.errors else 0)


@content_cli.command("explain")
@click.argument("question_id")
@click.option("--courses", "courses_dir", type=click.Path(path_type=Path), default=None)
@click.option("--quizzes", "quizzes_dir", type=click.Path(path_type=Path), default=None)
def explain_command(question_id: str, courses_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Show a question's facts, every rule of each option and whether it fired, and the derived
    answer or why there is none; a question with errors is shown as far as it can be built."""
    default_courses, default_quizzes = content_dirs()
    library, report = load_library(courses_dir or default_courses, quizzes_dir or default_quizzes)
    draft = library.drafts.get(question_id)
    if draft is None:
        read = {d.question.source for d in library.drafts.values()}
        hiding = [str(p) for p in report.errors if question_id in p.message or p.path not in read]
        detail = ("\nthese errors may hide it:\n" + "\n".join(hiding)) if hiding else ""
        raise click.ClickException(
            f"no loaded question has id '{question_id}'"
            f"{did_you_mean(question_id, library.drafts)}{detail}"
        )
    rules_file = str(Path(draft.question.source).with_name(RULES_FILE))
    problems = [p for p in report.errors if p.path == rules_file] + list(draft.problems)
    if problems or draft.notes:
        click.echo("problems:")
        click.echo("\n".join([f"  {p}" for p in problems] + [f"  {n}" for n in draft.notes]))
    for line in explain(draft.rulebook, draft.question):
        click.echo(line)


@click.command("demo")
@click.option("--force", is_flag=True, help="Add the demo even if real accounts exist.")
@with_appcontext
@_needs_database
def demo_command(force: bool) -> None:
    """Fill the database with a demo workshop (run again to reset it)."""
    from parley.demo import DEMO_PASSWORD, DemoRefused, build_demo

    library = current_app.extensions["parley_content"]
    try:
        logins = build_demo(
            db.session, library, force=force, hash_method=current_app.config["PASSWORD_HASH_METHOD"]
        )
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Demo workshop ready. Log in at /login with any of these (password: {DEMO_PASSWORD}):"
    )
    for role, email in logins:
        click.echo(f"  {role:<10} {email}")


reminders_cli = AppGroup("reminders", help="Send reminder e-mails (run daily from cron).")


def _messages(reminders: int, summaries: int) -> str:
    """ "1 reminder and 2 summaries"."""
    return (
        f"{reminders} reminder{'' if reminders == 1 else 's'} and "
        f"{summaries} summar{'y' if summaries == 1 else 'ies'}"
    )


@reminders_cli.command("send")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Remind of modules due from today through this many days ahead.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@_needs_database
def send_reminders_command(days: int, dry_run: bool) -> None:
    """E-mail each learner whose assigned modules are due within DAYS and not ready (once per
    module and due date), and each instructor a daily summary of their cohort. Exits 1 if a
    message could not be sent: it stays unsent, and the next run tries it again."""
    from parley import mail
    from parley.cohorts.reminders import deliver, plan_reminders
    from parley.web.auth.reminders import ReminderMail, describe, site_context
    from parley.web.support.dates import now

    if not dry_run and not mail.mail_enabled(current_app.config):
        raise click.ClickException(
            "mail is not configured: set PARLEY_MAIL_URL (and PARLEY_MAIL_FROM) to send "
            "reminders; --dry-run shows what would be sent"
        )
    with site_context(current_app):
        moment = now()
        library = current_app.extensions["parley_content"]
        plan = plan_reminders(db.session, library, moment, days)
        if dry_run:
            for line in describe(plan):
                click.echo(line)
            click.echo(
                f"dry run: {_messages(len(plan.reminders), len(plan.summaries))} would be sent; "
                "nothing was sent or recorded"
            )
            return

        def tell(outcome) -> None:
            if outcome.sent:
                click.echo(f"sent {outcome.kind} to {outcome.to}: {outcome.subject}")
            else:
                click.echo(f"not sent: {outcome.kind} to {outcome.to}: {outcome.error}", err=True)

        delivery = deliver(db.session, plan, ReminderMail(days), mail.send, moment, tell)
    left = f"; stopped with {delivery.left} more not tried" if delivery.left else ""
    sent = _messages(delivery.count("reminder"), delivery.count("summary"))
    click.echo(f"{sent} sent, {delivery.failed} not sent{left}")
    if delivery.failed:
        raise click.ClickException(
            "some messages were not sent; they stay unsent and the next run tries them again"
        )

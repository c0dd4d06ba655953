"""`flask reminders send`: who is reminded of what, once, and what the instructor's summary says;
against a real SMTP server on loopback (aiosmtpd), with the app's clock fixed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from parley import create_app
from parley.cohorts import membership
from parley.extensions import db
from parley.models import Cohort, CohortSummarySent, ReminderSent, User
from tests.factories import (
    create_account,
    create_mail_app,
    make_attempt,
    make_cohort,
    production_settings,
    smtp_server,
    unused_smtp_url,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # Tue 10 Mar 2026 in UTC
WORKSHOP = date(2026, 3, 20)


def mail_app(app_config, url: str, now: datetime = NOW):
    app = create_mail_app(app_config, url)
    app.extensions["parley_clock"] = lambda: now
    return app


@pytest.fixture
def world(app_config, smtp):
    """Tim's cohort (UTC): Walkouts due Thu 12 Mar, Strategies due Fri 20 Mar, No agreement
    was due Mon 09 Mar. Ana has done nothing, Ben passed the Walkouts quiz, Cat switched
    reminders off."""
    app = mail_app(app_config, smtp.url)
    tim = create_account(app, "tim@example.com", name="Tim Trainer", role="instructor")
    ids = {
        name: create_account(app, f"{name.lower()}@example.com", name=f"{name} Learner")
        for name in ("Ana", "Ben", "Cat")
    }
    cohort = make_cohort(
        app,
        tim,
        name="Spring workshop",
        workshop_date=WORKSHOP,
        modules={
            "walkouts": date(2026, 3, 12),
            "strategies": date(2026, 3, 20),
            "no-agreement": date(2026, 3, 9),
        },
        members=ids.values(),
    )
    with app.app_context():
        quiz = app.extensions["parley_content"].quiz("impasse", "walkouts")
        make_attempt(db.session, ids["Ben"], quiz, score=1.0)
        db.session.get(User, ids["Cat"]).reminders_off_at = NOW.replace(tzinfo=None)
        db.session.commit()
    return {"app": app, "cohort": cohort.id, "tim": tim, **ids}


def send(app, *options: str):
    return app.test_cli_runner().invoke(args=["reminders", "send", *options])


def recorded(app) -> list[tuple[str, str, date]]:
    """(learner email, module id, due date) of every reminder recorded."""
    from parley.models import Assignment

    with app.app_context():
        rows = db.session.execute(
            select(User.email, Assignment.module_id, ReminderSent.due_on)
            .join(User, User.id == ReminderSent.user_id)
            .join(Assignment, Assignment.id == ReminderSent.assignment_id)
            .order_by(User.email, Assignment.module_id)
        )
        return [tuple(row) for row in rows]


def summaries_recorded(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CohortSummarySent))


def by_recipient(smtp) -> dict[str, list]:
    found: dict[str, list] = {}
    for mail in smtp.received:
        (to,) = mail.recipients
        found.setdefault(to, []).append(mail)
    return found


def test_a_learner_is_reminded_only_of_modules_due_within_the_days_and_not_ready(world, smtp):
    result = send(world["app"])
    assert result.exit_code == 0, result.output
    mails = by_recipient(smtp)
    assert sorted(mails) == ["ana@example.com", "tim@example.com"]  # not Ben (ready), not Cat
    (reminder,) = mails["ana@example.com"]
    assert reminder.subject == "Reminder: Walkouts is due Thu 12 Mar"
    assert "Hello Ana Learner," in reminder.text
    assert "A module assigned to you is due soon and not finished yet:" in reminder.text
    assert (
        "- Walkouts (Negotiation: Overcoming Impasse, Spring workshop): due Thu 12 Mar, "
        "in 2 days; not started" in reminder.text
    )
    assert "Strategies" not in reminder.text  # due in 10 days
    assert "When no agreement" not in reminder.text  # overdue: the instructor hears of it
    assert "Pick up where you left off: http://localhost:5000/dashboard" in reminder.text
    assert "<strong>Walkouts</strong> (Negotiation: Overcoming Impasse, Spring workshop)" in (
        reminder.html
    )
    assert recorded(world["app"]) == [("ana@example.com", "walkouts", date(2026, 3, 12))]
    assert "sent reminder to ana@example.com: Reminder: Walkouts is due Thu 12 Mar" in (
        result.output
    )
    assert result.output.endswith("1 reminder and 1 summary sent, 0 not sent\n")


def test_more_days_take_in_later_modules_in_one_message(world, smtp):
    result = send(world["app"], "--days", "10")
    assert result.exit_code == 0
    assert result.output.endswith("2 reminders and 1 summary sent, 0 not sent\n")
    (reminder,) = by_recipient(smtp)["ana@example.com"]
    assert reminder.subject == "Reminder: 2 modules are due by Fri 20 Mar"
    assert "2 modules assigned to you are due soon and not finished yet:" in reminder.text
    walkouts = reminder.text.index("- Walkouts (")
    strategies = reminder.text.index("- Strategies to overcome impasse (")
    assert walkouts < strategies  # soonest first
    assert "due Fri 20 Mar, in 10 days; not started" in reminder.text
    assert recorded(world["app"]) == [
        ("ana@example.com", "strategies", date(2026, 3, 20)),
        ("ana@example.com", "walkouts", date(2026, 3, 12)),
        ("ben@example.com", "strategies", date(2026, 3, 20)),  # ready for walkouts only
    ]
    (ben,) = by_recipient(smtp)["ben@example.com"]
    assert ben.subject == "Reminder: Strategies to overcome impasse is due Fri 20 Mar"


def test_a_module_due_today_counts_and_days_zero_means_today_only(world, smtp):
    app = world["app"]
    app.extensions["parley_clock"] = lambda: NOW + timedelta(days=2)  # Thu 12 Mar
    assert send(app, "--days", "0").exit_code == 0
    (reminder,) = by_recipient(smtp)["ana@example.com"]
    assert "due Thu 12 Mar, today; not started" in reminder.text


def test_a_reminder_is_never_sent_twice(world, smtp):
    app = world["app"]
    assert send(app).exit_code == 0
    assert len(smtp.received) == 2
    again = send(app)
    assert again.exit_code == 0
    assert again.output == "0 reminders and 0 summaries sent, 0 not sent\n"
    assert len(smtp.received) == 2
    app.extensions["parley_clock"] = lambda: NOW + timedelta(days=1)
    assert send(app).exit_code == 0
    assert [m.recipients for m in smtp.received[2:]] == [["tim@example.com"]]  # summary only
    assert recorded(app) == [("ana@example.com", "walkouts", date(2026, 3, 12))]


def test_an_extended_due_date_earns_a_new_reminder(world, smtp):
    app = world["app"]
    assert send(app).exit_code == 0
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        (walkouts,) = [
            a.id
            for a in membership.assignments_of(db.session, cohort.id)
            if a.module_id == "walkouts"
        ]
        membership.extend_due_date(db.session, cohort, walkouts, world["Ana"], date(2026, 3, 13))
        db.session.commit()
    assert send(app).exit_code == 0
    latest = by_recipient(smtp)["ana@example.com"]
    assert len(latest) == 2
    assert latest[1].subject == "Reminder: Walkouts is due Fri 13 Mar"
    assert "due Fri 13 Mar, in 3 days (your extended date); not started" in latest[1].text
    assert recorded(app) == [
        ("ana@example.com", "walkouts", date(2026, 3, 12)),
        ("ana@example.com", "walkouts", date(2026, 3, 13)),
    ]


def test_the_instructor_summary_lists_who_is_behind_once_a_day(world, smtp):
    assert send(world["app"]).exit_code == 0
    (summary,) = by_recipient(smtp)["tim@example.com"]
    assert summary.subject == (
        "Spring workshop: 2 learners not ready for what is due soon, 3 overdue"
    )
    text = summary.text
    assert "Spring workshop: the workshop is on Fri 20 Mar, 3 learners." in text
    soon, overdue = text.split("Overdue:")
    assert "Not ready for what is due in the next 3 days:" in soon
    # Cat switched her own reminders off; her instructor still sees her.
    assert (
        "- Ana Learner <ana@example.com>: Walkouts (Negotiation: Overcoming Impasse), due "
        "Thu 12 Mar, in 2 days; not started" in soon
    )
    assert "- Cat Learner <cat@example.com>: Walkouts" in soon
    assert "Ben Learner" not in soon  # passed
    for name in ("Ana", "Ben", "Cat"):
        assert (
            f"- {name} Learner <{name.lower()}@example.com>: When no agreement is better "
            "(Negotiation: Overcoming Impasse), was due Mon 09 Mar; not started" in overdue
        )
    assert f"The readiness grid: http://localhost:5000/instructor/cohorts/{world['cohort']}" in (
        text
    )
    assert '<h2 style="font-size: 1.1rem;">Overdue</h2>' in summary.html
    assert summaries_recorded(world["app"]) == 1
    assert send(world["app"]).exit_code == 0
    assert len(by_recipient(smtp)["tim@example.com"]) == 1  # once a day


def test_no_summary_when_nobody_is_behind_or_the_instructor_switched_them_off(app_config, smtp):
    app = mail_app(app_config, smtp.url)
    tim = create_account(app, "tim@example.com", name="Tim", role="instructor")
    zoe = create_account(app, "zoe@example.com", name="Zoe", role="instructor")
    ana = create_account(app, "ana@example.com", name="Ana")
    make_cohort(app, tim, workshop_date=WORKSHOP, modules={"walkouts": WORKSHOP}, members=[ana])
    make_cohort(
        app, zoe, workshop_date=WORKSHOP, modules={"walkouts": date(2026, 3, 11)}, members=[ana]
    )
    with app.app_context():
        db.session.get(User, zoe).reminders_off_at = NOW.replace(tzinfo=None)
        db.session.commit()
    result = send(app)
    assert result.exit_code == 0, result.output
    assert [m.recipients for m in smtp.received] == [["ana@example.com"]]
    assert summaries_recorded(app) == 0


def test_dry_run_prints_every_message_and_sends_and_records_nothing(world, smtp):
    result = send(world["app"], "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        "reminder to ana@example.com: Reminder: Walkouts is due Thu 12 Mar",
        "  Negotiation: Overcoming Impasse / Walkouts (Spring workshop), due Thu 12 Mar: "
        "not started",
    ]
    assert lines[2] == (
        "summary to tim@example.com: Spring workshop: 2 learners not ready for what is due "
        "soon, 3 overdue"
    )
    assert (
        "  overdue: Ben Learner <ben@example.com>: Negotiation: Overcoming Impasse / When no "
        "agreement is better (Spring workshop), due Mon 09 Mar: not started" in lines
    )
    assert lines[-1] == (
        "dry run: 1 reminder and 1 summary would be sent; nothing was sent or recorded"
    )
    assert smtp.received == []
    assert recorded(world["app"]) == []
    assert summaries_recorded(world["app"]) == 0


def test_a_mail_server_that_is_down_loses_nothing_and_the_next_run_sends(world, smtp, app_config):
    down = mail_app(app_config, unused_smtp_url())
    result = send(down)
    assert result.exit_code == 1
    assert "not sent: reminder to ana@example.com: the mail server at 127.0.0.1:" in result.stderr
    assert "cannot be reached" in result.stderr
    assert result.stdout.endswith(
        "0 reminders and 0 summaries sent, 1 not sent; stopped with 1 more not tried\n"
    )
    assert (
        "Error: some messages were not sent; they stay unsent and the next run tries them again"
        in result.stderr
    )
    assert recorded(down) == []
    assert summaries_recorded(down) == 0
    assert send(world["app"]).exit_code == 0
    assert sorted(by_recipient(smtp)) == ["ana@example.com", "tim@example.com"]
    assert recorded(world["app"]) == [("ana@example.com", "walkouts", date(2026, 3, 12))]


def test_a_refused_recipient_is_skipped_left_unsent_and_the_others_go(world, app_config):
    with smtp_server(refuse=["ana@example.com"]) as refusing:
        app = mail_app(app_config, refusing.url)
        result = send(app)
        assert result.exit_code == 1
        assert (
            "not sent: reminder to ana@example.com: the mail server refused the recipient "
            "(550 5.1.1 No such mailbox here)" in result.stderr
        )
        assert "sent summary to tim@example.com" in result.stdout
        assert [m.recipients for m in refusing.received] == [["tim@example.com"]]
    assert recorded(app) == []  # retried by the next run
    assert summaries_recorded(app) == 1


def test_without_mail_it_says_to_set_the_mail_url_but_a_dry_run_works(world, app_config):
    app = create_app({**app_config, **production_settings()})
    app.extensions["parley_clock"] = lambda: NOW
    result = send(app)
    assert result.exit_code == 1
    assert (
        "Error: mail is not configured: set PARLEY_MAIL_URL (and PARLEY_MAIL_FROM) to send "
        "reminders; --dry-run shows what would be sent" in result.output
    )
    dry = send(app, "--dry-run")
    assert dry.exit_code == 0
    assert "reminder to ana@example.com: Reminder: Walkouts is due Thu 12 Mar" in dry.output


def test_days_must_not_be_negative(world, smtp):
    result = send(world["app"], "--days", "-1")
    assert result.exit_code == 2
    assert "Invalid value for '--days': -1 is not in the range x>=0." in result.output
    assert smtp.received == []


def test_every_message_carries_list_unsubscribe_headers_and_a_link(world, smtp):
    assert send(world["app"]).exit_code == 0
    for mail in smtp.received:
        header = mail.message["List-Unsubscribe"]
        assert header.startswith("<http://localhost:5000/reminders/unsubscribe/")
        assert header.endswith(">")
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = header[1:-1]
        # On one line as sent: a folded URL would be written as encoded words, no URL at all.
        assert f"\r\nList-Unsubscribe: <{link}>\r\n".encode() in mail.raw
        assert f"open this link: {link}" in mail.text
        assert f'<a href="{link}">' in mail.html


def test_the_cohort_time_zone_decides_what_is_due_within_the_days(app_config, smtp):
    """At 12:00 UTC on Mon 09 Mar it is already Tue 10 Mar in Auckland (UTC+13): a module due
    Fri 13 Mar is within three days there, and not in a UTC cohort."""
    app = mail_app(app_config, smtp.url, now=datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    tim = create_account(app, "tim@example.com", name="Tim", role="instructor")
    kiri = create_account(app, "kiri@example.com", name="Kiri")
    uma = create_account(app, "uma@example.com", name="Uma")
    due = {"walkouts": date(2026, 3, 13)}
    auckland = make_cohort(app, tim, name="Auckland", workshop_date=WORKSHOP, modules=due)
    make_cohort(app, tim, name="London", workshop_date=WORKSHOP, modules=due, members=[uma])
    with app.app_context():
        cohort = db.session.get(Cohort, auckland.id)
        membership.set_time_zone(db.session, cohort, "Pacific/Auckland")
        membership.join(db.session, cohort, kiri)
        db.session.commit()
    result = send(app)
    assert result.exit_code == 0, result.output
    mails = by_recipient(smtp)
    assert "uma@example.com" not in mails
    (reminder,) = mails["kiri@example.com"]
    assert "due Fri 13 Mar, in 3 days; not started" in reminder.text
    (summary,) = mails["tim@example.com"]
    assert summary.subject == "Auckland: 1 learner not ready for what is due soon"


def test_a_reminder_another_run_recorded_meanwhile_is_no_error(world, smtp):
    """Two runs at once (cron and an operator): the second to record the same reminder rolls
    its record back and carries on."""
    from sqlalchemy import create_engine, insert

    from parley.cohorts.reminders import deliver, plan_reminders
    from parley.mail import send as send_mail
    from parley.web.auth.reminders import ReminderMail, site_context

    app = world["app"]
    other = create_engine(app.config["DATABASE_URL"])

    def send_while_another_run_records(message):
        send_mail(message)
        if message.to == "ana@example.com":
            with other.begin() as connection:
                connection.execute(
                    insert(ReminderSent).values(
                        user_id=world["Ana"],
                        assignment_id=recorded_assignment(app, "walkouts"),
                        due_on=date(2026, 3, 12),
                        sent_at=NOW.replace(tzinfo=None),
                    )
                )

    try:
        with app.app_context(), site_context(app):
            plan = plan_reminders(db.session, app.extensions["parley_content"], NOW)
            delivery = deliver(
                db.session, plan, ReminderMail(3), send_while_another_run_records, NOW
            )
    finally:
        other.dispose()
    assert [(o.kind, o.to, o.sent) for o in delivery.outcomes] == [
        ("reminder", "ana@example.com", True),
        ("summary", "tim@example.com", True),
    ]
    assert recorded(app) == [("ana@example.com", "walkouts", date(2026, 3, 12))]
    assert summaries_recorded(app) == 1


def recorded_assignment(app, module_id: str) -> int:
    from parley.models import Assignment

    with app.app_context():
        return db.session.scalar(select(Assignment.id).where(Assignment.module_id == module_id))


def test_no_summary_once_the_workshop_is_past(world, smtp):
    app = world["app"]
    app.extensions["parley_clock"] = lambda: NOW + timedelta(days=10)  # Fri 20 Mar: the day
    assert "summary to tim@example.com: Spring workshop: " in send(app, "--dry-run").output
    app.extensions["parley_clock"] = lambda: NOW + timedelta(days=11)  # Sat 21 Mar
    result = send(app)
    assert result.output == "0 reminders and 0 summaries sent, 0 not sent\n"
    assert smtp.received == []


def test_in_development_without_a_mail_server_reminders_go_to_the_outbox(app_config, tmp_path):
    outbox = tmp_path / "outbox"
    app = create_app({**app_config, "MAIL_OUTBOX": str(outbox)})  # ENV development, no MAIL_URL
    app.extensions["parley_clock"] = lambda: NOW
    tim = create_account(app, "tim@example.com", name="Tim", role="instructor")
    ana = create_account(app, "ana@example.com", name="Ana")
    make_cohort(
        app, tim, workshop_date=WORKSHOP, modules={"walkouts": date(2026, 3, 12)}, members=[ana]
    )
    result = send(app)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 reminder and 1 summary sent, 0 not sent\n")
    written = sorted(path.name for path in outbox.iterdir())
    assert len(written) == 2
    assert any(name.endswith("-reminder-walkouts-is-due-thu-12-mar.eml") for name in written)
    assert recorded(app) == [("ana@example.com", "walkouts", date(2026, 3, 12))]


def test_an_extension_past_the_workshop_is_still_reminded(app_config, smtp):
    """Cohorts whose dates are all past are not read, unless an extension is still ahead."""
    app = mail_app(app_config, smtp.url)
    tim = create_account(app, "tim@example.com", name="Tim", role="instructor")
    ana = create_account(app, "ana@example.com", name="Ana")
    ben = create_account(app, "ben@example.com", name="Ben")
    past = date(2026, 2, 1)
    cohort = make_cohort(
        app, tim, workshop_date=past, modules={"walkouts": past}, members=[ana, ben]
    )
    with app.app_context():
        found = db.session.get(Cohort, cohort.id)
        (walkouts,) = membership.assignments_of(db.session, cohort.id)
        membership.extend_due_date(db.session, found, walkouts.id, ana, date(2026, 3, 11))
        db.session.commit()
    result = send(app)
    assert result.exit_code == 0, result.output
    assert [m.recipients for m in smtp.received] == [["ana@example.com"]]  # no summary: past
    assert "due Wed 11 Mar, tomorrow (your extended date); not started" in smtp.received[0].text


def test_a_learner_invited_by_a_roster_who_has_no_password_is_told_how_to_choose_one(world, smtp):
    from parley.accounts.invited import no_password_hash

    with world["app"].app_context():
        db.session.get(User, world["Ana"]).password_hash = no_password_hash()
        db.session.commit()
    assert send(world["app"]).exit_code == 0
    mails = by_recipient(smtp)
    (reminder,) = mails["ana@example.com"]
    told = (
        "You have not chosen your password yet, so you cannot log in: ask for a link to choose it"
    )
    assert f"{told} here: http://localhost:5000/forgot-password" in reminder.text
    assert 'href="http://localhost:5000/forgot-password">ask for a link to choose it</a>' in (
        reminder.html
    )
    (summary,) = mails["tim@example.com"]
    assert "You have not chosen your password" not in summary.text


def test_a_learner_with_a_password_is_not_told_to_choose_one(world, smtp):
    assert send(world["app"]).exit_code == 0
    (reminder,) = by_recipient(smtp)["ana@example.com"]
    assert "You have not chosen your password yet" not in reminder.text

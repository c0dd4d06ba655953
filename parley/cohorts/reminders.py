"""Reminder e-mails, planned and sent: `flask reminders send`, run daily from cron.

A learner is reminded of each assigned module that is not ready and whose due date (their own,
extensions included) falls from today through today + N days in the cohort's time zone. A
reminder is recorded by learner, assignment and due date once the mail server has accepted it,
so it is never sent twice and an extended due date earns a new one. Each cohort's owner gets a
summary a day (in the cohort's zone) of who is not ready for what is due soon and who is
overdue, while the workshop is still ahead and only when there is something to report. People
who switched reminders off get neither.

Readiness is the grid's own (cohort_readiness): a reminder says what the instructor sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parley.accounts.time_zones import as_utc, today_in
from parley.cohorts.readiness import cohort_readiness
from parley.content import Library
from parley.learning.status import Status
from parley.mail import MailNotSent, Message, MessageRefused
from parley.models import (
    Assignment,
    Cohort,
    CohortSummarySent,
    DueDateOverride,
    ReminderSent,
    User,
)

DEFAULT_DAYS = 3


@dataclass(frozen=True)
class DueModule:
    """One assigned module of one learner, as a reminder or a summary lists it."""

    assignment_id: int
    cohort_id: int
    cohort_name: str
    course_title: str
    module_title: str
    due: date
    extended: bool
    status: Status
    time_zone: str | None  # the cohort's; the due date is a date in it


@dataclass(frozen=True)
class LearnerReminder:
    """One e-mail to one learner: every module of theirs due soon, not ready, not yet reminded."""

    user_id: int
    name: str
    email: str
    modules: tuple[DueModule, ...]  # soonest first


@dataclass(frozen=True)
class Behind:
    """A learner not ready for one module, in an instructor's summary."""

    name: str
    email: str
    module: DueModule


@dataclass(frozen=True)
class CohortSummary:
    """One e-mail to a cohort's owner about the learners who are behind."""

    cohort_id: int
    cohort_name: str
    time_zone: str | None
    workshop_date: date
    today: date  # in the cohort's zone: the day it counts as sent on
    instructor_id: int
    instructor_name: str
    instructor_email: str
    due_soon: tuple[Behind, ...]  # not ready, due today through today + days
    overdue: tuple[Behind, ...]
    members: int


@dataclass(frozen=True)
class ReminderPlan:
    days: int
    reminders: tuple[LearnerReminder, ...]
    summaries: tuple[CohortSummary, ...]


def plan_reminders(
    session: Session, library: Library, now: datetime, days: int = DEFAULT_DAYS
) -> ReminderPlan:
    """What a run at now would send; reads only: five statements for each cohort that can
    have something to send, and four more."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    # The earliest "today" of any zone (UTC-12 to UTC+14): a cohort whose workshop and every
    # due date, extensions included, are before it has nothing left to send and is not read.
    horizon = as_utc(now).date() - timedelta(days=1)
    live = select(Assignment.cohort_id).where(Assignment.due_date >= horizon)
    extended = (
        select(Assignment.cohort_id)
        .join(DueDateOverride, DueDateOverride.assignment_id == Assignment.id)
        .where(DueDateOverride.due_date >= horizon)
    )
    cohorts = list(
        session.scalars(
            select(Cohort)
            .where(
                Cohort.id.in_(select(Assignment.cohort_id)),
                or_(Cohort.workshop_date >= horizon, Cohort.id.in_(live.union(extended))),
            )
            .order_by(Cohort.workshop_date, Cohort.id)
        )
    )
    due_soon: dict[int, list[DueModule]] = defaultdict(list)
    learners: dict[int, tuple[str, str]] = {}
    summaries: list[tuple[Cohort, date, list[Behind], list[Behind], int]] = []
    for cohort in cohorts:
        today = today_in(cohort.time_zone, now)
        last = today + timedelta(days=days)
        readiness = cohort_readiness(session, library, cohort.id, today)
        soon: list[Behind] = []
        overdue: list[Behind] = []
        for row in readiness.rows:
            member = row.member
            for column, cell in zip(readiness.columns, row.cells, strict=True):
                if cell.ready:
                    continue
                module = DueModule(
                    assignment_id=column.assignment.id,
                    cohort_id=cohort.id,
                    cohort_name=cohort.name,
                    course_title=column.course.title,
                    module_title=column.module.title,
                    due=cell.due,
                    extended=cell.extended,
                    status=cell.status,
                    time_zone=cohort.time_zone,
                )
                if cell.overdue:
                    overdue.append(Behind(member.name, member.email, module))
                elif today <= cell.due <= last:
                    soon.append(Behind(member.name, member.email, module))
                    due_soon[member.user_id].append(module)
                    learners[member.user_id] = (member.name, member.email)
        if (soon or overdue) and cohort.workshop_date >= today:
            summaries.append((cohort, today, soon, overdue, len(readiness.rows)))
    off = _switched_off(session, [*learners, *(c.owner_id for c, *_ in summaries)])
    already = _reminded(session, [m.assignment_id for ms in due_soon.values() for m in ms])
    reminders = []
    for user_id, modules in due_soon.items():
        fresh = [m for m in modules if (user_id, m.assignment_id, m.due) not in already]
        if user_id in off or not fresh:
            continue
        name, email = learners[user_id]
        fresh.sort(key=lambda m: (m.due, m.cohort_name, m.course_title, m.module_title))
        reminders.append(LearnerReminder(user_id, name, email, tuple(fresh)))
    reminders.sort(key=lambda r: (r.name.casefold(), r.user_id))
    return ReminderPlan(days, tuple(reminders), tuple(_summaries(session, summaries, off)))


def _summaries(
    session: Session,
    found: list[tuple[Cohort, date, list[Behind], list[Behind], int]],
    off: set[int],
) -> list[CohortSummary]:
    """The summaries to send: owners with reminders on, not yet sent today in the zone."""
    if not found:
        return []
    owners = {
        user.id: user
        for user in session.scalars(
            select(User).where(User.id.in_({cohort.owner_id for cohort, *_ in found}))
        )
    }
    sent = {
        tuple(row)
        for row in session.execute(
            select(
                CohortSummarySent.cohort_id,
                CohortSummarySent.instructor_id,
                CohortSummarySent.sent_on,
            ).where(CohortSummarySent.cohort_id.in_([cohort.id for cohort, *_ in found]))
        )
    }
    summaries = []
    for cohort, today, soon, overdue, members in found:
        owner = owners.get(cohort.owner_id)
        if owner is None or owner.id in off or (cohort.id, owner.id, today) in sent:
            continue
        summaries.append(
            CohortSummary(
                cohort_id=cohort.id,
                cohort_name=cohort.name,
                time_zone=cohort.time_zone,
                workshop_date=cohort.workshop_date,
                today=today,
                instructor_id=owner.id,
                instructor_name=owner.name,
                instructor_email=owner.email,
                due_soon=tuple(_by_due(soon)),
                overdue=tuple(_by_due(overdue)),
                members=members,
            )
        )
    return summaries


def _by_due(found: list[Behind]) -> list[Behind]:
    return sorted(found, key=lambda b: (b.module.due, b.module.module_title, b.name.casefold()))


def _switched_off(session: Session, user_ids: Iterable[int]) -> set[int]:
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        session.scalars(select(User.id).where(User.id.in_(ids), User.reminders_off_at.is_not(None)))
    )


def _reminded(session: Session, assignment_ids: list[int]) -> set[tuple[int, int, date]]:
    """(user, assignment, due date) of every reminder already sent for these assignments."""
    if not assignment_ids:
        return set()
    rows = session.execute(
        select(ReminderSent.user_id, ReminderSent.assignment_id, ReminderSent.due_on).where(
            ReminderSent.assignment_id.in_(set(assignment_ids))
        )
    )
    return {tuple(row) for row in rows}


# --- Sending --------------------------------------------------------------------------------


class Composer(Protocol):
    """Writes the messages (the web layer: templates and absolute links)."""

    def reminder(self, reminder: LearnerReminder) -> Message: ...

    def summary(self, summary: CohortSummary) -> Message: ...


@dataclass(frozen=True)
class Outcome:
    """What became of one message: sent, or not and why."""

    kind: str  # "reminder" or "summary"
    to: str
    subject: str
    error: str | None = None

    @property
    def sent(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Delivery:
    outcomes: tuple[Outcome, ...]
    left: int  # messages not tried after the run stopped (the server could not be reached)

    @property
    def failed(self) -> int:
        return sum(1 for outcome in self.outcomes if not outcome.sent)

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.sent and o.kind == kind)


def deliver(
    session: Session,
    plan: ReminderPlan,
    composer: Composer,
    send: Callable[[Message], None],
    now: datetime,
    tell: Callable[[Outcome], None] = lambda outcome: None,
) -> Delivery:
    """Send the plan's messages one by one, recording and committing each right after the
    server accepts it (the one place this module commits), so that a failure or a crash
    midway loses nothing and sends nothing twice. A refused recipient or message is skipped;
    any other failure (server down, log-in or sender refused) stops the run, as it would fail
    for every message. Whatever was not sent stays unrecorded for the next run."""
    sent_at = as_utc(now).replace(tzinfo=None)  # stored as naive UTC
    work: list[tuple[str, Message, Callable[[], None]]] = []
    for reminder in plan.reminders:
        work.append(
            ("reminder", composer.reminder(reminder), _recorder(session, reminder, sent_at))
        )
    for summary in plan.summaries:
        work.append(("summary", composer.summary(summary), _recorder(session, summary, sent_at)))
    outcomes: list[Outcome] = []
    for done, (kind, message, record) in enumerate(work, start=1):
        try:
            send(message)
        except MailNotSent as exc:
            outcome = Outcome(kind, message.to, message.subject, str(exc))
            outcomes.append(outcome)
            tell(outcome)
            if isinstance(exc, MessageRefused):
                continue
            return Delivery(tuple(outcomes), len(work) - done)
        record()
        try:
            session.commit()
        except IntegrityError:  # another run, at the same moment, recorded it first
            session.rollback()
        outcome = Outcome(kind, message.to, message.subject)
        outcomes.append(outcome)
        tell(outcome)
    return Delivery(tuple(outcomes), 0)


def _recorder(
    session: Session, sent: LearnerReminder | CohortSummary, sent_at: datetime
) -> Callable[[], None]:
    def record() -> None:
        if isinstance(sent, LearnerReminder):
            session.add_all(
                ReminderSent(
                    user_id=sent.user_id,
                    assignment_id=module.assignment_id,
                    due_on=module.due,
                    sent_at=sent_at,
                )
                for module in sent.modules
            )
        else:
            session.add(
                CohortSummarySent(
                    cohort_id=sent.cohort_id,
                    instructor_id=sent.instructor_id,
                    sent_on=sent.today,
                    sent_at=sent_at,
                )
            )

    return record

"""Roster import: a CSV of names and e-mails adds people to a cohort, all or nothing.

read_roster() turns the text (pasted, or a file's bytes) into rows, each with its problem if
it has one, or raises RosterUnreadable when the whole text cannot be used (empty, not UTF-8,
no name and email columns, too large). plan_import() then looks each row up: new account,
existing account, already a member, or a problem (removed from the cohort, an instructor).
import_roster() writes a plan that has no problem: accounts made, memberships added. Takes a
session, never commits; the view commits once.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace

import email_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.accounts.invited import has_password, invited_user
from parley.accounts.users import DEFAULT_HASH, normalise_email
from parley.models import Cohort, CohortBlock, Membership, User

MAX_BYTES = 200 * 1024  # below MAX_CONTENT_LENGTH (256 KiB): 1,000 rows take about 60 KiB
MAX_ROWS = 1000
NAME_MAX = 120  # registration's limits
EMAIL_MAX = 320
EMAIL_HEADERS = {"email", "e-mail"}
NAME_HEADERS = {"name"}
DELIMITERS = (",", ";", "\t")  # Excel writes ";" where "," is the decimal comma; pasted cells: tab
EXAMPLE = "name,email"
SAVE_AS_UTF8 = (
    "Save it as UTF-8 text: in Excel, “File › Save As” and the type “CSV UTF-8 (Comma "
    "delimited)”; in LibreOffice, “Save As” CSV with the character set “Unicode (UTF-8)”."
)


class RosterUnreadable(ValueError):
    """The roster as a whole cannot be used; the message says why and how to fix it."""


class RosterTooLarge(RosterUnreadable):
    """More bytes or rows than one import takes."""


@dataclass(frozen=True)
class RosterRow:
    """One person of the roster: the line it starts on, the name and the e-mail (lower case),
    and what is wrong with it (None: nothing)."""

    line: int
    name: str
    email: str
    problem: str | None = None


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]
    ignored_columns: tuple[str, ...]  # header names other than name and email

    @property
    def problems(self) -> list[RosterRow]:
        return [row for row in self.rows if row.problem]


def decode(data: bytes) -> str:
    """A file's bytes as text; RosterUnreadable unless it is UTF-8 (a BOM is fine)."""
    if len(data) > MAX_BYTES:
        raise RosterTooLarge(_too_large(len(data)))
    if data.startswith(b"PK\x03\x04"):
        raise RosterUnreadable(
            "That file is a spreadsheet workbook (.xlsx or .ods), not CSV text. " + SAVE_AS_UTF8
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterUnreadable(
            f"The file is not UTF-8 text (a byte that UTF-8 does not allow on line {line}). "
            + SAVE_AS_UTF8
        ) from exc


def _too_large(size: int) -> str:
    return (
        f"The roster is {size / 1024:,.0f} KB; one import takes at most {MAX_BYTES // 1024} KB "
        f"and {MAX_ROWS:,} people. Split it into smaller files."
    )


def read_roster(text: str) -> Roster:
    """The rows of a roster whose first line names the columns (name and email, any order,
    "," ";" or tab between them); RosterUnreadable if the whole text cannot be used."""
    text = text.removeprefix("\ufeff")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise RosterTooLarge(_too_large(size))
    if "\x00" in text:
        raise RosterUnreadable(
            "The roster contains a NUL character, which no text file has: is it really a CSV "
            "file? " + SAVE_AS_UTF8
        )
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise RosterUnreadable(
            f"The roster is empty. Its first line names the columns, such as “{EXAMPLE}”, "
            "and each following line is one person."
        )
    delimiter = max(DELIMITERS, key=lambda d: lines[header_index].count(d))
    reader = csv.reader(io.StringIO("\n".join(lines[header_index:])), delimiter=delimiter)
    try:
        header = next(reader)
        name_at, email_at, ignored = _columns(header)
        rows = _rows(reader, header_index, name_at, email_at, delimiter)
    except csv.Error as exc:
        raise RosterUnreadable(
            f"The roster cannot be read as CSV near line {header_index + reader.line_num}: {exc}."
        ) from exc
    if not rows:
        raise RosterUnreadable(
            "The roster names its columns but has nobody in it: add one line for each person "
            "after the first."
        )
    return Roster(tuple(_mark_duplicates(rows)), ignored)


def _columns(header: list[str]) -> tuple[int, int, tuple[str, ...]]:
    names = [cell.strip().removeprefix("\ufeff").strip().lower() for cell in header]
    found = {}
    for wanted, accepted in (("name", NAME_HEADERS), ("email", EMAIL_HEADERS)):
        at = [i for i, cell in enumerate(names) if cell in accepted]
        if len(at) > 1:
            raise RosterUnreadable(f"The first line names the “{wanted}” column twice.")
        if at:
            found[wanted] = at[0]
    missing = [wanted for wanted in ("name", "email") if wanted not in found]
    if missing:
        shown = ", ".join(f"“{cell.strip()}”" for cell in header[:6] if cell.strip())
        raise RosterUnreadable(
            f"The first line must name the columns “name” and “email” (for example "
            f"“{EXAMPLE}”); it has no {' and no '.join(f'“{m}”' for m in missing)} column. "
            f"It reads: {shown or 'nothing'}."
        )
    ignored = tuple(
        header[i].strip()
        for i, cell in enumerate(names)
        if i not in found.values() and header[i].strip()
    )
    return found["name"], found["email"], ignored


def _rows(
    reader, header_index: int, name_at: int, email_at: int, delimiter: str
) -> list[RosterRow]:
    rows: list[RosterRow] = []
    ended = reader.line_num
    for cells in reader:
        line = header_index + ended + 1  # where this record starts, counting from 1
        ended = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise RosterTooLarge(
                f"The roster has more than {MAX_ROWS:,} people; one import takes at most "
                f"{MAX_ROWS:,}. Split it into smaller files."
            )
        name = cells[name_at].strip() if name_at < len(cells) else ""
        email = cells[email_at].strip() if email_at < len(cells) else ""
        problem = _row_problem(name, email)
        if problem and len(cells) <= max(name_at, email_at):
            problem += _separator_hint(cells, delimiter)
        rows.append(RosterRow(line, name, normalise_email(email), problem))
    return rows


def _separator_hint(cells: list[str], delimiter: str) -> str:
    """Why a line came out short, if it separates its columns otherwise than the first line."""
    others = [d for d in DELIMITERS if d != delimiter and any(d in cell for cell in cells)]
    if not others:
        return ""
    return (
        f" This line separates its columns with “{_shown(others[0])}”, the first line with "
        f"“{_shown(delimiter)}”: use the same on every line."
    )


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _row_problem(name: str, email: str) -> str | None:
    if not name:
        return "The name is missing."
    if len(name) > NAME_MAX:
        return f"The name has {len(name)} characters; at most {NAME_MAX}."
    if not email:
        return "The e-mail address is missing."
    if len(email) > EMAIL_MAX:
        return f"The e-mail address has {len(email)} characters; at most {EMAIL_MAX}."
    try:  # as registration's form checks it (wtforms' Email validator)
        email_validator.validate_email(email, check_deliverability=False, allow_smtputf8=True)
    except email_validator.EmailNotValidError:
        return f"“{email}” is not a valid e-mail address."
    return None


def _mark_duplicates(rows: Iterable[RosterRow]) -> list[RosterRow]:
    first_line: dict[str, int] = {}
    marked = []
    for row in rows:
        if not row.problem and row.email in first_line:
            row = replace(row, problem=f"Same e-mail address as line {first_line[row.email]}.")
        elif not row.problem:
            first_line[row.email] = row.line
        marked.append(row)
    return marked


# --- Against the database -------------------------------------------------------------------


class Outcome(enum.Enum):
    """What importing a row does."""

    NEW = "new account, invited to choose a password"
    INVITE_AGAIN = "account not yet used: invited again"  # made by an import, no password yet
    ADDED = "existing account, added to the cohort"
    MEMBER = "already a member"


REMOVED = "Removed from this cohort: use “Allow back” on the cohort page first."
INSTRUCTOR = (
    "This is an instructor's account; instructors join a cohort with its invitation link "
    "themselves."
)
OWNER = "That is you: you run this cohort."


@dataclass(frozen=True)
class PlannedRow:
    row: RosterRow
    outcome: Outcome | None  # None when the row has a problem
    user: User | None  # the existing account, if any
    problem: str | None
    member: bool = False  # already a member of the cohort


@dataclass(frozen=True)
class Plan:
    cohort: Cohort
    rows: tuple[PlannedRow, ...]
    ignored_columns: tuple[str, ...]

    @property
    def problems(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.problem]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)


def plan_import(session: Session, cohort: Cohort, roster: Roster) -> Plan:
    """What importing the roster into the cohort would do, row by row: three statements for
    up to 500 people."""
    emails = [row.email for row in roster.rows if not row.problem]
    accounts = {user.email: user for user in _in_chunks(session, User, User.email, emails)}
    ids = [user.id for user in accounts.values()]
    in_cohort = (Membership.cohort_id == cohort.id,)
    members = set(_in_chunks(session, Membership.user_id, Membership.user_id, ids, in_cohort))
    blocked = (CohortBlock.cohort_id == cohort.id,)
    removed = set(_in_chunks(session, CohortBlock.user_id, CohortBlock.user_id, ids, blocked))
    planned = []
    for row in roster.rows:
        user = None if row.problem else accounts.get(row.email)
        outcome, problem = _outcome(cohort, row, user, members, removed)
        member = user is not None and user.id in members
        planned.append(PlannedRow(row, outcome, user, problem, member))
    return Plan(cohort, tuple(planned), roster.ignored_columns)


def _in_chunks(session: Session, selected, column, values: list, where: tuple = ()) -> list:
    """select(selected) where column is one of values, 500 values a statement (SQLite's
    older builds take at most 999 parameters)."""
    found = []
    for start in range(0, len(values), 500):
        query = select(selected).where(column.in_(values[start : start + 500]), *where)
        found.extend(session.scalars(query))
    return found


def _outcome(
    cohort: Cohort, row: RosterRow, user: User | None, members: set[int], removed: set[int]
) -> tuple[Outcome | None, str | None]:
    if row.problem:
        return None, row.problem
    if user is None:
        return Outcome.NEW, None
    if user.id == cohort.owner_id:
        return None, OWNER
    if user.role != "learner":
        return None, INSTRUCTOR
    if user.id in removed:
        return None, REMOVED
    if not has_password(user):
        return Outcome.INVITE_AGAIN, None
    if user.id in members:
        return Outcome.MEMBER, None
    return Outcome.ADDED, None


@dataclass(frozen=True)
class Imported:
    """One imported row: the account (made now, or found) and what was done."""

    line: int
    user: User
    outcome: Outcome
    joined: bool  # became a member now


def import_roster(session: Session, plan: Plan, hash_method: str = DEFAULT_HASH) -> list[Imported]:
    """Write a plan without problems (ValueError otherwise): make the new accounts and add
    everyone who is not yet a member, in two flushes. Joining does not need the cohort to be
    open: the instructor adds these people."""
    if plan.problems:
        raise ValueError("a roster with problems is never imported")
    accounts = [
        planned.user
        or invited_user(email=planned.row.email, name=planned.row.name, hash_method=hash_method)
        for planned in plan.rows
    ]
    session.add_all(account for account in accounts if account.id is None)
    session.flush()  # the new accounts' ids
    session.add_all(
        Membership(cohort_id=plan.cohort.id, user_id=account.id)
        for planned, account in zip(plan.rows, accounts, strict=True)
        if not planned.member
    )
    session.flush()
    return [
        Imported(planned.row.line, account, planned.outcome, not planned.member)
        for planned, account in zip(plan.rows, accounts, strict=True)
    ]


def cohort_names_of(session: Session, user_id: int) -> list[str]:
    """The names of the cohorts an account is a member of, for its invitation page."""
    query = (
        select(Cohort.name)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == user_id)
        .order_by(Cohort.workshop_date, Cohort.id)
    )
    return list(session.scalars(query))

"""Factories the tests share: build what a test needs in one call, or drive the app the way a
person would. Tests import from here, never from conftest or from one another; conftest's
fixtures stay thin and call these."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from click.testing import CliRunner
from sqlalchemy import Integer, MetaData, event, func, insert, select, text
from sqlalchemy.orm import Session

from parley import create_app
from parley.accounts.users import create_user
from parley.cli import explain_command
from parley.cohorts import membership
from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.content.model import Quiz
from parley.db import Database, make_engine
from parley.extensions import db
from parley.grading import (
    Condition,
    Fact,
    LessonRef,
    Option,
    Question,
    Response,
    Rule,
    RuleBook,
    Sequence,
    Step,
    Strategy,
    grade,
    kind_of,
)
from parley.learning.stored import question_snapshot, stored_answer
from parley.models import (
    Answer,
    Attempt,
    Base,
    LessonProgress,
    Membership,
    QuestionVersion,
    User,
    utcnow,
)

DATA = Path(__file__).parent / "data"
STORED_BEFORE_14 = DATA / "stored_before_14"

# --- Test databases -------------------------------------------------------------------------

# Set by .ci/run for the second pass: the whole suite on a real PostgreSQL server.
POSTGRES_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the test database's public schema."""
    engine = make_engine(url, pooled=False)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_postgres_tables(url: str) -> None:
    """Empty every table of the test database and restart its ids at 1."""
    engine = make_engine(url, pooled=False)
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


# --- Content files --------------------------------------------------------------------------

LESSON_BODY = "Intro text.\n\n## First section {#first}\n\nBody.\n\n## Second section\n\nMore.\n"


def write_lesson(path: Path, front: dict | str, body: str = LESSON_BODY) -> Path:
    """Write a lesson file: YAML front matter (a dict, or raw text) and a Markdown body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    front_text = front if isinstance(front, str) else yaml.safe_dump(front, sort_keys=False)
    path.write_text(f"---\n{front_text}---\n{body}", encoding="utf-8")
    return path


def lesson_front(lesson_id: str, *objective_ids: str, title: str | None = None) -> dict:
    """A lesson's front matter: five minutes, one objective unless others are named."""
    return {
        "id": lesson_id,
        "title": title or lesson_id.replace("-", " ").title(),
        "minutes": 5,
        "objectives": [
            {"id": o, "text": f"Objective {o}."} for o in objective_ids or (f"{lesson_id}-o",)
        ],
    }


def course_writer(tmp_path: Path):
    """Return make(course_id, modules, root) writing courses/<id>/; it returns the root."""

    def make(
        course_id: str = "demo",
        modules: dict[str, list[str]] | None = None,
        root: Path | None = None,
    ) -> Path:
        root = root or tmp_path / "courses"
        modules = modules or {"basics": ["first-lesson", "second-lesson"]}
        course_dir = root / course_id
        course_dir.mkdir(parents=True, exist_ok=True)
        spec = {
            "title": f"Course {course_id}",
            "summary": "A course for tests.",
            "modules": [{"id": m, "title": m.title(), "summary": ""} for m in modules],
        }
        (course_dir / "course.yaml").write_text(
            yaml.safe_dump(spec, sort_keys=False), encoding="utf-8"
        )
        for module_id, lessons in modules.items():
            for number, lesson_id in enumerate(lessons, start=1):
                write_lesson(
                    course_dir / module_id / f"{number:02d}-{lesson_id}.md", lesson_front(lesson_id)
                )
        return root

    return make


def write_quizzes(root: Path, quiz_text: str | None = None) -> Path:
    """A quizzes folder with the real impasse rule book and one quiz as the walkouts quiz (the
    test quiz, tests/data/test_quiz.yaml, unless quiz_text is given); returns the folder."""
    folder = root / "impasse"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "quizzes" / "impasse" / "rules.yaml", folder / "rules.yaml")
    (folder / "walkouts.yaml").write_text(quiz_text or (DATA / "test_quiz.yaml").read_text())
    return root


class QuizFolder:
    """A quizzes folder from write_quizzes whose files a test changes, loaded with the shipped
    courses: edit a file as YAML data, or write its text; then read the errors or explain."""

    def __init__(self, root: Path) -> None:
        self.root = write_quizzes(root)
        self.folder = self.root / "impasse"

    def edit(self, file_name: str, change) -> None:
        """Apply change to the file's data (a dict) and write it back."""
        path = self.folder / file_name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def edit_question(self, question_id: str, change) -> None:
        """Apply change to one question of the test quiz (walkouts.yaml)."""

        def edit(data):
            change(next(q for q in data["questions"] if q["id"] == question_id))

        self.edit("walkouts.yaml", edit)

    def write(self, file_name: str, text: str) -> None:
        (self.folder / file_name).write_text(text, encoding="utf-8")

    def errors(self) -> list[str]:
        _, report = load_library(PROJECT_ROOT / "courses", self.root)
        return [str(p) for p in report.errors]

    def explain(self, question_id: str):
        """Run `content explain` on these quizzes; returns click's result."""
        courses = str(PROJECT_ROOT / "courses")
        args = [question_id, "--courses", courses, "--quizzes", str(self.root)]
        return CliRunner().invoke(explain_command, args)


# --- Rule books and questions by hand: grading tests need no files and no app ---------------


def when(**conditions) -> tuple[Condition, ...]:
    """Conditions from fact=value (or a list of values, or {"not": value})."""
    found = []
    for fact, value in conditions.items():
        negated = isinstance(value, dict)
        value = value["not"] if negated else value
        values = frozenset([value] if isinstance(value, str) else value)
        found.append(Condition(fact, values, negated))
    return tuple(found)


def strategy(sid, kind="strategy", recommended=(), mistakes=(), **extra) -> Strategy:
    """recommended/mistakes: tuples of (conditions, weight, because)."""
    return Strategy(
        id=sid,
        name=sid.replace("-", " ").capitalize(),
        kind=kind,
        statement=f"Statement of {sid}.",
        teaches=LessonRef(f"lesson-{sid}", f"section-{sid}"),
        recommended=tuple(
            Rule(f"{sid}.r{n}", sid, "recommended", c, because, weight)
            for n, (c, weight, because) in enumerate(recommended)
        ),
        mistakes=tuple(
            Rule(f"{sid}.m{n}", sid, "mistake", c, because)
            for n, (c, _weight, because) in enumerate(mistakes)
        ),
        **extra,
    )


def book() -> RuleBook:
    """A small rule book with a strategy of every kind, a walkout sequence and five facts."""
    facts = {
        "driver": Fact(
            "driver",
            "what drives it",
            {"emotions": "feelings drive it", "issues": "terms drive it"},
        ),
        "caused_by": Fact(
            "caused_by", "who caused it", {"us": "we caused it", "them": "they caused it"}
        ),
        "walkout": Fact(
            "walkout",
            "walkout state",
            {"none": "no walkout", "fresh": "just happened", "apologised": "apology failed"},
        ),
        "aim": Fact(
            "aim",
            "their aim",
            {
                "deal": "they want a deal",
                "win-lose": "they want win-lose",
                "none": "they never wanted a deal",
            },
        ),
        "ethics": Fact("ethics", "ethics gap", {"narrow": "similar ethics", "wide": "far apart"}),
    }
    strategies = [
        strategy(
            "apologise",
            recommended=[(when(driver="emotions", caused_by="us"), 3, "You hurt them; say sorry.")],
        ),
        strategy(
            "gesture",
            recommended=[
                (when(driver="emotions", caused_by="them"), 3, "Small gestures rebuild trust."),
                (when(driver="emotions"), 1, "Goodwill helps."),
            ],
        ),
        strategy("pause", recommended=[(when(driver="emotions"), 3, "Take a break.")]),
        strategy(
            "something-new",
            recommended=[(when(driver="issues"), 2, "Add an issue.")],
            mistakes=[(when(walkout="fresh"), 0, "Not right after a walkout.")],
        ),
        strategy("threaten", kind="mistake", mistakes=[((), 0, "Threats harden positions.")]),
        strategy(
            "assess",
            kind="walkout-step",
            sequence="walkout",
            step=1,
            recommended=[(when(walkout="fresh"), 4, "First judge how final it is.")],
        ),
        strategy(
            "say-sorry",
            kind="walkout-step",
            sequence="walkout",
            step=2,
            recommended=[(when(walkout="fresh"), 2, "Then apologise.")],
        ),
        strategy(
            "swap-people",
            kind="walkout-step",
            sequence="walkout",
            step=3,
            last_resort=True,
            recommended=[(when(walkout="apologised"), 4, "Now change both leads.")],
            mistakes=[(when(walkout="fresh"), 0, "Too early to change people.")],
        ),
        strategy(
            "walk-win-lose",
            kind="no-agreement",
            recommended=[(when(aim="win-lose"), 6, "They only want win-lose.")],
        ),
        strategy(
            "walk-ethics",
            kind="no-agreement",
            recommended=[(when(ethics="wide"), 6, "Ethics far apart.")],
        ),
        strategy(
            "commit",
            kind="commit",
            recommended=[((), 1, "Nothing argues against it.")],
            mistakes=[
                (when(aim="win-lose"), 0, "They want win-lose."),
                (when(ethics="wide"), 0, "Ethics far apart."),
            ],
        ),
    ]
    sequences = {"walkout": Sequence("walkout", "After a walkout", "Assess, apologise, swap.")}
    return RuleBook("demo", facts, {s.id: s for s in strategies}, sequences)


def option(sid: str, feedback: str = "", next_step: str | None = None) -> Option:
    return Option(sid, f"Label {sid}", feedback, next_step)


def question(kind="best", facts=None, options=(), steps=(), qid="q1") -> Question:
    """A question of any kind; options may be strategy ids or Option objects."""
    return Question(
        id=qid,
        kind=kind,
        objectives=("obj",),
        scenario="A story.",
        scenario_html="<p>A story.</p>",
        prompt="",
        facts=facts or {},
        options=tuple(option(o) if isinstance(o, str) else o for o in options),
        steps=tuple(steps),
    )


def step(sid: str, facts: dict, *options: Option) -> Step:
    """A step of a branching question."""
    return Step(sid, f"Situation {sid}", f"<p>Situation {sid}</p>", facts, tuple(options))


def labelled(rulebook: RuleBook, *names: str) -> RuleBook:
    """The rule book with learner-facing labels on the named facts, as a diagnose question
    needs: the fact is "<name>?" ("caused_by?") and each value its own name capitalised."""
    facts = dict(rulebook.facts)
    for name in names:
        value_labels = {value: value.capitalize() for value in facts[name].values}
        facts[name] = dataclasses.replace(facts[name], label=f"{name}?", value_labels=value_labels)
    return dataclasses.replace(rulebook, facts=facts)


def diagnose_question(facts: dict, diagnose: tuple[str, ...], options=(), qid="q1") -> Question:
    """A diagnose question: the facts to read, then the moves (strategy ids or Options)."""
    return dataclasses.replace(
        question("diagnose", facts=facts, options=options, qid=qid), diagnose=diagnose
    )


# --- Accounts and signing in ----------------------------------------------------------------

PASSWORD = "correct horse battery"
BASE_URL = "https://parley.example.org"


def production_settings(**extra: Any) -> dict[str, Any]:
    """What an app_config needs on top to start as production does (random key, base URL)."""
    return {
        "ENV": "production",
        "TESTING": False,
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": BASE_URL,
        **extra,
    }


def create_account(
    app,
    email: str,
    *,
    name: str = "Test Learner",
    role: str = "learner",
    password: str = PASSWORD,
) -> int:
    """Create an account in this app's database directly; returns its id."""
    with app.app_context():
        user = create_user(
            db.session,
            email=email,
            name=name,
            password=password,
            role=role,
            hash_method=app.config["PASSWORD_HASH_METHOD"],
        )
        db.session.commit()
        return user.id


def log_in(app, email: str, password: str = PASSWORD):
    """A new test client of this app, logged in as the account with this email."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.text
    return client


def signed_in(app, email: str, name: str = "Test Learner", role: str = "learner"):
    """Create an account and return a test client logged in as it."""
    create_account(app, email, name=name, role=role)
    return log_in(app, email)


def opens_dashboard(client) -> bool:
    """Whether this client is logged in: the dashboard answers, or it sends to the log-in."""
    response = client.get("/dashboard")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def emails(app) -> list[str]:
    """Every account's e-mail address, sorted."""
    with app.app_context():
        return list(db.session.scalars(select(User.email).order_by(User.email)))


def count(app, model, *where, **equal) -> int:
    """How many rows of model there are that meet the conditions in where and equal (column=
    value)."""
    query = select(func.count()).select_from(model).where(*where)
    for column, value in equal.items():
        query = query.where(getattr(model, column) == value)
    with app.app_context():
        return db.session.scalar(query)


class AuthActions:
    """Register, log in and log out through the forms, with one test client."""

    def __init__(self, client) -> None:
        self._client = client

    def register(self, name="Ana Learner", email="ana@example.com", password=PASSWORD, **extra):
        data = {"name": name, "email": email, "password": password, **extra}
        return self._client.post("/register", data=data)

    def login(self, email="ana@example.com", password=PASSWORD, **extra):
        return self._client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/logout")


# --- Taking the test quiz through the web ---------------------------------------------------

QUIZ_URL = "/courses/impasse/quizzes/walkouts"
RIGHT_ANSWERS = {
    "q-demo-best": "apologise",
    "q-demo-all": ["keep-issues-open", "add-something-new"],
    "q-demo-commit-decision": "walk",
    "q-demo-commit-reason": "walk-changed-circumstances",
    "q-demo-order-assess-finality": "1",
    "q-demo-order-apologise-unequivocally": "2",
    "q-demo-order-change-both-negotiators": "3",
    "q-demo-branch-start": "assess-finality",
    "q-demo-branch-assessed": "apologise-unequivocally",
}


def form_fields(page: str) -> dict:
    """The hidden fields a quiz page's form sends back: its version and submission token."""
    version = re.search(r'name="quiz_version" value="([^"]+)"', page).group(1)
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    return {"quiz_version": version, "submission": token}


def submit_quiz(client, answers: dict, **extra):
    """Open the test quiz and send these answers with the form's own hidden fields."""
    page = client.get(QUIZ_URL).text
    return client.post(QUIZ_URL, data={**form_fields(page), **answers, **extra})


def answer_fields(
    questions: Iterable[Question], responses: Mapping[str, Response]
) -> list[tuple[str, str]]:
    """The form fields a browser sends to give these responses, as each kind writes them."""
    fields: list[tuple[str, str]] = []
    for q in questions:
        response = responses[q.id]
        fields += kind_of(q.kind).form_fields(q, response.choices)
        if response.confidence:
            fields.append((f"c-{q.id}", response.confidence))
    return fields


# --- Cohorts --------------------------------------------------------------------------------

WORKSHOP = date.today() + timedelta(days=10)


def create_cohort_on_the_web(client, name="Spring workshop", when=WORKSHOP):
    """Create a cohort through the instructor's form; returns (id, invite path, join code)."""
    response = client.post(
        "/instructor/cohorts",
        data={"name": name, "workshop_date": when.isoformat(), "description": "Bring a case."},
    )
    assert response.status_code == 302, response.text
    cohort_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/instructor/cohorts/{cohort_id}").text
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page).group(1)
    code = re.search(r'<strong class="code">([A-Z0-9]+)</strong>', page).group(1)
    return cohort_id, link.replace("http://localhost", ""), code


def assign_on_the_web(client, cohort_id, target="module:impasse/walkouts", due=""):
    """Assign a module (or course:<id>) through the instructor's form."""
    return client.post(
        f"/instructor/cohorts/{cohort_id}/assign", data={"target": target, "due_date": due}
    )


def join_by_link(client, link: str):
    """Join a cohort through its invitation link, as a signed-in learner."""
    return client.post(link)


def invitation_on_the_page(client, cohort_id: int) -> tuple[str, str]:
    """The invite path and join code the cohort's page shows its instructor now."""
    page = client.get(f"/instructor/cohorts/{cohort_id}").text
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page).group(1)
    code = re.search(r'<strong class="code">([A-Z0-9]+)</strong>', page).group(1)
    return link.replace("http://localhost", ""), code


class NewCohort(NamedTuple):
    id: int
    invite_token: str


def make_cohort(
    app,
    owner_id: int,
    *,
    name: str = "Spring workshop",
    workshop_date: date | None = None,
    description: str = "",
    modules: Mapping[str, date | None] | None = None,
    members: Iterable[int] = (),
    course_id: str = "impasse",
) -> NewCohort:
    """A cohort made by the cohort operations, as the instructor pages would: modules maps each
    assigned module of the course to its due date (None: the workshop date)."""
    with app.app_context():
        session = db.session
        cohort = membership.create_cohort(
            session,
            owner_id=owner_id,
            name=name,
            workshop_date=workshop_date or date.today() + timedelta(days=7),
            description=description,
        )
        course = app.extensions["parley_content"].course(course_id)
        for module_id, due in (modules or {}).items():
            membership.assign(session, cohort, course, [module_id], due)
        for user_id in members:
            membership.join(session, cohort, user_id)
        session.commit()
        return NewCohort(cohort.id, cohort.invite_token)


# --- Attempts and learners in bulk ----------------------------------------------------------


def make_attempt(
    session: Session,
    user_id: int,
    quiz: Quiz,
    *,
    score: float,
    submitted_at: datetime | None = None,
    attempt_id: int | None = None,
) -> Attempt:
    """An attempt at this quiz with this score, without answers; it passes as the quiz's pass
    mark says. Added to the session and flushed, not committed."""
    attempt = Attempt(
        id=attempt_id,
        user_id=user_id,
        course_id=quiz.course_id,
        quiz_id=quiz.id,
        module_id=quiz.module_id,
        quiz_version=quiz.version,
        submission_token=secrets.token_urlsafe(16),
        score=score,
        pass_mark=quiz.pass_mark,
        passed=score >= quiz.pass_mark,
        submitted_at=submitted_at or utcnow(),
    )
    session.add(attempt)
    session.flush()
    return attempt


def add_learners(app, cohort_id: int, start: int, count: int) -> None:
    """Bulk-insert members "Learner 0000"... (emails l0@example.com...), each with the first
    walkouts lesson completed and two attempts at the walkouts quiz, failed then passed."""
    now = utcnow()
    library = app.extensions["parley_content"]
    quiz = library.quiz("impasse", "walkouts")
    book_ = library.quizzes("impasse").rulebook
    first = quiz.questions[0]
    version_id = quiz.question_versions[first.id]
    answered = Response(quiz.keys[first.id].answer, "sure")
    stored = stored_answer(first, answered, grade(book_, first, answered, quiz.keys[first.id]), {})
    with app.app_context():
        session = db.session
        if session.get(QuestionVersion, version_id) is None:
            session.add(
                QuestionVersion(
                    id=version_id,
                    course_id=quiz.course_id,
                    quiz_id=quiz.id,
                    question_id=first.id,
                    snapshot=question_snapshot(first, book_),
                )
            )
        emails = [f"l{n}@example.com" for n in range(start, start + count)]
        session.execute(
            insert(User),
            [
                {
                    "email": email,
                    "name": f"Learner {n:04d}",
                    "password_hash": "x",
                    "role": "learner",
                    "created_at": now,
                }
                for n, email in enumerate(emails, start=start)
            ],
        )
        ids = list(session.scalars(select(User.id).where(User.email.in_(emails))))
        session.execute(
            insert(Membership),
            [{"cohort_id": cohort_id, "user_id": i, "joined_at": now} for i in ids],
        )
        session.execute(
            insert(LessonProgress),
            [
                {
                    "user_id": i,
                    "course_id": "impasse",
                    "lesson_id": "reading-a-walkout",
                    "first_opened_at": now,
                    "last_opened_at": now,
                    "completed_at": now,
                }
                for i in ids
            ],
        )
        for user_id in ids:
            for score in (0.6, 1.0):
                attempt = make_attempt(session, user_id, quiz, score=score, submitted_at=now)
                session.add(
                    Answer(
                        attempt_id=attempt.id,
                        position=1,
                        question_id=first.id,
                        question_version_id=version_id,
                        **stored,
                    )
                )
        session.commit()


# --- Rows the code before issue #14 stored --------------------------------------------------


def stored_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows as the code before issue #14 stored them: three accounts, a cohort with two
    assigned modules, lesson progress and three attempts at a quiz of every kind."""

    def decode(value: Any) -> Any:
        if isinstance(value, dict) and value.keys() == {"datetime"}:
            return datetime.fromisoformat(value["datetime"])
        if isinstance(value, dict) and value.keys() == {"date"}:
            return date.fromisoformat(value["date"])
        return value

    data = json.loads((STORED_BEFORE_14 / "rows.json").read_text(encoding="utf-8"))
    return {
        table: [{name: decode(value) for name, value in row.items()} for row in rows]
        for table, rows in data.items()
    }


def insert_rows(url: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert rows into the tables of the database at url, as its schema has them now."""
    engine = make_engine(url, pooled=False)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table, table_rows in rows.items():
            if table_rows:
                connection.execute(insert(metadata.tables[table]), table_rows)
        if connection.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table, table_rows in rows.items():
                id_column = metadata.tables[table].c.get("id")
                if table_rows and isinstance(getattr(id_column, "type", None), Integer):
                    sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                    connection.execute(
                        text(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')
                    )
    engine.dispose()


# --- Reading pages --------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_COMPOUND = re.compile(r"^(?P<tag>[a-z0-9]+)?(?:#(?P<id>[\w-]+))?(?:\.(?P<cls>[\w-]+))?$")


def _compound(part: str) -> tuple[str | None, str | None, str | None]:
    match = _COMPOUND.match(part)
    if not match or not any(match.groupdict().values()):
        raise ValueError(f"not a simple selector: {part!r}")
    return match["tag"], match["id"], match["cls"]


def _matches(compound, tag: str, attrs: dict) -> bool:
    want_tag, want_id, want_cls = compound
    return (
        (want_tag is None or tag == want_tag)
        and (want_id is None or attrs.get("id") == want_id)
        and (want_cls is None or want_cls in (attrs.get("class") or "").split())
    )


class _ElementTexts(HTMLParser):
    """The text of every element a selector matches: tag, #id, .class or tag.class, and
    descendants of those separated by spaces ("section.review li.verdict")."""

    def __init__(self, selector: str) -> None:
        super().__init__()
        self.compounds = [_compound(part) for part in selector.split()]
        self.ancestors: list[tuple[str, dict]] = []  # the open elements, outermost first
        self.open: list[list] = []  # [depth, words] of each matched element still open
        self.found: list[list[str]] = []

    def _selected(self, tag: str, attrs: dict) -> bool:
        *outer, last = self.compounds
        if not _matches(last, tag, attrs):
            return False
        ancestors = iter(reversed(self.ancestors))
        return all(
            any(_matches(compound, *ancestor) for ancestor in ancestors)
            for compound in reversed(outer)
        )

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        for capture in self.open:
            capture[0] += 1
        if self._selected(tag, attrs):
            words: list[str] = []
            self.found.append(words)
            self.open.append([1, words])
        self.ancestors.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        for capture in self.open:
            capture[0] -= 1
        self.open = [capture for capture in self.open if capture[0] > 0]
        if self.ancestors:
            self.ancestors.pop()

    def handle_data(self, data):
        for _, words in self.open:
            words += data.split()


def texts(page: str, selector: str) -> list[str]:
    """The text a reader sees in each element that matches, in page order, one space between
    words: selector is a tag, #id, .class or tag.class, or descendants ("nav.grid-pages span")."""
    parser = _ElementTexts(selector)
    parser.feed(page)
    parser.close()
    return [" ".join(words) for words in parser.found]


def text_of(page: str, selector: str) -> str:
    """The text of the one element that matches the selector (fails if none or several do)."""
    found = texts(page, selector)
    assert len(found) == 1, f"{selector!r} matches {len(found)} elements: {found}"
    return found[0]


# --- Serving with gunicorn ------------------------------------------------------------------

GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(*options: str) -> list[str]:
    """gunicorn with the shipped gunicorn.conf.py (options override it) and no control socket
    (by default one in $HOME, which every other gunicorn would share)."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return [str(gunicorn), "-c", str(GUNICORN_CONF), "--no-control-socket", *options]


def production_environment(database_url: str, folder: Path, port: int) -> dict[str, str]:
    """The environment of a production server on 127.0.0.1:port with a random secret key;
    rendered lessons are kept in folder, never in the repository's instance folder."""
    base = f"http://127.0.0.1:{port}"
    return {
        **os.environ,
        "PARLEY_ENV": "production",
        "PARLEY_DATABASE_URL": database_url,
        "PARLEY_BIND": f"127.0.0.1:{port}",
        "PARLEY_BASE_URL": base,
        "PARLEY_SECURE_COOKIES": "0",
        "PARLEY_RENDER_CACHE_DIR": str(folder / "render-cache"),
        "SECRET_KEY": secrets.token_hex(32),
    }


class GunicornServer(NamedTuple):
    base: str
    port: int
    log: Path  # what gunicorn and the app printed
    pid: int  # the master's


@contextmanager
def served_by_gunicorn(
    database_url: str, folder: Path, *options: str, workers: int = 2, **environment: str
) -> Iterator[GunicornServer]:
    """Serve the app as production does (gunicorn.conf.py; options and environment override
    it) on a free loopback port; yield once /ping answers (60 s at most), stop it at the end."""
    port = free_port()
    env = {
        **production_environment(database_url, folder, port),
        "WEB_CONCURRENCY": str(workers),
        **environment,
    }
    log_path = folder / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            gunicorn_command(*options), cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        server = GunicornServer(f"http://127.0.0.1:{port}", port, log_path, process.pid)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(server.base + "/ping", timeout=2).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            "gunicorn did not start: " + server.log.read_text()[-2000:]
                        ) from None
                    time.sleep(0.2)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- A real SMTP server on loopback (aiosmtpd) ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReceivedMail:
    """One message as the loopback server received it: envelope and parsed message."""

    sender: str
    recipients: list[str]
    message: Any  # email.message.EmailMessage
    raw: bytes = b""  # as it came over the wire, before any parsing

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    def links(self) -> list[str]:
        """The http(s) links of the text part, in order."""
        return re.findall(r"https?://\S+", self.text)


class _Recorder:
    """aiosmtpd handler: keeps every message; refuses the recipients in refuse with a 550."""

    def __init__(self, refuse: Iterable[str]) -> None:
        self.received: list[ReceivedMail] = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        self.received.append(
            ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)
        )
        return "250 Message accepted for delivery"


class LoopbackSMTP(NamedTuple):
    url: str  # for PARLEY_MAIL_URL / MAIL_URL
    port: int
    received: list[ReceivedMail]


@contextmanager
def smtp_server(
    *, refuse: Iterable[str] = (), login: tuple[str, str] | None = None
) -> Iterator[LoopbackSMTP]:
    """A real SMTP server (aiosmtpd) on a free 127.0.0.1 port for the duration; refuse names
    recipients it answers 550; login=(user, password) makes it offer AUTH and accept only
    those."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    handler = _Recorder(refuse)
    options: dict[str, Any] = {}
    if login is not None:

        def authenticate(server, session, envelope, mechanism, auth_data):
            given = (auth_data.login.decode(), auth_data.password.decode())
            return AuthResult(success=given == login, handled=False)

        # Offered without TLS, as only loopback may; a wrong login is refused with 535.
        options = {"authenticator": authenticate, "auth_require_tls": False}
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10, **options)
    controller.start()
    try:
        credentials = f"{login[0]}:{login[1]}@" if login else ""
        yield LoopbackSMTP(
            f"smtp://{credentials}127.0.0.1:{port}?starttls=0", port, handler.received
        )
    finally:
        controller.stop()


def unused_smtp_url() -> str:
    """A mail URL where no server listens: connections are refused at once."""
    return f"smtp://127.0.0.1:{free_port()}?starttls=0"


TAMPERINGS = [  # what can happen to the token at the end of a mailed link
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: token[:20],
    lambda token: "x" + token,
    lambda token: "not-a-token",
    lambda token: "a" * 2000,
]


def create_mail_app(app_config: dict, mail_url: str, **config: Any):
    """An app that sends its mail to mail_url (a loopback server's, or unused_smtp_url()) from
    parley@example.org; config adds or overrides settings."""
    return create_app(
        {**app_config, "MAIL_URL": mail_url, "MAIL_FROM": "parley@example.org", **config}
    )


def count_statements(app, client, path: str) -> int:
    """How many SQL statements one GET of path sends (it must answer 200)."""
    engine = Database.engine(app)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    return len(statements)

"""A believable demo workshop: an instructor, a dozen learners at different stages, a cohort."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from parley.accounts.users import create_user
from parley.cohorts import membership
from parley.content import Library
from parley.grading import Response, kind_of
from parley.grading.kinds import orders_shown
from parley.grading.kinds.base import shuffled
from parley.grading.quiz import grade_quiz
from parley.learning import attempts, progress
from parley.models import Cohort, User, utcnow

DEMO_DOMAIN = "demo.parley.example"
DEMO_PASSWORD = "try-parley-demo"
COURSE = "impasse"


class DemoRefused(RuntimeError):
    """The database holds real accounts; the message says how to go on anyway."""


@dataclass(frozen=True)
class Persona:
    name: str
    lessons: float  # share of the course's lessons completed
    skill: float  # chance of answering a question right
    sure: float  # chance of saying "sure"
    quizzes: int  # how many module quizzes taken
    retakes: int = 0
    weak_module: str | None = None  # a module whose questions they get wrong


PERSONAS = [
    Persona("Amara Okafor", 1.0, 1.0, 0.8, 4, retakes=1),
    Persona("Bruno Costa", 1.0, 0.95, 0.6, 4),
    Persona("Chen Wei", 1.0, 0.9, 0.5, 4, weak_module="walkouts"),
    Persona("Dana Levi", 0.8, 0.85, 0.9, 3, weak_module="no-agreement"),
    Persona("Elif Yilmaz", 0.7, 0.75, 0.9, 3),  # sure but often wrong
    Persona("Farid Haddad", 0.6, 0.8, 0.3, 2),
    Persona("Grace Mensah", 0.5, 0.7, 0.2, 2, weak_module="strategies"),
    Persona("Hiroshi Tanaka", 0.4, 0.9, 0.5, 1),
    Persona("Isla MacLeod", 0.3, 0.6, 0.7, 1),
    Persona("Jonas Berg", 0.15, 0.0, 0.0, 0),
    Persona("Kavya Nair", 0.0, 0.0, 0.0, 0),
    Persona("Luca Romano", 0.0, 0.0, 0.0, 0),
]


def demo_email(name: str) -> str:
    return name.split()[0].lower() + "@" + DEMO_DOMAIN


def _responses(quiz, book, persona: Persona, rng, improve: float = 0.0) -> dict[str, Response]:
    found = {}
    for question in quiz.questions:
        kind, key = kind_of(question.kind), quiz.keys[question.id]
        weak = persona.weak_module is not None and quiz.module_id == persona.weak_module
        right = rng.random() < min(1.0, persona.skill + improve) and not (
            weak and rng.random() < 0.7
        )
        choices = key.answer if right else kind.plausible_mistake(book, question, key, rng)
        roll = rng.random()
        confidence = "sure" if roll < persona.sure else ("unsure" if roll < 0.85 else "guessing")
        found[question.id] = Response(tuple(choices), confidence)
    return found


def remove_demo(session: Session) -> int:
    """Delete demo accounts (and, through them, their cohorts and history)."""
    ids = list(session.scalars(select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))))
    if ids:
        session.execute(delete(Cohort).where(Cohort.owner_id.in_(ids)))
        session.execute(delete(User).where(User.id.in_(ids)))
    return len(ids)


def build_demo(
    session: Session,
    library: Library,
    *,
    force: bool = False,
    today: date | None = None,
    hash_method: str = "scrypt",
) -> list[tuple[str, str]]:
    """Fill the database with the demo workshop; return (role, email) log-ins."""
    real = session.scalar(
        select(func.count()).select_from(User).where(~User.email.like(f"%@{DEMO_DOMAIN}"))
    )
    if real and not force:
        raise DemoRefused(
            f"this database holds {real} real account(s); demo data would mix with them. "
            "Use --force to add the demo anyway."
        )
    course = library.course(COURSE)
    quizzes = library.quizzes(COURSE)
    if course is None or quizzes is None:
        raise DemoRefused(f"the demo needs the course '{COURSE}' and its quizzes")
    remove_demo(session)
    today = today or utcnow().date()  # the demo cohort has no time zone: its day is UTC's
    rng = random.Random(2026)
    titles = {lesson.id: lesson.title for lesson in course.lessons}
    instructor = create_user(
        session,
        email="instructor@" + DEMO_DOMAIN,
        name="Sam Rivera",
        password=DEMO_PASSWORD,
        role="instructor",
        hash_method=hash_method,
    )
    cohort = membership.create_cohort(
        session,
        owner_id=instructor.id,
        name="Impasse workshop — demo",
        workshop_date=today + timedelta(days=4),
        description="Half-day workshop on getting stuck negotiations moving.",
    )
    modules = [m.id for m in course.modules]
    membership.assign(session, cohort, course, modules[:2], today - timedelta(days=1))
    membership.assign(session, cohort, course, modules[2:], today + timedelta(days=3))
    logins = [("instructor", instructor.email)]
    now = utcnow()
    lessons = course.lessons
    module_quizzes = [quizzes.quiz_for_module(m) for m in modules]
    for number, persona in enumerate(PERSONAS):
        learner = create_user(
            session,
            email=demo_email(persona.name),
            name=persona.name,
            password=DEMO_PASSWORD,
            hash_method=hash_method,
        )
        membership.join(session, cohort, learner.id)
        done = round(persona.lessons * len(lessons))
        for index, lesson in enumerate(lessons[: done + (1 if done < len(lessons) else 0)]):
            moment = now - timedelta(days=6, hours=number) + timedelta(hours=index * 3)
            progress.record_lesson_opened(session, learner.id, COURSE, lesson.id, moment)
            if index < done:
                progress.mark_lesson_complete(session, learner.id, COURSE, lesson.id, moment)
        for taken, quiz in enumerate(module_quizzes[: persona.quizzes]):
            for retake in range(1 + persona.retakes):
                responses = _responses(quiz, quizzes.rulebook, persona, rng, 0.3 * retake)
                graded = grade_quiz(
                    quizzes.rulebook, quiz.questions, responses, quiz.pass_mark, quiz.keys
                )
                token = f"demo-{learner.id}-{quiz.id}-{retake}-{rng.getrandbits(48):012x}"
                arrange = shuffled(b"parley demo", token)  # each attempt saw its own order
                attempts.record_attempt(
                    session,
                    user_id=learner.id,
                    quiz=quiz,
                    book=quizzes.rulebook,
                    token=token,
                    graded=graded,
                    responses=responses,
                    lesson_titles=titles,
                    shown=orders_shown(quiz.questions, quizzes.rulebook, arrange),
                    now=now - timedelta(days=3, hours=number) + timedelta(hours=taken + retake),
                )
        logins.append(("learner", learner.email))
    session.flush()
    return logins

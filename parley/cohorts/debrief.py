"""The workshop debrief of one question: how the cohort answered it before class, anonymously."""

from __future__ import annotations

from sqlalchemy.orm import Session

from parley.cohorts.readiness import latest_answer_rows
from parley.grading import Question, RuleBook, kind_of
from parley.grading.debrief import DebriefPart


def question_debrief(
    session: Session, book: RuleBook, cohort_id: int, course_id: str, question: Question
) -> list[DebriefPart]:
    """Shares per option (no names) of the members' latest answers, and each option's rule."""
    responses = [
        row.response
        for row in latest_answer_rows(session, cohort_id, [course_id])
        if row.question_id == question.id
    ]
    kind = kind_of(question.kind)
    return kind.debrief(book, question, kind.derive(book, question), responses)

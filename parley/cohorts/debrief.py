"""The workshop debrief of one question: how the cohort answered it before class, anonymously."""

from __future__ import annotations

from sqlalchemy.orm import Session

from parley.cohorts.readiness import latest_answer_rows
from parley.content.model import Quiz
from parley.grading import Question, RuleBook, kind_of
from parley.grading.debrief import DebriefPart


def question_debrief(
    session: Session, book: RuleBook, cohort_id: int, quiz: Quiz, question: Question
) -> list[DebriefPart]:
    """Shares per option (no names) of the members' latest answers, and each option's rule."""
    responses = [
        row.response
        for row in latest_answer_rows(session, cohort_id, [quiz.course_id])
        if row.question_id == question.id
    ]
    key = quiz.keys[question.id]
    return kind_of(question.kind).debrief(book, question, key, responses)

"""Shape quizzes and stored attempts into plain data the templates only have to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parley.content import Course
from parley.grading import Question, RuleBook, kind_of
from parley.grading.kinds import REMOVED, stored_kind
from parley.grading.kinds.base import Arrangement, as_authored
from parley.learning.answers import ParsedAnswers


def kind_template(kind_name: str) -> str:
    """The template holding a kind's macros (served by parley.web.quiz.kind_templates)."""
    return f"kinds/{kind_name}.html"


@dataclass(frozen=True)
class QuestionForm:
    """One question ready for its kind's `take` macro."""

    number: int
    id: str
    template: str
    title: str
    scenario_html: str
    prompt: str
    confidence: str
    body: Any  # the kind's own part: its choices, steps...


def question_form(
    number: int,
    question: Question,
    book: RuleBook,
    parsed: ParsedAnswers | None = None,
    arrange: Arrangement = as_authored,
) -> QuestionForm:
    """The question as its kind's `take` macro draws it, with what was sent filled in."""
    kind = kind_of(question.kind)
    return QuestionForm(
        number=number,
        id=question.id,
        template=kind_template(kind.name),
        title=kind.title,
        scenario_html=question.scenario_html,
        prompt=question.prompt or kind.prompt,
        confidence=parsed.confidences.get(question.id, "") if parsed else "",
        body=kind.form_body(
            question, book, parsed.filled.get(question.id) if parsed else None, arrange
        ),
    )


@dataclass(frozen=True)
class VerdictRow:
    label: str
    verdict: str | None
    chosen: bool
    reason: str
    note: str
    rule: str | None
    lesson_id: str
    anchor: str
    lesson_title: str
    lesson_in_course: bool  # False once the lesson has left the course: no link then
    step_label: str | None


@dataclass(frozen=True)
class ReviewItem:
    number: int
    template: str | None  # the kind's macros, None if the kind is no longer known
    kind_title: str
    course_id: str
    scenario_html: str
    prompt: str
    answer_text: str
    summary: str
    percent: int
    correct: bool
    confidence: str | None
    rows: tuple[VerdictRow, ...]


def _verdict_rows(result: dict[str, Any], snapshot: dict, course: Course | None):
    steps = {s["id"]: n for n, s in enumerate(snapshot.get("steps", []), start=1)}
    lessons = course.lessons_by_id if course else {}
    return tuple(
        VerdictRow(
            label=v["label"],
            verdict=v["verdict"],
            chosen=v["chosen"],
            reason=v["reason"],
            note=v.get("note", ""),
            rule=v.get("rule"),
            lesson_id=v["lesson"],
            anchor=v["anchor"],
            lesson_title=v.get("lesson_title", v["lesson"]),
            lesson_in_course=v["lesson"] in lessons,
            step_label=f"Step {steps[v['step']]}" if v.get("step") in steps else None,
        )
        for v in result["verdicts"]
        if v["verdict"] is not None
    )


def review_items(answers, course: Course | None) -> list[ReviewItem]:
    """Turn an attempt's stored answers into review rows, from what was stored alone."""
    items = []
    for answer in answers:
        snapshot = answer.snapshot
        kind = stored_kind(snapshot.get("kind", ""))
        items.append(
            ReviewItem(
                number=answer.position,
                template=kind_template(kind.name) if kind is not REMOVED else None,
                kind_title=kind.title,
                course_id=course.id if course else "",
                scenario_html=snapshot.get("scenario_html", ""),
                prompt=snapshot.get("prompt") or kind.prompt,
                answer_text=kind.answer_text(snapshot, answer.response),
                summary=answer.result.get("summary", ""),
                percent=round(answer.score * 100),
                correct=answer.correct,
                confidence=answer.confidence,
                rows=_verdict_rows(answer.result, snapshot, course),
            )
        )
    return items

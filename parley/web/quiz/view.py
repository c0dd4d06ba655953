"""Shape quizzes and stored attempts into plain data the templates only have to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parley.content import Course
from parley.grading import Question, RuleBook, kind_of
from parley.grading.feedback import titled
from parley.grading.kinds import REMOVED, stored_kind
from parley.grading.kinds.base import as_authored
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
) -> QuestionForm:
    """The question as its kind's `take` macro draws it, with what was sent filled in; its
    choices come in the authored order, and the page places them in the attempt's own
    (parley.web.quiz.rendered_questions)."""
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
            question, book, parsed.filled.get(question.id) if parsed else None, as_authored
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
    rule_title: str  # empty for answers stored before rules were shown in words
    lesson_id: str
    anchor: str
    lesson_title: str
    lesson_in_course: bool  # False once the lesson has left the course: no link then
    step_label: str | None


@dataclass(frozen=True)
class ShownGroup:
    """One group of choices in the order the learner saw it, their own picks marked."""

    heading: str
    labels: tuple[str, ...]
    picked: tuple[bool, ...]


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
    shown: tuple[ShownGroup, ...] = ()


def _shown_position(shown: dict[str, list[str]], question_id: str):
    """A sort key putting verdicts in the order their options were shown (unknown ones first,
    as they were stored)."""
    places = {
        (part, choice): (g, n)
        for g, (part, ids) in enumerate(shown.items())
        for n, choice in enumerate(ids)
    }
    first_part = {}
    for (_part, choice), place in places.items():
        first_part.setdefault(choice, place)

    def key(verdict: dict[str, Any]) -> tuple[int, int]:
        if verdict.get("step"):
            return places.get((f"{question_id}/{verdict['step']}", verdict["option"]), (-1, 0))
        return places.get(
            (question_id, verdict["option"]), first_part.get(verdict["option"], (-1, 0))
        )

    return key


def _shown_groups(answer, snapshot: dict) -> tuple[ShownGroup, ...]:
    """Each group of the question's choices the learner saw, in their order."""
    if not answer.shown:
        return ()
    question_id = snapshot.get("id", answer.question_id)
    labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
    for verdict in answer.result.get("verdicts", []):
        if not verdict.get("step"):
            labels.setdefault(verdict["option"], verdict["label"])
    steps = {f"{question_id}/{s['id']}": (n, s) for n, s in enumerate(snapshot.get("steps", []), 1)}
    read = {f"{question_id}/{f['fact']}": f for f in snapshot.get("diagnose") or () if "fact" in f}
    picked = set(answer.response)
    groups = []
    for index, (part, ids) in enumerate(answer.shown.items()):
        if part in read:
            heading, names = read[part]["label"], read[part]["values"]
            said = answer.response[index] if index < len(answer.response) else None
            groups.append(
                ShownGroup(
                    heading, tuple(names.get(c, c) for c in ids), tuple(c == said for c in ids)
                )
            )
            continue
        if part in steps:
            number, step = steps[part]
            if not picked & {o["id"] for o in step["options"]}:
                continue  # a step this learner's path never reached
            heading = f"Step {number}"
            names = {o["id"]: o["label"] for o in step["options"]}
        elif part == question_id:
            heading, names = "Options", labels
        else:
            continue
        if all(choice in names for choice in ids):
            groups.append(
                ShownGroup(heading, tuple(names[c] for c in ids), tuple(c in picked for c in ids))
            )
    return tuple(groups)


def _title_from_id(rule_id: str | None) -> str:
    """A rule's name in words for answers stored before rules had one ("apologise.we-caused-it"
    is "Apologise: we caused it"); the id stays in the exports."""
    if not rule_id:
        return ""
    rule_id = rule_id.removeprefix("sequence:")
    return titled(rule_id.partition(".")[0].replace("-", " ").capitalize(), rule_id)


def _verdict_rows(result: dict[str, Any], snapshot: dict, course: Course | None, shown=None):
    steps = {s["id"]: n for n, s in enumerate(snapshot.get("steps", []), start=1)}
    lessons = course.lessons_by_id if course else {}
    verdicts = result["verdicts"]
    if shown:
        verdicts = sorted(verdicts, key=_shown_position(shown, snapshot.get("id", "")))
    return tuple(
        VerdictRow(
            label=v["label"],
            verdict=v["verdict"],
            chosen=v["chosen"],
            reason=v["reason"],
            note=v.get("note", ""),
            rule=v.get("rule"),
            rule_title=v.get("rule_title") or _title_from_id(v.get("rule")),
            lesson_id=v["lesson"],
            anchor=v["anchor"],
            lesson_title=v.get("lesson_title", v["lesson"]),
            lesson_in_course=v["lesson"] in lessons,
            step_label=f"Step {steps[v['step']]}" if v.get("step") in steps else None,
        )
        for v in verdicts
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
                rows=_verdict_rows(answer.result, snapshot, course, answer.shown),
                shown=_shown_groups(answer, snapshot),
            )
        )
    return items

"""Shape quizzes and stored attempts into plain data the templates only have to show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parley.grading import Question, RuleBook
from parley.learning.answers import ParsedAnswers

DEFAULT_PROMPTS = {
    "best": "What is the best move?",
    "all-that-apply": "Which of these fit the situation? Choose all that apply.",
    "commit-or-walk": "Should they commit to the agreement or walk away? If walking away, why?",
    "order": "Put these steps in the order you would take them.",
    "branching": "What do you do?",
}
KIND_NAMES = {
    "best": "Best move",
    "all-that-apply": "All that apply",
    "commit-or-walk": "Commit or walk away",
    "order": "Order the steps",
    "branching": "Branching scenario",
}


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    checked: bool = False
    position: str = ""


@dataclass(frozen=True)
class StepView:
    id: str
    situation_html: str
    prompt: str
    choices: tuple[Choice, ...]
    chosen: Choice | None


@dataclass(frozen=True)
class QuestionView:
    number: int
    id: str
    kind: str
    kind_name: str
    scenario_html: str
    prompt: str
    choices: tuple[Choice, ...] = ()
    reasons: tuple[Choice, ...] = ()
    decision: str = ""
    steps: tuple[StepView, ...] = ()
    finished: bool = False
    confidence: str = ""


def _question_view(number: int, question: Question, book: RuleBook, parsed: ParsedAnswers):
    picked = set(parsed.picked.get(question.id, ()))
    common = {
        "number": number,
        "id": question.id,
        "kind": question.kind,
        "kind_name": KIND_NAMES[question.kind],
        "scenario_html": question.scenario_html,
        "prompt": question.prompt or DEFAULT_PROMPTS[question.kind],
        "confidence": parsed.confidences.get(question.id, ""),
    }
    if question.kind == "commit-or-walk":
        decision, reason = parsed.decisions.get(question.id, ("", ""))
        reasons = tuple(
            Choice(o.strategy_id, o.label, o.strategy_id == reason)
            for o in question.options
            if book.strategies[o.strategy_id].kind == "no-agreement"
        )
        return QuestionView(**common, reasons=reasons, decision=decision)
    if question.kind == "order":
        positions = parsed.positions.get(question.id, {})
        choices = tuple(
            Choice(o.strategy_id, o.label, position=positions.get(o.strategy_id, ""))
            for o in question.options
        )
        return QuestionView(**common, choices=choices)
    if question.kind == "branching":
        steps, finished = _revealed_steps(question, parsed.paths.get(question.id, []))
        return QuestionView(**common, steps=steps, finished=finished)
    choices = tuple(
        Choice(o.strategy_id, o.label, o.strategy_id in picked) for o in question.options
    )
    return QuestionView(**common, choices=choices)


def _revealed_steps(question: Question, path: list[str]) -> tuple[tuple[StepView, ...], bool]:
    """Steps answered so far (locked) and the next one to answer."""
    views = []
    step = question.steps[0]
    for value in [*path, None]:
        choices = tuple(
            Choice(o.strategy_id, o.label, o.strategy_id == value) for o in step.options
        )
        chosen = next((c for c in choices if c.checked), None)
        views.append(
            StepView(
                step.id,
                step.situation_html,
                step.prompt or DEFAULT_PROMPTS["branching"],
                choices,
                chosen,
            )
        )
        if value is None:
            return tuple(views), False
        option = next(o for o in step.options if o.strategy_id == value)
        if option.next_step is None:
            return tuple(views), True
        step = question.step(option.next_step)
    return tuple(views), False


def quiz_view(questions, book: RuleBook, parsed: ParsedAnswers | None = None):
    parsed = parsed or ParsedAnswers()
    return [_question_view(n, q, book, parsed) for n, q in enumerate(questions, start=1)]


@dataclass(frozen=True)
class VerdictRow:
    label: str
    verdict: str | None
    chosen: bool
    reason: str
    note: str
    rule: str | None
    lesson_title: str
    lesson_url: str | None
    step_label: str | None


@dataclass(frozen=True)
class ReviewItem:
    number: int
    kind_name: str
    scenario_html: str
    prompt: str
    answer_text: str
    summary: str
    percent: int
    correct: bool
    confidence: str | None
    rows: tuple[VerdictRow, ...]


def _answer_text(snapshot: dict, response: list[str]) -> str:
    kind = snapshot.get("kind")
    if kind == "branching":
        # Labels belong to steps: the same strategy may read differently at each one.
        steps = snapshot.get("steps", [])
        parts = []
        for step, choice in zip(steps and _path_steps(steps, response), response, strict=False):
            labels = {o["id"]: o["label"] for o in step["options"]}
            parts.append(labels.get(choice, choice))
        return " → ".join(parts)
    labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
    if kind == "commit-or-walk":
        if response[:1] == ["commit"]:
            return "Commit to the agreement"
        return "Walk away: " + labels.get(response[1], response[1]) if len(response) > 1 else ""
    joiner = " → " if kind == "order" else "; "
    return joiner.join(labels.get(choice, choice) for choice in response)


def _path_steps(steps: list[dict], response: list[str]) -> list[dict]:
    """The snapshot steps a learner went through, following their choices from the first."""
    by_id = {step["id"]: step for step in steps}
    path, step = [], steps[0]
    for choice in response:
        if step is None:
            break
        path.append(step)
        option = next((o for o in step["options"] if o["id"] == choice), None)
        step = by_id.get(option.get("next")) if option and option.get("next") else None
    return path


def review_items(answers, lesson_url: Callable[[str, str], str | None]) -> list[ReviewItem]:
    """Turn stored answers into review rows; lesson_url(lesson, anchor) may return None."""
    items = []
    for answer in answers:
        snapshot = answer.snapshot
        steps = {s["id"]: n for n, s in enumerate(snapshot.get("steps", []), start=1)}
        rows = tuple(
            VerdictRow(
                label=v["label"],
                verdict=v["verdict"],
                chosen=v["chosen"],
                reason=v["reason"],
                note=v.get("note", ""),
                rule=v.get("rule"),
                lesson_title=v.get("lesson_title", v["lesson"]),
                lesson_url=lesson_url(v["lesson"], v["anchor"]),
                step_label=f"Step {steps[v['step']]}" if v.get("step") in steps else None,
            )
            for v in answer.result["verdicts"]
            if v["verdict"] is not None
        )
        items.append(
            ReviewItem(
                number=answer.position,
                kind_name=KIND_NAMES.get(snapshot.get("kind", ""), ""),
                scenario_html=snapshot.get("scenario_html", ""),
                prompt=snapshot.get("prompt") or DEFAULT_PROMPTS.get(snapshot.get("kind"), ""),
                answer_text=_answer_text(snapshot, answer.response),
                summary=answer.result.get("summary", ""),
                percent=round(answer.score * 100),
                correct=answer.correct,
                confidence=answer.confidence,
                rows=rows,
            )
        )
    return items

"""Read a quiz form into responses, and say plainly what is missing or wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.grading import CONFIDENCES, Question, Response, RuleBook


def expected_fields(questions: tuple[Question, ...]) -> set[str]:
    names = set()
    for question in questions:
        base = f"q-{question.id}"
        names.add(f"c-{question.id}")
        if question.kind in ("best", "all-that-apply"):
            names.add(base)
        elif question.kind == "commit-or-walk":
            names |= {f"{base}-decision", f"{base}-reason"}
        elif question.kind == "order":
            names |= {f"{base}-{o.strategy_id}" for o in question.options}
        else:
            names |= {f"{base}-{s.id}" for s in question.steps}
    return names


@dataclass
class ParsedAnswers:
    """Everything the learner sent, complete or not, so a form can be shown again as it was."""

    responses: dict[str, Response] = field(default_factory=dict)
    picked: dict[str, tuple[str, ...]] = field(default_factory=dict)
    positions: dict[str, dict[str, str]] = field(default_factory=dict)
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    paths: dict[str, list[str]] = field(default_factory=dict)
    confidences: dict[str, str] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    unfinished: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _one(form, name: str) -> str:
    values = [v for v in form.getlist(name) if v != ""]
    return values[0] if len(values) == 1 else ("" if not values else "\0many")


def parse_answers(questions: tuple[Question, ...], book: RuleBook, form) -> ParsedAnswers:
    """Parse form (a MultiDict) against questions."""
    parsed = ParsedAnswers()
    expected = expected_fields(questions)
    if any(name.startswith(("q-", "c-")) and name not in expected for name in form):
        parsed.problems.append(
            "This form has answers for questions that are not in this quiz, so nothing was "
            "saved. Answer the questions shown below."
        )
    for number, question in enumerate(questions, start=1):
        confidence = _one(form, f"c-{question.id}")
        if confidence and confidence not in CONFIDENCES:
            parsed.problems.append(f"Question {number}: choose sure, unsure or guessing.")
            confidence = ""
        if confidence:
            parsed.confidences[question.id] = confidence
        choices = _PARSERS[question.kind](question, book, form, parsed, number)
        if choices is not None:
            parsed.responses[question.id] = Response(choices, confidence or None)
    return parsed


def _known(question: Question, values, parsed: ParsedAnswers, number: int) -> bool:
    known = {o.strategy_id for o in question.options}
    if any(v not in known for v in values):
        parsed.problems.append(f"Question {number}: one of the answers is not an option here.")
        return False
    return True


def _parse_best(question, book, form, parsed, number):
    value = _one(form, f"q-{question.id}")
    if value == "\0many":
        parsed.problems.append(f"Question {number}: choose only one option.")
        return None
    if not value:
        parsed.missing.append(number)
        return None
    if not _known(question, [value], parsed, number):
        return None
    parsed.picked[question.id] = (value,)
    return (value,)


def _parse_all(question, book, form, parsed, number):
    values = [v for v in form.getlist(f"q-{question.id}") if v != ""]
    if not values:
        parsed.missing.append(number)
        return None
    if not _known(question, values, parsed, number):
        return None
    unique = tuple(dict.fromkeys(values))
    parsed.picked[question.id] = unique
    return unique


def _parse_commit(question, book, form, parsed, number):
    decision = _one(form, f"q-{question.id}-decision")
    reason = _one(form, f"q-{question.id}-reason")
    if "\0many" in (decision, reason):
        parsed.problems.append(f"Question {number}: choose one decision and at most one reason.")
        return None
    if decision and decision not in ("commit", "walk"):
        parsed.problems.append(f"Question {number}: choose to commit or to walk away.")
        return None
    reasons = {
        o.strategy_id
        for o in question.options
        if book.strategies[o.strategy_id].kind == "no-agreement"
    }
    if reason and reason not in reasons:
        parsed.problems.append(f"Question {number}: that reason is not one of the options.")
        return None
    parsed.decisions[question.id] = (decision, reason)
    if not decision:
        parsed.missing.append(number)
        return None
    if decision == "walk" and not reason:
        parsed.problems.append(f"Question {number}: say which condition makes walking away right.")
        return None
    return ("commit",) if decision == "commit" else ("walk", reason)


def _parse_order(question, book, form, parsed, number):
    size = len(question.options)
    given = {
        o.strategy_id: _one(form, f"q-{question.id}-{o.strategy_id}") for o in question.options
    }
    parsed.positions[question.id] = {k: v for k, v in given.items() if v and v != "\0many"}
    if all(not v for v in given.values()):
        parsed.missing.append(number)
        return None
    allowed = {str(n) for n in range(1, size + 1)}
    if any(v not in allowed for v in given.values()):
        parsed.problems.append(f"Question {number}: give every step a place from 1 to {size}.")
        return None
    if len(set(given.values())) != size:
        parsed.problems.append(f"Question {number}: give each step a different place.")
        return None
    return tuple(sorted(given, key=lambda strategy_id: int(given[strategy_id])))


def _parse_branching(question, book, form, parsed, number):
    path: list[str] = []
    step = question.steps[0]
    while step is not None:
        value = _one(form, f"q-{question.id}-{step.id}")
        if not value:
            break
        option = next((o for o in step.options if o.strategy_id == value), None)
        if option is None:
            parsed.problems.append(f"Question {number}: one of the answers is not an option here.")
            return None
        path.append(value)
        step = question.step(option.next_step) if option.next_step else None
    parsed.paths[question.id] = path
    if step is not None:
        (parsed.unfinished if path else parsed.missing).append(number)
        return None
    return tuple(path)


_PARSERS = {
    "best": _parse_best,
    "all-that-apply": _parse_all,
    "commit-or-walk": _parse_commit,
    "order": _parse_order,
    "branching": _parse_branching,
}


def encode_answers(questions, responses) -> list[tuple[str, str]]:
    """The form fields that submit these responses: the inverse of parse_answers."""
    fields: list[tuple[str, str]] = []
    for question in questions:
        response = responses[question.id]
        name = f"q-{question.id}"
        choices = response.choices
        if question.kind in ("best", "all-that-apply"):
            fields += [(name, choice) for choice in choices]
        elif question.kind == "commit-or-walk":
            fields.append((f"{name}-decision", choices[0]))
            fields += [(f"{name}-reason", reason) for reason in choices[1:]]
        elif question.kind == "order":
            fields += [(f"{name}-{choice}", str(n)) for n, choice in enumerate(choices, start=1)]
        else:
            step = question.steps[0]
            for choice in choices:
                fields.append((f"{name}-{step.id}", choice))
                option = next(o for o in step.options if o.strategy_id == choice)
                step = question.step(option.next_step) if option.next_step else None
        if response.confidence:
            fields.append((f"c-{question.id}", response.confidence))
    return fields

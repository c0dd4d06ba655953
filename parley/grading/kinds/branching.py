"""Branching scenario: a path of decisions, each step revealed by the choice before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parley.grading.debrief import DebriefPart, option_shares
from parley.grading.derive import DerivationError, Key, StepKey, best_of, merged_facts
from parley.grading.feedback import is_sound, option_verdicts
from parley.grading.kinds.base import (
    NOT_AN_OPTION,
    Arrangement,
    Choice,
    QuestionKind,
    Reading,
    ResponseError,
    in_order,
    one_value,
    place_shown,
    shown_options,
)
from parley.grading.model import (
    Option,
    OptionVerdict,
    Question,
    QuestionResult,
    Response,
    RuleBook,
    Step,
)

MIN_PATH_STEPS, MAX_PATH_STEPS = 2, 4


@dataclass(frozen=True)
class StepForm:
    """A step as the form shows it: answered (and locked) or the next one to answer."""

    id: str
    situation_html: str
    prompt: str
    choices: tuple[Choice, ...]
    chosen: Choice | None


@dataclass(frozen=True)
class Path:
    steps: tuple[StepForm, ...]
    finished: bool


def _next(question: Question, step: Step, choice: str) -> Step | None:
    option = next(o for o in step.options if o.strategy_id == choice)
    return question.step(option.next_step) if option.next_step else None


class Branching(QuestionKind):
    name = "branching"
    title = "Branching scenario"
    prompt = "What do you do?"

    def shape_problem(self, question: Question) -> str | None:
        if question.options or not question.steps:
            return "a branching question has steps, not options"
        return None

    def describe(self, answer: tuple[str, ...]) -> str:
        return " -> ".join(answer)

    def situations(self, question: Question) -> list[tuple[str | None, dict, tuple[Option, ...]]]:
        return [(s.id, merged_facts(question, s), s.options) for s in question.steps]

    def roles(self, book: RuleBook, question: Question, key: Key) -> tuple[set[str], set[str]]:
        right = {step.best for step in key.steps}
        offered = {o.strategy_id for step in question.steps for o in step.options}
        return right, offered - right

    def derive(self, book: RuleBook, question: Question) -> Key:
        by_id = {step.id: step for step in question.steps}
        for step in question.steps:
            for option in step.options:
                if option.next_step is not None and option.next_step not in by_id:
                    raise DerivationError(
                        f"step '{step.id}': option '{option.strategy_id}' leads to unknown step "
                        f"'{option.next_step}'"
                    )
        keys: dict[str, StepKey] = {}
        for step in question.steps:
            try:
                found = best_of(book, merged_facts(question, step), step.options)
            except DerivationError as exc:
                raise DerivationError(f"step '{step.id}': {exc}") from exc
            keys[step.id] = StepKey(step.id, found.best, found.outcomes)
        _check_paths(question.steps[0], by_id)
        path: list[StepKey] = []
        current: Step | None = question.steps[0]
        while current is not None:
            path.append(keys[current.id])
            current = _next(question, current, keys[current.id].best)
        if not MIN_PATH_STEPS <= len(path) <= MAX_PATH_STEPS:
            raise DerivationError(
                f"the right path through this scenario has {len(path)} steps; "
                f"it must have {MIN_PATH_STEPS} to {MAX_PATH_STEPS}"
            )
        return Key(tuple(k.best for k in path), {}, tuple(keys[s.id] for s in question.steps))

    def grade(self, book: RuleBook, question: Question, key: Key, response: Response):
        by_id = {k.step_id: k for k in key.steps}
        verdicts: list[OptionVerdict] = []
        step: Step | None = question.steps[0]
        taken = right = second = 0
        earned = 0.0
        for index, choice in enumerate(response.choices):
            if step is None:
                raise ResponseError("more choices than steps on this path")
            if not any(o.strategy_id == choice for o in step.options):
                raise ResponseError(f"'{choice}' is not an option at step {index + 1}")
            step_key = by_id[step.id]
            taken += 1
            if choice == step_key.best:
                right += 1
                earned += 1.0
            elif is_sound(step_key.outcomes[choice]):
                second += 1
                earned += book.acceptable_credit
            verdicts += option_verdicts(
                book,
                [o for o in step.options if o.strategy_id in (choice, step_key.best)],
                step_key.outcomes,
                chosen={choice},
                in_key={step_key.best},
                key=step_key.outcomes[step_key.best],
                step_id=step.id,
            )
            step = _next(question, step, choice)
        if step is not None or taken == 0:
            raise ResponseError("finish the scenario: a step on your path has no answer")
        summary = f"{right} of {taken} decisions on your path were the best available."
        if second:
            summary += f" {second} {'was' if second == 1 else 'were'} sound but second-best."
        return QuestionResult(question.id, earned / taken, tuple(verdicts), summary, key.answer)

    def plausible_mistake(self, book, question, key, rng) -> tuple[str, ...]:
        first = question.steps[0]
        choice = next(o for o in first.options if o.strategy_id != key.answer[0])
        path = [choice.strategy_id]
        step = _next(question, first, choice.strategy_id)
        while step is not None:
            path.append(step.options[0].strategy_id)
            step = _next(question, step, step.options[0].strategy_id)
        return tuple(path)

    def guess(self, question, book, arrange, guesser) -> tuple[str, ...]:
        path: list[str] = []
        step: Step | None = question.steps[0]
        while step is not None:
            choice = guesser.one(shown_options(arrange, _step_part(question, step), step.options))
            path.append(choice)
            step = _next(question, step, choice)
        return tuple(path)

    def field_names(self, question: Question) -> set[str]:
        return {f"q-{question.id}-{s.id}" for s in question.steps}

    def form_fields(self, question: Question, choices: tuple[str, ...]) -> list[tuple[str, str]]:
        fields = []
        step: Step | None = question.steps[0]
        for choice in choices:
            if step is None:
                break
            fields.append((f"q-{question.id}-{step.id}", choice))
            step = _next(question, step, choice)
        return fields

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        path: list[str] = []
        step: Step | None = question.steps[0]
        while step is not None:
            value = one_value(form, f"q-{question.id}-{step.id}")
            if not value:
                break
            if not any(o.strategy_id == value for o in step.options):
                return Reading(problem=NOT_AN_OPTION)
            path.append(value)
            step = _next(question, step, value)
        if step is not None:
            return Reading(filled=path, unfinished=bool(path), missing=not path)
        return Reading(tuple(path), filled=path)

    def choice_groups(
        self, question: Question, book: RuleBook
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(
            (_step_part(question, s), tuple(o.strategy_id for o in s.options))
            for s in question.steps
        )

    def form_body(
        self, question: Question, book: RuleBook, filled: Any, arrange: Arrangement
    ) -> Path:
        """The steps answered so far, locked, and the next one to answer."""
        views = []
        step: Step | None = question.steps[0]
        for value in [*(filled or ()), None]:
            assert step is not None
            part = _step_part(question, step)
            choices = tuple(
                Choice(o.strategy_id, o.label, o.strategy_id == value, part=part)
                for o in in_order(arrange, part, step.options)
            )
            chosen = next((c for c in choices if c.checked), None)
            prompt = step.prompt or self.prompt
            views.append(StepForm(step.id, step.situation_html, prompt, choices, chosen))
            if value is None:
                return Path(tuple(views), False)
            step = _next(question, step, value)
            if step is None:
                return Path(tuple(views), True)
        return Path(tuple(views), False)

    def answer_text(self, snapshot: Mapping[str, Any], stored: list[str]) -> str:
        # Labels belong to steps: the same strategy may read differently at each one.
        steps = snapshot.get("steps", [])
        parts = []
        for step, choice in zip(steps and _path_steps(steps, stored), stored, strict=False):
            labels = {o["id"]: o["label"] for o in step["options"]}
            parts.append(labels.get(choice, choice))
        return " → ".join(parts)

    def positions_shown(
        self, snapshot: Mapping[str, Any], stored: list[str], shown: Mapping[str, list[str]]
    ) -> list[int | None]:
        """Each choice's place among its step's options, following the learner's path."""
        path = _path_steps(snapshot.get("steps", []), stored) if snapshot.get("steps") else []
        places: list[int | None] = []
        for step, choice in zip(path, stored, strict=False):
            ids = shown.get(f"{snapshot.get('id')}/{step['id']}", [])
            places.append(place_shown(ids, choice))
        return places

    def debrief(
        self, book: RuleBook, question: Question, key: Key, responses: list[list[str]]
    ) -> list[DebriefPart]:
        parts = []
        for number, step in enumerate(question.steps, start=1):
            best = next(k.best for k in key.steps if k.step_id == step.id)
            ids = {o.strategy_id for o in step.options}
            reached = [r for r in responses if any(choice in ids for choice in r)]
            counts: dict[str, int] = {}
            for response in reached:
                for choice in response:
                    if choice in ids:
                        counts[choice] = counts.get(choice, 0) + 1
            facts = merged_facts(question, step)
            shares = option_shares(book, facts, step.options, {best}, counts, len(reached))
            parts.append(DebriefPart(f"Step {number}", step.situation_html, len(reached), shares))
        return parts


def _step_part(question: Question, step: Step) -> str:
    return f"{question.id}/{step.id}"


def _check_paths(start: Step, by_id: Mapping[str, Step]) -> None:
    """Refuse cycles and steps that no choice reaches."""
    reached = set()

    def walk(step: Step, trail: tuple[str, ...]) -> None:
        if step.id in trail:
            raise DerivationError(f"step '{step.id}' leads back to itself: {' -> '.join(trail)}")
        reached.add(step.id)
        for option in step.options:
            if option.next_step:
                walk(by_id[option.next_step], (*trail, step.id))

    walk(start, ())
    unreached = [step_id for step_id in by_id if step_id not in reached]
    if unreached:
        raise DerivationError(f"no choice leads to step(s) {', '.join(unreached)}")


def _path_steps(steps: list[dict], stored: list[str]) -> list[dict]:
    """The snapshot steps a learner went through, following their choices from the first."""
    by_id = {step["id"]: step for step in steps}
    path: list[dict] = []
    step: dict | None = steps[0]
    for choice in stored:
        if step is None:
            break
        path.append(step)
        option = next((o for o in step["options"] if o["id"] == choice), None)
        step = by_id.get(option.get("next")) if option and option.get("next") else None
    return path


KIND = Branching()

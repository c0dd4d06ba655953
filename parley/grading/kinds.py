"""One small grading function per question kind: key + response -> result."""

from __future__ import annotations

from itertools import combinations

from parley.grading.derive import Key, StepKey
from parley.grading.feedback import verdict_for
from parley.grading.model import (
    OptionVerdict,
    Question,
    QuestionResult,
    Response,
    RuleBook,
)


class ResponseError(ValueError):
    """The response does not fit the question (unknown option, wrong shape); says why."""


def _check_known(question: Question, choices: tuple[str, ...]) -> None:
    known = {o.strategy_id for o in question.options}
    unknown = [c for c in choices if c not in known]
    if unknown:
        raise ResponseError(f"'{unknown[0]}' is not an option of this question")


def _name(book: RuleBook, strategy_id: str) -> str:
    return book.strategies[strategy_id].name


def grade_best(book: RuleBook, question: Question, key: Key, response: Response):
    if len(response.choices) != 1:
        raise ResponseError("choose exactly one option")
    _check_known(question, response.choices)
    chosen, best = response.choices[0], key.answer[0]
    verdicts = tuple(
        verdict_for(
            book,
            o,
            key.outcomes[o.strategy_id],
            chosen=o.strategy_id == chosen,
            in_key=o.strategy_id == best,
            key=key.outcomes[best],
        )
        for o in question.options
    )
    right = chosen == best
    summary = (
        f"Right: {_name(book, best)}."
        if right
        else f"Not the best move here. The rules point to {_name(book, best)}."
    )
    return QuestionResult(question.id, 1.0 if right else 0.0, verdicts, summary, key.answer)


def grade_all(book: RuleBook, question: Question, key: Key, response: Response):
    picks = set(response.choices)
    if len(picks) != len(response.choices):
        raise ResponseError("an option was picked twice")
    _check_known(question, response.choices)
    right = set(key.answer)
    right_picks, wrong_picks = len(picks & right), len(picks - right)
    score = max(0, right_picks - wrong_picks) / len(right)
    verdicts = tuple(
        verdict_for(
            book,
            o,
            key.outcomes[o.strategy_id],
            chosen=o.strategy_id in picks,
            in_key=o.strategy_id in right,
            key=None,
        )
        for o in question.options
    )
    summary = (
        f"{right_picks} of {len(right)} right options picked, "
        f"{wrong_picks} wrong pick{'s' if wrong_picks != 1 else ''}."
    )
    return QuestionResult(question.id, score, verdicts, summary, key.answer)


def grade_commit(book: RuleBook, question: Question, key: Key, response: Response):
    choices = response.choices
    if not choices or choices[0] not in ("commit", "walk") or len(choices) > 2:
        raise ResponseError("choose to commit or to walk away")
    if choices[0] == "commit" and len(choices) != 1:
        raise ResponseError("committing takes no reason to walk away")
    reason = choices[1] if len(choices) == 2 else None
    if reason is not None:
        _check_known(question, (reason,))
        if book.strategies[reason].kind != "no-agreement":
            raise ResponseError(f"'{reason}' is not a reason to walk away")
    commit_id = next(
        o.strategy_id for o in question.options if book.strategies[o.strategy_id].kind == "commit"
    )
    walk_right = key.answer[0] == "walk"
    right_reason = key.answer[1] if walk_right else None
    if not walk_right:
        score = 1.0 if choices[0] == "commit" else 0.0
    else:
        score = 0.0 if choices[0] == "commit" else 0.5 + (0.5 if reason == right_reason else 0.0)
    chosen_ids = {commit_id} if choices[0] == "commit" else ({reason} if reason else set())
    key_ids = {right_reason} if walk_right else {commit_id}
    favourite = key.outcomes[next(iter(key_ids))]
    verdicts = tuple(
        verdict_for(
            book,
            o,
            key.outcomes[o.strategy_id],
            chosen=o.strategy_id in chosen_ids,
            in_key=o.strategy_id in key_ids,
            key=favourite,
        )
        for o in question.options
    )
    if walk_right:
        summary = f"Walking away is right here, because of: {_name(book, right_reason)}."
        if choices[0] == "walk" and reason != right_reason:
            summary = (
                f"Walking away was right, but for a different reason: {_name(book, right_reason)}."
            )
    else:
        summary = "Committing is right here: no condition for walking away applies."
    return QuestionResult(question.id, score, verdicts, summary, key.answer)


def grade_order(book: RuleBook, question: Question, key: Key, response: Response):
    given = response.choices
    if sorted(given) != sorted(key.answer):
        raise ResponseError("place every step exactly once")
    position = {strategy_id: index for index, strategy_id in enumerate(given)}
    pairs = list(combinations(key.answer, 2))
    in_order = sum(1 for first, later in pairs if position[first] < position[later])
    score = in_order / len(pairs) if pairs else 1.0
    sequence = book.sequences.get(book.strategies[key.answer[0]].sequence or "")
    verdicts = []
    for index, strategy_id in enumerate(key.answer):
        option = question.option(strategy_id)
        assert option is not None
        strategy = book.strategies[strategy_id]
        placed = position[strategy_id]
        where = f"Step {index + 1} of {len(key.answer)}: {strategy.statement}"
        if strategy.last_resort:
            where += " It is the last resort."
        reason = f"{where} {sequence.because}" if sequence else where
        verdicts.append(
            OptionVerdict(
                strategy_id=strategy_id,
                label=option.label,
                chosen=True,
                verdict="right" if placed == index else "mistake",
                rule_id=sequence.rule_id if sequence else None,
                reason=reason,
                teaches=strategy.teaches,
                note=option.feedback if placed != index else "",
            )
        )
    summary = f"{in_order} of {len(pairs)} pairs of steps in the right order."
    return QuestionResult(question.id, score, tuple(verdicts), summary, key.answer)


def grade_branching(book: RuleBook, question: Question, key: Key, response: Response):
    by_id = {k.step_id: k for k in key.steps}
    verdicts: list[OptionVerdict] = []
    step = question.steps[0]
    taken = 0
    right = 0
    for index, choice in enumerate(response.choices):
        if step is None:
            raise ResponseError("more choices than steps on this path")
        option = next((o for o in step.options if o.strategy_id == choice), None)
        if option is None:
            raise ResponseError(f"'{choice}' is not an option at step {index + 1}")
        step_key: StepKey = by_id[step.id]
        taken += 1
        right += choice == step_key.best
        for o in step.options:
            if o.strategy_id == choice or o.strategy_id == step_key.best:
                verdicts.append(
                    verdict_for(
                        book,
                        o,
                        step_key.outcomes[o.strategy_id],
                        chosen=o.strategy_id == choice,
                        in_key=o.strategy_id == step_key.best,
                        key=step_key.outcomes[step_key.best],
                        step_id=step.id,
                    )
                )
        step = question.step(option.next_step) if option.next_step else None
    if step is not None or taken == 0:
        raise ResponseError("finish the scenario: a step on your path has no answer")
    score = right / taken
    summary = f"{right} of {taken} decisions on your path were the best available."
    return QuestionResult(question.id, score, tuple(verdicts), summary, key.answer)


GRADERS = {
    "best": grade_best,
    "all-that-apply": grade_all,
    "commit-or-walk": grade_commit,
    "order": grade_order,
    "branching": grade_branching,
}

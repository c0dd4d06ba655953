"""The table of question kinds: one object per kind, one module (and template) each."""

from __future__ import annotations

from collections.abc import Iterable

from parley.grading.derive import Key
from parley.grading.kinds import all_that_apply, best, branching, commit_or_walk, diagnose, order
from parley.grading.kinds.base import Arrangement, QuestionKind, ResponseError
from parley.grading.model import Question, QuestionResult, Response, RuleBook

KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (
        best.KIND,
        all_that_apply.KIND,
        commit_or_walk.KIND,
        order.KIND,
        branching.KIND,
        diagnose.KIND,
    )
}


class RemovedKind(QuestionKind):
    """Reads back answers stored under a kind that is no longer registered."""

    name = ""
    title = ""
    prompt = ""


REMOVED = RemovedKind()


def stored_kind(name: str) -> QuestionKind:
    """The kind that reads back an answer stored under name (REMOVED if it is gone)."""
    return KINDS.get(name, REMOVED)


class UnknownKind(LookupError):
    """No kind is registered under this name."""


def kind_of(name: str) -> QuestionKind:
    """The kind registered under name; raise UnknownKind if there is none."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def orders_shown(
    questions: Iterable[Question], book: RuleBook, arrange: Arrangement
) -> dict[str, dict[str, list[str]]]:
    """The order each group of each question's choices is shown in, by question id: what an
    attempt stores."""
    return {q.id: kind_of(q.kind).orders_shown(q, book, arrange) for q in questions}


def derive(book: RuleBook, question: Question) -> Key:
    """Return the answer key the rule book gives for question, or raise DerivationError."""
    return kind_of(question.kind).derive(book, question)


def grade(
    book: RuleBook, question: Question, response: Response, key: Key | None = None
) -> QuestionResult:
    """Grade one response (against key, derived if not given); raise ResponseError if it
    does not fit the question."""
    kind = kind_of(question.kind)
    return kind.grade(book, question, key or kind.derive(book, question), response)


__all__ = [
    "KINDS",
    "REMOVED",
    "QuestionKind",
    "ResponseError",
    "UnknownKind",
    "derive",
    "grade",
    "kind_of",
    "orders_shown",
    "stored_kind",
]

"""What every question kind does, and the small types the kinds share.

A kind is one object: how its questions are shaped, how a form answers them, how the rule
book derives their key, how a response is graded, stored, shown back, exported and debriefed,
and which template macros draw it. The table of kinds is in `parley.grading.kinds`.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from parley.grading.debrief import DebriefPart, option_shares
from parley.grading.derive import Key
from parley.grading.model import Option, Question, QuestionResult, Response, RuleBook

# The order one group of a question's choices is shown in: (part id, option ids in authored
# order) -> the same ids in the order shown. A part id is unique within a quiz: the question
# id for its options, "<question id>/<name>" for another group (a branching step's options,
# commit-or-walk's decision, a fact to diagnose).
Arrangement = Callable[[str, tuple[str, ...]], Sequence[str]]


def as_authored(_part: str, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Show the choices in the order the author wrote them."""
    return ids


def shuffled(secret: bytes, token: str) -> Arrangement:
    """A random order for each group, fixed by the form's submission token and keyed with the
    app's secret: the same token always shows the same order, and nobody who lacks the secret
    can pick a token for an order.

    Each group is shuffled (Fisher-Yates) by the bytes of a keyed BLAKE2 hash of the token and
    the group, two bytes a swap. An HMAC for each choice cost 20 µs a group, a tenth of the quiz
    page's own work (make bench, quiz page); this costs about 3 µs.
    """
    key = hashlib.blake2b(secret).digest()

    def arrange(part: str, ids: tuple[str, ...]) -> tuple[str, ...]:
        message = f"{token}\0{part}".encode()
        stream = b""
        while len(stream) < 2 * len(ids):
            message = hashlib.blake2b(message, key=key).digest()
            stream += message
        shown = list(ids)
        for i in range(len(shown) - 1, 0, -1):
            j = int.from_bytes(stream[2 * i : 2 * i + 2], "big") % (i + 1)
            shown[i], shown[j] = shown[j], shown[i]
        return tuple(shown)

    return arrange


def in_order(arrange: Arrangement, part: str, options: Sequence[Option]) -> list[Option]:
    """The options in the order arrange shows them, which it decides from their ids alone."""
    by_id = {option.strategy_id: option for option in options}
    return [by_id[strategy_id] for strategy_id in arrange(part, tuple(by_id))]


NOT_AN_OPTION = "one of the answers is not an option here."


def check_known(question: Question, choices: tuple[str, ...]) -> None:
    """Raise ResponseError naming the first choice that is not one of the question's options."""
    known = {o.strategy_id for o in question.options}
    unknown = [c for c in choices if c not in known]
    if unknown:
        raise ResponseError(f"'{unknown[0]}' is not an option of this question")


def strategy_name(book: RuleBook, strategy_id: str) -> str:
    return book.strategies[strategy_id].name


MANY = "\0many"  # what one_value returns when a single-answer field came more than once


def one_value(form: Any, name: str) -> str:
    """The one non-empty value of a form field, "" if none, MANY if more than one."""
    values = [v for v in form.getlist(name) if v != ""]
    if len(values) > 1:
        return MANY
    return values[0] if values else ""


def place_shown(ids: Sequence[str], item: str) -> int | None:
    return ids.index(item) + 1 if item in ids else None


# A group of choices as a learner sees it: (id, label) in the order shown.
Shown = Sequence[tuple[str, str]]


class Guesser(Protocol):
    """A learner who answers without reading the scenario: from each group of choices as shown,
    one choice, some choices, or an order (see parley.content.guessability)."""

    def one(self, shown: Shown) -> str: ...

    def some(self, shown: Shown) -> list[str]: ...

    def order(self, shown: Shown) -> list[str]: ...


def shown_options(arrange: Arrangement, part: str, options: Sequence[Option]) -> Shown:
    return [(o.strategy_id, o.label) for o in in_order(arrange, part, options)]


class ResponseError(ValueError):
    """The response does not fit the question (unknown option, wrong shape); says why."""


@dataclass(frozen=True)
class Reading:
    """What a submitted form says about one question.

    choices is the complete answer, or None; filled is what the kind shows again in the form;
    a problem is a message for the learner (without the question number).
    """

    choices: tuple[str, ...] | None = None
    filled: Any = None
    missing: bool = False
    unfinished: bool = False
    problem: str | None = None


@dataclass(frozen=True)
class Choice:
    """One option as a form shows it."""

    id: str
    label: str
    checked: bool = False
    value: str = ""  # what the learner entered for it, such as a place in an order
    part: str = ""  # the group it belongs to (see Arrangement), which the template marks
    hint: str = ""  # a line under the label, if the kind gives one


class QuestionKind:
    """A kind of question. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]  # what authors write as `kind:`
    title: ClassVar[str]  # shown above each question of this kind
    prompt: ClassVar[str]  # the question asked when the author gives none

    # -- authoring --------------------------------------------------------------------------
    def shape_problem(self, question: Question) -> str | None:
        """Say what is wrong with the question's options or steps, if anything."""
        if question.steps or len(question.options) < 2:
            return "needs at least two options (and no steps)"
        return None

    def expected(self, expect: tuple[str, ...]) -> tuple[str, ...]:
        """An author's `expect:` as an answer of this kind."""
        return expect

    def same_answer(self, expected: tuple[str, ...], derived: tuple[str, ...]) -> bool:
        return expected == derived

    def describe(self, answer: tuple[str, ...]) -> str:
        """An answer in words, for authors."""
        return ", ".join(answer)

    def situations(self, question: Question) -> list[tuple[str | None, dict, tuple[Option, ...]]]:
        """Each situation the learner decides in: (step id or None, facts, options)."""
        return [(None, dict(question.facts), question.options)]

    def roles(
        self, book: RuleBook, question: Question, key: Key
    ) -> tuple[set[str], set[str]] | None:
        """(strategies the key holds, strategies offered but not in it), for coverage; None
        when the question cannot show a strategy as a distractor."""
        right = set(key.answer)
        return right, {o.strategy_id for o in question.options} - right

    # -- the rule book ----------------------------------------------------------------------
    def derive(self, book: RuleBook, question: Question) -> Key:
        """The answer the rule book gives; raise DerivationError if it gives no clear one."""
        raise NotImplementedError

    def grade(
        self, book: RuleBook, question: Question, key: Key, response: Response
    ) -> QuestionResult:
        """Grade one response against the key; raise ResponseError if it does not fit."""
        raise NotImplementedError

    def plausible_mistake(
        self, book: RuleBook, question: Question, key: Key, rng: random.Random
    ) -> tuple[str, ...]:
        """A wrong answer of the same shape as the key, as a demo learner might give."""
        wrong = [o.strategy_id for o in question.options if o.strategy_id not in key.answer]
        return (rng.choice(wrong),)

    def guess(
        self, question: Question, book: RuleBook, arrange: Arrangement, guesser: Guesser
    ) -> tuple[str, ...]:
        """What a learner who does not read answers, seeing the choices as arrange shows them."""
        return (guesser.one(shown_options(arrange, question.id, question.options)),)

    # -- the form ---------------------------------------------------------------------------
    def field_names(self, question: Question) -> set[str]:
        """The answer fields a form of this question may send (confidence aside)."""
        return {f"q-{question.id}"}

    def read(self, question: Question, book: RuleBook, form: Any) -> Reading:
        """Read the question's fields from a submitted form (a MultiDict)."""
        raise NotImplementedError

    def form_fields(self, question: Question, choices: tuple[str, ...]) -> list[tuple[str, str]]:
        """The fields a browser sends to answer with choices: what `read` reads back."""
        return [(f"q-{question.id}", choice) for choice in choices]

    def choice_groups(
        self, question: Question, book: RuleBook
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each group of choices the form shows, as (part id, option ids in authored order);
        `form_body` arranges each group under the same part id."""
        return ((question.id, tuple(o.strategy_id for o in question.options)),)

    def form_body(
        self, question: Question, book: RuleBook, filled: Any, arrange: Arrangement
    ) -> Any:
        """The kind's own part of the form (its choices, steps...), with `filled` shown again;
        the `take` macro finds it as `q.body`."""
        picked = set(filled or ())
        return tuple(
            Choice(o.strategy_id, o.label, o.strategy_id in picked, part=question.id)
            for o in in_order(arrange, question.id, question.options)
        )

    def orders_shown(
        self, question: Question, book: RuleBook, arrange: Arrangement
    ) -> dict[str, list[str]]:
        """The order each group of the question's choices is shown in, by part id: what an
        attempt stores, so its review shows what the learner saw."""
        return {part: list(arrange(part, ids)) for part, ids in self.choice_groups(question, book)}

    def template_path(self) -> Path | None:
        """The file of this kind's macros, named like its module and beside it, if there is one."""
        path = Path(sys.modules[type(self).__module__].__file__ or "").with_suffix(".html")
        return path if path.is_file() else None

    def template_source(self) -> str:
        """The Jinja macros that draw this kind: `take(q)`, and optionally `review(item)`
        and `debrief(part)` to replace the shared ones."""
        path = self.template_path()
        if path is None:
            raise FileNotFoundError(f"kind {self.name!r} has no template file beside its module")
        return path.read_text(encoding="utf-8")

    # -- what is stored, shown back and exported --------------------------------------------
    def snapshot_extra(self, question: Question, book: RuleBook) -> dict[str, Any]:
        """What else the question's stored snapshot must carry for its review to be shown
        without the content (labels from the rule book, for one)."""
        return {}

    def stored_response(self, response: Response) -> list[str]:
        """The answer as the attempt stores it."""
        return list(response.choices)

    def answer_text(self, snapshot: Mapping[str, Any], stored: list[str]) -> str:
        """A stored answer in words, with the labels the learner saw."""
        labels = {o["id"]: o["label"] for o in snapshot.get("options", [])}
        return "; ".join(labels.get(choice, choice) for choice in stored)

    def positions_shown(
        self, snapshot: Mapping[str, Any], stored: list[str], shown: Mapping[str, list[str]]
    ) -> list[int | None]:
        """Where each item of a stored answer was shown in its group, counting from 1.

        With one group every item is from it; with several, the answer's items follow the
        groups in turn (commit-or-walk's decision then reason, a diagnosis's facts then the
        move). A kind whose answer runs otherwise overrides this."""
        groups = list(shown.values())
        if len(groups) == 1:
            return [place_shown(groups[0], item) for item in stored]
        return [place_shown(ids, item) for ids, item in zip(groups, stored, strict=False)]

    def export_text(self, stored: list[str]) -> str:
        """The stored answer in the answers CSV."""
        return "|".join(stored)

    def xapi_response(self, stored: list[str]) -> str:
        """The stored answer as an xAPI result.response (items joined by "[,]")."""
        return "[,]".join(stored)

    # -- the debrief ------------------------------------------------------------------------
    def debrief(
        self, book: RuleBook, question: Question, key: Key, responses: list[list[str]]
    ) -> list[DebriefPart]:
        """How a group answered, per option, with the rule behind each; no names."""
        counts: dict[str, int] = {}
        for response in responses:
            for choice in set(response):
                counts[choice] = counts.get(choice, 0) + 1
        return [
            DebriefPart(
                "Chosen by",
                "",
                len(responses),
                option_shares(
                    book, question.facts, question.options, set(key.answer), counts, len(responses)
                ),
            )
        ]

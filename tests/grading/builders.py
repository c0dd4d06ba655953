"""Build small rule books and questions by hand: grading tests need no files and no app."""

from __future__ import annotations

from parley.grading import (
    Condition,
    Fact,
    LessonRef,
    Option,
    Question,
    Rule,
    RuleBook,
    Sequence,
    Step,
    Strategy,
)


def when(**conditions) -> tuple[Condition, ...]:
    found = []
    for fact, value in conditions.items():
        negated = isinstance(value, dict)
        value = value["not"] if negated else value
        values = frozenset([value] if isinstance(value, str) else value)
        found.append(Condition(fact, values, negated))
    return tuple(found)


def strategy(sid, kind="strategy", recommended=(), mistakes=(), **extra) -> Strategy:
    """recommended/mistakes: tuples of (conditions, weight, because)."""
    return Strategy(
        id=sid,
        name=sid.replace("-", " ").capitalize(),
        kind=kind,
        statement=f"Statement of {sid}.",
        teaches=LessonRef(f"lesson-{sid}", f"section-{sid}"),
        recommended=tuple(
            Rule(f"{sid}.r{n}", sid, "recommended", c, because, weight)
            for n, (c, weight, because) in enumerate(recommended)
        ),
        mistakes=tuple(
            Rule(f"{sid}.m{n}", sid, "mistake", c, because)
            for n, (c, _weight, because) in enumerate(mistakes)
        ),
        **extra,
    )


def book() -> RuleBook:
    facts = {
        "driver": Fact(
            "driver",
            "what drives it",
            {"emotions": "feelings drive it", "issues": "terms drive it"},
        ),
        "caused_by": Fact(
            "caused_by", "who caused it", {"us": "we caused it", "them": "they caused it"}
        ),
        "walkout": Fact(
            "walkout",
            "walkout state",
            {"none": "no walkout", "fresh": "just happened", "apologised": "apology failed"},
        ),
        "aim": Fact(
            "aim",
            "their aim",
            {
                "deal": "they want a deal",
                "win-lose": "they want win-lose",
                "none": "they never wanted a deal",
            },
        ),
        "ethics": Fact("ethics", "ethics gap", {"narrow": "similar ethics", "wide": "far apart"}),
    }
    strategies = [
        strategy(
            "apologise",
            recommended=[(when(driver="emotions", caused_by="us"), 3, "You hurt them; say sorry.")],
        ),
        strategy(
            "gesture",
            recommended=[
                (when(driver="emotions", caused_by="them"), 3, "Small gestures rebuild trust."),
                (when(driver="emotions"), 1, "Goodwill helps."),
            ],
        ),
        strategy("pause", recommended=[(when(driver="emotions"), 3, "Take a break.")]),
        strategy(
            "something-new",
            recommended=[(when(driver="issues"), 2, "Add an issue.")],
            mistakes=[(when(walkout="fresh"), 0, "Not right after a walkout.")],
        ),
        strategy("threaten", kind="mistake", mistakes=[((), 0, "Threats harden positions.")]),
        strategy(
            "assess",
            kind="walkout-step",
            sequence="walkout",
            step=1,
            recommended=[(when(walkout="fresh"), 4, "First judge how final it is.")],
        ),
        strategy(
            "say-sorry",
            kind="walkout-step",
            sequence="walkout",
            step=2,
            recommended=[(when(walkout="fresh"), 2, "Then apologise.")],
        ),
        strategy(
            "swap-people",
            kind="walkout-step",
            sequence="walkout",
            step=3,
            last_resort=True,
            recommended=[(when(walkout="apologised"), 4, "Now change both leads.")],
            mistakes=[(when(walkout="fresh"), 0, "Too early to change people.")],
        ),
        strategy(
            "walk-win-lose",
            kind="no-agreement",
            recommended=[(when(aim="win-lose"), 6, "They only want win-lose.")],
        ),
        strategy(
            "walk-ethics",
            kind="no-agreement",
            recommended=[(when(ethics="wide"), 6, "Ethics far apart.")],
        ),
        strategy(
            "commit",
            kind="commit",
            recommended=[((), 1, "Nothing argues against it.")],
            mistakes=[
                (when(aim="win-lose"), 0, "They want win-lose."),
                (when(ethics="wide"), 0, "Ethics far apart."),
            ],
        ),
    ]
    sequences = {"walkout": Sequence("walkout", "After a walkout", "Assess, apologise, swap.")}
    return RuleBook("demo", facts, {s.id: s for s in strategies}, sequences)


def option(sid: str, feedback: str = "", next_step: str | None = None) -> Option:
    return Option(sid, f"Label {sid}", feedback, next_step)


def question(kind="best", facts=None, options=(), steps=(), qid="q1") -> Question:
    return Question(
        id=qid,
        kind=kind,
        objectives=("obj",),
        scenario="A story.",
        scenario_html="<p>A story.</p>",
        prompt="",
        facts=facts or {},
        options=tuple(option(o) if isinstance(o, str) else o for o in options),
        steps=tuple(steps),
    )


def step(sid: str, facts: dict, *options: Option) -> Step:
    return Step(sid, f"Situation {sid}", f"<p>Situation {sid}</p>", facts, tuple(options))

"""The seed article's verdict on small situations, checked against the shipped impasse rule book.

One test per point of the rule-book list in issue 16. Each states what the article (and the
lesson that teaches it) says about a situation, given as a dict of facts, and checks what the
rule book derives: "sound" means recommended, or acceptable (second-best).
"""

import pytest

from parley.config import PROJECT_ROOT
from parley.content.library import load_library
from parley.grading import Option, Question, Response, derive, grade
from parley.grading.derive import best_of
from parley.grading.rules import evaluate

SOUND = ("recommended", "acceptable")
REASONS = (
    "commit",
    "walk-win-lose",
    "walk-changed-circumstances",
    "walk-never-wanted",
    "walk-ethics-gap",
)
WALKOUT_STEPS = ("assess-finality", "apologise-unequivocally", "change-both-negotiators")


@pytest.fixture(scope="module")
def book():
    library, _ = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    return library.quizzes_by_course["impasse"].rulebook


def status(book, facts, strategy_id):
    return evaluate(book, facts, [strategy_id])[strategy_id].status


def best(book, facts, *strategy_ids):
    return best_of(book, facts, tuple(Option(s, s) for s in strategy_ids)).best


def commit_or_walk(facts):
    options = tuple(Option(s, s) for s in REASONS)
    return Question("q", "commit-or-walk", ("o",), "s", "s", "", facts, options)


# 1. "Don't cut off communications, even if this negotiation appears dead."
@pytest.mark.parametrize(
    "facts",
    [
        # a last-minute standoff on the one issue left
        {"stage": "conclude", "talks": "ongoing", "driver": "issues", "issues_open": "single"},
        # the other side has walked out
        {"talks": "walked-out", "walked_out": "them", "recovery": "nothing-yet"},
    ],
    ids=["single-issue-standoff", "their-walkout"],
)
def test_1_keeping_the_door_open_is_sound_whenever_the_talks_are_at_risk(book, facts):
    assert status(book, facts, "keep-door-open") in SOUND
    assert status(book, facts, "cut-off-talks") == "mistake"


# 2. "Avoid single issue negotiations, and keep options open until all issues are resolved."
def test_2_while_several_issues_are_open_keep_them_open_together(book):
    facts = {"stage": "bargain", "talks": "ongoing", "driver": "issues", "issues_open": "several"}
    assert status(book, facts, "keep-issues-open") == "recommended"
    assert status(book, facts, "settle-one-issue-first") == "mistake"


# 3. "Apologize", and after a walkout "even if you are the one who was walked out on"; the
# lessons: "A sincere apology clears the air, whoever started it."
@pytest.mark.parametrize(
    "facts",
    [
        {"talks": "ongoing", "driver": "emotions", "caused_by": "them"},
        {"talks": "walked-out", "walked_out": "them", "recovery": "finality-assessed"},
    ],
    ids=["they-caused-it", "walked-out-on"],
)
def test_3_an_apology_helps_even_when_your_side_did_not_cause_the_impasse(book, facts):
    assert status(book, facts, "apologise") in SOUND


# 4. "Make an open but very small move of graciousness ... until talks are back on."
@pytest.mark.parametrize(
    "facts",
    [
        {"talks": "declared-over", "driver": "emotions", "caused_by": "them"},
        {"talks": "ongoing", "driver": "emotions", "caused_by": "both"},
    ],
    ids=["talks-stopped", "both-caused-it"],
)
def test_4_small_gracious_moves_until_talks_are_back_on(book, facts):
    assert status(book, facts, "small-gracious-moves") == "recommended"


def test_4_when_both_sides_caused_it_the_apology_comes_first(book):
    facts = {"talks": "ongoing", "driver": "emotions", "caused_by": "both"}
    assert best(book, facts, "small-gracious-moves", "apologise") == "apologise"


# 5. "Apologize unequivocally ... if you are the one who walked out and now wish you hadn't";
# the finality test ("Who walked out? A real collaborative negotiator ... A schemer ...") is
# about the other side's walkout.
def test_5_after_your_own_walkout_apologise_unequivocally(book):
    ours = {"talks": "walked-out", "walked_out": "us", "recovery": "nothing-yet"}
    assert best(book, ours, *WALKOUT_STEPS) == "apologise-unequivocally"
    theirs = {**ours, "walked_out": "them"}
    assert best(book, theirs, *WALKOUT_STEPS) == "assess-finality"


# 6. "Use a neutral third party to facilitate, or resort to a neutral valuation ..."
def test_6_a_neutral_facilitator_helps_when_positions_are_locked(book):
    facts = {
        "talks": "ongoing",
        "driver": "issues",
        "positions": "entrenched",
        "disputed_fact": "no",
    }
    assert status(book, facts, "neutral-third-party") == "recommended"


# 7. "Throw something new into the negotiation that recharges bargaining": a move you make.
@pytest.mark.parametrize("new_element", [None, "no"], ids=["unstated", "none-at-hand"])
def test_7_bringing_something_new_is_sound_without_one_being_handed_to_you(book, new_element):
    facts = {"talks": "ongoing", "driver": "issues"}
    if new_element:
        facts["new_element"] = new_element
    assert status(book, facts, "add-something-new") in SOUND


# 8. "A schemer is more likely putting on a show": more likely, not certainly.
def test_8_reading_a_schemers_walkout_as_genuine_is_second_best_not_a_mistake(book):
    facts = {"talks": "walked-out", "walked_out": "them", "counterpart": "schemer"}
    assert status(book, facts, "read-as-genuine") == "acceptable"
    assert best(book, facts, "read-as-genuine", "read-as-ploy") == "read-as-ploy"


# 9. "Sometimes no commitment IS better if:" any of four conditions; when two hold, either is
# a right reason to walk away.
@pytest.mark.parametrize(
    ("facts", "holding"),
    [
        (
            {"other_side_aim": "win-lose", "ethics_gap": "wide"},
            {"walk-win-lose", "walk-ethics-gap"},
        ),
        (
            {
                "other_side_aim": "agreement",
                "circumstances": "bait-and-switch",
                "ethics_gap": "wide",
            },
            {"walk-changed-circumstances", "walk-ethics-gap"},
        ),
    ],
    ids=["win-lose-and-ethics", "bait-and-switch-and-ethics"],
)
def test_9_any_condition_that_holds_is_a_right_reason_to_walk_away(book, facts, holding):
    question = commit_or_walk(facts)
    outcomes = derive(book, question).outcomes
    assert {s for s in REASONS[1:] if outcomes[s].status == "recommended"} == holding
    assert outcomes["commit"].status == "mistake"
    for reason in holding:
        assert grade(book, question, Response(("walk", reason))).score == 1.0


def test_9_a_reason_that_does_not_hold_never_calls_the_deal_worth_keeping(book):
    # Walking away is right (a bait and switch), but not because of win-lose terms.
    facts = {"other_side_aim": "agreement", "circumstances": "bait-and-switch"}
    wrong = evaluate(book, facts, ["walk-win-lose"])["walk-win-lose"]
    assert wrong.status == "mistake"
    assert "worth having" not in wrong.deciding_rule.because


# 10. The declared facts stage and motive get the article's rules; relationship, which no
# move turns on, is not a fact.
def test_10_an_ulterior_motive_on_its_own_makes_no_agreement_better(book):
    facts = {"motive": "publicity"}
    assert derive(book, commit_or_walk(facts)).answer == ("walk", "walk-never-wanted")


def test_10_an_impasse_at_the_conclude_stage_is_a_cue_to_look_again(book):
    facts = {"stage": "conclude", "talks": "ongoing"}
    assert status(book, facts, "surface-interests") in SOUND
    assert status(book, facts, "recheck-the-read") in SOUND


def test_10_every_declared_fact_is_read_by_some_rule(book):
    read = {c.fact for s in book.strategies.values() for r in s.rules for c in r.conditions}
    assert sorted(set(book.facts) - read) == []


# 12. Tempting errors a question can now offer, each a mistake the lessons teach against.
@pytest.mark.parametrize(
    ("strategy_id", "facts"),
    [
        ("wait-for-their-apology", {"talks": "walked-out", "walked_out": "them"}),
        ("big-concession", {"talks": "walked-out", "walked_out": "them", "counterpart": "schemer"}),
        ("settle-one-issue-first", {"talks": "ongoing", "issues_open": "several"}),
        ("replace-own-lead", {"talks": "ongoing", "friction": "yes"}),
        ("demand-they-replace-lead", {"talks": "ongoing", "friction": "yes"}),
    ],
)
def test_12_tempting_errors_are_mistakes(book, strategy_id, facts):
    assert strategy_id in book.strategies
    assert book.strategies[strategy_id].kind == "mistake"
    assert status(book, facts, strategy_id) == "mistake"

"""The second-best tier: a sound move that is not the best earns partial credit where one move
is asked for, is neither required nor penalised in all-that-apply, and says what is better."""

from dataclasses import replace

import pytest

from parley.grading import Response, grade
from parley.grading.model import Rule, RuleBook
from tests.factories import book, option, question, step, when

EMOTIONAL_US = {"driver": "emotions", "caused_by": "us"}


def with_acceptable(base: RuleBook, strategy_id: str, conditions, because: str) -> RuleBook:
    """base, with one more rule saying strategy_id is acceptable (second-best) when conditions."""
    strategy = base.strategies[strategy_id]
    rule = Rule(f"{strategy_id}.a0", strategy_id, "acceptable", conditions, because)
    strategies = {**base.strategies, strategy_id: replace(strategy, acceptable=(rule,))}
    return replace(base, strategies=strategies)


@pytest.fixture
def rules() -> RuleBook:
    """Adding an issue is second-best when feelings drive the impasse."""
    return with_acceptable(
        book(), "something-new", when(driver="emotions"), "A new issue can help, later."
    )


def verdicts(result):
    return {v.strategy_id: v.verdict for v in result.verdicts}


# -- best move ------------------------------------------------------------------------------


def test_best_right(rules):
    q = question(facts=EMOTIONAL_US, options=["apologise", "something-new", "threaten"])
    result = grade(rules, q, Response(("apologise",)))
    assert (result.score, result.correct) == (1.0, True)
    assert verdicts(result) == {"apologise": "right", "something-new": None, "threaten": None}


def test_best_second_best_earns_the_rule_books_credit_and_names_the_better_move(rules):
    q = question(facts=EMOTIONAL_US, options=["apologise", "something-new", "threaten"])
    result = grade(rules, q, Response(("something-new",)))
    assert (result.score, result.correct) == (0.5, False)
    assert verdicts(result) == {
        "apologise": "missed",
        "something-new": "second-best",
        "threaten": None,
    }
    second = next(v for v in result.verdicts if v.strategy_id == "something-new")
    assert second.rule_id == "something-new.a0"
    assert second.reason == (
        "A new issue can help, later. It is sound here, but not the best move: Apologise is "
        "better. You hurt them; say sorry."
    )
    assert result.summary == (
        "Second-best: Something new is sound here, but the better move is Apologise."
    )
    stingy = replace(rules, acceptable_credit=0.25)
    assert grade(stingy, q, Response(("something-new",))).score == 0.25


def test_best_mistake(rules):
    q = question(facts=EMOTIONAL_US, options=["apologise", "something-new", "threaten"])
    result = grade(rules, q, Response(("threaten",)))
    assert result.score == 0.0
    assert verdicts(result)["threaten"] == "mistake"


def test_best_missed(rules):
    q = question(facts=EMOTIONAL_US, options=["apologise", "something-new", "threaten"])
    result = grade(rules, q, Response(("threaten",)))
    assert verdicts(result)["apologise"] == "missed"


def test_an_acceptable_move_outside_its_conditions_is_a_plain_miss(rules):
    q = question(facts={"driver": "issues"}, options=["something-new", "pause"])
    result = grade(rules, q, Response(("pause",)))
    assert (result.score, verdicts(result)["pause"]) == (0.0, "mistake")


# -- all that apply -------------------------------------------------------------------------


def all_q():
    return question(
        "all-that-apply",
        EMOTIONAL_US,
        ["apologise", "pause", "something-new", "threaten"],
    )


def test_all_right_with_or_without_the_acceptable_option(rules):
    assert grade(rules, all_q(), Response(("apologise", "pause"))).score == 1.0
    both = grade(rules, all_q(), Response(("apologise", "pause", "something-new")))
    assert both.score == 1.0  # neither required nor penalised
    assert verdicts(both)["something-new"] == "second-best"
    assert both.summary == (
        "2 of 2 right options picked, 0 wrong picks. Sound but not required here: "
        "Label something-new."
    )


def test_all_mistake_is_penalised(rules):
    result = grade(rules, all_q(), Response(("apologise", "pause", "threaten")))
    assert (result.score, verdicts(result)["threaten"]) == (0.5, "mistake")


def test_all_missed(rules):
    result = grade(rules, all_q(), Response(("apologise", "something-new")))
    assert (result.score, verdicts(result)["pause"]) == (0.5, "missed")


# -- commit or walk away --------------------------------------------------------------------


def walk_q(**facts):
    return question("commit-or-walk", facts, ["commit", "walk-win-lose", "walk-ethics"], qid="walk")


def test_walk_right_for_any_reason_that_holds():
    q = walk_q(aim="win-lose", ethics="wide")
    for reason in ("walk-win-lose", "walk-ethics"):
        result = grade(book(), q, Response(("walk", reason)))
        assert (result.score, verdicts(result)[reason]) == (1.0, "right")
        assert result.summary == (
            "Walking away is right here, because of: Walk win lose and Walk ethics."
        )


def test_walk_for_a_reason_that_does_not_hold_earns_half():
    q = walk_q(aim="win-lose", ethics="narrow")
    result = grade(book(), q, Response(("walk", "walk-ethics")))
    assert result.score == 0.5
    assert verdicts(result) == {"commit": None, "walk-win-lose": "missed", "walk-ethics": "mistake"}


def test_committing_when_walking_is_right_is_a_mistake():
    q = walk_q(aim="win-lose", ethics="narrow")
    result = grade(book(), q, Response(("commit",)))
    assert (result.score, verdicts(result)["commit"]) == (0.0, "mistake")


# -- order the steps ------------------------------------------------------------------------


def order_q():
    return question("order", {"walkout": "fresh"}, ["say-sorry", "assess", "swap-people"])


def test_order_right():
    result = grade(book(), order_q(), Response(("assess", "say-sorry", "swap-people")))
    assert result.score == 1.0 and set(verdicts(result).values()) == {"right"}


def test_order_partly_right_earns_the_pairs_in_order():
    """An order has no second-best move: its partial credit is the share of pairs in order."""
    result = grade(book(), order_q(), Response(("say-sorry", "assess", "swap-people")))
    assert result.score == pytest.approx(2 / 3)
    assert verdicts(result) == {"assess": "mistake", "say-sorry": "mistake", "swap-people": "right"}


# -- branching --------------------------------------------------------------------------------


def branch_q():
    return question(
        "branching",
        {"caused_by": "us"},
        steps=[
            step(
                "s1",
                {"driver": "emotions"},
                option("apologise", next_step="s2"),
                option("something-new", next_step="s2"),
                option("threaten", next_step="s2"),
            ),
            step("s2", {"walkout": "fresh"}, option("assess"), option("swap-people")),
        ],
    )


def test_branching_right(rules):
    result = grade(rules, branch_q(), Response(("apologise", "assess")))
    assert result.score == 1.0


def test_branching_second_best_step_earns_the_credit_for_that_step(rules):
    result = grade(rules, branch_q(), Response(("something-new", "assess")))
    assert result.score == 0.75
    assert result.summary == (
        "1 of 2 decisions on your path were the best available. 1 was sound but second-best."
    )
    first = [v for v in result.verdicts if v.step_id == "s1"]
    assert {v.strategy_id: v.verdict for v in first} == {
        "apologise": "missed",
        "something-new": "second-best",
    }


def test_branching_mistake_and_missed(rules):
    result = grade(rules, branch_q(), Response(("apologise", "swap-people")))
    assert result.score == 0.5
    second = {v.strategy_id: v.verdict for v in result.verdicts if v.step_id == "s2"}
    assert second == {"assess": "missed", "swap-people": "mistake"}

from parley.grading import Condition
from parley.grading.rules import describe_conditions, evaluate
from tests.factories import book


def test_condition_matches_any_listed_value():
    condition = Condition("driver", frozenset({"emotions", "issues"}))
    assert condition.holds({"driver": "issues"})
    assert not condition.holds({"driver": "other"})


def test_negated_condition_matches_other_values_only():
    condition = Condition("driver", frozenset({"emotions"}), negated=True)
    assert condition.holds({"driver": "issues"})
    assert not condition.holds({"driver": "emotions"})


def test_an_unstated_fact_never_satisfies_a_condition():
    assert not Condition("driver", frozenset({"emotions"})).holds({})
    assert not Condition("driver", frozenset({"emotions"}), negated=True).holds({})


def test_a_mistake_rule_overrides_a_recommendation():
    outcome = evaluate(book(), {"driver": "issues", "walkout": "fresh"}, ["something-new"])
    assert outcome["something-new"].status == "mistake"
    assert outcome["something-new"].weight == 0
    assert outcome["something-new"].deciding_rule.id == "something-new.m0"


def test_weight_is_the_strongest_fired_recommendation():
    outcome = evaluate(book(), {"driver": "emotions", "caused_by": "them"}, ["gesture"])
    assert outcome["gesture"].status == "recommended"
    assert outcome["gesture"].weight == 3
    assert [r.id for r in outcome["gesture"].recommended_by] == ["gesture.r0", "gesture.r1"]


def test_a_strategy_with_no_fired_rule_is_neutral():
    outcome = evaluate(book(), {"driver": "issues"}, ["apologise"])
    assert outcome["apologise"].status == "neutral"


def test_conditions_are_described_with_the_facts_meanings():
    rule = book().strategies["apologise"].recommended[0]
    assert describe_conditions(book(), rule.conditions) == "feelings drive it; we caused it"

"""Diagnose, then decide: the facts read and the move are graded, shaped, read from the form and
debriefed by the kind alone."""

import dataclasses
import random

import pytest
from werkzeug.datastructures import MultiDict

from parley.content.guessability import First
from parley.grading import DerivationError, Response, ResponseError, Rule, derive, grade, kind_of
from parley.grading.kinds.base import as_authored
from parley.learning.answers import parse_answers
from tests.factories import (
    answer_fields,
    book,
    diagnose_question,
    labelled,
    strategy,
    when,
)

DIAGNOSE = kind_of("diagnose")
FACTS = {"driver": "emotions", "caused_by": "us", "ethics": "narrow"}
MOVES = ["apologise", "gesture", "listen", "threaten"]
NOT_AN_OPTION = "Question 1: one of the answers is not an option here."


def rule_book(acceptable_credit=0.4):
    """The factories' rule book, its facts labelled, with "listen": never recommended here, but
    acceptable (sound, second-best) whenever feelings drive the impasse."""
    listen = strategy(
        "listen",
        recommended=[(when(aim="deal"), 1, "They want a deal; hear them out.")],
        acceptable=(
            Rule(
                "listen.a0",
                "listen",
                "acceptable",
                when(driver="emotions"),
                "Listening calms things down.",
            ),
        ),
    )
    base = labelled(book(), "driver", "caused_by", "ethics")
    return dataclasses.replace(
        base,
        strategies={**base.strategies, "listen": listen},
        acceptable_credit=acceptable_credit,
    )


def diagnosed(diagnose=("driver", "caused_by"), facts=FACTS, options=MOVES):
    return diagnose_question(facts, diagnose, options)


def backwards(_part, ids):
    """An arrangement that shows every group in reverse."""
    return tuple(reversed(ids))


def rows(result):
    return [(v.strategy_id, v.label, v.verdict) for v in result.verdicts if v.verdict]


# -- the key and grading ---------------------------------------------------------------------


def test_the_key_is_each_true_value_in_order_then_the_best_move():
    key = derive(rule_book(), diagnosed(("caused_by", "driver")))
    assert key.answer == ("us", "emotions", "apologise")


def test_right_reading_and_right_move_score_one():
    result = grade(rule_book(), diagnosed(), Response(("emotions", "us", "apologise")))
    assert result.score == 1.0 and result.correct
    assert rows(result) == [
        ("driver=emotions", "driver? Emotions", "right"),
        ("caused_by=us", "caused_by? Us", "right"),
        ("apologise", "Label apologise", "right"),
    ]
    driver = result.verdicts[0]
    assert driver.reason == "Feelings drive it."
    assert (driver.rule_id, driver.teaches.lesson_id, driver.step_id) == (
        "apologise.r0",
        "lesson-apologise",
        None,
    )
    assert result.summary == "Your reading: 2 of 2 facts right. Your move: Right: Apologise."
    assert result.key == ("emotions", "us", "apologise")


def test_a_second_best_move_earns_the_rule_books_acceptable_credit_for_its_half():
    result = grade(rule_book(0.4), diagnosed(), Response(("emotions", "us", "listen")))
    assert result.score == pytest.approx(0.5 + 0.5 * 0.4) and not result.correct
    assert rows(result)[2:] == [
        ("apologise", "Label apologise", "missed"),
        ("listen", "Label listen", "second-best"),
    ]
    assert result.summary == (
        "Your reading: 2 of 2 facts right. Your move: Second-best: Listen is sound here, but "
        "the better move is Apologise."
    )


def test_a_mistaken_move_loses_the_move_half_and_names_the_best():
    result = grade(rule_book(), diagnosed(), Response(("emotions", "us", "threaten")))
    assert result.score == 0.5
    assert rows(result)[2:] == [
        ("apologise", "Label apologise", "missed"),
        ("threaten", "Label threaten", "mistake"),
    ]
    threaten = next(v for v in result.verdicts if v.strategy_id == "threaten")
    assert (threaten.rule_id, threaten.reason) == ("threaten.m0", "Threats harden positions.")
    assert result.summary == (
        "Your reading: 2 of 2 facts right. Your move: Not the best move here. "
        "The rules point to Apologise."
    )


def test_a_misread_fact_costs_its_share_and_says_how_the_right_reading_changes_the_move():
    result = grade(rule_book(), diagnosed(), Response(("emotions", "them", "apologise")))
    assert result.score == 0.75
    assert rows(result) == [
        ("driver=emotions", "driver? Emotions", "right"),
        ("caused_by=them", "caused_by? Them", "mistake"),
        ("apologise", "Label apologise", "right"),
    ]
    misread = result.verdicts[1]
    assert misread.chosen
    assert misread.reason == (
        "Read right, it is “Us”: We caused it. Read as “Them”, the rules point to Gesture; "
        "read right, they point to Apologise, because you hurt them; say sorry."
    )
    assert result.summary == "Your reading: 1 of 2 facts right. Your move: Right: Apologise."


def test_a_reading_under_which_the_rules_give_no_clear_move_says_so():
    result = grade(rule_book(), diagnosed(), Response(("issues", "them", "threaten")))
    assert result.score == 0.0
    assert result.verdicts[0].reason == (
        "Read right, it is “Emotions”: Feelings drive it. Read as “Issues”, the rules give no "
        "clear move; read right, they point to Apologise, because you hurt them; say sorry."
    )
    assert result.summary == (
        "Your reading: 0 of 2 facts right. Read your way, the rules give no clear move; read "
        "right, they point to Apologise, because you hurt them; say sorry. Your move: Not the "
        "best move here. The rules point to Apologise."
    )


def test_a_misreading_that_leaves_the_move_as_it_is_says_so():
    question = diagnosed(("driver", "caused_by", "ethics"))
    result = grade(rule_book(), question, Response(("emotions", "us", "wide", "apologise")))
    assert result.score == pytest.approx(0.5 * 2 / 3 + 0.5)
    assert result.verdicts[2].reason == (
        "Read right, it is “Narrow”: Similar ethics. Read as “Wide”, the rules still point to "
        "Apologise, so this reading does not change the move here."
    )


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (("emotions", "apologise"), "read each of the 2 facts and choose one move"),
        (("emotions", "us", "them", "apologise"), "read each of the 2 facts and choose one move"),
        (("sad", "us", "apologise"), "'sad' is not a value of fact 'driver'"),
        (("emotions", "us", "pause"), "'pause' is not an option of this question"),
    ],
)
def test_a_response_that_does_not_fit_is_refused(choices, message):
    with pytest.raises(ResponseError) as refused:
        grade(rule_book(), diagnosed(), Response(choices))
    assert str(refused.value) == message


# -- the shape authors may write -------------------------------------------------------------


@pytest.mark.parametrize(
    ("diagnose", "problem"),
    [
        (("driver",), "a diagnose question names 2 to 4 facts under 'diagnose' (this one names 1)"),
        (
            ("driver", "caused_by", "ethics", "aim", "walkout"),
            "a diagnose question names 2 to 4 facts under 'diagnose' (this one names 5)",
        ),
        (("driver", "driver"), "fact 'driver' is named twice under 'diagnose'"),
    ],
)
def test_two_to_four_different_facts_are_diagnosed(diagnose, problem):
    question = diagnosed(diagnose)
    assert DIAGNOSE.shape_problem(question) == problem
    with pytest.raises(DerivationError) as refused:
        derive(rule_book(), question)
    assert str(refused.value) == problem


def test_a_diagnose_question_needs_two_moves_to_choose_from():
    problem = DIAGNOSE.shape_problem(diagnosed(options=["apologise"]))
    assert problem == "needs at least two options (and no steps)"


@pytest.mark.parametrize(
    ("diagnose", "rulebook", "problem"),
    [
        (("driver", "mood"), rule_book(), "diagnoses 'mood', which is not a fact of the rule book"),
        (("driver", "aim"), rule_book(), "diagnoses 'aim', but its facts do not state it"),
        (
            ("driver", "caused_by"),
            labelled(book(), "driver"),
            "diagnoses 'caused_by', which has no learner-facing label in rules.yaml "
            "(give the fact a label:)",
        ),
    ],
)
def test_each_diagnosed_fact_is_stated_and_labelled(diagnose, rulebook, problem):
    with pytest.raises(DerivationError) as refused:
        derive(rulebook, diagnosed(diagnose))
    assert str(refused.value) == problem


def test_every_value_of_a_diagnosed_fact_needs_a_label():
    rulebook = rule_book()
    driver = dataclasses.replace(rulebook.facts["driver"], value_labels={"emotions": "Feelings"})
    rulebook = dataclasses.replace(rulebook, facts={**rulebook.facts, "driver": driver})
    with pytest.raises(DerivationError) as refused:
        derive(rulebook, diagnosed())
    assert str(refused.value) == (
        "diagnoses 'driver', whose value 'issues' has no learner-facing label in rules.yaml "
        "(write the value as {label: ..., meaning: ...})"
    )


def test_expect_may_name_the_move_alone_or_the_whole_key():
    answer = ("emotions", "us", "apologise")
    assert DIAGNOSE.same_answer(("apologise",), answer)
    assert DIAGNOSE.same_answer(answer, answer)
    assert not DIAGNOSE.same_answer(("gesture",), answer)
    assert DIAGNOSE.describe(answer) == "a reading of emotions, us, then apologise"


def test_coverage_counts_only_the_moves_and_the_demo_misreads_the_first_fact():
    rulebook, question = rule_book(), diagnosed()
    key = derive(rulebook, question)
    assert DIAGNOSE.roles(rulebook, question, key) == (
        {"apologise"},
        {"gesture", "listen", "threaten"},
    )
    assert DIAGNOSE.plausible_mistake(rulebook, question, key, random.Random(1)) == (
        "issues",
        "us",
        "apologise",
    )


def test_a_blind_learner_picks_a_value_of_each_fact_then_a_move_as_shown():
    question, rulebook = diagnosed(), rule_book()

    assert DIAGNOSE.guess(question, rulebook, as_authored, First()) == (
        "emotions",
        "us",
        "apologise",
    )
    assert DIAGNOSE.guess(question, rulebook, backwards, First()) == ("issues", "them", "threaten")


# -- the form --------------------------------------------------------------------------------


def test_the_answer_round_trips_through_the_form():
    question = diagnosed()
    response = Response(("issues", "them", "gesture"), "unsure")
    fields = answer_fields((question,), {question.id: response})
    assert fields == [
        ("q-q1-driver", "issues"),
        ("q-q1-caused_by", "them"),
        ("q-q1", "gesture"),
        ("c-q1", "unsure"),
    ]
    parsed = parse_answers((question,), rule_book(), MultiDict(fields))
    assert parsed.problems == [] and parsed.missing == []
    assert parsed.responses == {question.id: response}


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"q-q1-driver": "sad", "q-q1-caused_by": "us", "q-q1": "apologise"}, NOT_AN_OPTION),
        ({"q-q1-driver": "emotions", "q-q1-caused_by": "us", "q-q1": "pause"}, NOT_AN_OPTION),
        (
            {"q-q1-caused_by": "us", "q-q1": "apologise"},
            "Question 1: answer every part: “driver?” has no answer yet.",
        ),
        (
            {"q-q1-driver": "emotions", "q-q1-caused_by": "us"},
            "Question 1: answer every part: the move has no answer yet.",
        ),
    ],
)
def test_an_unknown_value_or_an_unanswered_part_is_a_problem_that_keeps_what_was_sent(
    fields, problem
):
    question = diagnosed()
    parsed = parse_answers((question,), rule_book(), MultiDict(fields))
    assert parsed.problems == [problem] and parsed.responses == {}


def test_a_question_left_blank_is_missing():
    parsed = parse_answers((diagnosed(),), rule_book(), MultiDict({}))
    assert parsed.missing == [1] and parsed.problems == []


def test_the_form_asks_each_fact_by_its_label_then_the_move_each_group_arranged():
    question, rulebook = diagnosed(), rule_book()
    assert DIAGNOSE.choice_groups(question, rulebook) == (
        ("q1/driver", ("emotions", "issues")),
        ("q1/caused_by", ("us", "them")),
        ("q1", ("apologise", "gesture", "listen", "threaten")),
    )

    body = DIAGNOSE.form_body(question, rulebook, ("issues", "", "gesture"), backwards)
    driver, caused_by = body.facts
    assert (driver.field, driver.legend) == ("q-q1-driver", "driver?")
    assert [(c.id, c.label, c.hint, c.checked, c.part) for c in driver.choices] == [
        ("issues", "Issues", "Terms drive it.", True, "q1/driver"),
        ("emotions", "Emotions", "Feelings drive it.", False, "q1/driver"),
    ]
    assert [c.checked for c in caused_by.choices] == [False, False]
    assert [(c.id, c.checked) for c in body.moves] == [
        ("threaten", False),
        ("listen", False),
        ("gesture", True),
        ("apologise", False),
    ]
    blank = DIAGNOSE.form_body(question, rulebook, None, as_authored)
    assert [c.id for c in blank.facts[1].choices] == ["us", "them"]


# -- what is stored, shown back and debriefed ------------------------------------------------


def test_the_answer_in_words_uses_the_labels_the_snapshot_carries_or_the_values():
    stored = ["emotions", "them", "gesture"]
    snapshot = {"options": [{"id": "gesture", "label": "Send a card"}]}
    assert DIAGNOSE.answer_text(snapshot, stored) == "Reading: emotions; them. Move: Send a card"
    snapshot["diagnose"] = [
        {"label": "What drives it?", "values": {"emotions": "Feelings"}},
        {"label": "Who caused it?", "values": {"them": "They did"}},
    ]
    assert DIAGNOSE.answer_text(snapshot, stored) == (
        "Reading: What drives it? Feelings; Who caused it? They did. Move: Send a card"
    )


def test_the_debrief_has_a_part_per_fact_and_one_for_the_move():
    rulebook, question = rule_book(), diagnosed()
    key = derive(rulebook, question)
    responses = [
        ["emotions", "us", "apologise"],
        ["emotions", "them", "gesture"],
        ["issues", "them", "apologise"],
        ["apologise"],  # stored when the question asked no facts: not counted
    ]
    parts = DIAGNOSE.debrief(rulebook, question, key, responses)
    assert [(p.heading, p.respondents) for p in parts] == [
        ("driver?", 3),
        ("caused_by?", 3),
        ("The move", 3),
    ]
    assert [(o.label, o.count, o.percent, o.right, o.reason) for o in parts[1].options] == [
        ("Us", 1, 33, True, "We caused it."),
        ("Them", 2, 67, False, "They caused it."),
    ]
    assert [(o.label, o.count, o.right) for o in parts[2].options] == [
        ("Label apologise", 2, True),
        ("Label gesture", 1, False),
        ("Label listen", 0, False),
        ("Label threaten", 0, False),
    ]

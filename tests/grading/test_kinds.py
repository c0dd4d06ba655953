import pytest

from parley.grading import Response, ResponseError, grade, kind_of
from parley.grading.quiz import grade_quiz
from tests.factories import book, option, question, step


def verdicts(result):
    return {v.strategy_id: v.verdict for v in result.verdicts}


EMOTIONAL_US = {"driver": "emotions", "caused_by": "us"}


def test_best_right_choice_scores_one_and_cites_the_rule_and_lesson():
    q = question(facts=EMOTIONAL_US, options=["apologise", "threaten", "something-new"])
    result = grade(book(), q, Response(("apologise",)))
    assert result.score == 1.0 and result.correct
    right = result.verdicts[0]
    assert (right.verdict, right.rule_id, right.reason) == (
        "right",
        "apologise.r0",
        "You hurt them; say sorry.",
    )
    assert (right.teaches.lesson_id, right.teaches.anchor) == (
        "lesson-apologise",
        "section-apologise",
    )
    assert verdicts(result) == {"apologise": "right", "threaten": None, "something-new": None}


def test_best_wrong_choice_is_a_mistake_quoting_its_mistake_rule_and_the_key_is_missed():
    q = question(
        facts=EMOTIONAL_US,
        options=["apologise", option("threaten", "Here it would insult Ana."), "something-new"],
    )
    result = grade(book(), q, Response(("threaten",)))
    assert result.score == 0.0
    assert verdicts(result) == {"apologise": "missed", "threaten": "mistake", "something-new": None}
    wrong = next(v for v in result.verdicts if v.strategy_id == "threaten")
    assert wrong.rule_id == "threaten.m0"
    assert wrong.reason == "Threats harden positions."
    assert wrong.note == "Here it would insult Ana."
    assert result.summary == "Not the best move here. The rules point to Apologise."


def test_best_wrong_neutral_choice_says_when_it_would_fit():
    q = question(facts=EMOTIONAL_US, options=["apologise", "something-new"])
    result = grade(book(), q, Response(("something-new",)))
    wrong = next(v for v in result.verdicts if v.strategy_id == "something-new")
    assert wrong.rule_id == "something-new.r0"
    assert wrong.reason == (
        "Something new fits when: terms drive it. That is not the situation in this scenario."
    )


def test_best_weaker_but_recommended_choice_is_second_best_and_names_the_stronger_one():
    q = question(
        facts={"driver": "emotions", "caused_by": "them"},
        options=["gesture", "apologise", "something-new"],
    )
    result = grade(book(), q, Response(("apologise",)))
    assert result.score == 0.0
    q = question(facts=EMOTIONAL_US, options=["apologise", "gesture"])
    result = grade(book(), q, Response(("gesture",)))
    assert result.score == 0.5
    weaker = next(v for v in result.verdicts if v.strategy_id == "gesture")
    assert (weaker.verdict, weaker.rule_id) == ("second-best", "gesture.r1")
    assert weaker.reason == (
        "Goodwill helps. It is sound here, but not the best move: Apologise is better. "
        "You hurt them; say sorry."
    )


def all_question():
    return question(
        "all-that-apply",
        facts=EMOTIONAL_US,
        options=["apologise", "gesture", "pause", "threaten", "something-new"],
    )


@pytest.mark.parametrize(
    ("picks", "score"),
    [
        (("apologise", "gesture", "pause"), 1.0),
        (("apologise", "gesture"), 2 / 3),
        (("apologise", "gesture", "pause", "threaten"), 2 / 3),
        (("apologise", "threaten"), 0.0),
        (("threaten", "something-new"), 0.0),  # floored at zero
    ],
)
def test_all_that_apply_partial_credit_is_right_minus_wrong_over_right(picks, score):
    result = grade(book(), all_question(), Response(picks))
    assert result.score == pytest.approx(score)


def test_all_that_apply_verdicts_mark_right_mistake_and_missed():
    result = grade(book(), all_question(), Response(("apologise", "threaten")))
    assert verdicts(result) == {
        "apologise": "right",
        "gesture": "missed",
        "pause": "missed",
        "threaten": "mistake",
        "something-new": None,
    }


def commit_question(facts):
    return question(
        "commit-or-walk", facts=facts, options=["commit", "walk-win-lose", "walk-ethics"]
    )


def test_commit_or_walk_full_credit_needs_the_right_condition():
    q = commit_question({"aim": "win-lose", "ethics": "narrow"})
    assert grade(book(), q, Response(("walk", "walk-win-lose"))).score == 1.0
    half = grade(book(), q, Response(("walk", "walk-ethics")))
    assert half.score == 0.5
    assert half.summary == "Walking away was right, but for a different reason: Walk win lose."
    committed = grade(book(), q, Response(("commit",)))
    assert committed.score == 0.0
    commit_verdict = next(v for v in committed.verdicts if v.strategy_id == "commit")
    assert (commit_verdict.verdict, commit_verdict.rule_id) == ("mistake", "commit.m0")


def test_commit_or_walk_committing_is_right_when_nothing_argues_against_it():
    q = commit_question({"aim": "deal", "ethics": "narrow"})
    assert grade(book(), q, Response(("commit",))).score == 1.0
    assert grade(book(), q, Response(("walk", "walk-ethics"))).score == 0.0


def test_commit_or_walk_refuses_a_strategy_that_is_not_a_reason():
    q = commit_question({"aim": "deal"})
    with pytest.raises(ResponseError):
        grade(book(), q, Response(("walk", "commit")))
    with pytest.raises(ResponseError):
        grade(book(), q, Response(("commit", "walk-ethics")))


@pytest.mark.parametrize(
    ("order", "score"),
    [
        (("assess", "say-sorry", "swap-people"), 1.0),
        (("say-sorry", "assess", "swap-people"), 2 / 3),
        (("swap-people", "say-sorry", "assess"), 0.0),
    ],
)
def test_order_gives_credit_per_pair_in_the_right_order(order, score):
    q = question(
        "order", facts={"walkout": "fresh"}, options=["swap-people", "assess", "say-sorry"]
    )
    result = grade(book(), q, Response(order))
    assert result.score == pytest.approx(score)
    assert all(v.rule_id == "sequence:walkout" for v in result.verdicts)


def test_order_feedback_names_the_last_resort():
    q = question(
        "order", facts={"walkout": "fresh"}, options=["swap-people", "assess", "say-sorry"]
    )
    result = grade(book(), q, Response(("swap-people", "assess", "say-sorry")))
    last = next(v for v in result.verdicts if v.strategy_id == "swap-people")
    assert last.verdict == "mistake"
    assert "Step 3 of 3" in last.reason and "last resort" in last.reason


def test_order_refuses_missing_or_repeated_steps():
    q = question("order", options=["swap-people", "assess", "say-sorry"])
    with pytest.raises(ResponseError, match="every step exactly once"):
        grade(book(), q, Response(("assess", "assess", "say-sorry")))


def branching_question():
    return question(
        "branching",
        facts={"driver": "emotions"},
        steps=[
            step(
                "start",
                {"walkout": "fresh"},
                option("assess", next_step="calm"),
                option("swap-people", "Too soon here.", next_step="worse"),
            ),
            step("calm", {"walkout": "apologised"}, option("swap-people"), option("threaten")),
            step("worse", {"walkout": "fresh"}, option("say-sorry"), option("threaten")),
        ],
    )


def test_branching_is_graded_on_the_path_taken():
    q = branching_question()
    assert grade(book(), q, Response(("assess", "swap-people"))).score == 1.0
    detour = grade(book(), q, Response(("swap-people", "say-sorry")))
    assert detour.score == 0.5
    first = [v for v in detour.verdicts if v.step_id == "start"]
    assert {v.strategy_id: v.verdict for v in first} == {
        "assess": "missed",
        "swap-people": "mistake",
    }
    assert next(v for v in first if v.strategy_id == "swap-people").note == "Too soon here."


def test_branching_refuses_a_path_that_stops_early_or_goes_off_the_map():
    q = branching_question()
    with pytest.raises(ResponseError, match="finish the scenario"):
        grade(book(), q, Response(("assess",)))
    with pytest.raises(ResponseError, match="not an option at step 2"):
        grade(book(), q, Response(("assess", "say-sorry")))


def test_best_refuses_unknown_options():
    q = question(facts=EMOTIONAL_US, options=["apologise", "threaten"])
    with pytest.raises(ResponseError, match="'ghost' is not an option"):
        grade(book(), q, Response(("ghost",)))


def test_quiz_score_is_the_mean_and_pass_mark_decides():
    questions = [
        question(facts=EMOTIONAL_US, options=["apologise", "threaten"], qid="a"),
        question(facts=EMOTIONAL_US, options=["apologise", "threaten"], qid="b"),
    ]
    responses = {"a": Response(("apologise",)), "b": Response(("threaten",))}
    result = grade_quiz(book(), questions, responses, pass_mark=0.5)
    assert result.score == 0.5 and result.passed
    assert not grade_quiz(book(), questions, responses, pass_mark=0.8).passed


def test_quiz_errors_name_the_question_number():
    questions = [question(facts=EMOTIONAL_US, options=["apologise", "threaten"], qid="a")]
    with pytest.raises(ResponseError, match="^Question 1: 'x' is not an option"):
        grade_quiz(book(), questions, {"a": Response(("x",))}, 0.8)


def test_grading_imports_neither_flask_nor_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import sys, parley.grading, parley.grading.quiz, parley.grading.explain; "
        "bad = [m for m in ('flask', 'sqlalchemy') if m in sys.modules]; "
        "sys.exit(','.join(bad) or None)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_review_shows_each_branching_step_in_its_own_words():
    snapshot = {
        "kind": "branching",
        "steps": [
            {
                "id": "one",
                "options": [{"id": "apologise", "label": "Say sorry to Ana", "next": "two"}],
            },
            {
                "id": "two",
                "options": [{"id": "apologise", "label": "Say sorry to Ben", "next": None}],
            },
        ],
    }
    assert (
        kind_of("branching").answer_text(snapshot, ["apologise", "apologise"])
        == "Say sorry to Ana → Say sorry to Ben"
    )

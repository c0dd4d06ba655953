import pytest

from parley.grading import DerivationError, derive
from tests.factories import book, option, question, step


def test_best_is_the_highest_weighted_recommended_option():
    q = question(
        facts={"driver": "emotions", "caused_by": "them"},
        options=["apologise", "gesture", "threaten"],
    )
    assert derive(book(), q).answer == ("gesture",)


def test_two_equally_best_options_are_an_error_naming_both():
    q = question(
        facts={"driver": "emotions", "caused_by": "us"}, options=["apologise", "pause", "threaten"]
    )
    with pytest.raises(
        DerivationError, match="two equally best answers: apologise and pause \\(both weight 3\\)"
    ):
        derive(book(), q)


def test_no_recommended_option_is_an_error():
    q = question(facts={"driver": "issues"}, options=["apologise", "threaten"])
    with pytest.raises(DerivationError, match="derives no answer"):
        derive(book(), q)


def test_all_that_apply_key_is_every_recommended_option():
    q = question(
        "all-that-apply",
        facts={"driver": "emotions", "caused_by": "us"},
        options=["apologise", "gesture", "threaten", "something-new"],
    )
    assert derive(book(), q).answer == ("apologise", "gesture")


def test_commit_or_walk_walks_for_the_condition_that_holds():
    q = question(
        "commit-or-walk",
        facts={"aim": "win-lose", "ethics": "narrow"},
        options=["commit", "walk-win-lose", "walk-ethics"],
    )
    assert derive(book(), q).answer == ("walk", "walk-win-lose")


def test_commit_or_walk_commits_when_no_condition_holds():
    q = question(
        "commit-or-walk",
        facts={"aim": "deal", "ethics": "narrow"},
        options=["commit", "walk-win-lose", "walk-ethics"],
    )
    assert derive(book(), q).answer == ("commit",)


def test_commit_or_walk_needs_one_commit_option():
    q = question("commit-or-walk", facts={"aim": "deal"}, options=["walk-win-lose", "walk-ethics"])
    with pytest.raises(DerivationError, match="exactly one option of kind commit"):
        derive(book(), q)


def test_order_follows_the_rule_book_steps():
    q = question(
        "order", facts={"walkout": "fresh"}, options=["swap-people", "assess", "say-sorry"]
    )
    assert derive(book(), q).answer == ("assess", "say-sorry", "swap-people")


def test_order_refuses_options_outside_a_sequence():
    q = question("order", options=["assess", "apologise"])
    with pytest.raises(DerivationError, match="one sequence"):
        derive(book(), q)


def branching(*steps):
    return question("branching", facts={"driver": "emotions"}, steps=steps)


def test_branching_key_is_the_best_path():
    q = branching(
        step(
            "start",
            {"walkout": "fresh"},
            option("assess", next_step="later"),
            option("swap-people", next_step="later"),
        ),
        step("later", {"walkout": "apologised"}, option("swap-people"), option("threaten")),
    )
    key = derive(book(), q)
    assert key.answer == ("assess", "swap-people")
    assert [s.best for s in key.steps] == ["assess", "swap-people"]


def test_branching_step_leading_nowhere_is_an_error():
    q = branching(
        step("start", {"walkout": "fresh"}, option("assess", next_step="ghost"), option("threaten"))
    )
    with pytest.raises(
        DerivationError, match="step 'start': option 'assess' leads to unknown step 'ghost'"
    ):
        derive(book(), q)


def test_branching_cycle_is_an_error():
    q = branching(
        step(
            "start", {"walkout": "fresh"}, option("assess", next_step="again"), option("threaten")
        ),
        step(
            "again", {"walkout": "fresh"}, option("assess", next_step="start"), option("threaten")
        ),
    )
    with pytest.raises(DerivationError, match="leads back to itself"):
        derive(book(), q)


def test_branching_unreachable_step_is_an_error():
    q = branching(
        step("start", {"walkout": "fresh"}, option("assess", next_step="two"), option("threaten")),
        step("two", {"walkout": "apologised"}, option("swap-people"), option("threaten")),
        step("orphan", {"walkout": "apologised"}, option("swap-people"), option("threaten")),
    )
    with pytest.raises(DerivationError, match="no choice leads to step"):
        derive(book(), q)


def test_branching_right_path_must_have_two_to_four_steps():
    q = branching(step("start", {"walkout": "fresh"}, option("assess"), option("threaten")))
    with pytest.raises(DerivationError, match="has 1 steps; it must have 2 to 4"):
        derive(book(), q)

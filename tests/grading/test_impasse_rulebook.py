"""The impasse course's rule book, checked against hand-worked cases from the seed article."""

import shutil

import pytest

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.grading import Option, Question, Response, derive, grade
from parley.grading.rules import evaluate


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quizzes") / "impasse"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "quizzes" / "impasse" / "rules.yaml", folder / "rules.yaml")
    library, report = load_library(PROJECT_ROOT / "courses", folder.parent)
    assert report.errors == []
    return library.quizzes("impasse").rulebook


def ask(kind, facts, *options):
    return Question("q", kind, ("o",), "s", "s", "", facts, tuple(Option(o, o) for o in options))


def answer(book, kind, facts, *options):
    return derive(book, ask(kind, facts, *options)).answer


def test_every_rule_fires_on_the_facts_it_names(book):
    for strategy in book.strategies.values():
        for rule in strategy.rules:
            facts = {}
            for condition in rule.conditions:
                values = sorted(condition.values)
                if condition.negated:
                    values = sorted(set(book.facts[condition.fact].values) - condition.values)
                facts[condition.fact] = values[0]
            assert rule.fires(facts), rule.id
            outcome = evaluate(book, facts, [strategy.id])[strategy.id]
            if rule.verdict == "mistake":
                assert outcome.status == "mistake", rule.id
            elif rule.verdict == "acceptable":
                assert rule in outcome.accepted_by, rule.id
            else:
                assert rule in outcome.recommended_by, rule.id


def test_every_rule_has_a_reason_and_every_strategy_a_lesson_section(book):
    for strategy in book.strategies.values():
        assert strategy.teaches.lesson_id and strategy.teaches.anchor
        for rule in strategy.rules:
            assert len(rule.because) > 40, rule.id


def test_the_rule_book_covers_the_eleven_strategies_three_walkout_steps_and_four_conditions(book):
    kinds = {}
    for strategy in book.strategies.values():
        kinds.setdefault(strategy.kind, set()).add(strategy.id)
    assert kinds["strategy"] | {"change-both-negotiators"} == {
        "keep-door-open",
        "face-saving-way-back",
        "apologise",
        "small-gracious-moves",
        "let-time-pass",
        "keep-issues-open",
        "add-something-new",
        "change-both-negotiators",
        "working-team",
        "neutral-third-party",
        "strengthen-batna",
    }
    assert kinds["walkout-step"] == {
        "assess-finality",
        "apologise-unequivocally",
        "change-both-negotiators",
    }
    assert kinds["no-agreement"] == {
        "walk-win-lose",
        "walk-changed-circumstances",
        "walk-never-wanted",
        "walk-ethics-gap",
    }
    assert {
        "cut-off-talks",
        "replace-own-lead",
        "demand-they-replace-lead",
        "batna-as-threat",
        "treat-as-deadlock",
    } <= kinds["mistake"]


WALKOUT = {"talks": "walked-out", "walked_out": "them"}
STEPS = ("change-both-negotiators", "assess-finality", "apologise-unequivocally")


def test_after_a_walkout_first_assess_how_final_it_is(book):
    facts = {**WALKOUT, "recovery": "nothing-yet"}
    assert answer(book, "best", facts, *STEPS) == ("assess-finality",)
    assert evaluate(book, facts, STEPS)["change-both-negotiators"].status == "mistake"


def test_then_apologise_without_conditions_whichever_side_walked(book):
    for side in ("us", "them"):
        facts = {"talks": "walked-out", "walked_out": side, "recovery": "finality-assessed"}
        assert answer(book, "best", facts, *STEPS, "qualified-apology") == (
            "apologise-unequivocally",
        )
        assert evaluate(book, facts, ["qualified-apology"])["qualified-apology"].status == "mistake"


def test_change_the_people_last_and_on_both_sides(book):
    facts = {**WALKOUT, "recovery": "apology-failed"}
    for one_side in ("replace-own-lead", "demand-they-replace-lead"):
        assert answer(book, "best", facts, *STEPS, one_side) == ("change-both-negotiators",)
        assert evaluate(book, facts, [one_side])[one_side].status == "mistake"
    assert answer(book, "order", facts, *STEPS) == STEPS[1:] + STEPS[:1]
    assert book.strategies["change-both-negotiators"].last_resort


def test_who_walked_out_tells_how_final_it_is(book):
    options = ("read-as-genuine", "read-as-ploy")
    assert answer(book, "best", {**WALKOUT, "counterpart": "collaborator"}, *options) == (
        "read-as-genuine",
    )
    assert answer(book, "best", {**WALKOUT, "counterpart": "schemer"}, *options) == (
        "read-as-ploy",
    )


def test_a_declared_end_gets_a_face_saving_way_back(book):
    facts = {"talks": "declared-over", "driver": "emotions", "caused_by": "them"}
    assert answer(
        book, "best", facts, "face-saving-way-back", "keep-door-open", "cut-off-talks"
    ) == ("face-saving-way-back",)


def test_an_unacceptable_position_means_pause_but_keep_the_door_open(book):
    facts = {"talks": "ongoing", "their_position": "unacceptable", "driver": "issues"}
    assert answer(book, "best", facts, "keep-door-open", "cut-off-talks", "stay-gracious") == (
        "keep-door-open",
    )
    assert evaluate(book, facts, ["cut-off-talks"])["cut-off-talks"].status == "mistake"


def test_an_emotional_impasse_you_caused_calls_for_an_apology(book):
    facts = {"talks": "ongoing", "driver": "emotions", "caused_by": "us"}
    assert answer(book, "best", facts, "apologise", "add-something-new", "batna-as-threat") == (
        "apologise",
    )


def test_issue_strategies_fit_issue_impasses(book):
    facts = {
        "talks": "ongoing",
        "driver": "issues",
        "issues_open": "single",
        "positions": "entrenched",
        "disputed_fact": "yes",
        "new_element": "yes",
        "batna": "strong-hidden",
        "caused_by": "unclear",
    }
    right = answer(
        book,
        "all-that-apply",
        facts,
        "keep-issues-open",
        "working-team",
        "neutral-third-party",
        "add-something-new",
        "strengthen-batna",
        "apologise",
        "batna-as-threat",
    )
    assert set(right) == {
        "keep-issues-open",
        "working-team",
        "neutral-third-party",
        "add-something-new",
        "strengthen-batna",
    }


def test_waiting_is_a_mistake_against_a_deadline(book):
    facts = {"expectations": "unrealistic", "time": "pressing"}
    assert evaluate(book, facts, ["let-time-pass"])["let-time-pass"].status == "mistake"
    facts["time"] = "available"
    assert evaluate(book, facts, ["let-time-pass"])["let-time-pass"].status == "recommended"


def test_a_batna_is_a_warning_never_a_threat(book):
    assert evaluate(book, {}, ["batna-as-threat"])["batna-as-threat"].status == "mistake"
    assert answer(
        book, "best", {"batna": "strong-hidden"}, "strengthen-batna", "batna-as-threat"
    ) == ("strengthen-batna",)


def test_impasse_is_never_to_be_treated_as_deadlock(book):
    assert evaluate(book, {}, ["treat-as-deadlock"])["treat-as-deadlock"].status == "mistake"


REASONS = (
    "commit",
    "walk-win-lose",
    "walk-changed-circumstances",
    "walk-never-wanted",
    "walk-ethics-gap",
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"other_side_aim": "win-lose"}, ("walk", "walk-win-lose")),
        ({"circumstances": "changed-genuinely"}, ("walk", "walk-changed-circumstances")),
        ({"circumstances": "bait-and-switch"}, ("walk", "walk-changed-circumstances")),
        (
            {"other_side_aim": "no-agreement", "motive": "stakeholders"},
            ("walk", "walk-never-wanted"),
        ),
        ({"ethics_gap": "wide"}, ("walk", "walk-ethics-gap")),
        (
            {"other_side_aim": "agreement", "circumstances": "unchanged", "ethics_gap": "narrow"},
            ("commit",),
        ),
    ],
)
def test_when_no_agreement_is_better(book, facts, expected):
    assert answer(book, "commit-or-walk", facts, *REASONS) == expected


def test_committing_to_a_win_lose_deal_is_graded_a_mistake_with_its_reason(book):
    question = ask("commit-or-walk", {"other_side_aim": "win-lose"}, *REASONS)
    result = grade(book, question, Response(("commit",)))
    commit = next(v for v in result.verdicts if v.strategy_id == "commit")
    assert (commit.verdict, commit.rule_id) == ("mistake", "commit.win-lose")
    assert (commit.teaches.lesson_id, commit.teaches.anchor) == (
        "motives-and-ethics",
        "commit-or-walk",
    )


def test_late_impasse_often_means_hidden_interests(book):
    facts = {"stage": "conclude", "interests": "partly-surfaced", "talks": "ongoing"}
    assert answer(
        book, "best", facts, "surface-interests", "stay-gracious", "treat-as-deadlock"
    ) == ("surface-interests",)

"""The author's tools when something is wrong: `content explain` on a question whose key does
not derive, suggestions for mistyped ids, rule-book errors reported once at rules.yaml, YAML
errors that say where the unclosed construct started, and one bad question that no longer
hides the rest of its file."""

import pytest

from parley.config import PROJECT_ROOT
from parley.content import load_library
from tests.factories import QuizFolder, write_lesson

WALKOUTS = "error: quizzes/impasse/walkouts.yaml"
RULES = "error: quizzes/impasse/rules.yaml"


@pytest.fixture
def quizzes(tmp_path):
    """The real rule book and the test quiz (tests/data/test_quiz.yaml) as walkouts.yaml."""
    return QuizFolder(tmp_path / "quizzes")


def strategy(data, strategy_id):
    return next(s for s in data["strategies"] if s["id"] == strategy_id)


def output_lines(result):
    return result.output.splitlines()


# --- 1. explain a question whose key does not derive --------------------------------------


def test_explain_shows_every_rule_and_why_no_option_is_recommended(quizzes):
    quizzes.edit_question("demo-best", lambda q: q.update(facts={"driver": "issues"}, expect=None))
    result = quizzes.explain("demo-best")
    assert result.exit_code == 0, result.output
    lines = output_lines(result)
    assert lines[:2] == [
        "problems:",
        f"  {WALKOUTS}: question 'demo-best': the rule book derives no answer: no option is "
        "recommended when driver=issues",
    ]
    assert (
        "  driver = issues: a substantive gap on terms, not feelings, is what holds the talks up"
        in lines
    )
    start = lines.index("  apologise: neutral (no rule fired)")
    assert lines[start : start + 4] == [
        "  apologise: neutral (no rule fired)",
        "    did not fire apologise.we-caused-it (recommended), weight 3",
        "      did not hold: driver is both or emotions (here issues)",
        "      did not hold: caused_by is both or us (the question does not state it)",
    ]
    why = lines.index("why:")
    assert lines[why - 1 :] == [
        "no answer can be derived: the rule book derives no answer: no option is recommended "
        "when driver=issues",
        "why:",
        "  no option is recommended: no recommended rule fired for any of them",
        "    apologise: apologise.we-caused-it would fire if driver is both or emotions and "
        "caused_by is both or us",
        "    batna-as-threat: has no recommended rule",
        "    small-gracious-moves: small-gracious-moves.until-talks-resume would fire if driver is "
        "both or emotions and talks is declared-over",
    ]


def test_explain_names_the_options_that_tie_and_their_weight(quizzes):
    def tie(q):
        q["facts"]["positions"] = "entrenched"
        q["options"].append("working-team")
        q["expect"] = None

    quizzes.edit_question("demo-best", tie)
    result = quizzes.explain("demo-best")
    assert result.exit_code == 0, result.output
    assert output_lines(result)[-3:] == [
        "no answer can be derived: two equally best answers: apologise and working-team "
        "(both weight 3)",
        "why:",
        "  apologise and working-team tie at weight 3 (by apologise.we-caused-it, "
        "working-team.entrenched)",
    ]


def test_explain_says_at_which_branching_step_nothing_is_recommended(quizzes):
    def stuck(q):
        q["steps"][1]["facts"] = {"recovery": "nothing-yet"}
        q["expect"] = None

    quizzes.edit_question("demo-branch", stuck)
    lines = output_lines(quizzes.explain("demo-branch"))
    assert lines[-3:] == [
        "  at step assessed: no option is recommended: no recommended rule fired for any of them",
        "    apologise-unequivocally: apologise-unequivocally.after-assessment would fire if "
        "recovery is finality-assessed (it is only acceptable, second-best, here)",
        "    qualified-apology: has no recommended rule",
    ]


def test_explain_shows_acceptable_rules_as_second_best(quizzes):
    acceptable = {
        "id": "small-gracious-moves.after-our-hurt",
        "when": {"driver": "emotions", "caused_by": "us"},
        "because": "A small gesture helps, but an apology comes first.",
    }

    def second_best(data):
        # Only the first recommended rule is kept, so that none fires on demo-best's facts.
        gestures = strategy(data, "small-gracious-moves")
        gestures.update(recommended=gestures["recommended"][:1], acceptable=[acceptable])

    quizzes.edit("rules.yaml", second_best)
    lines = output_lines(quizzes.explain("demo-best"))
    start = lines.index("  small-gracious-moves: acceptable (second-best)")
    assert lines[start + 5 : start + 8] == [
        "    fired small-gracious-moves.after-our-hurt (acceptable): A small gesture helps, but "
        "an apology comes first.",
        "      held: driver is emotions (here emotions)",
        "      held: caused_by is us (here us)",
    ]
    assert lines[-1] == "derived answer: apologise"


# --- 2. a mistyped id names the closest one ----------------------------------------------


def set_step_option(q):
    q["steps"][1]["options"][1] = "qualified-apologies"


@pytest.mark.parametrize(
    ("question_id", "change", "message"),
    [
        (
            "demo-all",
            lambda q: q["options"].append("keep-issue-open"),
            f"{WALKOUTS}: question 'demo-all': unknown strategy 'keep-issue-open' "
            "(did you mean 'keep-issues-open'?)",
        ),
        (
            "demo-branch",
            set_step_option,
            f"{WALKOUTS}: question 'demo-branch' step 'assessed': unknown strategy "
            "'qualified-apologies' (did you mean 'qualified-apology'?)",
        ),
        (
            "demo-best",
            lambda q: q["facts"].update(caused_bi="us"),
            f"{WALKOUTS}: question 'demo-best': unknown fact 'caused_bi' "
            "(did you mean 'caused_by'?)",
        ),
        (
            "demo-best",
            lambda q: q["objectives"].append("emotion-or-issues"),
            f"{WALKOUTS}: question 'demo-best': objective 'emotion-or-issues' is not taught by "
            "any lesson of the course (did you mean 'emotions-or-issues'?)",
        ),
    ],
)
def test_an_unknown_id_in_a_question_suggests_the_closest(quizzes, question_id, change, message):
    quizzes.edit_question(question_id, change)
    assert quizzes.errors() == [message]


def test_an_unknown_module_suggests_the_closest(quizzes):
    quizzes.edit("walkouts.yaml", lambda d: d.update(module="walkout"))
    assert quizzes.errors() == [
        f"{WALKOUTS}: unknown module 'walkout' (not in course 'impasse') (did you mean 'walkouts'?)"
    ]


def test_explain_suggests_the_closest_question_id(quizzes):
    result = quizzes.explain("demo-bset")
    assert result.exit_code == 1
    assert "Error: no loaded question has id 'demo-bset' (did you mean 'demo-best'?)" in (
        result.output.splitlines()
    )


# --- 3. a broken rule book is reported at rules.yaml, once -------------------------------


def break_rule_book(d):
    rule = strategy(d, "apologise")["recommended"][0]
    rule["when"] = {"driver": ["emotions", "both"], "caused_bi": ["us", "both"]}
    strategy(d, "change-both-negotiators")["sequence"] = "walkoutt"
    strategy(d, "keep-issues-open")["teaches"]["lesson"] = "reshaping-the-talk"


def test_a_broken_rule_book_is_reported_at_rules_yaml_without_a_cascade(quizzes):
    quizzes.edit("rules.yaml", break_rule_book)
    quizzes.edit_question("demo-all", lambda q: q["objectives"].append("juggling"))
    assert quizzes.errors() == [
        f"{RULES}: rule 'apologise.we-caused-it': unknown fact 'caused_bi' "
        "(did you mean 'caused_by'?)",
        f"{RULES}: strategy 'keep-issues-open': teaches lesson 'reshaping-the-talk', which does "
        "not exist (did you mean 'reshaping-the-talks'?)",
        f"{RULES}: strategy 'change-both-negotiators': unknown sequence 'walkoutt' "
        "(did you mean 'walkout'?)",
        # the quizzes are still checked: a question's own mistake is found too
        f"{WALKOUTS}: question 'demo-all': objective 'juggling' is not taught by any lesson "
        "of the course",
    ]


def test_explain_works_while_the_rule_book_is_broken(quizzes):
    quizzes.edit("rules.yaml", break_rule_book)
    result = quizzes.explain("demo-order")
    assert result.exit_code == 0, result.output
    lines = output_lines(result)
    assert lines[:5] == [
        "problems:",
        f"  {RULES}: rule 'apologise.we-caused-it': unknown fact 'caused_bi' "
        "(did you mean 'caused_by'?)",
        f"  {RULES}: strategy 'keep-issues-open': teaches lesson 'reshaping-the-talk', which "
        "does not exist (did you mean 'reshaping-the-talks'?)",
        f"  {RULES}: strategy 'change-both-negotiators': unknown sequence 'walkoutt' "
        "(did you mean 'walkout'?)",
        "  not derived: change-both-negotiators has errors in rules.yaml",
    ]
    assert (
        "  change-both-negotiators: neutral (no rule fired), step 3 of sequence walkoutt "
        "(not in the rule book)" in lines
    )
    assert lines[-1] == (
        "no answer can be derived: every option of an order question must be a step of one sequence"
    )


# --- 4. a YAML error says where the unclosed construct started ---------------------------


def test_a_yaml_error_names_where_the_unclosed_mapping_started(quizzes):
    quizzes.write(
        "walkouts.yaml",
        "title: Test quiz\n"
        "questions:\n"
        "  - id: demo-best\n"
        "    facts: {driver: emotions, caused_by: us\n"
        "    kind: best\n",
    )
    [error] = quizzes.errors()
    assert error.startswith(f"{WALKOUTS}: bad YAML at line 5, column 9: ")
    assert error.endswith(" (in the {...} mapping that starts at line 4, column 12)")


def test_a_yaml_error_in_front_matter_counts_the_lines_of_the_file(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("01-*.md"))
    write_lesson(path, "id: first-lesson\ntitle: [unclosed\n")
    _, report = load_library(root)
    [error] = [str(p) for p in report.errors]
    assert error.startswith("error: courses/demo/basics/01-first-lesson.md: bad YAML at line 4, ")
    assert error.endswith(" (in the [...] list that starts at line 3, column 8)")


# --- 5. one bad question does not hide its file ------------------------------------------


def test_a_question_with_an_unknown_option_hides_neither_itself_nor_its_neighbours(quizzes):
    quizzes.edit_question("demo-best", lambda q: q["options"].append("bribe"))
    neighbour = quizzes.explain("demo-all")
    assert neighbour.exit_code == 0, neighbour.output
    assert output_lines(neighbour)[-1] == "derived answer: keep-issues-open, add-something-new"
    bad = output_lines(quizzes.explain("demo-best"))
    assert bad[:2] == [
        "problems:",
        f"  {WALKOUTS}: question 'demo-best': unknown strategy 'bribe'",
    ]
    assert "  apologise: recommended (weight 3)" in bad
    assert bad[-1] == "derived answer: apologise"


def test_an_invalid_question_is_reported_alone_and_explained_as_far_as_it_can_be(quizzes):
    def invalid(q):
        del q["scenario"]
        q["hint"] = "Think about who started it."

    quizzes.edit_question("demo-best", invalid)
    quizzes.edit_question("demo-all", lambda q: q["objectives"].append("juggling"))
    assert quizzes.errors() == [
        f"{WALKOUTS}: question 'demo-best': scenario is required; hint is not a known field",
        f"{WALKOUTS}: question 'demo-all': objective 'juggling' is not taught by any lesson "
        "of the course",
    ]
    bad = output_lines(quizzes.explain("demo-best"))
    assert bad[:3] == [
        "problems:",
        f"  {WALKOUTS}: question 'demo-best': scenario is required; hint is not a known field",
        "  the parts that are not valid are left out of what is shown here",
    ]
    assert bad[-1] == "derived answer: apologise"
    assert output_lines(quizzes.explain("demo-commit"))[-1] == (
        "derived answer: walk away because walk-changed-circumstances"
    )


def test_every_shipped_question_is_loaded_and_has_a_draft():
    library, report = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    assert report.errors == []
    loaded = {q.id for found in library.quizzes_by_course.values() for q in found.questions}
    assert set(library.drafts) == loaded

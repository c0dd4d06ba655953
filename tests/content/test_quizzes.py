"""Quiz and rule-book content errors, each with the message an author gets."""

import re

import pytest
import yaml
from click.testing import CliRunner

from parley.cli import check_command, explain_command
from parley.config import PROJECT_ROOT
from parley.content import load_library
from tests.factories import write_quizzes


@pytest.fixture
def quizzes(tmp_path):
    """A quizzes folder with the real rule book and the test quiz; returns a writer."""
    written = write_quizzes(tmp_path / "quizzes")
    folder = written / "impasse"

    class Writer:
        root = written

        def quiz(self, edit):
            data = yaml.safe_load((folder / "walkouts.yaml").read_text())
            edit(data)
            (folder / "walkouts.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

        def rules(self, edit):
            data = yaml.safe_load((folder / "rules.yaml").read_text())
            edit(data)
            (folder / "rules.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

        def errors(self):
            _, report = load_library(PROJECT_ROOT / "courses", self.root)
            return [str(p) for p in report.errors]

    return Writer()


def question(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


def test_the_test_quiz_loads_cleanly(quizzes):
    assert quizzes.errors() == []


def test_a_typo_in_a_fact_value_names_the_allowed_values(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best")["facts"].update(driver="emotion"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': 'emotion' is not a value "
        "of fact 'driver' (allowed: emotions, issues, both)"
    ]


def test_an_unknown_fact_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best")["facts"].update(mood="grumpy"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': unknown fact 'mood'"
    ]


def test_an_unknown_strategy_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-all")["options"].append("bribe"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-all': unknown strategy 'bribe'"
    ]


def test_an_objective_used_by_a_question_but_never_taught_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best")["objectives"].append("juggling"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': objective 'juggling' is "
        "not taught by any lesson of the course"
    ]


def test_a_branching_step_that_leads_nowhere_is_reported(quizzes):
    def edit(d):
        question(d, "demo-branch")["steps"][0]["options"][0]["next"] = "nowhere"

    quizzes.quiz(edit)
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-branch': step 'start': option "
        "'assess-finality' leads to unknown step 'nowhere'"
    ]


def test_a_strategy_with_no_lesson_section_is_reported(quizzes):
    def edit(d):
        d["strategies"][0]["teaches"]["section"] = "no-such-heading"

    quizzes.rules(edit)
    errors = quizzes.errors()
    assert errors[0].startswith(
        "error: quizzes/impasse/rules.yaml: strategy 'surface-interests': lesson "
        "'impasse-defined' has no section with anchor 'no-such-heading' (it has: "
    )


def test_a_rule_on_an_unknown_value_is_reported(quizzes):
    def edit(d):
        d["strategies"][0]["recommended"][0]["when"] = {"interests": "hidden"}

    quizzes.rules(edit)
    assert quizzes.errors() == [
        "error: quizzes/impasse/rules.yaml: rule 'surface-interests.hidden': 'hidden' is not a "
        "value of fact 'interests' (allowed: surfaced, partly-surfaced)"
    ]


def test_a_scenario_with_no_derivable_answer_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best").update(facts={"driver": "issues"}, expect=None))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': the rule book derives no "
        "answer: no option is recommended when driver=issues"
    ]


def test_two_equally_best_answers_are_reported(quizzes):
    def edit(d):
        q = question(d, "demo-best")
        q["facts"]["positions"] = "entrenched"
        q["options"].append("working-team")
        q["expect"] = None

    quizzes.quiz(edit)
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': two equally best answers: "
        "apologise and working-team (both weight 3)"
    ]


def test_an_expect_that_disagrees_names_both_answers(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best").update(expect="small-gracious-moves"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': expect says "
        "small-gracious-moves, but the rule book derives apologise"
    ]


def test_a_declared_fact_that_no_rule_reads_is_a_warning(quizzes):
    def edit(d):
        d["facts"]["weather"] = {
            "meaning": "What the weather is doing.",
            "values": {"rain": "it is raining", "sun": "the sun is out"},
        }

    quizzes.rules(edit)
    _, report = load_library(PROJECT_ROOT / "courses", quizzes.root)
    assert report.errors == []
    assert [str(w) for w in report.warnings if "rules.yaml" in str(w)] == [
        "warning: quizzes/impasse/rules.yaml: fact 'weather' is declared but no rule reads it, "
        "so stating it changes no answer (give it a rule, or remove it)"
    ]


def test_a_question_id_used_twice_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-all").update(id="demo-best"))
    assert "question id 'demo-best' is also used in" in quizzes.errors()[0]


def test_a_quiz_for_an_unknown_module_is_reported(quizzes):
    quizzes.quiz(lambda d: d.update(module="juggling"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: unknown module 'juggling' (not in course 'impasse')"
    ]


def test_an_unknown_kind_is_reported(quizzes):
    quizzes.quiz(lambda d: question(d, "demo-best").update(kind="essay"))
    assert quizzes.errors() == [
        "error: quizzes/impasse/walkouts.yaml: question 'demo-best': unknown kind 'essay' (one of "
        "best, all-that-apply, commit-or-walk, order, branching, diagnose)"
    ]


def test_content_check_prints_coverage_and_counts_questions_and_strategies(quizzes):
    result = CliRunner().invoke(
        check_command, ["--courses", str(PROJECT_ROOT / "courses"), "--quizzes", str(quizzes.root)]
    )
    lines = result.output.splitlines()
    assert any(
        line.startswith("warning: quizzes/impasse: objective 'impasse-obstacle'") for line in lines
    )
    assert "coverage of course 'impasse':" in lines
    row = next(line for line in lines if line.strip().startswith("walkout-sequence"))
    assert row.split()[1:] == ["1", "demo-order"]
    # The five-question test quiz offers mostly moves that are never right, so a learner who
    # strikes those out passes it: content check prints the table and fails.
    table = lines.index(
        "guessability of quiz 'impasse/walkouts' (pass mark 80%, a blind learner must stay "
        "under 60%):"
    )
    assert [line.split()[0] for line in lines[table + 2 : table + 6]] == [
        "first",
        "last",
        "longest",
        "eliminator",
    ]
    assert any(
        re.fullmatch(
            r"error: quizzes/impasse/walkouts.yaml: quiz 'walkouts' can be passed without "
            r"reading: the eliminator learner scores \d+% on average, at or above 60% \(the "
            r"pass mark minus 20%\)",
            line,
        )
        for line in lines
    )
    assert result.exit_code == 1
    summary = lines[-1]
    assert re.fullmatch(
        r"\d+ courses, \d+ modules, \d+ lessons, \d+ objectives, 1 quizzes, 5 questions, "
        r"33 strategies, 1 errors, \d+ warnings",
        summary,
    )


def test_content_explain_shows_facts_fired_rules_and_the_answer(quizzes):
    result = CliRunner().invoke(
        explain_command,
        ["demo-best", "--courses", str(PROJECT_ROOT / "courses"), "--quizzes", str(quizzes.root)],
    )
    assert result.exit_code == 0, result.output
    assert "driver = emotions: feelings such as hurt pride" in result.output
    assert "fired apologise.we-caused-it (recommended)" in result.output
    assert "fired batna-as-threat.always (mistake)" in result.output
    assert result.output.strip().endswith("derived answer: apologise")


def test_content_explain_names_an_unknown_question(quizzes):
    result = CliRunner().invoke(
        explain_command,
        ["nope", "--courses", str(PROJECT_ROOT / "courses"), "--quizzes", str(quizzes.root)],
    )
    assert result.exit_code == 1
    assert "no loaded question has id 'nope'" in result.output


def test_scenario_links_to_lessons_become_lesson_urls_of_the_course(quizzes):
    quizzes.quiz(
        lambda d: question(d, "demo-best").update(
            scenario="See [the lesson](impasse-defined.md#obstacles)."
        )
    )
    library, report = load_library(PROJECT_ROOT / "courses", quizzes.root)
    assert report.errors == []
    quiz = library.quiz("impasse", "walkouts")
    html = next(q for q in quiz.questions if q.id == "demo-best").scenario_html
    assert (
        '<a href="/courses/impasse/lessons/impasse-defined#obstacles" rel="noopener noreferrer">'
        "the lesson</a>" in html
    )

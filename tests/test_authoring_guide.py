"""docs/authoring.md cannot drift from the code: its files load, its messages are real."""

import re
from pathlib import Path

import pytest
import yaml

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.content.guessability import guessability, guessability_table, never_right
from parley.grading import KINDS

GUIDE = PROJECT_ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"```(?:yaml|markdown)\n# file: (\S+)\n(.*?)```", re.S)


def write_guide_files(root: Path) -> dict[str, Path]:
    written = {}
    for path, text in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[path] = target
    return written


@pytest.fixture
def guide(tmp_path):
    files = write_guide_files(tmp_path)

    def load():
        return load_library(tmp_path / "courses", tmp_path / "quizzes")

    return files, load


def test_every_file_in_the_guide_loads_without_a_problem(guide):
    files, load = guide
    assert len(files) == 4
    library, report = load()
    assert [str(p) for p in report.problems] == []
    questions = library.quizzes("meetings").questions
    assert {q.kind for q in questions} == set(KINDS)
    assert all(q.expect for q in questions)  # and content check verified each one


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def question(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


def break_value(d):
    question(d, "meet-budget-missing")["facts"]["information"] = "missin"


def break_objective(d):
    question(d, "meet-all-hands")["objectives"].append("juggling")


def break_branch(d):
    question(d, "meet-branch-offsite")["steps"][0]["options"][0]["next"] = "nowhere"


def break_tie(d):
    q = question(d, "meet-budget-missing")
    q.update(
        facts={"information": "complete", "owner": "none"},
        expect=None,
        options=[{"strategy": "decide-now"}, {"strategy": "name-an-owner"}],
    )


def break_expect(d):
    question(d, "meet-budget-missing")["expect"] = "decide-now"


def break_section(d):
    d["strategies"][0]["teaches"]["section"] = "missing"


MISTAKES = [break_value, break_objective, break_branch, break_section, break_tie, break_expect]


def test_each_message_the_guide_shows_is_the_one_an_author_gets(guide):
    files, load = guide
    shown = re.findall(r"^- `(.+)`$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert len(shown) == len(MISTAKES)
    for mistake, message in zip(MISTAKES, shown, strict=True):
        files_now = write_guide_files(files["quizzes/meetings/rules.yaml"].parents[2])
        target = files_now[
            "quizzes/meetings/rules.yaml"
            if mistake is break_section
            else "quizzes/meetings/deciding.yaml"
        ]
        edit_yaml(target, mistake)
        _, report = load()
        assert message in [p.message for p in report.errors], (mistake.__name__, report.errors)


def test_the_guessability_table_in_the_guide_is_what_content_check_prints(guide):
    _, load = guide
    library, _ = load()
    course = library.course("meetings")
    found = guessability(course, library.quizzes_by_course["meetings"])
    printed = GUIDE.read_text(encoding="utf-8").split("```text\n", 1)[1].split("```", 1)[0]
    assert printed.splitlines() == guessability_table(found)
    assert len(never_right(course, library.quizzes_by_course["meetings"])) == 5

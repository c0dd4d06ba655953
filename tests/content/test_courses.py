from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import check_command
from parley.config import PROJECT_ROOT
from parley.content import ContentInvalid, load_library
from tests.factories import lesson_front, write_lesson


def messages(report) -> list[str]:
    return [str(problem) for problem in report.errors]


def test_shipped_course_loads_without_problems():
    library, report = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    assert report.problems == []
    course = library.course("impasse")
    assert course.title == "Negotiation: Overcoming Impasse"
    assert [m.id for m in course.modules][0] == "what-is-impasse"
    first = course.module("what-is-impasse")
    assert len(first.lessons) >= 2
    assert all(2 <= len(lesson.objectives) <= 4 for lesson in course.lessons)


def test_lessons_are_rendered_once_with_anchors_toc_tables_and_admonitions(make_course):
    root = make_course()
    lesson_path = next((root / "demo" / "basics").glob("01-*.md"))
    body = (
        "## Section one {#one}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '!!! note "Key takeaways"\n    - remember\n\n```\ncode\n```\n'
    )
    write_lesson(lesson_path, lesson_front("first-lesson"), body)
    library, report = load_library(root)
    lesson = library.course("demo").lessons_by_id["first-lesson"]
    assert '<h2 id="one">Section one</h2>' in lesson.html
    assert "<table>" in lesson.html
    assert 'class="admonition note"' in lesson.html
    assert "<pre><code>code" in lesson.html
    assert [entry.anchor for entry in lesson.toc] == ["one"]


def test_lesson_html_cannot_carry_script(make_course):
    root = make_course()
    lesson_path = next((root / "demo" / "basics").glob("01-*.md"))
    body = '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="alert(1)">\n'
    write_lesson(lesson_path, lesson_front("first-lesson"), body)
    library, _ = load_library(root)
    html = library.course("demo").lessons_by_id["first-lesson"].html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_module_order_comes_from_course_yaml_and_lesson_order_from_file_names(make_course):
    root = make_course(modules={"zeta": ["z-one"], "alpha": ["a-two", "a-one"]})
    course = load_library(root)[0].course("demo")
    assert [m.id for m in course.modules] == ["zeta", "alpha"]
    assert [lesson.id for lesson in course.module("alpha").lessons] == ["a-two", "a-one"]


def test_bad_yaml_names_the_file_and_line(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("01-*.md"))
    write_lesson(path, "id: first-lesson\ntitle: [unclosed\n")
    _, report = load_library(root)
    assert len(report.errors) == 1
    assert "demo/basics/01-first-lesson.md: bad YAML at line" in messages(report)[0]


def test_missing_id_is_reported(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("02-*.md"))
    front = lesson_front("second-lesson")
    del front["id"]
    write_lesson(path, front)
    _, report = load_library(root)
    assert messages(report) == [
        "error: courses/demo/basics/02-second-lesson.md: front matter: id is required"
    ]


def test_missing_front_matter_is_reported(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("02-*.md"))
    path.write_text("# Just Markdown\n")
    _, report = load_library(root)
    assert "02-second-lesson.md: has no front matter" in messages(report)[0]


def test_duplicate_lesson_id_names_both_files(make_course):
    root = make_course(modules={"basics": ["same-id", "same-id"]})
    _, report = load_library(root)
    assert messages(report) == [
        "error: courses/demo/basics/02-same-id.md: duplicate lesson id 'same-id' "
        "(also in courses/demo/basics/01-same-id.md)"
    ]


def test_duplicate_objective_id_is_reported(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("02-*.md"))
    write_lesson(path, lesson_front("second-lesson", "first-lesson-o"))
    _, report = load_library(root)
    assert "duplicate objective id 'first-lesson-o'" in messages(report)[0]


def test_unknown_module_folder_is_reported(make_course):
    root = make_course()
    write_lesson(root / "demo" / "extras" / "01-x.md", lesson_front("x"))
    _, report = load_library(root)
    assert messages(report) == [
        "error: courses/demo/extras: unknown module 'extras': the folder is not listed "
        "under modules in courses/demo/course.yaml"
    ]


def test_listed_module_without_folder_is_reported(make_course):
    root = make_course()
    spec = root / "demo" / "course.yaml"
    spec.write_text(spec.read_text() + "- id: ghost\n  title: Ghost\n")
    _, report = load_library(root)
    assert "module 'ghost' has no folder ghost/" in messages(report)[0]


def test_link_to_unknown_lesson_or_anchor_is_reported(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("01-*.md"))
    body = "[a](second-lesson.md#nowhere) and [b](missing.md)\n"
    write_lesson(path, lesson_front("first-lesson"), body)
    _, report = load_library(root)
    assert messages(report) == [
        "error: courses/demo/basics/01-first-lesson.md: links to 'second-lesson.md#nowhere', "
        "but that lesson has no heading with anchor 'nowhere'",
        "error: courses/demo/basics/01-first-lesson.md: links to unknown lesson 'missing.md'",
    ]


def test_lesson_links_become_lesson_urls(make_course):
    root = make_course()
    path = next((root / "demo" / "basics").glob("01-*.md"))
    write_lesson(path, lesson_front("first-lesson"), "[next](second-lesson.md#first)\n")
    library, report = load_library(root)
    html = library.course("demo").lessons_by_id["first-lesson"].html
    assert 'href="/courses/demo/lessons/second-lesson#first"' in html


def test_app_start_up_stops_with_the_report(make_course, app_config, tmp_path):
    from parley import create_app

    root = make_course(modules={"basics": ["same-id", "same-id"]})
    app_config.update(COURSES_DIR=str(root), QUIZZES_DIR=str(tmp_path / "no-quizzes"))
    with pytest.raises(ContentInvalid) as caught:
        create_app(app_config)
    assert "duplicate lesson id 'same-id'" in str(caught.value)


def test_entry_point_exits_with_a_message_not_a_traceback(make_course, monkeypatch, tmp_path):
    import app as entry

    root = make_course(modules={"basics": ["same-id", "same-id"]})
    monkeypatch.setenv("PARLEY_COURSES_DIR", str(root))
    monkeypatch.setenv("PARLEY_QUIZZES_DIR", str(tmp_path / "no-quizzes"))
    monkeypatch.setenv("PARLEY_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(SystemExit) as caught:
        entry.create_app()
    assert str(caught.value).startswith("Parley cannot start.\ncontent has 1 error(s):")


def run_check(courses: Path, quizzes: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        check_command, ["--courses", str(courses), "--quizzes", str(quizzes)]
    )
    return result.exit_code, result.output


def test_content_check_reports_and_exits_1_on_error(make_course, tmp_path):
    root = make_course(modules={"basics": ["same-id", "same-id"]})
    code, output = run_check(root, tmp_path / "quizzes")
    assert code == 1
    lines = output.strip().splitlines()
    assert "duplicate lesson id 'same-id'" in lines[0]
    assert lines[-1].startswith("1 courses, 1 modules, 1 lessons, 1 objectives, ")
    assert lines[-1].endswith(", 1 errors, 0 warnings")


def test_content_check_passes_on_the_shipped_content():
    code, output = run_check(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    assert code == 0, output
    assert output.strip().splitlines()[-1].endswith(", 0 errors, 0 warnings")


def test_problems_are_reported_module_by_module_in_course_order(make_course):
    import shutil

    root = make_course(modules={"alpha": ["a-one"], "beta": ["b-one"]})
    (root / "demo" / "alpha" / "01-a-one.md").write_text("no front matter\n", encoding="utf-8")
    shutil.rmtree(root / "demo" / "beta")
    assert messages(load_library(root)[1]) == [
        "error: courses/demo/alpha/01-a-one.md: has no front matter (the file must start "
        "with a line '---')",
        "error: courses/demo/course.yaml: module 'beta' has no folder beta/",
    ]


def test_a_module_listed_twice_is_reported_and_built_once(make_course):
    import yaml

    root = make_course(modules={"basics": ["first-lesson"]})
    spec_path = root / "demo" / "course.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["modules"].append(dict(spec["modules"][0]))
    spec_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    library, report = load_library(root)
    assert messages(report) == ["error: courses/demo/course.yaml: module 'basics' is listed twice"]
    assert [m.id for m in library.course("demo").modules] == ["basics"]

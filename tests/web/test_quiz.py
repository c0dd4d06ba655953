"""Taking a quiz through the web: grading, feedback, retakes and bad input."""

import re
import shutil

import pytest

from parley import create_app
from parley.config import PROJECT_ROOT
from parley.learning import attempts
from parley.models import Answer, Attempt
from parley.web.quiz.routes import HISTORY_PAGE_SIZE
from tests.factories import (
    DATA,
    QUIZ_URL,
    count,
    create_account,
    form_fields,
    log_in,
    signed_in,
    text_of,
    texts,
    write_quizzes,
)
from tests.factories import RIGHT_ANSWERS as RIGHT
from tests.factories import submit_quiz as submit


@pytest.fixture
def learner(quiz_app):
    create_account(quiz_app, "lee@example.com", name="Lee")
    return log_in(quiz_app, "lee@example.com")


def walkouts_quiz(app):
    return app.extensions["parley_content"].quiz("impasse", "walkouts")


def test_quiz_page_shows_scenarios_but_never_the_answers(learner):
    page = learner.get(QUIZ_URL).text
    assert texts(page, "section.question h2") == [
        "Question 1 Best move",
        "Question 2 All that apply",
        "Question 3 Commit or walk away",
        "Question 4 Order the steps",
        "Question 5 Branching scenario",
    ]
    assert texts(page, "section.question div.scenario")[0] == (
        "Priya's colleague insulted Tom's team. Tom ended the call."
    )
    rules = (PROJECT_ROOT / "quizzes" / "impasse" / "rules.yaml").read_text()
    assert "apologise.we-caused-it" not in page
    assert "Threatening Tom now" not in page  # option feedback
    assert "expect" not in page
    assert "Feelings are blocking the talks" not in page and "Feelings are blocking" in rules
    assert "You judge it genuine" not in page  # the next step of a branching scenario


def test_right_answers_score_100_pass_and_cite_rules_with_lesson_links(quiz_app, learner):
    response = submit(learner, RIGHT)
    assert response.status_code == 303
    result = learner.get(response.headers["Location"]).text
    assert text_of(result, "h1") == "Your result: 100%"
    assert text_of(result, "p.verdict-line") == "passed You reached the pass mark of 80%."
    assert texts(result, "section.review li.verdict")[0] == (
        "right Apologise (your choice) Feelings are blocking the talks and your side "
        "contributed. A sincere apology from the side that caused the hurt clears the air faster "
        "than any argument about terms. Rule: Apologise: we caused it · Read: Keeping the door open"
    )
    assert 'href="/courses/impasse/lessons/keeping-the-door-open#apologise"' in result
    assert count(quiz_app, Attempt) == 1 and count(quiz_app, Answer) == 5


def test_a_wrong_answer_gets_the_rule_reason_and_the_author_note(learner):
    response = submit(learner, {**RIGHT, "q-demo-best": "batna-as-threat"})
    result = learner.get(response.headers["Location"]).text
    assert text_of(result, "h1") == "Your result: 80%"
    first = texts(result, "section.review")[0]
    assert first.startswith("Question 1 Best move — 0% not fully right")
    rows = texts(result, "section.review li.verdict")
    missed = next(row for row in rows if row.startswith("missed Apologise"))
    chosen = next(row for row in rows if row.startswith("mistake Threaten"))
    assert missed.startswith("missed Apologise Feelings are blocking the talks")
    assert chosen.startswith(
        "mistake Threaten the other side with your alternative (your choice) "
        "Threatening Tom now would pour fuel on a fire her side started. "  # the author's note
        "Brandishing your alternative as a threat"  # the rule's reason
    )
    assert chosen.endswith(
        "Rule: Threaten the other side with your alternative: always · "
        "Read: People, helpers and alternatives"
    )
    assert "batna-as-threat.always" not in result  # rule ids stay in exports and explain


def test_missing_answers_are_named_and_nothing_is_stored(quiz_app, learner):
    answers = {k: v for k, v in RIGHT.items() if not k.startswith("q-demo-all")}
    response = submit(learner, answers)
    assert response.status_code == 400
    assert "Please answer question 2 before submitting." in response.text
    assert 'value="apologise" checked' in response.text  # the learner's answers are kept
    assert count(quiz_app, Attempt) == 0


def test_unknown_option_is_refused_clearly(quiz_app, learner):
    response = submit(learner, {**RIGHT, "q-demo-best": "bribe-them"})
    assert response.status_code == 400
    assert "Question 1: one of the answers is not an option here." in response.text
    assert count(quiz_app, Attempt) == 0


def test_answers_for_another_quiz_are_refused(quiz_app, learner):
    response = submit(learner, {**RIGHT, "q-m1-some-other-question": "apologise"})
    assert response.status_code == 400
    assert "questions that are not in this quiz" in response.text
    assert count(quiz_app, Attempt) == 0


def test_duplicate_order_places_are_refused(quiz_app, learner):
    response = submit(learner, {**RIGHT, "q-demo-order-change-both-negotiators": "1"})
    assert response.status_code == 400
    assert "give each step a different place" in response.text
    assert count(quiz_app, Attempt) == 0


def test_walking_away_needs_a_reason(learner):
    response = submit(learner, {**RIGHT, "q-demo-commit-reason": ""})
    assert response.status_code == 400
    assert "say which condition makes walking away right" in response.text


def test_a_double_click_stores_one_attempt_and_shows_the_same_result(quiz_app, learner):
    page = learner.get(QUIZ_URL).text
    data = {**form_fields(page), **RIGHT}
    first = learner.post(QUIZ_URL, data=data)
    second = learner.post(QUIZ_URL, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(quiz_app, Attempt) == 1


def test_a_twin_request_stored_first_by_another_server_is_shown_not_a_500(
    quiz_app, learner, monkeypatch
):
    page = learner.get(QUIZ_URL).text
    data = {**form_fields(page), **RIGHT}
    first = learner.post(QUIZ_URL, data=data)
    # The twin looked for the token before the first request committed, so it inserts too.
    real, calls = attempts.find_attempt_by_token, []

    def late_lookup(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(attempts, "find_attempt_by_token", late_lookup)
    second = learner.post(QUIZ_URL, data=data)
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(calls) == 2  # the insert failed on the token and the stored twin was found
    assert count(quiz_app, Attempt) == 1 and count(quiz_app, Answer) == 5


def test_a_stale_form_after_content_changed_is_refused_with_answers_kept(quiz_app, learner):
    page = learner.get(QUIZ_URL).text
    data = {**form_fields(page), **RIGHT, "quiz_version": "0000000000000000"}
    response = learner.post(QUIZ_URL, data=data)
    assert response.status_code == 409
    assert "updated after you opened it" in response.text
    assert 'value="apologise" checked' in response.text
    assert count(quiz_app, Attempt) == 0


def test_a_tampered_submission_token_is_refused(learner):
    response = submit(learner, RIGHT, submission="x")
    assert response.status_code == 400


def test_branching_scenario_continues_step_by_step_without_javascript(quiz_app, learner):
    first_step = walkouts_quiz(quiz_app).questions[4].steps[0]
    page = learner.get(QUIZ_URL).text
    assert "You judge it genuine" not in page
    data = {
        **form_fields(page),
        "q-demo-branch-start": "assess-finality",
        "advance": "demo-branch",
        "q-demo-best": "apologise",
    }
    step_two = learner.post(QUIZ_URL, data=data)
    assert step_two.status_code == 200
    assert "You judge it genuine" in step_two.text
    assert text_of(step_two.text, "p.chosen") == f"You chose: {first_step.options[0].label}"
    assert 'value="apologise" checked' in step_two.text


def test_submitting_mid_scenario_reveals_the_next_step_and_stores_nothing(quiz_app, learner):
    answers = {k: v for k, v in RIGHT.items() if k != "q-demo-branch-assessed"}
    response = submit(learner, answers)
    assert response.status_code == 400
    assert "The scenario in question 5 continues" in response.text
    assert "You judge it genuine" in response.text
    assert count(quiz_app, Attempt) == 0


def test_retakes_show_best_and_latest(learner):
    submit(learner, {**RIGHT, "q-demo-best": "batna-as-threat"})
    submit(learner, RIGHT)
    # A small gesture after your own side's remark is second-best (the apology comes first):
    # half the credit for that question.
    submit(learner, {**RIGHT, "q-demo-best": "small-gracious-moves"})
    page = learner.get(QUIZ_URL).text
    assert texts(page, "main p.muted")[0] == (
        "5 questions · pass mark 80% · best 100% passed · latest 90% · your 3 attempts"
    )


def test_the_attempts_page_lists_every_attempt_newest_first_in_pages(learner):
    history_url = QUIZ_URL + "/attempts"
    assert "You have not taken this quiz yet" in learner.get(history_url).text
    for _ in range(HISTORY_PAGE_SIZE + 1):
        result = submit(learner, {**RIGHT, "q-demo-best": "batna-as-threat"})
    submit(learner, RIGHT)
    total = HISTORY_PAGE_SIZE + 2
    quiz_page = learner.get(QUIZ_URL).text
    assert f'href="{history_url}">your {total} attempts</a>' in quiz_page
    assert texts(quiz_page, "main p.muted")[0] == (
        f"5 questions · pass mark 80% · best 100% passed · latest 100% · your {total} attempts"
    )
    first = learner.get(history_url).text
    assert text_of(first, "p.lead") == f"{total} attempts · best 100% passed · latest 100%"
    assert text_of(first, "nav.grid-pages span") == "Page 1 of 2"
    assert first.count("— 80%") == HISTORY_PAGE_SIZE - 1 and first.count("— 100%") == 1
    assert first.index("— 100%") < first.index("— 80%")  # newest first
    assert learner.get(history_url + "?page=2").text.count("— 80%") == 2
    assert learner.get(history_url + "?page=x").status_code == 400
    submitted = text_of(learner.get(result.headers["Location"]).text, "section.score-panel p.muted")
    assert submitted.endswith(f"UTC · your best: 100% · attempts: {total}")
    assert learner.get("/courses/impasse/quizzes/nope/attempts").status_code == 404


def test_passing_marks_the_module_passed(learner):
    submit(learner, RIGHT)
    module = learner.get("/courses/impasse/modules/walkouts").text
    assert "Best 100% · latest 100% · 1 attempt passed" in text_of(module, "section.quiz-callout")
    dashboard = learner.get("/dashboard").text
    assert "Walkouts 0% 0% 0/2 best 100% passed" in texts(dashboard, "table.module-table tr")


def test_confidence_feeds_calibration_and_mastery(quiz_app, learner):
    response = submit(
        learner,
        {**RIGHT, "q-demo-best": "batna-as-threat", "c-demo-best": "sure", "c-demo-all": "unsure"},
    )
    result = learner.get(response.headers["Location"]).text
    assert "Sure but wrong:</strong> 1 (question 1)" in result
    assert "Unsure but right:</strong> 1 (question 2)" in result
    dashboard = learner.get("/dashboard").text
    assert "Mastery by objective" in dashboard
    course = quiz_app.extensions["parley_content"].course("impasse")
    emotions = course.objectives_by_id["emotions-or-issues"].text  # question 1's objective
    assert texts(dashboard, "ul.mastery-list li")[0] == f"{emotions} 0% 0%"  # weakest first


def test_the_mastery_page_lists_every_objective_under_its_lesson(quiz_app, learner):
    url = "/courses/impasse/mastery"
    assert "None of this course's objectives is assessed yet" in learner.get(url).text
    submit(learner, {**RIGHT, "q-demo-best": "batna-as-threat"})
    course = quiz_app.extensions["parley_content"].course("impasse")
    total = len(course.objectives_by_id)
    dashboard = learner.get("/dashboard").text
    assert (
        f'href="{url}">All {total} objectives of Negotiation: Overcoming Impasse</a>' in dashboard
    )
    assert f"5 of {total} objectives assessed by your latest answers. The weakest:" in texts(
        dashboard, "section.course-progress p.muted"
    )
    page = learner.get(url).text
    items = texts(page, "ul.mastery-list li")
    assert len(items) == total
    assessed = {  # question 1 was answered wrongly, the other four rightly
        "emotions-or-issues": 0,
        "keep-issues-open": 100,
        "commit-or-walk": 100,
        "walkout-sequence": 100,
        "assess-finality": 100,
    }
    assert sorted(item for item in items if not item.endswith(" not assessed yet")) == sorted(
        f"{course.objectives_by_id[o].text} {percent}% {percent}%"
        for o, percent in assessed.items()
    )
    first_lesson = course.lessons_by_id["impasse-defined"].title
    assert f'href="/courses/impasse/lessons/impasse-defined">Read: {first_lesson}</a>' in page
    assert learner.get("/courses/nope/mastery").status_code == 404
    assert quiz_app.test_client().get(url).status_code == 302  # log in first


def test_an_unknown_confidence_is_refused(learner):
    response = submit(learner, {**RIGHT, "c-demo-best": "certain"})
    assert response.status_code == 400


def test_no_one_else_can_open_your_attempt(quiz_app, learner):
    location = submit(learner, RIGHT).headers["Location"]
    create_account(quiz_app, "mo@example.com", name="Mo")
    other = log_in(quiz_app, "mo@example.com")
    assert other.get(location).status_code == 404
    assert other.get(QUIZ_URL + "/attempts/999").status_code == 404


def test_past_reviews_survive_editing_and_removing_the_question(app_config, tmp_path, learner):
    location = submit(learner, RIGHT).headers["Location"]
    text = (
        (DATA / "test_quiz.yaml")
        .read_text()
        .replace("Priya's colleague insulted Tom's team.", "A rewritten story.")
    )
    edited = write_quizzes(tmp_path / "edited", text)
    app_config["QUIZZES_DIR"] = str(edited)
    client = log_in(create_app(app_config), "lee@example.com")
    review = client.get(location).text
    assert texts(review, "section.review div.scenario")[0] == (
        "Priya's colleague insulted Tom's team. Tom ended the call."
    )
    assert "A rewritten story." in client.get(QUIZ_URL).text
    (edited / "impasse" / "walkouts.yaml").unlink()
    client = log_in(create_app(app_config), "lee@example.com")
    assert client.get(location).status_code == 200
    assert client.get(QUIZ_URL).status_code == 404


def test_a_blank_question_is_kept_per_order_shown_so_another_order_draws_anew(quiz_app):
    from parley.web.quiz.rendered_questions import questions_html

    library = quiz_app.extensions["parley_content"]
    quiz, book = library.quiz("impasse", "walkouts"), library.quizzes("impasse").rulebook

    def reversed_order(_part, items):
        return tuple(reversed(items))

    def positions(page: str, question_id: str) -> list[str]:
        return re.findall(rf'name="q-{question_id}" value="([^"]+)"', page)

    with quiz_app.test_request_context():
        authored = questions_html(quiz, book)
        flipped = questions_html(quiz, book, arrange=reversed_order)
        again = questions_html(quiz, book)
    assert positions(authored, "demo-best") == [
        "apologise",
        "batna-as-threat",
        "small-gracious-moves",
    ]
    assert positions(flipped, "demo-best") == list(reversed(positions(authored, "demo-best")))
    assert again == authored


def test_a_copied_course_shows_its_own_lesson_links_in_scenarios(app_config, tmp_path):
    """Two courses with the same quiz file: each scenario links to its own course's lesson,
    and each question is its own version, however the form is kept between requests."""
    courses, quizzes = tmp_path / "courses", tmp_path / "quizzes"
    for course in ("feedback", "feedback-copy"):
        shutil.copytree(PROJECT_ROOT / "courses" / "feedback", courses / course)
        shutil.copytree(PROJECT_ROOT / "quizzes" / "feedback", quizzes / course)
        quiz = quizzes / course / "getting-ready.yaml"
        quiz.write_text(
            quiz.read_text().replace(
                "    scenario: |\n",
                "    scenario: |\n      See [the lesson](time-and-place.md).\n",
                1,
            )
        )
    app = create_app({**app_config, "COURSES_DIR": str(courses), "QUIZZES_DIR": str(quizzes)})
    client = signed_in(app, "lee@example.com")
    for course in ("feedback", "feedback-copy"):
        page = client.get(f"/courses/{course}/quizzes/getting-ready").text
        assert f'<a href="/courses/{course}/lessons/time-and-place"' in page
    library = app.extensions["parley_content"]
    first, copy = (library.quiz(c, "getting-ready") for c in ("feedback", "feedback-copy"))
    question = first.questions[0].id
    assert first.question_versions[question] != copy.question_versions[question]


def test_a_sure_second_best_answer_counts_as_partly_right(learner):
    """Making small gracious moves is sound in the test quiz's first story, not the best."""
    response = submit(
        learner,
        {
            **RIGHT,
            "q-demo-best": "small-gracious-moves",
            "c-demo-best": "sure",
            "c-demo-all": "sure",
        },
    )
    result = learner.get(response.headers["Location"]).text
    assert texts(result, "section.calibration li")[:3] == [
        "Sure and right: 1",
        "Sure but wrong: 0",
        "Sure but only partly right: 1 (question 1) — a second-best move, or part of the answer: "
        "read what was missing",
    ]
    assert "second-best" in texts(result, "section.review")[0]

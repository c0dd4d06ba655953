"""Cohorts, assignments, readiness, exports and debrief, as instructors and learners use them."""

import csv
import html
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import (
    RIGHT_ANSWERS,
    WORKSHOP,
    add_learners,
    assign_on_the_web,
    create_cohort_on_the_web,
    join_by_link,
    signed_in,
    submit_quiz,
    text_of,
    texts,
)


@pytest.fixture
def trainer(quiz_app):
    return signed_in(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")


@pytest.fixture
def learner_client(quiz_app):
    """Return make(email, name): a client signed in as a new learner."""

    def make(email, name="Lena Learner"):
        return signed_in(quiz_app, email, name=name)

    return make


def shown(day: date, layout: str = "%a %d %b") -> str:
    """A date as pages show it: with its year when that is not this year (UTC here)."""
    this_year = datetime.now(UTC).year
    return day.strftime(layout if day.year == this_year else layout.replace("%b", "%b %Y"))


def a_day_later(app):
    """Move the app's clock one day on: what was due today is overdue."""
    app.extensions["parley_clock"] = lambda: datetime.now(UTC) + timedelta(days=1)


def due_rows(dashboard: str) -> list[str]:
    """The rows of the learner's "Before <workshop>" tables, as a reader sees them."""
    return texts(dashboard, "section.due tbody tr")


def ana_and_ben_join(learner_client, link):
    """Sign in learners Ana and Ben and have both join by the invite link."""
    ana = learner_client("ana@example.com", "Ana A")
    ben = learner_client("ben@example.com", "Ben B")
    join_by_link(ana, link)
    join_by_link(ben, link)
    return ana, ben


def test_learners_never_see_instructor_pages(learner_client):
    client = learner_client("ana@example.com")
    for path in [
        "/instructor/",
        "/instructor/cohorts/1",
        "/instructor/cohorts/1/questions",
        "/instructor/cohorts/1/export/matrix.csv",
        "/instructor/cohorts/1/export/xapi.json",
    ]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Only instructors can open instructor pages." in response.text
    assert client.post("/instructor/cohorts", data={"name": "x"}).status_code == 403


def test_visitors_are_sent_to_log_in(quiz_app):
    response = quiz_app.test_client().get("/instructor/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Finstructor%2F"


def test_instructor_creates_a_cohort_with_link_and_code(trainer):
    cohort_id, link, code = create_cohort_on_the_web(trainer)
    assert link.startswith("/join/") and len(code) == 8
    page = trainer.get("/instructor/").text
    assert texts(page, "li.card h2") == ["Spring workshop"]


def test_creating_a_cohort_without_a_date_is_refused(trainer):
    response = trainer.post("/instructor/cohorts", data={"name": "No date"})
    assert response.status_code == 400
    assert "This field is required." in response.text


def test_learner_joins_by_link_and_sees_what_is_due(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com")
    invitation = ana.get(link).text
    assert text_of(invitation, "h1") == "Spring workshop"
    assert text_of(invitation, "main form button") == "Join this cohort"
    response = join_by_link(ana, link)
    assert response.status_code == 303
    dashboard = ana.get("/dashboard").text
    assert text_of(dashboard, "section.due h2") == (
        f"Before “Spring workshop” — {WORKSHOP.strftime('%a %d %b %Y')}"
    )
    assert text_of(dashboard, "section.due p.muted") == "10 days to go · 0 of 1 ready"
    assert due_rows(dashboard) == [f"Walkouts {shown(WORKSHOP)} not started"]
    walkouts = dashboard.split(">Walkouts</a>")[1].split("</tr>")[0]
    assert '<span class="badge badge-not-started">not started</span>' in walkouts


def test_someone_not_registered_registers_and_lands_in_the_cohort(quiz_app, trainer):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    visitor = quiz_app.test_client()
    page = visitor.get(link).text
    token = link.rsplit("/", 1)[1]
    assert f"/register?join={token}" in page
    response = visitor.post(
        "/register",
        data={
            "name": "New Person",
            "email": "new@example.com",
            "password": "a long password",
            "join": token,
        },
    )
    assert response.status_code == 302
    assert text_of(visitor.get("/dashboard").text, "section.due h2").startswith(
        "Before “Spring workshop” — "
    )
    members = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert text_of(members, "#readiness-heading") == "Readiness"
    assert texts(members, "main ul li a") == ["New Person"]


def test_learner_joins_by_typing_the_code_in_any_case(trainer, learner_client):
    cohort_id, _, code = create_cohort_on_the_web(trainer)
    ana = learner_client("ana@example.com")
    response = ana.post("/join", data={"code": f" {code[:4].lower()} {code[4:]} "})
    assert response.status_code == 303
    assert text_of(ana.get("/dashboard").text, "section.due h2").startswith(
        "Before “Spring workshop” — "
    )


def test_a_wrong_code_gets_a_clear_message(learner_client):
    ana = learner_client("ana@example.com")
    response = ana.post("/join", data={"code": "ZZZZZZZZ"})
    assert response.status_code == 400
    assert "No cohort has that code." in response.text


def test_closed_joining_refuses_new_members(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    trainer.post(f"/instructor/cohorts/{cohort_id}/joining", data={"open": "0"})
    ana = learner_client("ana@example.com")
    response = join_by_link(ana, link)
    assert response.status_code == 409
    assert "This cohort is not taking new members. Ask your instructor." in response.text


def test_learner_can_leave_and_instructor_can_remove(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    ana, ben = ana_and_ben_join(learner_client, link)
    ana.post(f"/cohorts/{cohort_id}/leave")
    assert "Before “Spring workshop”" not in ana.get("/dashboard").text
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    ben_id = int(re.search(r'/learners/(\d+)">Ben B', page).group(1))
    trainer.post(f"/instructor/cohorts/{cohort_id}/members/{ben_id}/remove")
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert f"/learners/{ben_id}" not in page and "Ana A" not in page


def test_assigning_a_whole_course_uses_the_workshop_date(trainer):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id, target="course:impasse")
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert page.count(f"due {WORKSHOP.strftime('%a %d %b %Y')}") == 4


def test_overdue_is_marked_for_learner_and_instructor(quiz_app, trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    due = datetime.now(UTC).date()  # a past date is refused: assign today, then move on a day
    assign_on_the_web(trainer, cohort_id, due=due.isoformat())
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    a_day_later(quiz_app)
    assert due_rows(ana.get("/dashboard").text) == [f"Walkouts {shown(due)} overdue not started"]
    grid = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert '<td class="cell cell-not-started cell-overdue">' in grid


def test_one_learner_gets_a_later_due_date_without_changing_others(
    quiz_app, trainer, learner_client
):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    yesterday = datetime.now(UTC).date()  # assigned today, and the clock moves on a day
    assign_on_the_web(trainer, cohort_id, due=yesterday.isoformat())
    a_day_later(quiz_app)
    ana, ben = ana_and_ben_join(learner_client, link)
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    ana_id = int(re.search(r'/learners/(\d+)">Ana A', page).group(1))
    learner_page = trainer.get(f"/instructor/cohorts/{cohort_id}/learners/{ana_id}").text
    assignment_id = re.search(r'<option value="(\d+)">Walkouts', learner_page).group(1)
    later = date.today() + timedelta(days=5)
    trainer.post(
        f"/instructor/cohorts/{cohort_id}/learners/{ana_id}/extend",
        data={"assignment": assignment_id, "due_date": later.isoformat()},
    )
    assert due_rows(ana.get("/dashboard").text) == [
        f"Walkouts {shown(later)} (extended) not started"
    ]
    assert due_rows(ben.get("/dashboard").text) == [
        f"Walkouts {shown(yesterday)} overdue not started"
    ]


def test_an_extension_before_today_is_refused_and_changes_nothing(
    quiz_app, trainer, learner_client
):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    due = datetime.now(UTC).date()
    assign_on_the_web(trainer, cohort_id, due=due.isoformat())
    ana, _ = ana_and_ben_join(learner_client, link)
    quiz_app.extensions["parley_clock"] = lambda: datetime.now(UTC) + timedelta(days=3)
    url = f"/instructor/cohorts/{cohort_id}"
    ana_id = int(re.search(r'/learners/(\d+)">Ana A', trainer.get(url).text).group(1))
    learner_page = trainer.get(f"{url}/learners/{ana_id}").text
    assignment_id = re.search(r'<option value="(\d+)">Walkouts', learner_page).group(1)
    too_early = due + timedelta(days=1)  # later than the cohort's date, but already past
    answer = trainer.post(
        f"{url}/learners/{ana_id}/extend",
        data={"assignment": assignment_id, "due_date": too_early.isoformat()},
        follow_redirects=True,
    )
    today = due + timedelta(days=3)
    assert (
        f"The extension {too_early.isoformat()} is in the past: today is {today.isoformat()} "
        "in the cohort's time zone (UTC). Choose today or later."
    ) in html.unescape(answer.text)
    assert due_rows(ana.get("/dashboard").text) == [f"Walkouts {shown(due)} overdue not started"]


def test_matrix_follows_the_learners_progress(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana, ben = ana_and_ben_join(learner_client, link)
    url = f"/instructor/cohorts/{cohort_id}"
    assert "<strong>0 of 2 ready</strong>" in trainer.get(url).text
    ana.get("/courses/impasse/lessons/reading-a-walkout")
    assert '<td class="cell cell-in-progress">' in trainer.get(url).text
    submit_quiz(ana, RIGHT_ANSWERS)
    page = trainer.get(url).text
    assert "<strong>1 of 2 ready</strong>" in page
    assert '<span class="cell-status">passed</span> <span class="cell-score">100%</span>' in page
    by_readiness = trainer.get(url + "?sort=readiness").text
    assert by_readiness.index("Ana A") < by_readiness.index("Ben B")
    least_first = trainer.get(url + "?sort=readiness-asc").text
    assert least_first.index("Ben B") < least_first.index("Ana A")


def test_weak_spots_and_question_analysis(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana, ben = ana_and_ben_join(learner_client, link)
    submit_quiz(ana, {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat", "c-demo-best": "sure"})
    submit_quiz(ben, {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat", "c-demo-best": "unsure"})
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    weak = page.split("Weak spots by objective")[1]
    first = re.search(r'aria-label="Cohort mastery: ([^"]+)"', weak).group(1)
    assert first.startswith("Diagnose whether emotions or issues")  # demo-best's objective
    analysis = trainer.get(f"/instructor/cohorts/{cohort_id}/questions").text
    row = analysis.split("demo-best")[1].split("</tr>")[0]
    cells = re.findall(r"<td>(.*?)</td>", row)  # answers, correct, most chosen wrong option
    assert cells[:3] == [
        "2",
        "0%",
        'Threaten the other side with your alternative <span class="muted">(2)</span>',
    ]
    assert cells[3] == "0.75"  # one sure, one unsure


def test_learner_page_shows_lessons_attempts_and_answers(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    ana.post("/courses/impasse/lessons/reading-a-walkout/complete")
    submit_quiz(ana, RIGHT_ANSWERS)
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    ana_id = int(re.search(r'/learners/(\d+)">Ana A', page).group(1))
    learner_page = trainer.get(f"/instructor/cohorts/{cohort_id}/learners/{ana_id}").text
    rows = texts(learner_page, "tbody tr")
    assert f"Walkouts {WORKSHOP.isoformat()} 1/2 passed best 100%" in rows
    reading = next(row for row in rows if row.startswith("Reading a walkout "))
    # done; #18 labels times with the zone they are shown in
    assert re.fullmatch(r"Reading a walkout( \d\d \w{3} \d\d:\d\d UTC){3}", reading)
    (attempt,) = texts(learner_page, "main li")
    assert re.fullmatch(r"walkouts — \d\d \w{3} \d{4} \d\d:\d\d UTC — 100% passed", attempt)
    attempt_url = re.search(
        r'href="(/instructor/cohorts/\d+/learners/\d+/attempts/\d+)"', learner_page
    ).group(1)
    review = trainer.get(attempt_url).text
    assert text_of(review, "h1") == "Ana A: walkouts, 100%"
    assert texts(review, "section.review h3") == [
        "Question 1 Best move — 100% right",
        "Question 2 All that apply — 100% right",
        "Question 3 Commit or walk away — 100% right",
        "Question 4 Order the steps — 100% right",
        "Question 5 Branching scenario — 100% right",
    ]
    assert "Rule: Apologise: we caused it · Read: Keeping the door open" in texts(
        review, "p.rule-cite"
    )


def read_csv(response):
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_matrix_csv_says_what_the_screen_says(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    wrong_reason = {"q-demo-commit-reason": "walk-ethics-gap", "q-demo-best": "batna-as-threat"}
    submit_quiz(ana, {**RIGHT_ANSWERS, **wrong_reason})
    response = trainer.get(f"/instructor/cohorts/{cohort_id}/export/matrix.csv")
    assert response.mimetype == "text/csv"
    rows = read_csv(response)
    assert list(rows[0]) == [
        "learner_name",
        "learner_email",
        "course_id",
        "module_id",
        "module_title",
        "due_date",
        "status",
        "lessons_completed",
        "lessons_total",
        "best_score_percent",
        "overdue",
        "module_ready",
        "learner_ready",
    ]
    assert rows[0]["status"] == "in progress" and rows[0]["best_score_percent"] == "70"
    assert rows[0]["due_date"] == WORKSHOP.isoformat()
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    assert (
        '<span class="cell-status">in progress</span> <span class="cell-score">70%</span>' in page
    )


def test_answers_csv_has_a_row_per_learner_question_and_attempt(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    submit_quiz(ana, RIGHT_ANSWERS)
    submit_quiz(ana, {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat"})
    rows = read_csv(trainer.get(f"/instructor/cohorts/{cohort_id}/export/answers.csv"))
    assert len(rows) == 10
    first = rows[0]
    assert first["question_id"] == "demo-best" and first["score"] == "1.0"
    assert first["correct"] == "true" and "apologise.we-caused-it" in first["rule_ids"]
    assert rows[5]["response"] == "batna-as-threat" and rows[5]["score"] == "0.0"


def test_csv_is_safe_against_formula_injection(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    evil = learner_client("evil@example.com", '=HYPERLINK("http://x")')
    join_by_link(evil, link)
    text = trainer.get(f"/instructor/cohorts/{cohort_id}/export/matrix.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_xapi_statements_carry_response_score_and_rules(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    ana.post("/courses/impasse/lessons/reading-a-walkout/complete")
    submit_quiz(ana, RIGHT_ANSWERS)
    statements = json.loads(trainer.get(f"/instructor/cohorts/{cohort_id}/export/xapi.json").text)
    verbs = [s["verb"]["display"]["en"] for s in statements]
    assert verbs.count("completed") == 1 and verbs.count("passed") == 1
    assert verbs.count("answered") == 5
    for statement in statements:
        assert {"actor", "verb", "object", "timestamp"} <= set(statement)
        assert statement["actor"]["mbox"] == "mailto:ana@example.com"
    answered = next(s for s in statements if s["object"]["id"].endswith("/questions/demo-all"))
    assert answered["result"]["response"] == "keep-issues-open[,]add-something-new"
    assert answered["result"]["score"]["scaled"] == 1.0
    assert answered["result"]["success"] is True
    rules = next(v for k, v in answered["result"]["extensions"].items() if k.endswith("rule-ids"))
    assert "keep-issues-open.single" in rules


def test_debrief_shows_shares_and_rules_but_no_names(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com", "Ana Aardvark")
    ben = learner_client("ben@example.com", "Ben Bumblebee")
    join_by_link(ana, link)
    join_by_link(ben, link)
    submit_quiz(ana, RIGHT_ANSWERS)
    submit_quiz(ben, {**RIGHT_ANSWERS, "q-demo-best": "batna-as-threat"})
    page = trainer.get(f"/instructor/cohorts/{cohort_id}/debrief/impasse/walkouts/1").text
    assert text_of(page, "div.scenario") == (
        "Priya's colleague insulted Tom's team. Tom ended the call."
    )
    assert texts(page, "ul.share-list li") == [
        "Apologise 50% 50%",
        "Threaten the other side with your alternative 50% 50%",
        "Make small gracious moves 0% 0%",
    ]
    assert 'aria-label="Apologise: 50%"' in page
    right = texts(page, "li.verdict-right")
    assert len(right) == 1 and right[0].startswith("Apologise the rule book's answer ")
    assert right[0].endswith(" Rule: Apologise: we caused it")
    assert "Aardvark" not in page and "Bumblebee" not in page
    branch = trainer.get(f"/instructor/cohorts/{cohort_id}/debrief/impasse/walkouts/5").text
    assert texts(branch, "section.debrief-part h2") == [
        "Step 1 (2 answers before class)",
        "Step 2 (2 answers before class)",
    ]


def test_instructors_see_only_their_own_cohorts(quiz_app, trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = learner_client("ana@example.com", "Ana A")
    join_by_link(ana, link)
    attempt_url = submit_quiz(ana, RIGHT_ANSWERS).headers["Location"]
    attempt_id = attempt_url.rsplit("/", 1)[1]
    page = trainer.get(f"/instructor/cohorts/{cohort_id}").text
    ana_id = int(re.search(r'/learners/(\d+)">Ana A', page).group(1))
    rival = signed_in(quiz_app, "rival@example.com", name="Rita Rival", role="instructor")
    base = f"/instructor/cohorts/{cohort_id}"
    for path in [
        base,
        base + "/questions",
        base + "/export/matrix.csv",
        base + "/export/answers.csv",
        base + "/export/xapi.json",
        base + f"/learners/{ana_id}",
        base + f"/learners/{ana_id}/attempts/{attempt_id}",
        base + "/debrief/impasse/walkouts/1",
    ]:
        assert rival.get(path).status_code == 404, path
    assert rival.post(base + "/assign", data={"target": "course:impasse"}).status_code == 404
    assert rival.post(base + f"/members/{ana_id}/remove").status_code == 404
    assert "Spring workshop" not in rival.get("/instructor/").text


def test_a_learner_outside_the_cohort_cannot_be_reached_by_guessing_ids(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    outsider = learner_client("out@example.com", "Olly Outsider")
    attempt_url = submit_quiz(outsider, RIGHT_ANSWERS).headers["Location"]
    attempt_id = attempt_url.rsplit("/", 1)[1]
    for user_id in range(1, 5):
        assert trainer.get(f"/instructor/cohorts/{cohort_id}/learners/{user_id}").status_code == 404
        assert (
            trainer.get(
                f"/instructor/cohorts/{cohort_id}/learners/{user_id}/attempts/{attempt_id}"
            ).status_code
            == 404
        )
    assert "Olly" not in trainer.get(f"/instructor/cohorts/{cohort_id}/export/answers.csv").text
    other = learner_client("nosy@example.com")
    assert other.get(attempt_url).status_code == 404


def test_the_grid_shows_every_change_at_the_next_look(trainer, learner_client):
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana, ben = ana_and_ben_join(learner_client, link)
    url = f"/instructor/cohorts/{cohort_id}"
    lessons = ["reading-a-walkout", "after-a-walkout"]
    for lesson in lessons:
        ana.get(f"/courses/impasse/lessons/{lesson}")
    assert '<td class="cell cell-in-progress">' in trainer.get(url).text
    for lesson in lessons:  # completing changes rows that already exist
        ana.post(f"/courses/impasse/lessons/{lesson}/complete")
    assert '<td class="cell cell-completed">' in trainer.get(url).text
    page = trainer.get(url).text
    ben_id = int(re.search(r'/learners/(\d+)">Ben B', page).group(1))
    learner_page = trainer.get(f"{url}/learners/{ben_id}").text
    assignment_id = re.search(r'<option value="(\d+)">Walkouts', learner_page).group(1)
    later = WORKSHOP + timedelta(days=3)
    trainer.post(
        f"{url}/learners/{ben_id}/extend",
        data={"assignment": assignment_id, "due_date": later.isoformat()},
    )
    assert f"until {shown(later, '%d %b')}" in trainer.get(url).text
    ben.post(f"/cohorts/{cohort_id}/leave")
    assert "Ben B" not in trainer.get(url).text
    trainer.post(f"{url}/assignments/{assignment_id}/delete")
    assert "No modules are assigned yet" in trainer.get(url).text


def test_a_big_grid_comes_in_pages_and_can_be_searched(trainer, quiz_app):
    cohort_id, _, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    add_learners(quiz_app, cohort_id, 0, 120)
    url = f"/instructor/cohorts/{cohort_id}"
    first = trainer.get(url).text
    assert text_of(first, "#grid-range") == "Learners 1–50 of 120"
    assert "<strong>120 of 120 ready</strong>" in first
    assert texts(first, "tbody th") == [f"Learner {n:04d}" for n in range(50)]
    assert 'rel="next"' in first
    last = trainer.get(url + "?page=3").text
    assert text_of(last, "#grid-range") == "Learners 101–120 of 120"
    assert texts(last, "tbody th") == [f"Learner {n:04d}" for n in range(100, 120)]
    assert 'rel="next"' not in last
    past_the_end = trainer.get(url + "?page=99").text  # shows the last page
    assert text_of(past_the_end, "#grid-range") == "Learners 101–120 of 120"
    found = trainer.get(url + "?q=learner 007").text
    assert text_of(found, "#grid-range") == "Learners 1–10 of 10 matching “learner 007”"
    assert texts(found, "tbody th") == [f"Learner {n:04d}" for n in range(70, 80)]
    assert "<strong>120 of 120 ready</strong>" in found  # the summary counts everyone
    nobody = trainer.get(url + "?q=nobody").text
    assert text_of(nobody, "#grid-range") == "No learner matching “nobody”"
    for junk in ["abc", "-1", "1.5", "9" * 40, "%C2%B2"]:
        response = trainer.get(url + f"?page={junk}")
        assert response.status_code == 400
        assert "The page must be a whole number" in response.text

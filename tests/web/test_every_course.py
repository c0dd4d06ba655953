"""The whole learner flow works on every shipped course: nothing is tied to one course."""

import re

import pytest
from werkzeug.datastructures import MultiDict

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.grading import Response, derive
from tests.factories import answer_fields

LIBRARY, _ = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")


@pytest.mark.parametrize("course_id", [course.id for course in LIBRARY.courses])
def test_a_learner_can_finish_every_course(app, client, auth, course_id):
    library = app.extensions["parley_content"]
    course = library.course(course_id)
    quizzes = library.quizzes(course_id)
    auth.register(email=f"{course_id}@example.com")
    for lesson in course.lessons:
        page = client.get(f"/courses/{course_id}/lessons/{lesson.id}")
        assert page.status_code == 200 and lesson.title in page.text
        assert client.post(f"/courses/{course_id}/lessons/{lesson.id}/complete").status_code == 302
    for quiz in quizzes.quizzes:
        url = f"/courses/{course_id}/quizzes/{quiz.id}"
        page = client.get(url).text
        responses = {
            q.id: Response(derive(quizzes.rulebook, q).answer, "sure") for q in quiz.questions
        }
        form = answer_fields(quiz.questions, responses) + [
            ("quiz_version", re.search(r'name="quiz_version" value="([^"]+)"', page).group(1)),
            ("submission", re.search(r'name="submission" value="([^"]+)"', page).group(1)),
        ]
        result = client.post(url, data=MultiDict(form))
        assert result.status_code == 303, result.text[:300]
        assert "Your result: 100%" in client.get(result.headers["Location"]).text
    overview = client.get(f"/courses/{course_id}").text
    assert 'value="100"' in overview
    dashboard = client.get("/dashboard").text
    assert dashboard.count("badge-passed") >= len([q for q in quizzes.quizzes if q.module_id])

"""The whole learner flow works on every shipped course: nothing is tied to one course."""

import pytest
from werkzeug.datastructures import MultiDict

from parley.config import PROJECT_ROOT
from parley.content import load_library
from parley.grading import Response, derive
from tests.factories import answer_fields, form_fields, text_of, texts

LIBRARY, _ = load_library(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")


@pytest.mark.parametrize("course_id", [course.id for course in LIBRARY.courses])
def test_a_learner_can_finish_every_course(app, client, auth, course_id):
    library = app.extensions["parley_content"]
    course = library.course(course_id)
    quizzes = library.quizzes(course_id)
    auth.register(email=f"{course_id}@example.com")
    for lesson in course.lessons:
        page = client.get(f"/courses/{course_id}/lessons/{lesson.id}")
        assert page.status_code == 200 and text_of(page.text, "h1") == lesson.title
        assert client.post(f"/courses/{course_id}/lessons/{lesson.id}/complete").status_code == 302
    for quiz in quizzes.quizzes:
        url = f"/courses/{course_id}/quizzes/{quiz.id}"
        page = client.get(url).text
        responses = {
            q.id: Response(derive(quizzes.rulebook, q).answer, "sure") for q in quiz.questions
        }
        form = answer_fields(quiz.questions, responses) + list(form_fields(page).items())
        result = client.post(url, data=MultiDict(form))
        assert result.status_code == 303, result.text[:300]
        assert text_of(client.get(result.headers["Location"]).text, "h1") == "Your result: 100%"
    finished = [
        (module.title, "passed" if quizzes.quiz_for_module(module.id) else "completed")
        for module in course.modules
    ]
    overview = client.get(f"/courses/{course_id}").text
    assert 'value="100" aria-label="Course progress"' in overview
    assert texts(overview, "ol.module-list h3") == [
        f"{title} {status}" for title, status in finished
    ]
    dashboard = client.get("/dashboard").text
    rows = texts(dashboard, "section.course-progress tbody tr")
    assert [
        (row.startswith(title), row.endswith(status))
        for row, (title, status) in zip(rows, finished, strict=True)
    ] == [(True, True)] * len(finished)

"""Templates' links are remembered per app, and never mixed up between hosts or prefixes."""

from parley.web.links import remembered_url_for


def test_links_match_url_for_under_any_prefix_and_host(app):
    with app.test_request_context("/"):
        first = remembered_url_for("learn.lesson", course_id="impasse", lesson_id="a")
        assert first == "/courses/impasse/lessons/a"
        assert remembered_url_for("learn.lesson", course_id="impasse", lesson_id="a") is first
        assert remembered_url_for("learn.lesson", course_id="impasse", lesson_id="b").endswith("/b")
    with app.test_request_context("/", base_url="http://parley.example/school"):
        assert (
            remembered_url_for("learn.lesson", course_id="impasse", lesson_id="a")
            == "/school/courses/impasse/lessons/a"
        )
        assert (
            remembered_url_for("learn.catalogue", _external=True)
            == "http://parley.example/school/courses"
        )
    with app.test_request_context("/instructor/"):
        assert remembered_url_for("learn.landing") == "/"


def test_pages_still_link_correctly(client, auth):
    auth.register()
    page = client.get("/courses/impasse").text
    assert 'href="/courses/impasse/modules/walkouts"' in page
    assert 'href="/static/parley.css"' in page

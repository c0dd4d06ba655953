"""Every route with an id in its path answers any number with a page, never a 500: an id no
table can hold is a 404 (#17: 9223372036854775808 raised OverflowError inside SQLite)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.web.support.ids import LARGEST_ID
from tests.factories import (
    RIGHT_ANSWERS,
    assign_on_the_web,
    create_cohort_on_the_web,
    join_by_link,
    signed_in,
    submit_quiz,
)

INT = re.compile(r"<int:(\w+)>")
TEXT = {"course_id": "impasse", "quiz_id": "walkouts"}  # the other path segments
NUMBERS = st.one_of(
    st.integers(0, 50),
    st.integers(LARGEST_ID - 2, LARGEST_ID + 2),
    st.integers(2**63 - 2, 2**64 + 2),  # SQLite's INTEGER ends at 2**63 - 1
    st.integers(0, 2**80),
)


def id_routes(app) -> list[tuple[str, str]]:
    """(rule, method) for every route with an integer in its path."""
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if INT.search(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


@pytest.fixture
def site(quiz_app):
    """An instructor with a cohort, an assignment and a member who took the quiz: small ids
    reach real rows, so the views run, not only the router."""
    trainer = signed_in(quiz_app, "tess@example.com", name="Tess", role="instructor")
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    learner = signed_in(quiz_app, "lee@example.com", name="Lee")
    join_by_link(learner, link)
    submit_quiz(learner, RIGHT_ANSWERS)
    return quiz_app, trainer, learner


def test_every_route_with_an_id_is_covered(site):
    app, _, _ = site
    routes = id_routes(app)
    assert ("/instructor/cohorts/<int:cohort_id>", "GET") in routes
    assert ("/cohorts/<int:cohort_id>/leave", "POST") in routes
    assert len(routes) >= 16


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_number_in_an_id_gets_a_page_never_a_500(site, data):
    app, trainer, learner = site
    rule, method = data.draw(st.sampled_from(id_routes(app)))
    client = data.draw(st.sampled_from([trainer, learner]))
    numbers = {name: data.draw(NUMBERS, label=name) for name in INT.findall(rule)}
    path = INT.sub(lambda m: str(numbers[m.group(1)]), rule)
    path = re.sub(r"<(\w+)>", lambda m: TEXT[m.group(1)], path)
    response = client.open(path, method=method)
    assert response.status_code < 500, (method, path)
    if max(numbers.values()) > LARGEST_ID:
        assert response.status_code == 404, (method, path)
        assert "Page not found" in response.text

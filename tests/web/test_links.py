"""Pages link with Flask's url_for: right under any prefix, and never a link kept from before."""


def test_pages_still_link_correctly(client, auth):
    auth.register()
    page = client.get("/courses/impasse").text
    assert 'href="/courses/impasse/modules/walkouts"' in page
    assert 'href="/static/parley.css"' in page


def test_links_follow_the_prefix_the_app_is_served_under(client, auth):
    auth.register()
    plain = client.get("/courses/impasse").text
    prefixed = client.get("/courses/impasse", base_url="http://localhost/school").text
    assert 'href="/courses/impasse/modules/walkouts"' in plain
    assert 'href="/school/courses/impasse/modules/walkouts"' in prefixed
    assert 'href="/school/static/parley.css"' in prefixed
    again = client.get("/courses/impasse").text  # the prefixed links were not kept
    assert 'href="/school/' not in again

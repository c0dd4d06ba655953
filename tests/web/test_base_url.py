"""#17 finding 8: absolute URLs come from PARLEY_BASE_URL, never from the Host header; only
trusted hosts are served; ProxyFix reads the client's address behind PARLEY_PROXY_HOPS."""

import json
import re

import pytest
from flask import request

from parley import create_app
from parley.config import ConfigError
from tests.factories import (
    BASE_URL,
    RIGHT_ANSWERS,
    assign_on_the_web,
    join_by_link,
    make_cohort,
    production_settings,
    signed_in,
    submit_quiz,
)


@pytest.fixture
def site(app_config, quiz_app):
    """The quiz app's database and quizzes, served as production serves them."""
    app_config.update(production_settings(QUIZZES_DIR=quiz_app.config["QUIZZES_DIR"]))
    return create_app(app_config)


def invite_link(page: str) -> str:
    return re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page).group(1)


def test_the_grid_invitation_ignores_the_host_the_request_names(site):
    trainer = signed_in(site, "trainer@example.com", role="instructor")
    cohort_id, token = make_cohort(site, 1)
    page = trainer.get(f"/instructor/cohorts/{cohort_id}", headers={"Host": "localhost:8000"}).text
    assert invite_link(page) == f"{BASE_URL}/join/{token}"
    assert f"participants type it at {BASE_URL}/join)" in page


def test_xapi_iris_start_with_the_base_url(site):
    trainer = signed_in(site, "trainer@example.com", role="instructor")
    cohort_id, token = make_cohort(site, 1)
    assign_on_the_web(trainer, cohort_id)
    ana = signed_in(site, "ana@example.com")
    join_by_link(ana, f"/join/{token}")
    submit_quiz(ana, RIGHT_ANSWERS)
    exported = trainer.get(
        f"/instructor/cohorts/{cohort_id}/export/xapi.json", headers={"Host": "localhost:8000"}
    )
    statements = json.loads(exported.text)
    assert statements
    for statement in statements:
        assert statement["object"]["id"].startswith(f"{BASE_URL}/courses/impasse/")


def test_an_untrusted_host_gets_a_plain_400_not_a_page_built_for_it(site):
    response = site.test_client().get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.text == (
        "This site is not served under that address (the request's Host header). "
        f"Use {BASE_URL}/ instead.\n"
    )


@pytest.mark.parametrize("host", ["parley.example.org", "127.0.0.1:8000", "localhost"])
def test_the_base_url_host_and_loopback_are_served(site, host):
    assert site.test_client().get("/ping", headers={"Host": host}).status_code == 200


def test_trusted_hosts_can_be_listed_in_the_environment(app_config, monkeypatch):
    monkeypatch.setenv("PARLEY_TRUSTED_HOSTS", "parley.example.org, .example.net")
    app = create_app(app_config)
    assert app.config["TRUSTED_HOSTS"] == ["parley.example.org", ".example.net"]
    assert app.test_client().get("/ping", headers={"Host": "a.example.net"}).status_code == 200
    assert app.test_client().get("/ping", headers={"Host": "example.com"}).status_code == 400


def test_production_needs_a_base_url(app_config):
    app_config.update(production_settings(BASE_URL=None))
    with pytest.raises(ConfigError, match="PARLEY_BASE_URL is required outside development"):
        create_app(app_config)


@pytest.mark.parametrize(
    "url", ["parley.example.org", "ftp://parley.example.org", "https://parley.example.org/app"]
)
def test_a_base_url_that_is_not_an_address_is_refused_by_name(app_config, url):
    app_config.update(BASE_URL=url)
    with pytest.raises(ConfigError, match=f"not '{re.escape(url)}'"):
        create_app(app_config)


def test_a_trailing_slash_on_the_base_url_is_dropped(app_config):
    app_config.update(BASE_URL="https://parley.example.org/")
    assert create_app(app_config).config["BASE_URL"] == "https://parley.example.org"


def seen_address(app_config, **settings) -> str:
    app_config.update(settings)
    app = create_app(app_config)
    app.add_url_rule("/address", "address", lambda: request.remote_addr or "")
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    return (
        app.test_client()
        .get("/address", headers=forwarded, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        .text
    )


def test_behind_one_proxy_the_client_address_is_the_forwarded_one(app_config):
    assert seen_address(app_config, PROXY_HOPS=1) == "203.0.113.9"


def test_with_no_proxy_hops_a_forwarded_address_is_ignored(app_config):
    assert seen_address(app_config) == "10.0.0.2"


def test_proxy_hops_must_be_a_number(app_config, monkeypatch):
    monkeypatch.setenv("PARLEY_PROXY_HOPS", "one")
    with pytest.raises(ConfigError, match="PARLEY_PROXY_HOPS must be a whole number, not 'one'"):
        create_app(app_config)

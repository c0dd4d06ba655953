import pytest

from parley import create_app
from parley.config import ConfigError
from parley.schema import code_revision
from tests.factories import production_settings


def test_testing_config_is_used(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_healthz_does_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "revision": code_revision()}


def test_healthz_is_503_when_database_is_unreachable(app_config, tmp_path):
    app_config["DATABASE_URL"] = f"sqlite:///{tmp_path}/missing-folder/x.db"
    client = create_app(app_config).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_secret_key_is_required_outside_development(app_config):
    app_config.update(ENV="production", SECRET_KEY=None, TESTING=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        create_app(app_config)


def test_development_secret_key_is_generated_once_with_mode_600(tmp_path):
    from parley.config import development_secret_key

    first = development_secret_key(tmp_path)
    assert development_secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PARLEY_COURSES_DIR", str(tmp_path / "elsewhere"))
    from parley.config import content_dirs

    courses, _ = content_dirs()
    assert courses == tmp_path / "elsewhere"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_every_response_has_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("key", ["x", "s" * 32, "abcdefgh" * 3])
def test_production_refuses_a_short_or_simple_secret_key(app_config, key):
    """#17: SECRET_KEY=x was accepted in production."""
    app_config.update(production_settings(SECRET_KEY=key))
    with pytest.raises(ConfigError, match="at least 32 random characters"):
        create_app(app_config)


def test_production_accepts_a_random_secret_key(app_config):
    app_config.update(production_settings())
    assert create_app(app_config).config["SECRET_KEY"] == app_config["SECRET_KEY"]

"""parley.mail against a real SMTP server on loopback, the development outbox, and the
PARLEY_MAIL_URL settings."""

from __future__ import annotations

import logging
import socket
import time
from email import message_from_bytes
from email.policy import default

import pytest

from parley import create_app
from parley.config import ConfigError, MailServer, from_environment, parse_mail_url
from parley.mail import MailNotConfigured, MailNotSent, Message, check_delivery, send, slug
from tests.factories import production_settings, smtp_server, unused_smtp_url

MESSAGE = Message(
    to="ana@example.com",
    subject="Reset your Parley password",
    text="Open https://parley.example.org/reset-password/abc to choose one.",
    html='<p><a href="https://parley.example.org/reset-password/abc">Choose one</a></p>',
)


def mail_app(app_config, **settings):
    return create_app({**app_config, "MAIL_FROM": "Parley <parley@example.org>", **settings})


def test_a_message_arrives_with_its_recipient_subject_and_both_parts(app_config, smtp):
    app = mail_app(app_config, MAIL_URL=smtp.url)
    with app.app_context():
        send(MESSAGE)
    (received,) = smtp.received
    assert received.recipients == ["ana@example.com"]
    assert received.sender == "parley@example.org"
    assert received.subject == "Reset your Parley password"
    assert str(received.message["From"]) == "Parley <parley@example.org>"
    assert received.text.strip() == MESSAGE.text
    assert received.html.strip() == MESSAGE.html
    assert received.message["Message-ID"].endswith("@example.org>")


def test_extra_headers_are_sent(app_config, smtp):
    app = mail_app(app_config, MAIL_URL=smtp.url)
    with app.app_context():
        send(Message(**{**MESSAGE.__dict__, "headers": {"Auto-Submitted": "auto-generated"}}))
    assert smtp.received[0].message["Auto-Submitted"] == "auto-generated"


def test_a_server_that_asks_for_a_login_gets_it(app_config):
    with smtp_server(login=("parley", "s3cret pass")) as server:
        app = mail_app(app_config, MAIL_URL=server.url)
        with app.app_context():
            send(MESSAGE)
        assert [m.recipients for m in server.received] == [["ana@example.com"]]


def test_a_wrong_login_is_a_clear_failure(app_config):
    with smtp_server(login=("parley", "right")) as server:
        wrong = server.url.replace("parley:right@", "parley:wrong@")
        app = mail_app(app_config, MAIL_URL=wrong)
        with app.app_context(), pytest.raises(MailNotSent) as failure:
            send(MESSAGE)
        assert server.received == []
    assert "refused the user name or password" in str(failure.value)
    assert "wrong" not in str(failure.value)


def test_a_refused_recipient_raises_mail_not_sent(app_config):
    with smtp_server(refuse=["ana@example.com"]) as server:
        app = mail_app(app_config, MAIL_URL=server.url)
        with app.app_context(), pytest.raises(MailNotSent) as failure:
            send(MESSAGE)
        assert server.received == []
    assert "the mail server refused the recipient (550 5.1.1 No such mailbox here)" in str(
        failure.value
    )


def test_a_server_that_is_down_raises_mail_not_sent(app_config):
    app = mail_app(app_config, MAIL_URL=unused_smtp_url())
    with app.app_context(), pytest.raises(MailNotSent) as failure:
        send(MESSAGE)
    assert "cannot be reached" in str(failure.value)


def test_a_server_that_never_answers_fails_within_the_timeout(app_config):
    with socket.socket() as silent:  # accepts connections (the backlog) but never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"smtp://127.0.0.1:{silent.getsockname()[1]}?starttls=0"
        app = mail_app(app_config, MAIL_URL=url, MAIL_TIMEOUT=1)
        started = time.monotonic()
        with app.app_context(), pytest.raises(MailNotSent) as failure:
            send(MESSAGE)
    assert time.monotonic() - started < 5
    assert "did not answer in time" in str(failure.value)


def test_starttls_is_required_when_the_url_asks_for_it(app_config, smtp):
    app = mail_app(app_config, MAIL_URL=smtp.url.replace("?starttls=0", ""))
    with app.app_context(), pytest.raises(MailNotSent) as failure:
        send(MESSAGE)
    assert smtp.received == []
    assert f"the mail server at 127.0.0.1:{smtp.port} does not offer STARTTLS" == str(failure.value)


def test_check_delivery_goes_through_the_envelope_without_sending(app_config):
    with smtp_server(refuse=["ghost@example.com"]) as server:
        app = mail_app(app_config, MAIL_URL=server.url)
        with app.app_context():
            check_delivery("ana@example.com")
            with pytest.raises(MailNotSent, match="refused the recipient"):
                check_delivery("ghost@example.com")
        assert server.received == []


def test_check_delivery_fails_like_send_when_the_server_is_down(app_config):
    app = mail_app(app_config, MAIL_URL=unused_smtp_url())
    with app.app_context(), pytest.raises(MailNotSent, match="cannot be reached"):
        check_delivery("ana@example.com")


def test_development_without_a_server_writes_the_outbox_and_logs_the_text(
    app_config, tmp_path, caplog
):
    app = create_app({**app_config, "ENV": "development", "MAIL_OUTBOX": str(tmp_path / "out")})
    with app.app_context(), caplog.at_level(logging.WARNING):
        send(MESSAGE)
    (path,) = (tmp_path / "out").iterdir()
    assert path.name.endswith("-reset-your-parley-password.eml")
    written = message_from_bytes(path.read_bytes(), policy=default)
    assert written["To"] == "ana@example.com"
    assert written.get_body(preferencelist=("plain",)).get_content().strip() == MESSAGE.text
    assert written.get_body(preferencelist=("html",)).get_content().strip() == MESSAGE.html
    assert "https://parley.example.org/reset-password/abc" in caplog.text
    assert f"written to {path}" in caplog.text


def test_production_without_a_server_raises_mail_not_configured(app_config):
    app = create_app({**app_config, **production_settings()})
    with app.app_context():
        with pytest.raises(MailNotConfigured, match="mail is not configured"):
            send(MESSAGE)
        with pytest.raises(MailNotConfigured):
            check_delivery("ana@example.com")


def test_subjects_become_file_name_slugs():
    assert slug("Reset your Parley password") == "reset-your-parley-password"
    assert slug("¿¡!!") == "message"
    assert len(slug("word " * 40)) <= 40


# --- PARLEY_MAIL_URL -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://user:p%40ss@mail.example.org:587",
            MailServer("mail.example.org", 587, False, True, "user", "p@ss"),
        ),
        ("smtp://mail.example.org", MailServer("mail.example.org", 587, False, True, None, None)),
        (
            "smtps://user:pw@mail.example.org",
            MailServer("mail.example.org", 465, True, False, "user", "pw"),
        ),
        (
            "smtp://localhost:25?starttls=0",
            MailServer("localhost", 25, False, False, None, None),
        ),
        (
            "smtp://u:p@127.0.0.1:2525?starttls=0",
            MailServer("127.0.0.1", 2525, False, False, "u", "p"),
        ),
    ],
)
def test_mail_urls_are_read(url, expected):
    assert parse_mail_url(url) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mail.example.org", "PARLEY_MAIL_URL must read like smtp://"),
        ("smtp://", "PARLEY_MAIL_URL must read like smtp://"),
        ("smtp://mail.example.org:port", "has a port that is not a number"),
        ("smtp://mail.example.org?tls=1", "takes one option, ?starttls=0"),
        ("smtp://mail.example.org?starttls=no", "takes one option, ?starttls=0"),
        ("smtp://u:secret@mail.example.org?starttls=0", "would send a password unencrypted"),
    ],
)
def test_bad_mail_urls_are_refused_at_start_without_the_password(app_config, url, problem):
    with pytest.raises(ConfigError) as refused:
        create_app({**app_config, "MAIL_URL": url})
    assert problem in str(refused.value)
    assert "secret" not in str(refused.value)


def test_production_with_a_mail_url_needs_a_sender(app_config):
    with pytest.raises(ConfigError, match="PARLEY_MAIL_FROM is required"):
        create_app({**app_config, **production_settings(MAIL_URL="smtp://mail.example.org")})


def test_mail_settings_come_from_the_environment():
    settings = from_environment(
        {
            "PARLEY_MAIL_URL": "smtps://u:p@mail.example.org",
            "PARLEY_MAIL_FROM": "Parley <parley@example.org>",
            "PARLEY_MAIL_TIMEOUT": "5",
            "PARLEY_RESET_REQUESTS_PER_EMAIL": "2 per hour",
        }
    )
    assert settings == {
        "MAIL_URL": "smtps://u:p@mail.example.org",
        "MAIL_FROM": "Parley <parley@example.org>",
        "MAIL_TIMEOUT": 5,
        "RESET_REQUESTS_PER_EMAIL": "2 per hour",
    }

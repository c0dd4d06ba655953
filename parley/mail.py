"""Sending e-mail: through the SMTP server of PARLEY_MAIL_URL, or, in development without one,
to the console and instance/outbox/ so that a newcomer sees every link.

Uses the standard library (smtplib, email.message): one message at a time needs no more.
Every failure to hand a message to the server raises MailNotSent; callers catch it and say so.
Rendering the message (Jinja templates under templates/mail/) is the web layer's work.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from flask import current_app

from parley.config import MailServer, parse_mail_url

DEVELOPMENT_SENDER = "Parley <parley@localhost>"


class MailNotSent(Exception):
    """The message could not be handed to the mail server (or there is none); the message says
    why, without secrets."""


class MailNotConfigured(MailNotSent):
    """There is no mail server outside development: nothing is sent."""


class MessageRefused(MailNotSent):
    """The server refused this message or its recipient, not the conversation: the next
    message, to someone else, may still go."""


@dataclass(frozen=True)
class Message:
    """An e-mail to one person: a text part, an HTML part and any extra headers."""

    to: str
    subject: str
    text: str
    html: str
    headers: Mapping[str, str] = field(default_factory=dict)


def mail_enabled(config: Mapping[str, Any]) -> bool:
    """Whether messages go anywhere: a mail server, or the development outbox."""
    return bool(config.get("MAIL_URL")) or config.get("ENV") == "development"


def mail_server_configured(config: Mapping[str, Any]) -> bool:
    """Whether messages reach people (a real server), not only the development outbox."""
    return bool(config.get("MAIL_URL"))


# The default policy, except that headers set raw (set_raw) are written as they are.
KEEP_RAW_HEADERS = email_policy.default.clone(refold_source="none")


def build(message: Message, sender: str) -> EmailMessage:
    """The message as it is sent: text first, then the HTML alternative."""
    email = EmailMessage(policy=KEEP_RAW_HEADERS)
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=_domain(sender))
    for name, value in message.headers.items():
        if value.isascii() and "\r" not in value and "\n" not in value:
            # As given: List-Unsubscribe's "<url>" must stay one line. Folding it, the
            # library would write a long unbroken URL as RFC 2047 encoded words, which no
            # mail client reads as a URL.
            email.set_raw(name, value)
        else:
            email[name] = value
    email.set_content(message.text, cte=_transfer_encoding(message.text))
    email.add_alternative(message.html, subtype="html", cte=_transfer_encoding(message.html))
    return email


def _transfer_encoding(text: str) -> str | None:
    """7bit where the text allows it (ASCII, lines within SMTP's 998 characters), so that a
    saved message reads as it is, links whole; otherwise the library's choice."""
    fits = text.isascii() and all(len(line) <= 998 for line in text.splitlines())
    return "7bit" if fits else None


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


def sender(config: Mapping[str, Any]) -> str:
    return str(config.get("MAIL_FROM") or DEVELOPMENT_SENDER)


def send(message: Message, config: Mapping[str, Any] | None = None) -> None:
    """Send one message; raise MailNotSent if it could not be handed over (MailNotConfigured
    outside development without a mail server)."""
    config = current_app.config if config is None else config
    email = build(message, sender(config))
    if config.get("MAIL_URL"):
        server = parse_mail_url(str(config["MAIL_URL"]))
        with _Conversation(server, int(config.get("MAIL_TIMEOUT") or 10)) as smtp:
            _refused(smtp.send_message, email)
        return
    if config.get("ENV") != "development":
        raise MailNotConfigured("mail is not configured on this site (PARLEY_MAIL_URL)")
    _to_outbox(email, message)


def check_delivery(to: str, config: Mapping[str, Any] | None = None) -> None:
    """Go through a sending's envelope (MAIL FROM, RCPT TO) and stop before the message: the
    same conversation and the same failures as send(), with nothing delivered. Raise
    MailNotSent where send() would have."""
    config = current_app.config if config is None else config
    if not config.get("MAIL_URL"):
        if config.get("ENV") != "development":
            raise MailNotConfigured("mail is not configured on this site (PARLEY_MAIL_URL)")
        return
    server = parse_mail_url(str(config["MAIL_URL"]))
    from_address = parseaddr(sender(config))[1]
    with _Conversation(server, int(config.get("MAIL_TIMEOUT") or 10)) as smtp:

        def envelope() -> None:
            options = []
            if not (from_address + to).isascii():  # as send_message() decides
                if not smtp.has_extn("smtputf8"):
                    raise smtplib.SMTPNotSupportedError(
                        "an address is not ASCII and the server does not offer SMTPUTF8"
                    )
                options = ["SMTPUTF8"]
            code, reply = smtp.mail(from_address, options)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, from_address)
            code, reply = smtp.rcpt(to)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
            smtp.rset()

        _refused(envelope)


class _Conversation:
    """An SMTP conversation, opened, secured and logged in, or MailNotSent saying which step
    failed; closed on leaving."""

    def __init__(self, server: MailServer, timeout: int) -> None:
        self.server = server
        self.timeout = timeout
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> smtplib.SMTP:
        server = self.server
        where = f"{server.host}:{server.port}"
        try:
            if server.implicit_tls:
                smtp = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=self.timeout, context=_tls()
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
            self.smtp = smtp
            smtp.ehlo()
            if server.starttls:
                if not smtp.has_extn("starttls"):
                    raise MailNotSent(f"the mail server at {where} does not offer STARTTLS")
                smtp.starttls(context=_tls())
                smtp.ehlo()
            if server.username:
                smtp.login(server.username, server.password or "")
        except MailNotSent:
            self._close()
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise MailNotSent(
                f"the mail server at {where} refused the user name or password"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise MailNotSent(
                f"the mail server at {where} cannot be reached: {_reason(exc)}"
            ) from exc
        return smtp

    def __exit__(self, *_exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        self.smtp = None


def _refused(step, *args: Any) -> None:
    """Run one step of the conversation; turn the server's refusal into MailNotSent."""
    try:
        step(*args)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = ", ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        raise MessageRefused(f"the mail server refused the recipient ({codes})") from exc
    except smtplib.SMTPSenderRefused as exc:
        raise MailNotSent(
            f"the mail server refused the sender {exc.sender} ({exc.smtp_code} "
            f"{_text(exc.smtp_error)})"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise MessageRefused(
            f"the mail server refused the message ({exc.smtp_code} {_text(exc.smtp_error)})"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:  # e.g. an address beyond ASCII, no SMTPUTF8
        raise MessageRefused(f"the mail server cannot take this message: {exc}") from exc
    except UnicodeError as exc:  # an address smtplib cannot write for this server
        raise MessageRefused("the mail server cannot take this address (not ASCII)") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"the mail server stopped answering: {_reason(exc)}") from exc


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reason(exc: BaseException) -> str:
    # smtplib turns a timeout while reading a reply into SMTPServerDisconnected
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return "it did not answer in time"
    return str(exc) or exc.__class__.__name__


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _to_outbox(email: EmailMessage, message: Message) -> None:
    """Development without a mail server: write the message to MAIL_OUTBOX (instance/outbox/;
    None writes no file) and show it in the log, so the person running the app sees the link."""
    folder = current_app.config.get("MAIL_OUTBOX")
    where = "shown here only (no MAIL_OUTBOX)"
    if folder:
        outbox = Path(folder)
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{slug(message.subject)}.eml"
        path.write_bytes(email.as_bytes())
        where = f"written to {path}"
    # A warning, so that it shows at the default log level: this mail went to no one.
    current_app.logger.warning(
        "mail not sent (no PARLEY_MAIL_URL in development); %s\nTo: %s\nSubject: %s\n\n%s",
        where,
        message.to,
        message.subject,
        message.text,
    )


def slug(text: str, length: int = 40) -> str:
    """ "Reset your Parley password" -> "reset-your-parley-password"."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:length].rstrip("-") or "message"

"""Mail written from templates/mail/<name>.txt and .html, for parley.mail to send."""

from __future__ import annotations

from typing import Any

from flask import render_template

from parley.mail import Message


def compose(name: str, to: str, subject: str, **context: Any) -> Message:
    """The message templates/mail/<name>.txt and <name>.html make, both given context."""
    return Message(
        to=to,
        subject=subject,
        text=render_template(f"mail/{name}.txt", subject=subject, **context),
        html=render_template(f"mail/{name}.html", subject=subject, **context),
    )

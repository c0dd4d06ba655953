"""Refuse request text that no database column can store (NUL characters)."""

from flask import Flask, abort, request


def refuse_unstorable_text() -> None:
    if request.method != "POST":
        return
    values = [v for key in request.form for v in (key, *request.form.getlist(key))]
    if any("\x00" in value for value in values):
        abort(
            400,
            description="The form contained a character that cannot be stored (NUL). "
            "Nothing was saved; remove it and try again.",
        )


def register_input_guard(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)

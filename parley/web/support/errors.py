"""Friendly error pages; a 500 logs its traceback under a request id and shows the id."""

from __future__ import annotations

import secrets
import time

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from parley.extensions import limiter

TITLES = {
    400: "That request could not be used",
    401: "Please log in",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That changed while you were working",
    413: "That was too large to accept",
    429: "Too many attempts",
    503: "Parley is unavailable for a moment",
}


def _request_id() -> str:
    if "request_id" not in g:
        g.request_id = secrets.token_hex(6)
    return g.request_id


def _wants_json() -> bool:
    return request.path.startswith("/healthz") or (
        request.accept_mimetypes.best == "application/json"
    )


def _render(status: int, title: str, message: str, request_id: str | None = None):
    if _wants_json():
        return jsonify(error=title, message=message, request_id=request_id), status
    page = render_template(
        "error.html", status=status, title=title, message=message, request_id=request_id
    )
    return page, status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    title = TITLES.get(status, error.name)
    response = _render(status, title, error.description or title)
    retry_after = _retry_after(error) if status == 429 else None
    if retry_after:
        return response[0], status, {"Retry-After": str(retry_after)}
    return response


def _retry_after(error: HTTPException) -> int | None:
    """Seconds until a coarse Flask-Limiter limit lets this address in again. Flask-Limiter's
    own headers are off: they would overwrite the exact Retry-After of the database
    lock-outs, whose pages set it themselves."""
    current = limiter.current_limit if isinstance(error, RateLimitExceeded) else None
    if current is not None:
        return max(1, current.reset_at - int(time.time()))
    return getattr(error, "retry_after", None)


def handle_csrf_error(error: CSRFError):
    message = (
        "This form had expired or did not come from this site, so nothing was saved. "
        "Go back, reload the page and try again."
    )
    return _render(400, "The form could not be accepted", message)


def handle_untrusted_host(_error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either."""
    base = current_app.config.get("BASE_URL")
    where = f" Use {base}/ instead." if base else ""
    message = f"This site is not served under that address (the request's Host header).{where}\n"
    return message, 400, {"Content-Type": "text/plain; charset=utf-8"}


def handle_database_unavailable(error: OperationalError | InterfaceError):
    """The database cannot be opened or reached: a 503 saying nothing was saved, not a 500."""
    request_id = _request_id()
    current_app.logger.error(
        "request %s: database unavailable: %s %s: %s",
        request_id,
        request.method,
        request.path,
        str(error.orig).splitlines()[0] if error.orig else error.__class__.__name__,
    )
    message = (
        "Parley cannot reach its database just now, so nothing you sent was saved. "
        f"Try again in a few minutes; if it goes on, quote the reference {request_id}."
    )
    return _render(503, TITLES[503], message, request_id)


def handle_unexpected(error: Exception):
    request_id = _request_id()
    original = getattr(error, "original_exception", None) or error
    if not isinstance(original, HTTPException) or isinstance(original, InternalServerError):
        current_app.logger.error(
            "request %s failed: %s %s",
            request_id,
            request.method,
            request.path,
            exc_info=original if isinstance(original, BaseException) else None,
        )
    message = (
        "Something went wrong on our side and nothing you sent was lost or half-saved. "
        f"If it happens again, quote the reference {request_id}."
    )
    return _render(500, "Something went wrong", message, request_id)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)

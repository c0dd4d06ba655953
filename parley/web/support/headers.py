"""Security headers on every response."""

from flask import Flask, Response, current_app

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


HSTS = "max-age=31536000; includeSubDomains"  # a year


def no_store(page: str, status: int = 200) -> tuple[str, int, dict[str, str]]:
    """A page no browser or proxy keeps: one that shows a link, a token's account or an
    address."""
    return page, status, {"Cache-Control": "no-store"}


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Served over HTTPS (cookies are secure only then): browsers must keep to HTTPS.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)

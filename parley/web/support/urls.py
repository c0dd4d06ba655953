"""Absolute URLs the app writes (invitations, exports): from PARLEY_BASE_URL, never the
request's Host header, which anyone can set."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for


def site_root() -> str:
    """The site's address ending in "/": BASE_URL, or this request's in development."""
    base = current_app.config.get("BASE_URL")
    return base.rstrip("/") + "/" if base else request.url_root


def absolute_url(endpoint: str, **values: object) -> str:
    """url_for(endpoint) as a full address under site_root()."""
    return site_root() + url_for(endpoint, **values).lstrip("/")


def register_absolute_urls(app: Flask) -> None:
    app.jinja_env.globals["absolute_url"] = absolute_url


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, read the client's address, scheme, host and prefix
    from their X-Forwarded-* headers (set by each proxy) instead of the proxy's own."""
    hops = app.config.get("PROXY_HOPS") or 0
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )

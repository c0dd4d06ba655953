"""url_for for templates, remembered per app: a page builds dozens of links, mostly the same."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for

CACHE_SIZE = 4096  # links kept per app; the cache starts again when full


def remembered_url_for(endpoint: str, **values: Any) -> str:
    """Build a relative link once per app; external, anchored or unusual links every time."""
    if any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    if endpoint.startswith("."):
        endpoint = f"{request.blueprint}{endpoint}" if request.blueprint else endpoint[1:]
    try:
        key = (request.script_root, endpoint, tuple(sorted(values.items())))
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    links: dict = current_app.extensions["parley_links"]
    found = links.get(key)
    if found is None:
        found = url_for(endpoint, **values)
        if len(links) >= CACHE_SIZE:
            links.clear()
        links[key] = found
    return found


def register_remembered_links(app: Flask) -> None:
    app.extensions["parley_links"] = {}
    app.jinja_env.globals["url_for"] = remembered_url_for

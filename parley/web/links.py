"""Addresses that every page links to, built once per app instead of on every page."""

from flask import Flask, current_app, url_for

SITE_LINKS = {
    "stylesheet": ("static", {"filename": "parley.css"}),
    "icon": ("static", {"filename": "favicon.svg"}),
    "landing": ("learn.landing", {}),
    "catalogue": ("learn.catalogue", {}),
    "dashboard": ("learn.dashboard", {}),
    "password": ("auth.password", {}),
    "instructor": ("instructor.index", {}),
    "login": ("auth.login", {}),
    "register": ("auth.register", {}),
    "logout": ("auth.logout", {}),
}


def site_links() -> dict[str, dict[str, str]]:
    links = current_app.extensions.get("parley_site_links")
    if links is None:
        links = {name: url_for(endpoint, **args) for name, (endpoint, args) in SITE_LINKS.items()}
        current_app.extensions["parley_site_links"] = links
    return {"site": links}


def register_site_links(app: Flask) -> None:
    app.context_processor(site_links)

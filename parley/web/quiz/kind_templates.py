"""Serve each question kind's macros to Jinja as "kinds/<kind>.html", from the kind itself."""

from __future__ import annotations

from flask import Flask
from jinja2 import BaseLoader, ChoiceLoader, Environment, TemplateNotFound

from parley.grading import KINDS

PREFIX = "kinds/"


class KindTemplates(BaseLoader):
    """Finds "kinds/<name>.html" by asking the kind registered under name for its source."""

    def get_source(self, environment: Environment, template: str):
        name = template.removeprefix(PREFIX).removesuffix(".html")
        kind = KINDS.get(name)
        if not template.startswith(PREFIX) or kind is None:
            raise TemplateNotFound(template)
        path = kind.template_path()
        if path is None:  # a kind that carries its macros as text, such as one made in a test
            return kind.template_source(), None, lambda: True
        mtime = path.stat().st_mtime
        return kind.template_source(), str(path), lambda: path.stat().st_mtime == mtime


def register_kind_templates(app: Flask) -> None:
    """Look up templates in the templates folder first, then among the kinds."""
    app.jinja_loader = ChoiceLoader([app.jinja_loader, KindTemplates()])

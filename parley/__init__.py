"""Parley: scenario-based strategy training."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from parley import config as settings
from parley.config import PROJECT_ROOT

if TYPE_CHECKING:  # Flask is imported when an app is built, so parley.grading stays pure.
    from flask import Flask

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Parley app; config overrides everything else (tests use it)."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, config)
    init_extensions(app)
    load_content(app)
    register_blueprints(app)
    register_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def configure(app: Flask, config: dict[str, Any] | None) -> None:
    instance = Path(app.instance_path)
    app.config.from_mapping(settings.defaults(instance))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    settings.finish(app.config, instance)


def init_extensions(app: Flask) -> None:
    from parley.accounts.signed_in import load_user, register_session_upkeep
    from parley.extensions import csrf, db, limiter, login_manager

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    register_session_upkeep(app)  # writes last_seen_at at most hourly, after the view


def load_content(app: Flask) -> None:
    """Load courses and quizzes once; raise ContentInvalid naming every bad file."""
    from parley.cohorts.snapshots import CohortSnapshots
    from parley.content import ContentInvalid, load_library

    library, report = load_library(
        Path(app.config["COURSES_DIR"]),
        Path(app.config["QUIZZES_DIR"]),
        render_cache_dir=app.config.get("RENDER_CACHE_DIR"),
    )
    if report.errors:
        raise ContentInvalid(report)
    app.extensions["parley_content"] = library
    app.extensions["parley_snapshots"] = CohortSnapshots(library)


def register_blueprints(app: Flask) -> None:
    from parley.web import auth, cohorts, instructor, learn, quiz
    from parley.web.support import health
    from parley.web.support.ids import register_id_converter

    register_id_converter(app)  # before any route with an id is added
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(learn.blueprint)
    app.register_blueprint(quiz.blueprint)
    app.register_blueprint(cohorts.blueprint)
    app.register_blueprint(instructor.blueprint)
    app.register_blueprint(health.blueprint)


def register_handlers(app: Flask) -> None:
    from parley.web.support.bodies import bound_request_bodies
    from parley.web.support.errors import register_error_handlers
    from parley.web.support.headers import register_security_headers
    from parley.web.support.input_guard import register_input_guard
    from parley.web.support.urls import trust_proxies

    trust_proxies(app)
    bound_request_bodies(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_input_guard(app)


def register_template_helpers(app: Flask) -> None:
    from parley.learning.status import Status
    from parley.web.quiz.kind_templates import register_kind_templates
    from parley.web.quiz.rendered_questions import register_drawn_questions
    from parley.web.support.dates import register_date_filters
    from parley.web.support.urls import register_absolute_urls

    app.jinja_env.globals["Status"] = Status  # macros.html gives each status its words and look
    register_macros(app)
    register_kind_templates(app)
    register_drawn_questions(app)
    register_absolute_urls(app)
    register_date_filters(app)  # when, day: times in the reader's zone, years when not this one


PAGE_MACROS = (
    "field",
    "STATUS_LOOK",
    "status_class",
    "status_label",
    "badge",
    "status_badge",
    "progress_bar",
    "mastery_meter",
)


def register_macros(app: Flask) -> None:
    """Make templates/macros.html's macros available to every template, built once."""
    # Importing macros.html in each page costs 0.1M instructions a page (callgrind), 2.5% of
    # the lesson page and all of its slowdown against the Python-built badges it replaces.
    macros = app.jinja_env.get_template("macros.html").module
    app.jinja_env.globals.update({name: getattr(macros, name) for name in PAGE_MACROS})


def register_cli(app: Flask) -> None:
    from parley.cli import cohorts_cli, db_cli, demo_command, reminders_cli, users_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(cohorts_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(reminders_cli)

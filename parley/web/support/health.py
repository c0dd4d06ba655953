"""GET /healthz: the schema revision read from the database, against the code's; GET /ping."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from parley.extensions import db
from parley.schema import SchemaProblem, check_schema

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    try:
        revision = check_schema(db.session, current_app.config["DATABASE_URL"])
    except SchemaProblem as problem:
        current_app.logger.warning("health check failed: %s", problem)
        return jsonify(status="unavailable", reason=str(problem), **problem.revisions), 503
    return jsonify(status="ok", revision=revision)


@blueprint.get("/ping")
def ping():
    """A constant answer with no database work: liveness, and the benchmark's baseline."""
    return "pong\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

"""GET /healthz: a real database round trip."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from parley.extensions import db

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as exc:
        current_app.logger.warning("health check failed: %s", exc.__class__.__name__)
        return jsonify(status="unavailable", reason="database unreachable"), 503
    return jsonify(status="ok")


@blueprint.get("/ping")
def ping():
    """A constant answer with no database work: liveness, and the benchmark's baseline."""
    return "pong\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

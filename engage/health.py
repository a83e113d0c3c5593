"""Health checks for load balancers and process supervisors.

- ``GET /healthz/live``: the process answers (no database): restart it when this fails.
- ``GET /healthz/ready``: the database answers and its schema is the one this code
  expects (migrations current): send it requests only when this answers 200. During an
  upgrade, servers running the new code stay out of rotation until ``engage init-db``
  has run, and report why.
- ``GET /healthz``: the database answers (kept as it was for existing checks).
"""

from flask import Blueprint, jsonify
from sqlalchemy import text

from engage import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers a trivial query, 503 otherwise."""
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not healthy"
        return jsonify(status="error", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")


@bp.get("/healthz/live")
def live():
    """Answer 200 while the process can answer at all; the database is not asked."""
    return jsonify(status="ok")


@bp.get("/healthz/ready")
def ready():
    """Answer 200 when the database answers at the newest schema, else 503 with the reason."""
    try:
        current = db.current_revision(db.engine())
    except Exception as error:  # any driver error means "not ready"
        reason = f"database unreachable ({type(error).__name__})"
        return jsonify(status="error", database=type(error).__name__, reason=reason), 503
    head = db.head_revision()
    if current != head:
        reason = f"schema at {current or 'nothing'}, this code needs {head}: run engage init-db"
        return jsonify(status="error", database="ok", schema=current, reason=reason), 503
    return jsonify(status="ok", database="ok", schema=current)

"""``GET /healthz``: is the app up and can it reach its database?"""

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

"""The analysis settings' blueprint, open to staff and administrators only."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import format_datetime

from engage.auth import role_required
from engage.formatting import percent_text
from surveys.models import ROLE_ADMIN, ROLE_STAFF

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.before_request
@role_required(ROLE_ADMIN, ROLE_STAFF)
def require_staff() -> None:
    """Every settings page is for staff and administrators only (brokers get 403)."""


@bp.context_processor
def settings_helpers() -> dict:
    """Give the settings templates their formatting helpers."""
    return {"percent": percent_text, "format_datetime": format_datetime}

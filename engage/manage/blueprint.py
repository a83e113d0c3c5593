"""The builder's blueprint, open to staff and administrators only."""

from __future__ import annotations

from flask import Blueprint

from engage.auth import role_required
from surveys.models import ROLE_ADMIN, ROLE_STAFF

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@role_required(ROLE_ADMIN, ROLE_STAFF)
def require_staff() -> None:
    """Every builder page is for staff and administrators only."""

"""The API blueprint (``/api/v1``): its rate limit, language and problem answers."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from engage.api import errors
from engage.api.auth import rate_limit_key, require_token
from engage.limits import limiter

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)


def api_rate_limit() -> str:
    """Return the configured limit of API requests per token (or per address without one)."""
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(api_rate_limit, key_func=rate_limit_key)(bp)
errors.register(bp)


@bp.before_request
def speak_and_take_json():
    """Answer in the Accept-Language language; a body needs a token and must be JSON."""
    errors.use_request_language()
    if request.method in ("POST", "PUT", "PATCH"):
        require_token()  # who is asking comes before what they sent
        if not request.is_json:
            raise errors.ApiError(
                415,
                "unsupported_media_type",
                _("Send the body as JSON (Content-Type: application/json)."),
            )

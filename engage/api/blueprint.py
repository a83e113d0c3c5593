"""The API blueprint (``/api/v1``): its rate limit, language and problem answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from engage.api import errors
from engage.api.auth import TOKEN_REQUIRED, rate_limit_key, require_token
from engage.limits import limiter

PREFIX = "/api/v1"
# What a survey's address behind a token may answer besides 400: no valid token, a scope
# or assignment missing, no such survey, too many requests.
TOKEN_PROBLEMS = (401, 403, 404, 429)

bp = Blueprint("api", __name__, url_prefix=PREFIX)


def api_rate_limit() -> str:
    """Return the configured limit of API requests per token (or per address without one)."""
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(api_rate_limit, key_func=rate_limit_key)(bp)
errors.register(bp)


def documented(
    operation_id: str,
    tag: str,
    status: int,
    schema,
    *,
    problems: Iterable[int] = (),
    security: list[dict] = TOKEN_REQUIRED,
    parameters: list[dict] | None = None,
    **response_options,
) -> Callable:
    """Describe an operation in the OpenAPI document: its answer, its problems, its tag.

    Every operation documents 400 (control characters in the address are refused
    everywhere), then ``problems``, each as the problem details response of its status.
    """
    doc = {"tags": [tag], "security": security, "operationId": operation_id}
    if parameters:
        doc["parameters"] = parameters

    def decorate(view: Callable) -> Callable:
        view = bp.doc(**doc)(view)
        for code in sorted({400, *problems}, reverse=True):
            view = bp.alt_response(code, response=HTTPStatus(code).name)(view)
        return bp.response(status, schema, **response_options)(view)

    return decorate


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

"""Every API error as RFC 9457 problem details, with a machine code and a translated message.

Body (``application/problem+json``): ``type`` (``urn:engage:problem:<code>``), ``title``
(the status's name, translated), ``status``, ``detail`` (what went wrong, translated in
the ``Accept-Language`` language), ``code`` (stable, for programs), ``instance`` (the
address asked for) and, for refused fields, ``errors``: one ``{field, code, message}``
each. Bad input is answered 400 (malformed request: query, header, JSON syntax) or 422
(a well-formed body whose content is refused), never 500.
"""

from __future__ import annotations

import math
import time

import marshmallow as ma
from flask import Flask, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from engage.db import DatabaseBusyError, is_busy
from engage.i18n import INTERFACE_LANGUAGES, babel_locale_id, default_language, interface_language
from engage.limits import limiter
from engage.security import CONTROL_CHARACTERS_MESSAGE, ControlCharactersError
from surveys.languages import normalize_tag

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:engage:problem:"

# Status -> (title, default code, default detail).
STATUS_TEXTS = {
    400: (_l("Bad request"), "bad_request", _l("The request is malformed.")),
    401: (
        _l("Unauthorized"),
        "unauthorized",
        _l("Send a valid API token: Authorization: Bearer engage_..."),
    ),
    403: (_l("Forbidden"), "forbidden", _l("This token may not do that.")),
    404: (_l("Not found"), "not_found", _l("There is nothing at this address.")),
    405: (
        _l("Method not allowed"),
        "method_not_allowed",
        _l("This address does not take that method."),
    ),
    406: (_l("Not acceptable"), "not_acceptable", _l("This address answers JSON only.")),
    409: (_l("Conflict"), "conflict", _l("The request conflicts with what is stored.")),
    413: (
        _l("Content too large"),
        "too_large",
        _l("The request is larger than this server accepts."),
    ),
    415: (
        _l("Unsupported media type"),
        "unsupported_media_type",
        _l("Send the body as JSON (Content-Type: application/json)."),
    ),
    422: (_l("Unprocessable content"), "invalid_body", _l("Some values were refused.")),
    429: (
        _l("Too many requests"),
        "rate_limited",
        _l("Too many requests with this token or from this address. Wait and try again."),
    ),
    500: (
        _l("Internal server error"),
        "server_error",
        _l("Something went wrong on our side. Please try again later."),
    ),
    503: (
        _l("Service unavailable"),
        "busy",
        _l("The server is busy. Nothing was stored: send the request again in a moment."),
    ),
}


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with Engage's machine code and refused fields."""

    type = ma.fields.String(required=True, metadata={"description": "urn:engage:problem:CODE"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True, metadata={"description": "translated message"})
    code = ma.fields.String(required=True, metadata={"description": "machine-readable code"})
    instance = ma.fields.String(required=True)
    errors = ma.fields.List(
        ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()),
        metadata={"description": "refused fields: field, code and message each"},
    )


class ApiError(Exception):
    """An API refusal: HTTP status, machine code, translated detail, optional field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        errors: list[dict] | None = None,
        headers: dict | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def use_request_language() -> None:
    """Speak the ``Accept-Language`` language (never a cookie), unless already chosen."""
    if "interface_language" in g:
        return
    best = request.accept_languages.best_match(
        list(INTERFACE_LANGUAGES) + [babel_locale_id(tag) for tag in INTERFACE_LANGUAGES]
    )
    g.interface_language = interface_language(normalize_tag(best)) if best else default_language()


def problem(
    status: int,
    code: str | None = None,
    detail: str | None = None,
    *,
    errors: list[dict] | None = None,
    headers: dict | None = None,
):
    """Return the problem+json response of ``status``."""
    use_request_language()
    title, default_code, default_detail = STATUS_TEXTS.get(status, STATUS_TEXTS[500])
    code = code or default_code
    body = {
        "type": TYPE_PREFIX + code,
        "title": str(title),
        "status": status,
        "detail": str(detail or default_detail),
        "code": code,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers["Content-Language"] = g.interface_language
    response.headers.update(headers or {})
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="engage"')
    return response


def field_errors(messages, location: str = "") -> list[dict]:
    """Flatten marshmallow's nested messages into ``{field, code, message}`` entries."""
    found: list[dict] = []

    def walk(value, path: list[str]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, [*path, str(key)])
        elif isinstance(value, list | tuple) and value and not isinstance(value[0], str):
            for inner in value:
                walk(inner, path)
        else:
            for message in value if isinstance(value, list | tuple) else [value]:
                found.append({"field": ".".join(path), "code": "invalid", "message": str(message)})

    walk(messages, [location] if location else [])
    return found


def http_error(error: HTTPException):
    """Answer any HTTP error raised in the API (webargs' refusals included) as a problem."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if status == 400 and isinstance(messages, dict) and "json" in messages:
        return problem(400, "invalid_json", _("The body is not valid JSON."))
    if messages:
        # webargs: {"json": {...}} or {"query": {...}}; the location stays in each field.
        errors = []
        for location, inner in messages.items():
            errors.extend(field_errors(inner, "" if location == "json" else location))
        code = "invalid_parameter" if status == 400 else "invalid_body"
        detail = (
            _("Some parameters were refused.") if status == 400 else _("Some values were refused.")
        )
        return problem(status, code, detail, errors=errors)
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(status, headers=headers)


def api_error(error: ApiError):
    """Answer a refusal the API raised itself."""
    return problem(
        error.status, error.code, error.detail, errors=error.errors, headers=error.headers
    )


def rate_limited(_error: RateLimitExceeded):
    """Answer 429 with when to try again."""
    seconds = 60
    current = limiter.current_limit
    if current is not None:
        seconds = max(1, math.ceil(current.reset_at - time.time()))
    return problem(429, headers={"Retry-After": str(seconds)})


def control_characters(_error):
    """Refuse control characters in the address or query, as the pages do, as a problem."""
    return problem(400, "control_characters", str(CONTROL_CHARACTERS_MESSAGE))


def busy(error: Exception):
    """Answer 503 "send it again" when the database stayed locked; any other error stays 500."""
    if isinstance(error, OperationalError) and not is_busy(error):
        raise error
    seconds = max(1, math.ceil(current_app.config["SQLITE_BUSY_TIMEOUT"]))
    return problem(503, headers={"Retry-After": str(seconds)})


def register(bp) -> None:
    """Answer every error of the API blueprint as problem details."""
    bp.register_error_handler(ApiError, api_error)
    bp.register_error_handler(RateLimitExceeded, rate_limited)
    bp.register_error_handler(ControlCharactersError, control_characters)
    bp.register_error_handler(DatabaseBusyError, busy)
    bp.register_error_handler(OperationalError, busy)
    bp.register_error_handler(HTTPException, http_error)
    # The app's own pages register these codes; the API's must win inside the API.
    for status in STATUS_TEXTS:
        if status not in (429,):
            bp.register_error_handler(status, http_error)


def answer_unrouted(app: Flask, prefix: str) -> None:
    """Answer an unknown address or method under ``prefix`` as a problem, not an HTML page.

    Routing fails before any blueprint is chosen, so the blueprint's handlers never see it.
    """

    @app.before_request
    def unrouted_api_request():
        failure = request.routing_exception
        if (
            isinstance(failure, HTTPException)
            and failure.code in (404, 405)
            and request.path.startswith(prefix)
        ):
            return http_error(failure)
        return None

"""The JSON API (``/api/v1``), described by an OpenAPI 3.1 document built from the code.

flask-smorest reads the routes and their marshmallow schemas (``surveys``, ``responses``,
``reports``) into ``/api/v1/openapi.json``; nothing of the description is written by
hand. Decisions:

- Bearer tokens only (``auth``): the session cookie is never read, so the blueprint is
  exempt from CSRF protection (a page cannot act through it).
- Every error is problem details (RFC 9457, ``errors``), translated by ``Accept-Language``.
- One rate limit for every address, per token (``API_RATE_LIMIT``, Flask-Limiter).
- Responses and reports go through the same rules as the pages that show them.
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api

from engage.api import errors

API_TITLE = "Engage"
API_VERSION = "1"


class EngageApi(Api):
    """flask-smorest's Api, answering errors only inside the API, as problem details.

    flask-smorest would register its JSON error handler on the whole app, taking over
    the HTML error pages; the blueprint registers its own (``errors.register``) instead.
    Its documented error responses are problem details (``application/problem+json``).
    """

    ERROR_SCHEMA = errors.ProblemSchema

    def _register_error_handlers(self) -> None:
        """Leave the app's error pages alone."""

    def _register_responses(self) -> None:
        """Document every error status as problem details."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if status >= 400:
                response["content"] = {errors.PROBLEM_JSON: {"schema": errors.ProblemSchema}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            "DEFAULT_ERROR",
            {
                "description": "Problem details",
                "content": {errors.PROBLEM_JSON: {"schema": errors.ProblemSchema}},
            },
            lazy=True,
        )


def init_app(app: Flask) -> None:
    """Mount the API at ``/api/v1`` with its OpenAPI document at ``/api/v1/openapi.json``."""
    from engage.api import reports, responses, surveys  # noqa: F401 - their routes
    from engage.api.auth import BEARER_SCHEME
    from engage.api.blueprint import PREFIX, bp
    from engage.auth import csrf

    app.config.setdefault("API_RATE_LIMIT", "120 per minute")
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Engage's surveys, responses and reports. Send an API token as "
                    "`Authorization: Bearer engage_...`; errors are RFC 9457 problem details."
                )
            },
            "servers": [{"url": "/"}],
        },
    )
    api = EngageApi(app)
    api.spec.components.security_scheme(
        BEARER_SCHEME, {"type": "http", "scheme": "bearer", "description": "engage_..."}
    )
    csrf.exempt(bp)
    api.register_blueprint(bp)
    errors.answer_unrouted(app, PREFIX + "/")

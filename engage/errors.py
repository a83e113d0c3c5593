"""Friendly, translated error pages instead of stack traces."""

import math

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from engage.db import DatabaseBusyError, is_busy

ERROR_TEXTS = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("You cannot open this page"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("We could not find that page. Check the address.")),
    413: (
        _l("That was too much to send"),
        _l("What you sent is larger than we accept. Please shorten long answers and try again."),
    ),
    429: (
        _l("Please wait a moment"),
        _l(
            "We received many answers from your connection in a short time. "
            "Please wait a minute and try again. Nothing you sent was lost."
        ),
    ),
    500: (_l("Something went wrong on our side"), _l("Please try again in a few minutes.")),
    503: (
        _l("We are busy right now"),
        _l("What you sent is not saved yet. Please wait a few seconds and send it again."),
    ),
}


def render_error(code: int, message: str | None = None):
    """Render the error page for ``code`` with the standard heading."""
    heading, default_message = ERROR_TEXTS[code]
    return render_template(
        "errors/error.html", heading=heading, message=message or default_message
    ), code


def retry_after() -> dict[str, str]:
    """Return the Retry-After header of a busy answer: one busy timeout, in whole seconds."""
    return {"Retry-After": str(max(1, math.ceil(current_app.config["SQLITE_BUSY_TIMEOUT"])))}


def busy_error(error: Exception):
    """Answer 503 "send it again" when the database stayed locked; any other error stays 500."""
    if isinstance(error, OperationalError) and not is_busy(error):
        raise error
    page, code = render_error(503)
    return page, code, retry_after()


def init_app(app: Flask) -> None:
    """Register the error pages."""
    for code in ERROR_TEXTS:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(
            400,
            _l(
                "This form expired or was sent from elsewhere. "
                "Please reload the page and send it again."
            ),
        )

    app.register_error_handler(DatabaseBusyError, busy_error)
    app.register_error_handler(OperationalError, busy_error)

"""HTTP security headers, HTTPS cookies and HSTS, and the refusal of control characters.

Written by hand rather than with Flask-Talisman: the policy below is the whole of what
Talisman would configure, and Talisman decides ``Secure`` cookies once per app
(``session_cookie_secure``) while Engage must also follow the scheme a trusted proxy
reports per request (``PROXY_COUNT`` and ``X-Forwarded-Proto: https``).
"""

import re

from flask import Flask, Response, current_app, has_request_context, request
from flask import Request as FlaskRequest
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import lazy_gettext as _l

from engage.errors import render_error

# No inline script or style anywhere, and nothing from another host (no CDN, fonts, analytics).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# No page asks for a device feature: refuse them all to this site and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


# NUL and the other C0 controls and DEL: no one types them, PostgreSQL refuses NUL in text
# (a 500 instead of an answer) and XLSX cannot hold most of them. Form values keep the tab
# and line breaks a text area sends; addresses and their query strings keep nothing.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")

CONTROL_CHARACTERS_MESSAGE = _l(
    "What you sent contains invisible control characters that we do not accept. "
    "Please remove them (retyping the text usually does) and try again."
)


class ControlCharactersError(Exception):
    """A request's address, query string or form holds a control character."""


def refuse_control_characters(pattern: re.Pattern, *texts: str) -> None:
    """Raise ``ControlCharactersError`` (answered 400) when any of ``texts`` holds one."""
    if any(text and pattern.search(text) for text in texts):
        raise ControlCharactersError


class Request(FlaskRequest):
    """Flask's request, checking the form for control characters whenever it is read.

    Checked when the body is parsed (by CSRF protection or the view), not before every
    view: upload views raise the body limit first and only then read the form.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for key, values in self.form.lists():
            refuse_control_characters(CONTROL_IN_ADDRESS, key)
            refuse_control_characters(CONTROL_IN_TEXT, *values)
        for key, upload in self.files.items(multi=True):
            refuse_control_characters(CONTROL_IN_ADDRESS, key, upload.filename or "")


def check_address() -> None:
    """Refuse a path or query string holding a control character, before any view runs."""
    refuse_control_characters(CONTROL_IN_ADDRESS, request.path)
    for key, values in request.args.lists():
        refuse_control_characters(CONTROL_IN_ADDRESS, key, *values)


def served_over_https() -> bool:
    """Return whether this request reached the app over HTTPS (setting or trusted proxy)."""
    if current_app.config["HTTPS"]:
        return True
    # With PROXY_COUNT set, ProxyFix has already put the proxy's X-Forwarded-Proto here.
    return has_request_context() and request.is_secure


def keep_for_back_button(response: Response) -> Response:
    """Let the browser's Back button show this page again as it was, even a posted one.

    ``private, no-cache``: never in a shared cache, and every ordinary visit asks the
    server again. Back and Forward show the browser's copy without asking, but Chromium
    finds no copy (``ERR_CACHE_MISS``, "Confirm form resubmission") when the page says
    ``Vary: Cookie`` and a cookie changed since, as the session does when answers are
    sent (the receipt code kept for the thank-you page); so the session leaves such a
    page without ``Vary: Cookie``. It only matters to a cache that reuses the page
    without asking the server, and only the resident's own browser keeps it.
    """
    response.headers["Cache-Control"] = "private, no-cache"
    response.kept_for_back_button = True
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked ``Secure`` whenever the request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Return True when the app is configured so or this request came over HTTPS."""
        return super().get_cookie_secure(app) or served_over_https()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save the session; leave ``Vary: Cookie`` off pages kept for the Back button."""
        super().save_session(app, session, response)
        if getattr(response, "kept_for_back_button", False):
            # Not vary.discard("Cookie"): Werkzeug 3.1 compares it lower-cased, so it stays.
            kept = [name for name in response.vary if name.lower() != "cookie"]
            if kept:
                response.headers["Vary"] = ", ".join(kept)
            else:
                del response.headers["Vary"]


def init_app(app: Flask) -> None:
    """Add the security headers, mark cookies Secure over HTTPS, refuse control characters."""
    app.session_interface = SessionInterface()
    app.request_class = Request
    app.before_request(check_address)

    @app.errorhandler(ControlCharactersError)
    def control_characters(_error):
        return render_error(400, CONTROL_CHARACTERS_MESSAGE)

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if served_over_https():
            seconds = current_app.config["HSTS_SECONDS"]
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={seconds}; includeSubDomains"
            )
        return response

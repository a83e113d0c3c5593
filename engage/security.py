"""HTTP security headers: a strict content security policy and friends; HTTPS cookies and HSTS.

Written by hand rather than with Flask-Talisman: the policy below is the whole of what
Talisman would configure, and Talisman decides ``Secure`` cookies once per app
(``session_cookie_secure``) while Engage must also follow the scheme a trusted proxy
reports per request (``PROXY_COUNT`` and ``X-Forwarded-Proto: https``).
"""

from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

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


def served_over_https() -> bool:
    """Return whether this request reached the app over HTTPS (setting or trusted proxy)."""
    if current_app.config["HTTPS"]:
        return True
    # With PROXY_COUNT set, ProxyFix has already put the proxy's X-Forwarded-Proto here.
    return has_request_context() and request.is_secure


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked ``Secure`` whenever the request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Return True when the app is configured so or this request came over HTTPS."""
        return super().get_cookie_secure(app) or served_over_https()


def init_app(app: Flask) -> None:
    """Add the security headers to every response and mark cookies Secure over HTTPS."""
    app.session_interface = SessionInterface()

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

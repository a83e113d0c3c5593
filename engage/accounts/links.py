"""A set-password link: its address, and its delivery by e-mail or to the admin's screen."""

from __future__ import annotations

from flask import Flask, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from engage.accounts.mail import mail_configured, send_password_link
from surveys.models import User


def site_url(endpoint: str, **values: str) -> str:
    """Return the full address of a page of this site (in a request).

    With ENGAGE_BASE_URL set, the address is on it, not on the Host header the request
    came with (a link e-mailed, or an address given to an identity provider, must not
    follow a forged or internal host name).
    """
    base = current_app.config["BASE_URL"].rstrip("/")
    if not base:
        return url_for(endpoint, **values, _external=True)
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, **values, _external=True)


def link_url(token: str) -> str:
    """Return the full address of the set-password page for ``token`` (in a request)."""
    return site_url("accounts.set_password", token=token)


def deliver(app: Flask, user: User, link: str) -> bool:
    """E-mail the link when SMTP is configured; return whether it was sent.

    A failed send is not an error: the caller shows the link once instead.
    """
    if not mail_configured(app):
        return False
    with force_locale(app.config["DEFAULT_LANGUAGE"]):
        subject = _("Your Engage account")
        body = _(
            "An Engage account was opened for you, or its password was reset.\n\n"
            "Choose your password at this address. It works once, for %(hours)s hours:\n"
            "%(link)s\n\n"
            "If you did not expect this message, tell your Engage administrator.",
            hours=app.config["PASSWORD_LINK_HOURS"],
            link=link,
        )
    try:
        send_password_link(app, user.email, subject, body)
    except OSError:  # smtplib's errors are OSErrors: refused, unreachable, bad login
        app.logger.exception("The set-password e-mail to account %s was not sent", user.id)
        return False
    return True

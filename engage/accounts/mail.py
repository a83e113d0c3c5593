"""The set-password e-mail, sent with smtplib when the instance has an SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import Flask


def mail_configured(app: Flask) -> bool:
    """Return whether set-password links are e-mailed rather than shown."""
    return bool(app.config["SMTP_HOST"])


def send_password_link(app: Flask, to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured SMTP server (raises OSError)."""
    config = app.config
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"] or config["SMTP_USERNAME"] or "engage@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    context = ssl.create_default_context()
    if config["SMTP_SSL"]:
        client = smtplib.SMTP_SSL(config["SMTP_HOST"], config["SMTP_PORT"], context=context)
    else:
        client = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
    with client:
        if config["SMTP_TLS"] and not config["SMTP_SSL"]:
            client.starttls(context=context)
        if config["SMTP_USERNAME"]:
            client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        client.send_message(message)

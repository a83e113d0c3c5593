"""E-mailing residents who asked to be told when results are published (``surveys.notices``).

Staff pages queue the notices in their own transaction and call ``send_soon``: the
sending happens on a thread, so a slow or absent SMTP server never holds up the page. A
failed message is logged and stays pending; ``engage notices send`` (run it from cron,
beside ``engage purge``) tries again. Each message is in the language the resident
answered in, with the address of the survey's results page.
"""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app, request, url_for
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from engage import db
from engage.accounts.mail import mail_configured, send_password_link
from surveys import notices, store
from surveys.models import Survey
from surveys.store import survey_by_slug


def base_url(app: Flask) -> str:
    """Return the site's address: ENGAGE_BASE_URL, else the current request's."""
    configured = app.config["BASE_URL"].rstrip("/")
    if configured:
        return configured
    try:
        return request.host_url.rstrip("/")
    except RuntimeError:  # no request: a command without ENGAGE_BASE_URL
        return "http://localhost"


def message_text(notice: notices.PendingNotice, title: str, link: str) -> tuple[str, str]:
    """Return the subject and body of one notice, in the current locale."""
    if notice.subject == notices.RESULTS_SUBJECT:
        subject = _("The results of “%(title)s” are published", title=title)
        lead = _("You asked to be told when the results of “%(title)s” are published.", title=title)
    else:
        subject = _("What is being done after “%(title)s”", title=title)
        lead = _("There is news about what is being done after “%(title)s”.", title=title)
    body = "\n\n".join(
        [
            lead,
            _("Read it here: %(link)s", link=link),
            _("You are told once for each publication. Nothing else is sent to this address."),
        ]
    )
    return subject, body


def send_pending(app: Flask, base: str) -> tuple[int, int]:
    """Send every pending notice; return (sent, failed). Failures are logged and kept."""
    if not mail_configured(app):
        return 0, 0
    sent = failed = 0
    with app.app_context(), db.Session(db.engine()) as session:
        for notice in notices.pending_notices(session):
            survey = survey_by_slug(session, notice.survey_slug)
            if survey is None or not notices.claim(session, notice.id):
                continue
            with app.test_request_context(base_url=base):
                link = url_for("respond.results", slug=notice.survey_slug, _external=True)
                with force_locale(notice.language):
                    title = survey_title(session, survey, notice.language)
                    subject, body = message_text(notice, title, link)
            try:
                send_password_link(app, notice.email, subject, body)
            except OSError as error:  # smtplib's errors: refused, unreachable, bad login
                app.logger.warning("Results notice %s was not sent: %s", notice.id, error)
                notices.mark_failed(session, notice.id, str(error) or type(error).__name__)
                failed += 1
            else:
                notices.mark_sent(session, notice.id)
                sent += 1
    return sent, failed


def survey_title(session, survey: Survey, language: str) -> str:
    """Return the survey's title in ``language``, else its default language, else its slug."""
    title = store.load_texts(session, survey.id).get("title") or {}
    return title.get(language) or title.get(survey.default_language) or survey.slug


def send_soon(app: Flask | None = None) -> threading.Thread | None:
    """Send pending notices on a thread (after the staff change is committed)."""
    app = app or current_app._get_current_object()
    if not mail_configured(app):
        return None
    thread = threading.Thread(
        target=send_pending, args=(app, base_url(app)), name="results-notices", daemon=True
    )
    thread.start()
    return thread


@click.group("notices")
def notices_group() -> None:
    """E-mails to residents who asked to be told when results are published."""


@notices_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send the notices not sent yet (those that failed are tried again)."""
    app = current_app._get_current_object()
    if not mail_configured(app):
        raise click.ClickException("no SMTP server is set (ENGAGE_SMTP_HOST)")
    sent, failed = send_pending(app, base_url(app))
    click.echo(f"{sent} notices sent, {failed} not sent (they are tried again next time).")
    if failed:
        raise SystemExit(1)


commands: tuple = (notices_group,)

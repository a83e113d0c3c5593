"""``engage audit``: print the audit log, newest first, filtered like the admin page."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask.cli import with_appcontext

from engage import db
from engage.audit.blueprint import bp
from engage.audit.events import AuditFilter, audit_rows


@bp.cli.command("audit")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC), YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (UTC), YYYY-MM-DD.")
@click.option("--kind", default="", help="Only this kind of event, e.g. sign_in_failed.")
@click.option("--user", "email", default="", help="Only events by or about this account.")
@with_appcontext
def audit_command(since: datetime | None, until: datetime | None, kind: str, email: str) -> None:
    """Print audit events as tab-separated lines: time, kind, account, survey, what, values."""
    chosen = AuditFilter(
        since.date() if since else None, until.date() if until else None, kind, email
    )
    with db.Session(db.engine()) as session:
        for row in audit_rows(session, chosen):
            event = row.event
            values = {"old": event.old, "new": event.new} if event.old else event.new
            click.echo(
                "\t".join(
                    (
                        event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        event.action,
                        row.email or "-",
                        row.survey_slug or "-",
                        f"{event.entity} {event.entity_id}".strip(),
                        json.dumps(values, ensure_ascii=False, sort_keys=True, default=str),
                    )
                )
            )

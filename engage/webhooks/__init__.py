"""Signed webhooks: staff register an address per survey; each response event is delivered.

``events`` notices response events in the writer's own transaction and writes their
deliveries (``webhook_deliveries``, the log staff read); after the commit they are
queued (``queue``, Huey) and an ``engage worker`` sends them (``delivery``), signed the
Standard Webhooks way (``signing``), retried with exponential backoff. A resident's
submission never waits for a receiver: nothing is sent in the request.
"""

from __future__ import annotations

from flask import Flask

DEFAULTS = {
    # First wait before a failed delivery is tried again (seconds), doubled each time.
    "WEBHOOK_RETRY_SECONDS": 30,
    "WEBHOOK_MAX_ATTEMPTS": 8,
    # sqlite:///path, postgresql://... or redis://...; empty: beside the app's database.
    "WEBHOOK_QUEUE_URL": "",
}


def init_app(app: Flask) -> None:
    """Notice response events, and add the webhook pages and commands."""
    from engage.webhooks import commands, events, views

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    events.listen()
    for command in commands.commands:
        app.cli.add_command(command)
    app.register_blueprint(views.bp)

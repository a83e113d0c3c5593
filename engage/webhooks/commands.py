"""``engage webhooks`` (add, list, enable, disable, delete, deliveries, redeliver), ``worker``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from engage import db
from engage.accounts.commands import table
from engage.webhooks import rules
from surveys.models import WEBHOOK_EVENTS, Survey, Webhook, WebhookDelivery
from surveys.store import survey_by_slug


def refused(error: rules.AccountError) -> click.ClickException:
    """Return the one-line CLI error of a refused change."""
    return click.ClickException(str(error))


@click.group("webhooks")
def webhooks() -> None:
    """Register addresses told about a survey's responses, and see their deliveries."""


@webhooks.command("add")
@click.argument("slug")
@click.argument("url")
@click.option(
    "--events",
    default=",".join(WEBHOOK_EVENTS),
    show_default=True,
    help="comma-separated events",
)
@with_appcontext
def add_command(slug: str, url: str, events: str) -> None:
    """Register URL for SLUG's events; the signing secret alone on the last line."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        survey = survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"there is no survey {slug}")
        try:
            hook = rules.add_webhook(session, survey, url, events.split(","), actor_id=None)
        except rules.AccountError as error:
            raise refused(error) from None
    click.echo(f"Webhook {hook.id} of {slug}: {hook.url} ({', '.join(hook.events)}).")
    click.echo("Its signing secret (verify webhook-signature with it; shown only now):")
    click.echo(hook.secret)


@webhooks.command("list")
@click.argument("slug", required=False)
@with_appcontext
def list_command(slug: str | None) -> None:
    """List the webhooks (of one survey): address, events, state, deliveries pending."""
    with db.Session(db.engine()) as session:
        survey_id = None
        if slug:
            survey = survey_by_slug(session, slug)
            if survey is None:
                raise click.ClickException(f"there is no survey {slug}")
            survey_id = survey.id
        slugs = dict(session.exec(select(Survey.id, Survey.slug)).all())
        rows = [("id", "survey", "url", "events", "state")]
        for hook in rules.webhooks_of(session, survey_id):
            state = "active" if hook.active else "disabled"
            rows.append(
                (str(hook.id), slugs[hook.survey_id], hook.url, ",".join(hook.events), state)
            )
    for line in table(rows):
        click.echo(line)
    click.echo(f"{len(rows) - 1} webhooks")


def webhook_or_error(session, hook_id: int) -> Webhook:
    """Return the webhook with this id, or a one-line error."""
    hook = session.get(Webhook, hook_id)
    if hook is None:
        raise click.ClickException(f"there is no webhook {hook_id}")
    return hook


@webhooks.command("disable")
@click.argument("hook_id", type=int)
@with_appcontext
def disable_command(hook_id: int) -> None:
    """Stop sending to a webhook (its deliveries wait until it is enabled)."""
    with db.Session(db.engine()) as session:
        rules.set_active(session, webhook_or_error(session, hook_id), False, actor_id=None)
    click.echo(f"Webhook {hook_id} is disabled.")


@webhooks.command("enable")
@click.argument("hook_id", type=int)
@with_appcontext
def enable_command(hook_id: int) -> None:
    """Send to a disabled webhook again."""
    with db.Session(db.engine()) as session:
        rules.set_active(session, webhook_or_error(session, hook_id), True, actor_id=None)
    click.echo(f"Webhook {hook_id} is enabled.")


@webhooks.command("delete")
@click.argument("hook_id", type=int)
@with_appcontext
def delete_command(hook_id: int) -> None:
    """Delete a webhook and its delivery log."""
    with db.Session(db.engine()) as session:
        rules.delete_webhook(session, webhook_or_error(session, hook_id), actor_id=None)
    click.echo(f"Webhook {hook_id} is deleted.")


@webhooks.command("deliveries")
@click.argument("hook_id", type=int)
@with_appcontext
def deliveries_command(hook_id: int) -> None:
    """The delivery log of a webhook, newest first: event, status, attempts, last error."""
    with db.Session(db.engine()) as session:
        webhook_or_error(session, hook_id)
        rows = [("id", "event", "response", "status", "attempts", "last answer")]
        for item in session.exec(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(100)
        ):
            answer = item.last_error or (
                str(item.last_status_code) if item.last_status_code else ""
            )
            rows.append(
                (
                    str(item.id),
                    item.event,
                    item.response_public_id,
                    item.status,
                    str(item.attempts),
                    answer,
                )
            )
    for line in table(rows):
        click.echo(line)


@webhooks.command("redeliver")
@click.argument("delivery_id", type=int)
@with_appcontext
def redeliver_command(delivery_id: int) -> None:
    """Send a delivery again now (the worker sends it)."""
    with db.Session(db.engine()) as session:
        item = session.get(WebhookDelivery, delivery_id)
        if item is None:
            raise click.ClickException(f"there is no delivery {delivery_id}")
        rules.redeliver(session, item, actor_id=None)
    from engage.webhooks.queue import enqueue  # the queue (Huey) only when used

    enqueue(current_app._get_current_object(), [delivery_id])
    click.echo(f"Delivery {delivery_id} is queued again.")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="deliveries sent at once")
@with_appcontext
def worker_command(workers: int) -> None:
    """Send webhook deliveries from the queue, and sweep up lost ones, until stopped."""
    from engage.webhooks.queue import queue_of

    queue = queue_of(current_app._get_current_object())
    click.echo(f"Sending webhook deliveries with {workers} workers; Ctrl-C stops.")
    consumer = queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


commands: tuple = (webhooks, worker_command)

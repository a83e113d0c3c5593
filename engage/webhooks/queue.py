"""The deliveries' task queue: Huey, on SQLite by default and on PostgreSQL or Redis at scale.

Huey keeps queued tasks in storage that outlives a worker: a file beside the SQLite
database (``instance/webhook-queue.sqlite3``), or tables in the PostgreSQL database when
Engage runs on one (every app server and ``engage worker`` then share it), or Redis with
``ENGAGE_WEBHOOK_QUEUE_URL=redis://...`` (needs the ``redis`` package). The queue holds
only "send delivery N"; the delivery itself (payload, state, attempts) is in Engage's
database, so a lost task costs nothing: the sweep, every minute, queues again what is
overdue. The queue is opened at its first use, never when the app starts.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab

from engage import db
from engage.webhooks import delivery

EXTENSION = "engage.webhook_queue"
QUEUE_NAME = "engage-webhooks"
# A delivery this long past its time and not claimed was lost by its worker.
SWEEP_GRACE_SECONDS = 60


def open_queue(app: Flask) -> Huey:
    """Return the Huey of ``WEBHOOK_QUEUE_URL``, else one beside the app's database."""
    url = app.config.get("WEBHOOK_QUEUE_URL") or ""
    database = app.config["DATABASE_URL"]
    if not url:
        if database.startswith("postgresql"):
            url = database
        else:
            url = "sqlite:///" + str(Path(app.instance_path) / "webhook-queue.sqlite3")
    options = {"results": False, "utc": True}
    if url.startswith("redis"):
        return RedisHuey(QUEUE_NAME, url=url, **options)
    if url.startswith("postgresql"):
        dsn = "postgresql://" + url.split("://", 1)[1]  # postgresql+psycopg:// too
        return PostgresHuey(QUEUE_NAME, dsn=dsn, **options)
    if url.startswith("sqlite:///"):
        return SqliteHuey(QUEUE_NAME, filename=url.removeprefix("sqlite:///"), **options)
    raise ValueError(
        f"ENGAGE_WEBHOOK_QUEUE_URL must be sqlite:///, postgresql:// or redis://: {url}"
    )


class Queue:
    """The app's Huey and its two tasks: send one delivery, and sweep up lost ones."""

    def __init__(self, app: Flask) -> None:
        self.huey = open_queue(app)

        @self.huey.task(name="deliver")
        def deliver_task(delivery_id: int) -> None:
            with app.app_context(), db.Session(db.engine()) as session:
                wait = delivery.deliver(session, delivery_id, app.config)
            if wait is not None:
                deliver_task.schedule((delivery_id,), delay=wait)

        @self.huey.periodic_task(crontab(minute="*"), name="sweep")
        def sweep_task() -> None:
            with app.app_context(), db.Session(db.engine()) as session:
                lost = delivery.overdue(session, SWEEP_GRACE_SECONDS)
            for delivery_id in lost:
                deliver_task(delivery_id)

        self.deliver = deliver_task
        self.sweep = sweep_task


def queue_of(app: Flask) -> Queue:
    """Return the app's queue, opening it at first use."""
    found = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = Queue(app)
    return found


def enqueue(app: Flask, delivery_ids: list[int]) -> None:
    """Queue these deliveries to be sent now."""
    queue = queue_of(app)
    for delivery_id in delivery_ids:
        queue.deliver(delivery_id)

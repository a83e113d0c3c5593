"""Sending one delivery: claim it, sign it, post it, record the outcome, say when to retry.

A delivery is claimed for ``CLAIM_SECONDS`` with one conditional UPDATE, so two workers
never send it at once; a worker that dies mid-send leaves a claim that runs out, and the
sweep queues the delivery again (same ``webhook-id``: the receiver drops a repeat). A
failed attempt (no 2xx, a timeout, a refused connection) is tried again after 30 s, 1, 2,
4... minutes (``WEBHOOK_RETRY_SECONDS`` doubled each time, at most 6 hours apart),
``WEBHOOK_MAX_ATTEMPTS`` attempts in all; then it is marked failed and staff may send it
again from the delivery log.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import requests
from sqlalchemy import or_, update
from sqlmodel import Session, select

from engage.accounts.tokens import as_utc
from engage.webhooks import signing
from surveys.models import (
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    Webhook,
    WebhookDelivery,
    utcnow,
)

CLAIM_SECONDS = 120
LONGEST_WAIT = 6 * 3600
TIMEOUT_SECONDS = 10


def retry_delay(attempts: int, first: float) -> float:
    """Return the wait after the ``attempts``-th failed attempt (exponential backoff)."""
    return min(LONGEST_WAIT, first * 2 ** (attempts - 1))


def claim(session: Session, delivery_id: int) -> bool:
    """Take the delivery for this worker if it is pending and nobody holds it; commits."""
    now = utcnow()
    taken = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DELIVERY_PENDING,
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    ).rowcount
    session.commit()
    return bool(taken)


def post(webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    """Send the signed payload; return (HTTP status or None, error or None)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signing.headers(webhook.secret, delivery.message_id, int(time.time()), body)
    try:
        answer = requests.post(
            webhook.url,
            data=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= answer.status_code < 300:
        return answer.status_code, None
    return answer.status_code, f"HTTP {answer.status_code}"


def deliver(session: Session, delivery_id: int, config) -> float | None:
    """Attempt one delivery; return the seconds until it should be tried again, or None."""
    if not claim(session, delivery_id):
        return None  # delivered, failed, or another worker has it
    delivery = session.get(WebhookDelivery, delivery_id)
    webhook = session.get(Webhook, delivery.webhook_id)
    if webhook is None or not webhook.active:
        delivery.claimed_until = None  # kept pending: sent if the webhook is enabled again
        session.add(delivery)
        session.commit()
        return None
    status, error = post(webhook, delivery)
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error
    delivery.claimed_until = None
    wait = None
    if error is None:
        delivery.status = DELIVERY_DELIVERED
        delivery.delivered_at = utcnow()
    elif delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DELIVERY_FAILED
    else:
        wait = retry_delay(delivery.attempts, config["WEBHOOK_RETRY_SECONDS"])
        delivery.next_attempt_at = utcnow() + timedelta(seconds=wait)
    session.add(delivery)
    session.commit()
    return wait


def overdue(session: Session, grace_seconds: float) -> list[int]:
    """Return the pending deliveries of active webhooks that should have been sent by now.

    Those a worker lost (it died holding one, or the queue was down at the commit).
    """
    now = utcnow()
    rows = session.exec(
        select(WebhookDelivery.id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            Webhook.active,
            WebhookDelivery.status == DELIVERY_PENDING,
            WebhookDelivery.next_attempt_at <= now - timedelta(seconds=grace_seconds),
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
        )
        .order_by(WebhookDelivery.id)
        .limit(1000)
    ).all()
    return list(rows)


def is_due(delivery: WebhookDelivery) -> bool:
    """Return whether a pending delivery's next attempt has come."""
    return as_utc(delivery.next_attempt_at) <= utcnow()

"""Webhook rules the survey page and ``engage webhooks`` share: add, enable, disable, delete.

An address must be ``https://``, or ``http://`` on this machine's loopback (a receiver
beside Engage, and tests): deliveries carry residents' answers. Each change is audited
(entity ``webhook``); the secret never enters the audit log.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import delete
from sqlmodel import Session, select

from engage.accounts.rules import AccountError
from engage.webhooks import signing
from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import (
    DELIVERY_PENDING,
    WEBHOOK_EVENTS,
    Survey,
    Webhook,
    WebhookDelivery,
    utcnow,
)

LOOPBACK_NAMES = ("localhost",)
MAX_URL_LENGTH = 2000


class WebhookError(AccountError):
    """A webhook change was refused; ``message`` is an ``N_`` string with ``params``."""


def is_loopback(host: str) -> bool:
    """Return whether ``host`` names this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """Return the address, or refuse one that is not https (or http on loopback)."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or not parts.hostname or parts.username or parts.password:
        raise WebhookError(N_("%(url)s is not a web address"), url=repr(url[:100]))
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname)):
        return url
    raise WebhookError(
        N_("a webhook address must start with https:// (http:// only on this machine)")
    )


def check_events(events: Iterable[str]) -> list[str]:
    """Return the events in their usual order, or refuse an unknown or missing one."""
    chosen = {name.strip() for name in events if name.strip()}
    unknown = sorted(chosen - set(WEBHOOK_EVENTS))
    if unknown:
        raise WebhookError(
            N_("unknown event %(event)s; choose among %(events)s"),
            event=repr(unknown[0]),
            events=", ".join(WEBHOOK_EVENTS),
        )
    if not chosen:
        raise WebhookError(N_("choose at least one event"))
    return [name for name in WEBHOOK_EVENTS if name in chosen]


def _audit(session: Session, actor_id, action: str, hook: Webhook, old: dict, new: dict) -> None:
    write_audit(session, actor_id, action, "webhook", str(hook.id), hook.survey_id, old, new)


def add_webhook(
    session: Session,
    survey: Survey,
    url: str,
    events: Iterable[str] = WEBHOOK_EVENTS,
    *,
    actor_id: int | None,
) -> Webhook:
    """Register an address for the survey's events with a new signing secret; commits."""
    hook = Webhook(
        survey_id=survey.id,
        url=check_url(url),
        events=check_events(events),
        secret=signing.new_secret(),
        created_by_id=actor_id,
    )
    session.add(hook)
    session.flush()
    _audit(session, actor_id, "webhook.add", hook, {}, {"url": hook.url, "events": hook.events})
    session.commit()
    return hook


def set_active(session: Session, hook: Webhook, active: bool, *, actor_id: int | None) -> None:
    """Enable or disable a webhook (disabled: nothing is sent, deliveries wait); commits."""
    if hook.active == active:
        return
    hook.active = active
    session.add(hook)
    action = "webhook.enable" if active else "webhook.disable"
    _audit(session, actor_id, action, hook, {"active": not active}, {"active": active})
    session.commit()


def delete_webhook(session: Session, hook: Webhook, *, actor_id: int | None) -> None:
    """Delete a webhook and its delivery log; commits."""
    _audit(session, actor_id, "webhook.delete", hook, {"url": hook.url}, {})
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    session.delete(hook)
    session.commit()


def redeliver(session: Session, delivery: WebhookDelivery, *, actor_id: int | None) -> None:
    """Send a delivery again (same webhook-id), now; commits. The caller queues it."""
    delivery.status = DELIVERY_PENDING
    delivery.next_attempt_at = utcnow()
    delivery.claimed_until = None
    session.add(delivery)
    hook = session.get(Webhook, delivery.webhook_id)
    _audit(session, actor_id, "webhook.redeliver", hook, {}, {"delivery": delivery.id})
    session.commit()


def webhooks_of(session: Session, survey_id: int | None = None) -> list[Webhook]:
    """Return a survey's webhooks (or every survey's), oldest first."""
    statement = select(Webhook).order_by(Webhook.id)
    if survey_id is not None:
        statement = statement.where(Webhook.survey_id == survey_id)
    return list(session.exec(statement))

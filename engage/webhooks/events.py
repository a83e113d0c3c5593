"""Which stored changes are webhook events, noticed in the transaction that makes them.

Every write of a response already leaves a trace in the session: ``record_response`` adds
a ``Response``; corrections, reviews and withdrawals add their audit event
(``response.correct``, ``.verify``, ``.flag``, ``.withdraw``). Session hooks read those
traces, so no writer has to remember webhooks: after each flush they note the events;
before the commit the deliveries of the survey's active webhooks are written in the same
transaction (nothing is sent inside it); after the commit they are queued. A survey with
no webhook costs one indexed query per commit that stores responses.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import bindparam, event
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session
from sqlmodel import select

from engage.webhooks import payloads
from surveys.models import AuditEvent, Response, Survey, Webhook, WebhookDelivery

CREATED = "response.created"
UPDATED = "response.updated"
WITHDRAWN = "response.withdrawn"
AUDITED = {
    "response.correct": UPDATED,
    "response.verify": UPDATED,
    "response.flag": UPDATED,
    "response.withdraw": WITHDRAWN,
}
EVENTS_KEY = "engage.webhook_events"
_hooks = Webhook.__table__
ANY_ACTIVE = (
    sql_select(_hooks.c.id)
    .where(_hooks.c.survey_id.in_(bindparam("ids", expanding=True)), _hooks.c.active)
    .limit(1)
)
QUEUED_KEY = "engage.webhook_deliveries"


@dataclass(frozen=True)
class Noticed:
    """One event in a transaction: what happened to which response of which survey."""

    event: str
    survey_id: int
    public_id: str


def notice(session: Session, _context) -> None:
    """Note the responses stored, corrected, reviewed or withdrawn by this flush."""
    found = []
    for item in session.new:
        if isinstance(item, Response):
            found.append(Noticed(CREATED, item.survey_id, item.public_id))
        elif (
            isinstance(item, AuditEvent)
            and item.entity == "response"
            and item.action in AUDITED
            and item.survey_id is not None
        ):
            found.append(Noticed(AUDITED[item.action], item.survey_id, item.entity_id))
    if found:
        session.info.setdefault(EVENTS_KEY, []).extend(found)


def write_deliveries(session: Session) -> None:
    """Write the deliveries of the events noted, for each active webhook that wants them."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: notice them now
    noticed: list[Noticed] = session.info.pop(EVENTS_KEY, None) or []
    if not noticed:
        return
    survey_ids = sorted({item.survey_id for item in noticed})
    if session.connection().execute(ANY_ACTIVE, {"ids": survey_ids}).first() is None:
        return  # the usual case: one cheap statement, built once
    hooks = session.execute(
        select(Webhook).where(
            Webhook.survey_id.in_({item.survey_id for item in noticed}), Webhook.active
        )
    ).scalars()
    by_survey: dict[int, list[Webhook]] = {}
    for hook in hooks:
        by_survey.setdefault(hook.survey_id, []).append(hook)
    if not by_survey:
        return
    made = []
    latest = {(item.survey_id, item.public_id): item for item in noticed}
    for item in noticed:
        wanted = [hook for hook in by_survey.get(item.survey_id, ()) if item.event in hook.events]
        if not wanted:
            continue
        if item.event == UPDATED and latest[(item.survey_id, item.public_id)].event != UPDATED:
            continue  # created or withdrawn in the same transaction: that event says it
        survey = session.get(Survey, item.survey_id)
        body = payloads.payload(item.event, survey, event_data(session, survey, item))
        for hook in wanted:
            delivery = WebhookDelivery(
                webhook_id=hook.id,
                message_id="msg_" + secrets.token_urlsafe(18),
                event=item.event,
                response_public_id=item.public_id,
                payload=body,
            )
            session.add(delivery)
            made.append(delivery)
    if made:
        session.flush()
        session.info[QUEUED_KEY] = [delivery.id for delivery in made]


def event_data(session: Session, survey: Survey, item: Noticed) -> dict:
    """Return what an event tells of its response (its id alone once withdrawn)."""
    if item.event == WITHDRAWN:
        return payloads.withdrawn_data(survey, item.public_id)
    response = session.execute(
        select(Response).where(
            Response.survey_id == survey.id, Response.public_id == item.public_id
        )
    ).scalar_one_or_none()
    if response is None:
        return payloads.withdrawn_data(survey, item.public_id)
    return payloads.response_data(session, survey, response)


def queue_deliveries(session: Session) -> None:
    """Queue the deliveries this commit stored (the worker's sweep finds any left over)."""
    ids = session.info.pop(QUEUED_KEY, None)
    if not ids or not has_app_context():
        return
    from engage.webhooks.queue import enqueue

    try:
        enqueue(current_app._get_current_object(), ids)
    except Exception:  # a resident's answers are stored: never fail them for the queue
        current_app.logger.exception("Webhook deliveries %s not queued; the sweep will.", ids)


def forget(session: Session, *_args) -> None:
    """Drop what a rolled-back transaction noted."""
    session.info.pop(EVENTS_KEY, None)
    session.info.pop(QUEUED_KEY, None)


def listen() -> None:
    """Hook the session events (once per process)."""
    if event.contains(Session, "after_flush", notice):
        return
    event.listen(Session, "after_flush", notice)
    event.listen(Session, "before_commit", write_deliveries)
    event.listen(Session, "after_commit", queue_deliveries)
    event.listen(Session, "after_rollback", forget)

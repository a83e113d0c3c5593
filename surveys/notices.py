"""Telling residents who asked, once, that a survey's results or an update are published.

A resident who ticks "tell me when results are published" and leaves an e-mail address
gets one message per publication: when staff first publish the results page
(``results``) and for each update they post (``update:<id>``). ``queue_notices`` writes
one ``ResultNotice`` row per contact and subject in the staff change's transaction (the
unique pair keeps anyone from being told twice); the web layer sends what is pending and
records ``sent_at``, or the error to retry. Addresses stay in ``response_contacts``;
withdrawal and the retention purge delete them, and their notices with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from surveys.models import Response, ResponseContact, ResultNotice, Survey, utcnow

RESULTS_SUBJECT = "results"
# A notice that failed this many times is left for an administrator to look at.
MAX_ATTEMPTS = 10
# A sender that has not finished a notice in this time has died; another may take it.
CLAIM = timedelta(minutes=5)


def update_subject(update_id: int) -> str:
    """Return the notice subject of one update."""
    return f"update:{update_id}"


def contact_email(contact: str) -> str | None:
    """Return the e-mail address in stored contact details (``email: ...`` lines), if any."""
    for line in contact.splitlines():
        kind, _sep, value = line.partition(": ")
        if kind == "email" and value.strip():
            return value.strip()
    return None


def queue_notices(session: Session, survey_id: int, subject: str) -> int:
    """Add a notice for every contact of the survey who asked and has none for ``subject``.

    Does not commit: the caller's change and its notices are one transaction.
    """
    already = select(ResultNotice.contact_id).where(ResultNotice.subject == subject)
    rows = session.exec(
        select(ResponseContact.id, ResponseContact.contact)
        .join(Response, Response.id == ResponseContact.response_id)
        .where(
            Response.survey_id == survey_id,
            ResponseContact.notify_results,
            ResponseContact.id.not_in(already),
        )
    ).all()
    added = 0
    for contact_id, contact in rows:
        if contact_email(contact):
            session.add(ResultNotice(contact_id=contact_id, survey_id=survey_id, subject=subject))
            added += 1
    return added


@dataclass(frozen=True)
class PendingNotice:
    """A notice to send: where, in which language, about which survey."""

    id: int
    email: str
    language: str
    survey_slug: str
    subject: str


def pending_notices(session: Session, limit: int = 500) -> list[PendingNotice]:
    """Return notices not sent yet (and not given up on), oldest first."""
    rows = session.exec(
        select(ResultNotice, ResponseContact.contact, Response.language, Survey.slug)
        .join(ResponseContact, ResponseContact.id == ResultNotice.contact_id)
        .join(Response, Response.id == ResponseContact.response_id)
        .join(Survey, Survey.id == ResultNotice.survey_id)
        .where(
            ResultNotice.sent_at.is_(None),
            ResultNotice.attempts < MAX_ATTEMPTS,
            or_(ResultNotice.claimed_until.is_(None), ResultNotice.claimed_until < utcnow()),
        )
        .order_by(ResultNotice.id)
        .limit(limit)
    ).all()
    return [
        PendingNotice(notice.id, contact_email(contact) or "", language, slug, notice.subject)
        for notice, contact, language, slug in rows
    ]


def claim(session: Session, notice_id: int) -> bool:
    """Take the notice for this sender; return False when it is sent or another sender has it.

    One conditional UPDATE, so two senders (a staff page's thread, the command, another
    app server) never both send it.
    """
    now = utcnow()
    taken = session.execute(
        update(ResultNotice)
        .where(
            ResultNotice.id == notice_id,
            ResultNotice.sent_at.is_(None),
            or_(ResultNotice.claimed_until.is_(None), ResultNotice.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM)
    ).rowcount
    session.commit()
    return taken == 1


def mark_sent(session: Session, notice_id: int) -> None:
    """Record that the notice was sent (and commit)."""
    notice = session.get(ResultNotice, notice_id)
    if notice is not None:
        notice.sent_at = utcnow()
        notice.attempts += 1
        notice.last_error = None
        notice.claimed_until = None
        session.commit()


def mark_failed(session: Session, notice_id: int, error: str) -> None:
    """Record a failed attempt, to be tried again (and commit)."""
    notice = session.get(ResultNotice, notice_id)
    if notice is not None:
        notice.attempts += 1
        notice.last_error = error[:500]
        notice.claimed_until = None
        session.commit()

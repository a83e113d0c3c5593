"""Reading the audit log with filters (the page and the CLI share it); recording downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, func, select

from surveys.audit import write_audit
from surveys.models import AuditEvent, Survey, User

# Actions of downloads (web) and exports (CLI) of a survey's data or report.
AUDIT_DOWNLOAD = "download"
AUDIT_EXPORT = "export"


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show: days (inclusive, UTC), one kind (action), one account's email."""

    since: date | None = None
    until: date | None = None
    kind: str = ""
    email: str = ""


@dataclass(frozen=True)
class AuditRow:
    """One event as shown: when, what, who, which survey, and the recorded values."""

    event: AuditEvent
    email: str | None
    survey_slug: str | None


def _start_of(day: date) -> datetime:
    """Return the first moment of ``day`` in UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(session: Session, chosen: AuditFilter):
    """Return the select of events ``chosen`` covers (any order), or None for an unknown email.

    An account's events are those it made and those about it (failed sign-ins to it).
    """
    query = select(AuditEvent)
    if chosen.since:
        query = query.where(AuditEvent.at >= _start_of(chosen.since))
    if chosen.until:
        query = query.where(AuditEvent.at < _start_of(chosen.until + timedelta(days=1)))
    if chosen.kind:
        query = query.where(AuditEvent.action == chosen.kind)
    if chosen.email:
        user = session.exec(select(User).where(User.email == chosen.email.strip().lower())).first()
        if user is None:
            return None
        query = query.where(
            or_(
                AuditEvent.user_id == user.id,
                and_(AuditEvent.entity == "user", AuditEvent.entity_id == str(user.id)),
            )
        )
    return query


def count_events(session: Session, chosen: AuditFilter) -> int:
    """Return how many events ``chosen`` covers."""
    query = filtered(session, chosen)
    if query is None:
        return 0
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def audit_rows(
    session: Session, chosen: AuditFilter, offset: int = 0, limit: int | None = None
) -> list[AuditRow]:
    """Return the events ``chosen`` covers, newest first, with emails and survey slugs."""
    query = filtered(session, chosen)
    if query is None:
        return []
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    events = session.exec(query).all()
    user_ids = {event.user_id for event in events if event.user_id}
    survey_ids = {event.survey_id for event in events if event.survey_id}
    emails = (
        dict(session.exec(select(User.id, User.email).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    slugs = (
        dict(session.exec(select(Survey.id, Survey.slug).where(Survey.id.in_(survey_ids))).all())
        if survey_ids
        else {}
    )
    return [
        AuditRow(event, emails.get(event.user_id), slugs.get(event.survey_id)) for event in events
    ]


def kinds(session: Session) -> list[str]:
    """Return the kinds (actions) the log holds, sorted."""
    return sorted(session.exec(select(AuditEvent.action).distinct()).all())


def record_download(
    session: Session,
    user_id: int | None,
    survey: Survey,
    what: str,
    file_format: str,
    filters: dict | None = None,
    *,
    action: str = AUDIT_DOWNLOAD,
) -> None:
    """Record that a survey's data or report left the app: what, in which format, filtered how.

    Committed at once: a download writes nothing else, and the record must stay even if
    sending the file fails half-way.
    """
    new = {"what": what, "format": file_format, "filters": filters or {}}
    write_audit(session, user_id, action, "survey", str(survey.id), survey.id, {}, new)
    session.commit()

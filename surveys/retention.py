"""The retention schedule: contact details, free text and session notes removed when due.

Ontario's Municipal Freedom of Information and Protection of Privacy Act (MFIPPA,
s. 30(1)) has personal information that has been used kept for the period the
regulation sets: R.R.O. 1990, Reg. 823, s. 5 says the shorter of one year after use
or the period of the institution's by-law or resolution. Each survey keeps three
kinds of it for a number of days after the survey closes (``Survey.closed_at``):

- ``contacts``: "contact me about this" details (``response_contacts``), deleted;
- ``texts``: what residents wrote in free-text answers (``answers.text`` of short and
  long text questions), replaced by ``REMOVED_TEXT``;
- ``notes``: group sessions' notes and their notes and quotes (``group_sessions.notes``,
  ``group_feedback.text``, with the speaker's name), replaced by ``REMOVED_TEXT``.

The closed answers and every count stay, so reports keep working. A comment counts
in the sentiment tables when it has text (``surveys.counting``: ``text IS NOT NULL``)
and by its stored label; the marker keeps both, so the kept counts, a rebuild and a
filtered count are the same before and after. Texts replaced by the marker are never
shown as quotes (reports, open data, group sessions), in the comment explorer, nor
scored again. Open and draft surveys are never touched; a survey reopened and
closed again counts from its last closing.

Not removed: the audit trail, which is append-only (on PostgreSQL the database
refuses changes) and keeps the old and new values of corrected answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlmodel import Session

from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import (
    SURVEY_CLOSED,
    Answer,
    GroupFeedback,
    GroupSession,
    Question,
    Response,
    ResponseContact,
    StoredReport,
    Survey,
    utcnow,
)
from surveys.questions import kinds_where

# What replaces a removed text. Not empty: a comment counts when it has text.
REMOVED_TEXT = "[removed under the retention schedule]"

CONTACTS = "contacts"
TEXTS = "texts"
NOTES = "notes"
KINDS = (CONTACTS, TEXTS, NOTES)
# Where a survey's own period of each kind is kept in ``Survey.settings`` (days).
SETTING_KEYS = {
    CONTACTS: "retention_contacts_days",
    TEXTS: "retention_texts_days",
    NOTES: "retention_notes_days",
}
# The longest period staff may set: a hundred years.
LONGEST_DAYS = 36500

FREE_TEXT_KINDS = kinds_where(lambda kind: kind.is_free_text)

answers = Answer.__table__
feedback = GroupFeedback.__table__
sessions = GroupSession.__table__


@dataclass(frozen=True)
class RetentionPeriods:
    """Days each kind is kept after a survey closes; None keeps it."""

    contacts: int | None
    texts: int | None
    notes: int | None

    def days(self, kind: str) -> int | None:
        """Return the period of one kind."""
        return getattr(self, kind)


@dataclass(frozen=True)
class SurveyPurge:
    """What a purge removes (or, dry, would remove) from one survey: counts, never content."""

    survey_id: int
    slug: str
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        """Return the number of items of every kind."""
        return sum(self.counts.values())


def parse_days(value: object) -> int:
    """Return a period in whole days from 0 to ``LONGEST_DAYS``; ValueError for anything else.

    Decimal digits of any script are read (a form in Arabic may send ``٣٠``).
    """
    text = "" if isinstance(value, bool) else str(value).strip()
    if not text.isdecimal() or int(text) > LONGEST_DAYS:
        raise ValueError(value)
    return int(text)


def days_error() -> tuple[str, dict]:
    """Return the message for a period that is not a whole number of days in range."""
    return N_("Enter a whole number of days from 0 to %(most)s."), {"most": LONGEST_DAYS}


def survey_periods(survey: Survey, defaults: RetentionPeriods) -> RetentionPeriods:
    """Return a survey's periods: its own where staff set one, else the defaults."""
    settings = survey.settings or {}
    chosen = {}
    for kind in KINDS:
        stored = settings.get(SETTING_KEYS[kind])
        chosen[kind] = defaults.days(kind) if stored is None else int(stored)
    return RetentionPeriods(**chosen)


def removal_dates(survey: Survey, periods: RetentionPeriods) -> dict[str, datetime | None]:
    """Return when each kind is (or was) due for removal; None while open or kept."""
    closed = survey.closed_at if survey.status == SURVEY_CLOSED else None
    return {
        kind: None
        if closed is None or periods.days(kind) is None
        else closed + timedelta(days=periods.days(kind))
        for kind in KINDS
    }


def purge(
    session: Session,
    defaults: RetentionPeriods,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> list[SurveyPurge]:
    """Remove what is due from every closed survey, in the caller's transaction.

    Returns the counts per survey (surveys with nothing due are left out). With
    ``dry_run`` nothing is written. Otherwise each survey with something removed gets
    one audit event (counts only) and loses its kept reports (their quotes).
    """
    now = now or utcnow()
    done = []
    closed = session.execute(
        select(Survey)
        .where(Survey.status == SURVEY_CLOSED, Survey.closed_at.is_not(None))
        .order_by(Survey.id)
    ).scalars()
    for survey in closed.all():
        due = removal_dates(survey, survey_periods(survey, defaults))
        counts = {
            kind: _remove(session, survey, kind, dry_run)
            for kind in KINDS
            if due[kind] is not None and due[kind] <= now
        }
        if not any(counts.values()):
            continue
        done.append(SurveyPurge(survey.id, survey.slug, counts))
        if not dry_run:
            write_audit(
                session, None, "survey.purge", "survey", str(survey.id), survey.id, {}, counts
            )
            session.execute(delete(StoredReport).where(StoredReport.survey_id == survey.id))
    return done


def _remove(session: Session, survey: Survey, kind: str, dry_run: bool) -> int:
    """Count, and unless ``dry_run`` remove, one kind of a survey's stored texts."""
    of_survey = select(Response.id).where(Response.survey_id == survey.id)
    if kind == CONTACTS:
        where = [ResponseContact.response_id.in_(of_survey)]
        found = _count(session, ResponseContact.__table__, where)
        if found and not dry_run:
            session.execute(delete(ResponseContact).where(*where))
        return found
    if kind == TEXTS:
        free_text = select(Question.id).where(
            Question.survey_id == survey.id, Question.kind.in_(FREE_TEXT_KINDS)
        )
        where = [
            answers.c.response_id.in_(of_survey),
            answers.c.question_id.in_(free_text),
            answers.c.text.is_not(None),
            answers.c.text != "",
            answers.c.text != REMOVED_TEXT,
        ]
        found = _count(session, answers, where)
        if found and not dry_run:
            session.execute(update(answers).where(*where).values(text=REMOVED_TEXT))
        return found
    of_sessions = select(sessions.c.id).where(sessions.c.survey_id == survey.id)
    quoted = [feedback.c.session_id.in_(of_sessions), feedback.c.text != REMOVED_TEXT]
    noted = [
        sessions.c.survey_id == survey.id,
        and_(sessions.c.notes != "", sessions.c.notes != REMOVED_TEXT),
    ]
    found = _count(session, feedback, quoted) + _count(session, sessions, noted)
    if found and not dry_run:
        session.execute(update(feedback).where(*quoted).values(text=REMOVED_TEXT, speaker=None))
        session.execute(update(sessions).where(*noted).values(notes=REMOVED_TEXT))
    return found


def _count(session: Session, table, where: list) -> int:
    """Return how many rows of ``table`` meet ``where``."""
    return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

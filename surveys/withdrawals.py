"""Withdrawing a response: its answers leave every report, export and count at once.

A resident withdraws with their receipt code (``surveys.receipts``); a broker records a
withdrawal asked for in person or by phone, by receipt code or by a paper form's ID.

The response is deleted, not marked: with its rows gone, no query can count it by
mistake (reports, the kept counts, filtered counts, exports, open data, the API read
stored rows). In the same transaction:

- its part of the kept report counts is taken away first (``report_counts.recounting``,
  as corrections move theirs), so the dashboard's counts stay exact;
- its answers, contact details and stored facts are deleted with it;
- the audit trail records that it was withdrawn, how and by whom, with where and when
  the response came from, and none of its answers (``response.withdraw``). The event
  also makes a rebuild of the counts that was under way count again.

The caller commits, then drops the survey's kept reports so that no page shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from surveys import report_counts
from surveys.audit import write_audit
from surveys.models import (
    CHANNEL_IN_PERSON,
    CHANNEL_PHONE,
    Answer,
    Response,
    ResponseContact,
    ResponseFacts,
    Survey,
)

WITHDRAW_ACTION = "response.withdraw"
# How a withdrawal reached Engage: the resident on the web, or a broker told in person
# or by phone.
BY_RESIDENT = "resident"
ASKED_HOW = (CHANNEL_IN_PERSON, CHANNEL_PHONE)
# What the broker identified the response by.
BY_RECEIPT = "receipt"
BY_PAPER_ID = "paper_id"


@dataclass(frozen=True)
class Withdrawal:
    """How a withdrawal was asked for: by whom (``user_id`` None: the resident) and how."""

    asked: str  # BY_RESIDENT, or one of ASKED_HOW
    identified_by: str  # BY_RECEIPT or BY_PAPER_ID
    user_id: int | None = None


def response_by_paper_id(session: Session, survey_id: int, paper_id: str) -> Response | None:
    """Return the survey's response keyed in from the paper form with this ID."""
    return session.exec(
        select(Response).where(Response.survey_id == survey_id, Response.paper_id == paper_id)
    ).first()


def withdraw_response(
    session: Session, survey: Survey, response: Response, withdrawal: Withdrawal
) -> None:
    """Delete a response and its answers, take it out of the kept counts, audit it.

    In the caller's transaction (see the module's docstring).
    """
    with report_counts.recounting(session, survey, [response.id]):
        write_audit(
            session,
            withdrawal.user_id,
            WITHDRAW_ACTION,
            "response",
            response.public_id,
            survey.id,
            {
                "channel": response.channel,
                "language": response.language,
                "collected_at": response.collected_at.isoformat(),
                "submitted_at": response.submitted_at.isoformat(),
                "paper_id": response.paper_id,
                "entered_by_id": response.entered_by_id,
            },
            {"withdrawn": True},
            reason=f"{withdrawal.asked}:{withdrawal.identified_by}",
        )
        # Children first: on a database whose foreign keys do not cascade, none is left.
        for table in (Answer, ResponseContact, ResponseFacts):
            session.execute(delete(table).where(table.response_id == response.id))
        session.execute(delete(Response).where(Response.id == response.id))
        session.expunge(response)

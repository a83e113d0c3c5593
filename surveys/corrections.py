"""Corrections and reviews of keyed-in entries (paper, phone, in person), each audited.

A correction replaces only the answers that changed, so staff's sentiment
overrides on untouched comments survive it, and moves the response's part of
the kept report counts (``report_counts.recounting``) in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from surveys import report_counts
from surveys.audit import snapshot_changes, write_audit
from surveys.intake import collected_at_from_date
from surveys.models import (
    RESPONSE_SUBMITTED,
    RESPONSE_VERIFIED,
    Answer,
    Question,
    Response,
    Survey,
    utcnow,
)
from surveys.questions import AnswerValue, question_type
from surveys.recording import AREA_DIMENSION, answer_rows, answered_area
from surveys.responses import value_as_text


@dataclass(frozen=True)
class EntryInput:
    """A valid entry, ready to store."""

    channel: str
    language: str
    collected_on: date
    place: str | None
    paper_id: str | None
    answers: dict[str, list[AnswerValue]]


def stored_answers(session: Session, response: Response) -> dict[str, list[str]]:
    """Return a response's answers as form values, by question name, in choice order."""
    rows = session.exec(
        select(Answer, Question)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)
        .order_by(Question.position, Answer.id)
    ).all()
    raw: dict[str, list[str]] = defaultdict(list)
    for answer, question in rows:
        value = AnswerValue(choice=answer.choice, number=answer.number, text=answer.text)
        raw[question.name].append(value_as_text(value))
    return dict(raw)


def entry_snapshot(meta: Mapping[str, Any], answers: Mapping[str, list[str]]) -> dict:
    """Return an entry's values as the audit trail records them."""
    return {
        "channel": meta["channel"],
        "language": meta["language"],
        "collected_on": meta["collected_on"],
        "place": meta["place"] or None,
        "paper_id": meta["paper_id"] or None,
        "answers": {name: list(values) for name, values in answers.items() if values},
    }


def apply_correction(
    session: Session,
    survey: Survey,
    response: Response,
    entry: EntryInput,
    *,
    user_id: int,
    by_staff: bool,
    cutoffs: SentimentCutoffs,
) -> tuple[dict, dict]:
    """Change a stored entry to ``entry`` and audit it; return the (old, new) values changed.

    Nothing is written when nothing changed. A broker's correction (``by_staff``
    false) sends a reviewed entry back for review. The caller commits.
    """
    with report_counts.recounting(session, survey, [response.id]):
        old, new = _change_entry(
            session, survey, response, entry, stored_answers(session, response), by_staff, cutoffs
        )
    if old or new:
        write_audit(
            session,
            user_id,
            "response.correct",
            "response",
            response.public_id,
            survey.id,
            old,
            new,
        )
    return old, new


def _change_entry(
    session: Session,
    survey: Survey,
    response: Response,
    entry: EntryInput,
    old_raw: dict[str, list[str]],
    by_staff: bool,
    cutoffs: SentimentCutoffs,
) -> tuple[dict, dict]:
    """Write the changes of a correction to the response and its answers."""
    old = entry_snapshot(
        {
            "channel": response.channel,
            "language": response.language,
            "collected_on": response.collected_at.date().isoformat(),
            "place": response.place,
            "paper_id": response.paper_id,
        },
        old_raw,
    )
    new_raw = {name: [value_as_text(v) for v in values] for name, values in entry.answers.items()}
    new = entry_snapshot(
        {
            "channel": entry.channel,
            "language": entry.language,
            "collected_on": entry.collected_on.isoformat(),
            "place": entry.place,
            "paper_id": entry.paper_id,
        },
        new_raw,
    )
    old_changed, new_changed = snapshot_changes(old, new)
    if not new_changed and not old_changed:
        return {}, {}
    questions = {question.name: question for question in survey.questions}
    changed_names = set(new_changed.get("answers", {}))
    if "language" in new_changed:
        # Comments are scored in the form's language: rescore every comment.
        changed_names |= {
            name
            for name in new_raw.keys() | old_raw.keys()
            if question_type(questions[name].kind).analyses(questions[name])
        }
    if changed_names:
        ids = [questions[name].id for name in changed_names]
        for row in session.exec(
            select(Answer).where(Answer.response_id == response.id, Answer.question_id.in_(ids))
        ):
            session.delete(row)
        session.flush()
        for row in answer_rows(
            questions,
            {name: values for name, values in entry.answers.items() if name in changed_names},
            entry.language,
            cutoffs,
        ):
            row.response_id = response.id
            session.add(Answer(**row.values()))
        if any(questions[name].dimension == AREA_DIMENSION for name in changed_names):
            # The area filter reads the response's copy of the ward answer.
            response.area = answered_area(questions, entry.answers)
    response.channel = entry.channel
    response.language = entry.language
    if "collected_on" in new_changed:
        response.collected_at = collected_at_from_date(entry.collected_on)
    response.place = entry.place
    response.paper_id = entry.paper_id
    response.updated_at = utcnow()
    if not by_staff and response.status != RESPONSE_SUBMITTED:
        # A broker's correction sends a reviewed entry back for review.
        old_changed["status"] = response.status
        new_changed["status"] = RESPONSE_SUBMITTED
        response.status = RESPONSE_SUBMITTED
    return old_changed, new_changed


def record_review(
    session: Session,
    survey: Survey,
    response: Response,
    decision: str,
    note: str | None,
    *,
    user_id: int,
    at: datetime | None = None,
) -> None:
    """Mark an entry verified or flagged (with the reason) and audit it; the caller commits."""
    at = at or utcnow()
    old = {"status": response.status, "review_note": response.review_note}
    response.status = decision
    response.review_note = note or None
    response.reviewed_by_id = user_id
    response.reviewed_at = at
    new = {"status": response.status, "review_note": response.review_note}
    action = "response.verify" if decision == RESPONSE_VERIFIED else "response.flag"
    write_audit(
        session,
        user_id,
        action,
        "response",
        response.public_id,
        survey.id,
        old,
        new,
        reason=note or None,
        at=at,
    )

"""Group sessions (elder circles, focus groups, meetings): head counts, tallies, feedback.

A session is stored as a whole: its details, who took part (aggregate
demographics), its show-of-hands tallies and its notes and quotes. A correction
rewrites it and audits only what changed. Feedback text is scored for
sentiment when it is written or its language changes; a rescored note loses
any staff override, since that judged other words. Head counts are checked
against the number of participants (``check_counts``, ``complete_tally``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from surveys.audit import snapshot_changes, write_audit
from surveys.messages import N_
from surveys.models import (
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Question,
    Survey,
)
from surveys.questions import AnswerError
from surveys.recording import apply_sentiment


def parse_count(text: str) -> int | None:
    """Return a typed head count (None when blank); raise ``AnswerError`` if not 0 or more."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise AnswerError(N_("Enter a whole number of people, 0 or more."))
    return int(value)


def check_counts(participants: int, counts: Mapping[str | None, int], multiple: bool) -> None:
    """Raise ``AnswerError`` when head counts do not fit in the session's participants.

    Each person falls in one group of a single-choice question, so the counts
    (with "did not say" or "unknown") may add up to the participants at most. On a
    multiple-choice question one person may be in several groups, so only each
    count is limited.
    """
    if multiple:
        for count in counts.values():
            if count > participants:
                raise AnswerError(
                    N_("A count of %(count)s is more than the %(participants)s participants."),
                    {"count": count, "participants": participants},
                )
        return
    total = sum(counts.values())
    if total > participants:
        raise AnswerError(
            N_("These counts add up to %(total)s, more than the %(participants)s participants."),
            {"total": total, "participants": participants},
        )


def complete_tally(
    participants: int, counts: Mapping[str | None, int], multiple: bool
) -> dict[str | None, int]:
    """Return a checked tally with "did not say" (key None) filled in when left blank.

    On a single-choice question everyone either chose an option or did not say,
    so a blank "did not say" is the participants nobody counted. A tally with no
    counts at all stays empty: the question was not asked in this session.
    """
    check_counts(participants, counts, multiple)
    tally = dict(counts)
    if tally and not multiple and None not in tally:
        tally[None] = participants - sum(tally.values())
    return tally


@dataclass(frozen=True)
class FeedbackInput:
    """One note or quote; ``id`` is the stored row it rewrites ("" for a new one).

    ``delete`` marks a stored row whose text was cleared.
    """

    id: str = ""
    kind: str = "note"
    text: str = ""
    question: str | None = None
    theme: str | None = None
    language: str = ""
    speaker: str | None = None
    delete: bool = False


@dataclass(frozen=True)
class SessionInput:
    """A valid group session, ready to store (counts checked, tallies completed)."""

    kind: str
    facilitator: str
    held_on: date
    place: str
    languages: list[str]
    participants: int
    consent: str
    attribution: str
    demographics: dict[str, dict[str | None, int]]
    tallies: dict[str, dict[str | None, int]]
    feedback: list[FeedbackInput]


def add_session(
    session: Session,
    survey: Survey,
    data: SessionInput,
    *,
    entered_by_id: int,
    cutoffs: SentimentCutoffs,
    public_id: str | None = None,
) -> GroupSession:
    """Store a new session entered by ``entered_by_id`` (not committed)."""
    group = GroupSession(survey_id=survey.id, entered_by_id=entered_by_id, **_details(data))
    if public_id is not None:
        group.public_id = public_id
    store_session(session, survey, group, data, cutoffs=cutoffs)
    return group


def correct_session(
    session: Session,
    survey: Survey,
    group: GroupSession,
    data: SessionInput,
    *,
    user_id: int,
    cutoffs: SentimentCutoffs,
) -> tuple[dict, dict]:
    """Rewrite a stored session and audit what changed; return the (old, new) values.

    When nothing changed no audit event is added; the caller then rolls back.
    """
    before = session_snapshot(session, group)
    store_session(session, survey, group, data, cutoffs=cutoffs)
    after = session_snapshot(session, group)
    old, new = snapshot_changes(before, after)
    if old or new:
        write_audit(
            session,
            user_id,
            "group_session.correct",
            "group_session",
            group.public_id,
            survey.id,
            old,
            new,
        )
    return old, new


def _details(data: SessionInput) -> dict:
    """Return the session's own fields from the input."""
    return {
        "kind": data.kind,
        "facilitator": data.facilitator,
        "held_on": data.held_on,
        "place": data.place,
        "languages": data.languages,
        "participants": data.participants,
        "consent": data.consent,
        "attribution": data.attribution,
    }


def store_session(
    session: Session,
    survey: Survey,
    group: GroupSession,
    data: SessionInput,
    *,
    cutoffs: SentimentCutoffs,
) -> None:
    """Write a validated session, its counts and feedback (flushed, not committed)."""
    for name, value in _details(data).items():
        setattr(group, name, value)
    session.add(group)
    session.flush()
    questions = {question.name: question for question in survey.questions}
    for model, blocks in ((GroupDemographic, data.demographics), (GroupTally, data.tallies)):
        for row in session.exec(select(model).where(model.session_id == group.id)):
            session.delete(row)
        for name, counts in blocks.items():
            for choice, count in counts.items():
                session.add(
                    model(
                        session_id=group.id,
                        question_id=questions[name].id,
                        choice=choice,
                        count=count,
                    )
                )
    existing = {
        str(row.id): row
        for row in session.exec(select(GroupFeedback).where(GroupFeedback.session_id == group.id))
    }
    for item in data.feedback:
        row = existing.get(item.id) if item.id else None
        if item.delete:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = GroupFeedback(session_id=group.id, text="")
        rescore = row.text != item.text or row.language != item.language
        row.kind = item.kind
        row.text = item.text
        row.question_id = questions[item.question].id if item.question else None
        row.theme = item.theme
        row.language = item.language
        row.speaker = item.speaker
        if rescore:
            apply_sentiment(row, row.text, row.language, cutoffs)
            row.sentiment_override = row.override_by_id = row.override_at = None
        session.add(row)
    session.flush()


def session_snapshot(session: Session, group: GroupSession) -> dict:
    """Return a session with its counts and feedback, as the audit trail records it."""
    questions = {
        q.id: q.name
        for q in session.exec(select(Question).where(Question.survey_id == group.survey_id))
    }

    def counts(model) -> dict:
        result: dict = defaultdict(dict)
        for row in session.exec(
            select(model).where(model.session_id == group.id).order_by(model.id)
        ):
            result[questions.get(row.question_id, str(row.question_id))][row.choice or ""] = (
                row.count
            )
        return dict(result)

    return {
        "kind": group.kind,
        "facilitator": group.facilitator,
        "held_on": group.held_on.isoformat(),
        "place": group.place,
        "languages": list(group.languages),
        "participants": group.participants,
        "consent": group.consent,
        "attribution": group.attribution,
        "demographics": counts(GroupDemographic),
        "tallies": counts(GroupTally),
        "feedback": [
            {
                "kind": row.kind,
                "text": row.text,
                "question": questions.get(row.question_id),
                "theme": row.theme,
                "language": row.language,
                "speaker": row.speaker,
            }
            for row in session.exec(
                select(GroupFeedback)
                .where(GroupFeedback.session_id == group.id)
                .order_by(GroupFeedback.id)
            )
        ],
    }

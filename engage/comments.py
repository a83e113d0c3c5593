"""Comments: scoring stored ones, and staff overriding a label (with who and when)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs, label_comment
from surveys import report_counts
from surveys.audit import write_audit
from surveys.intake import quotable_feedback_rows
from surveys.models import (
    SENTIMENT_LABELS,
    Answer,
    AuditEvent,
    GroupFeedback,
    GroupSession,
    Question,
    Response,
    Survey,
    User,
    utcnow,
)
from surveys.questions import analysed
from surveys.retention import REMOVED_TEXT

SENTIMENT_OVERRIDE = "sentiment_override"


class CommentError(ValueError):
    """A correction that cannot be made; ``message`` is translated when shown."""

    def __init__(self, message) -> None:
        self.message = message
        super().__init__(str(message))


def override_sentiment(
    session: Session,
    comment: Answer | GroupFeedback,
    label: str | None,
    user: User,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Set (or, with ``label`` None, clear) staff's sentiment label of a comment.

    Keeps who and when on the comment and writes an audit event with the old
    and new labels, in one commit. Reports use the override in place of the
    scored label. An override equal to the scored label is a confirmation: the
    comment then counts as labelled by a person.
    """
    if label is not None and label not in SENTIMENT_LABELS:
        raise CommentError(_l("Choose negative, neutral or positive."))
    survey_id = _survey_of(session, comment)
    # A resident's comment counts in the survey's kept report counts; group feedback does not.
    counting = (
        report_counts.recounting(session, session.get(Survey, survey_id), [comment.response_id])
        if isinstance(comment, Answer)
        else nullcontext()
    )
    with counting:
        event = _set_override(session, comment, survey_id, label, user, reason, now or utcnow())
    session.commit()
    return event


def override_answers(
    session: Session,
    survey: Survey,
    labels: Mapping[int, str],
    user: User,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[AuditEvent]:
    """Set staff's labels of many of a survey's comments (answer id -> label) in one commit."""
    return override_comments(session, survey, labels, {}, user, reason=reason, now=now)


def override_comments(
    session: Session,
    survey: Survey,
    answer_labels: Mapping[int, str],
    note_labels: Mapping[int, str],
    user: User,
    *,
    languages: Callable[[str], bool] | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[AuditEvent]:
    """Set a person's labels of a survey's comments and group-session notes in one commit.

    ``answer_labels`` and ``note_labels`` map answer and ``GroupFeedback`` ids to labels.
    The review queue's write: everything is checked first (each label, that each comment
    is the survey's and may be shown, a note only from a session that may be quoted, and,
    with ``languages``, that each is in a language the person may label), then the answers'
    labels are set inside one ``report_counts.recounting``, and each label is audited as
    ``override_sentiment`` audits one. A label equal to the scored one confirms it.
    """
    chosen = [*answer_labels.values(), *note_labels.values()]
    if any(label not in SENTIMENT_LABELS for label in chosen):
        raise CommentError(_l("Choose negative, neutral or positive."))
    answers = (
        session.exec(
            select(Answer, Response.language)
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.id.in_(list(answer_labels)), Response.survey_id == survey.id)
            .order_by(Answer.id)
        ).all()
        if answer_labels
        else []
    )
    notes = (
        session.exec(
            quotable_feedback_rows(survey.id)
            .where(GroupFeedback.id.in_(list(note_labels)))
            .order_by(GroupFeedback.id)
        ).all()
        if note_labels
        else []
    )
    if len(answers) != len(answer_labels) or len(notes) != len(note_labels):
        raise CommentError(_l("That comment no longer exists."))
    for answer, _language in answers:
        _survey_of(session, answer)  # each must be a comment
    written = [language for _answer, language in answers]
    written += [note.language for note, _group in notes]
    if languages is not None and not all(languages(language) for language in written):
        raise CommentError(_l("You may label only comments in the languages you review."))
    when = now or utcnow()
    events = []
    responses = {answer.response_id for answer, _language in answers}
    with report_counts.recounting(session, survey, responses):
        for answer, _language in answers:
            events.append(
                _set_override(
                    session, answer, survey.id, answer_labels[answer.id], user, reason, when
                )
            )
    for note, _group in notes:
        events.append(
            _set_override(session, note, survey.id, note_labels[note.id], user, reason, when)
        )
    session.commit()
    return events


def _set_override(
    session: Session,
    comment: Answer | GroupFeedback,
    survey_id: int,
    label: str | None,
    user: User,
    reason: str | None,
    when: datetime,
) -> AuditEvent:
    """Set a comment's override with who and when, and audit the change (the caller commits)."""
    old = {
        "sentiment_label": comment.sentiment_label,
        "sentiment_override": comment.sentiment_override,
    }
    comment.sentiment_override = label
    comment.override_by_id = user.id if label is not None else None
    comment.override_at = when if label is not None else None
    session.add(comment)
    return write_audit(
        session,
        user.id,
        SENTIMENT_OVERRIDE,
        "answer" if isinstance(comment, Answer) else "group_feedback",
        str(comment.id),
        survey_id,
        old,
        {"sentiment_label": comment.sentiment_label, "sentiment_override": label},
        reason=reason,
        at=when,
    )


def override_answer_sentiment(
    session: Session, answer_id: int, label: str | None, user: User, *, reason: str | None = None
) -> AuditEvent:
    """Override the sentiment of the comment stored as answer ``answer_id``."""
    answer = session.get(Answer, answer_id)
    if answer is None:
        raise CommentError(_l("That comment no longer exists."))
    return override_sentiment(session, answer, label, user, reason=reason)


def _survey_of(session: Session, comment: Answer | GroupFeedback) -> int:
    """Return the comment's survey id; refuse anything that is not a comment."""
    if isinstance(comment, GroupFeedback):
        return session.get(GroupSession, comment.session_id).survey_id
    question = session.get(Question, comment.question_id)
    if question is None or not analysed(question) or not comment.text:
        raise CommentError(_l("Only comments have a sentiment to correct."))
    return session.get(Response, comment.response_id).survey_id


@dataclass(frozen=True)
class ScoringCounts:
    """What a scoring run did."""

    scored: int
    unscored: int


def score_comments(
    session: Session,
    cutoffs: SentimentCutoffs,
    *,
    survey: Survey | None = None,
    rescore: bool = False,
    batch_size: int = 1000,
) -> ScoringCounts:
    """Score stored comments (answers and group feedback) that have no score yet.

    With ``rescore`` every comment is scored again (after a change of cut-offs,
    scored languages or method); staff overrides are kept either way. Works in batches,
    committing each, so a large survey never sits in memory and an
    interrupted run simply continues next time.
    """
    scored = unscored = 0
    survey_id = survey.id if survey else None
    for table, statement in (
        (Answer, _answer_comments(session, survey, rescore)),
        (GroupFeedback, _feedback_comments(survey, rescore)),
    ):
        counts = _score_rows(
            session, table, statement, cutoffs, survey_id, rescore, batch_size, commit=True
        )
        scored, unscored = scored + counts.scored, unscored + counts.unscored
    return ScoringCounts(scored, unscored)


def score_answers(
    session: Session, survey: Survey, question_ids: list[int], cutoffs: SentimentCutoffs
) -> ScoringCounts:
    """Score the answers of ``question_ids`` that have no score yet, in the caller's transaction.

    For a question whose analysis staff just switched on: its answers were stored unscored.
    """
    statement = (
        select(Answer.id, Answer.text, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey.id,
            Answer.question_id.in_(question_ids),
            Answer.text.is_not(None),
            Answer.text != REMOVED_TEXT,
            Answer.polarity.is_(None),
            Answer.sentiment_label.is_(None),
        )
    )
    return _score_rows(session, Answer, statement, cutoffs, survey.id, False, 1000, commit=False)


def _score_rows(
    session: Session,
    table: type[Answer] | type[GroupFeedback],
    statement,
    cutoffs: SentimentCutoffs,
    survey_id: int | None,
    rescore: bool,
    batch_size: int,
    *,
    commit: bool,
) -> ScoringCounts:
    """Score the (id, text, language) rows of ``statement`` a batch at a time."""
    scored = unscored = 0
    last_id = 0
    while True:
        rows = session.exec(
            statement.where(table.id > last_id).order_by(table.id).limit(batch_size)
        ).all()
        if not rows:
            break
        changes = []
        for comment_id, text, language in rows:
            label, sentiment = label_comment(text or "", language or "", cutoffs)
            if sentiment is None:
                unscored += 1
                if rescore:
                    changes.append(
                        {
                            "id": comment_id,
                            "polarity": None,
                            "subjectivity": None,
                            "sentiment_label": None,
                        }
                    )
                continue
            scored += 1
            changes.append(
                {
                    "id": comment_id,
                    "polarity": sentiment.polarity,
                    "subjectivity": sentiment.subjectivity,
                    "sentiment_label": label,
                }
            )
        if changes:
            session.exec(update(table), params=changes)
            if table is Answer:
                # Residents' labels changed: kept report counts rebuild when next read.
                report_counts.forget(session, survey_id)
        if commit:
            session.commit()
        last_id = rows[-1][0]
    return ScoringCounts(scored, unscored)


def _answer_comments(session: Session, survey: Survey | None, rescore: bool):
    """Return (id, text, language) of the answers to score: those of analysed questions."""
    questions = select(Question)
    if survey is not None:
        questions = questions.where(Question.survey_id == survey.id)
    analysed_ids = [question.id for question in session.exec(questions) if analysed(question)]
    statement = (
        select(Answer.id, Answer.text, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(analysed_ids),
            Answer.text.is_not(None),
            Answer.text != REMOVED_TEXT,
        )
    )
    if survey is not None:
        statement = statement.where(Response.survey_id == survey.id)
    if not rescore:
        statement = statement.where(Answer.polarity.is_(None), Answer.sentiment_label.is_(None))
    return statement


def _feedback_comments(survey: Survey | None, rescore: bool):
    """Return (id, text, language) of group-session feedback to score."""
    statement = (
        select(GroupFeedback.id, GroupFeedback.text, GroupFeedback.language)
        .join(GroupSession, GroupSession.id == GroupFeedback.session_id)
        .where(GroupFeedback.text != REMOVED_TEXT)
    )
    if survey is not None:
        statement = statement.where(GroupSession.survey_id == survey.id)
    if not rescore:
        statement = statement.where(
            GroupFeedback.polarity.is_(None), GroupFeedback.sentiment_label.is_(None)
        )
    return statement

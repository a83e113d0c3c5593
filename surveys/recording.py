"""Store one validated response, exactly once, with where it came from.

Every channel (web, paper, phone, in person, CSV import) ends here. The
idempotency key makes a double tap, a refresh or a re-imported file land on
the response already stored instead of creating a second one.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, union_all
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from analysis.sentiment import UNSCORED, SentimentCutoffs, label_comment
from surveys import receipts, report_counts
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.models import (
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    Answer,
    Question,
    Response,
    ResponseContact,
    Survey,
    utcnow,
)
from surveys.questions import AnswerValue, question_type

# Channels a broker keys in by hand, and those a CSV import may name.
ENTRY_CHANNELS = (CHANNEL_PAPER, CHANNEL_PHONE, CHANNEL_IN_PERSON)
IMPORT_CHANNELS = (*ENTRY_CHANNELS, CHANNEL_WEB)

# What a new answer row holds (staff sentiment overrides come later).
ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "choice",
    "number",
    "text",
    "polarity",
    "subjectivity",
    "sentiment_label",
)

# The dimension key of the ward-or-area question (surveys.demographics.area_question).
AREA_DIMENSION = "area"


@dataclass(frozen=True)
class Provenance:
    """Where a response came from and who keyed it in."""

    channel: str
    language: str
    idempotency_key: str
    entered_by_id: int | None = None
    collected_at: datetime | None = None
    paper_id: str | None = None
    place: str | None = None
    area: str | None = None


@dataclass
class AnswerRow:
    """A new answer's values, to insert: building an ORM ``Answer`` costs more than the insert."""

    question_id: int
    choice: str | None = None
    number: float | None = None
    text: str | None = None
    polarity: float | None = None
    subjectivity: float | None = None
    sentiment_label: str | None = None
    sentiment_override: str | None = None  # a new answer has none; counting reads it
    response_id: int | None = None

    def values(self) -> dict:
        """Return the row's columns (``ANSWER_COLUMNS``) as an insert takes them."""
        return {column: getattr(self, column) for column in ANSWER_COLUMNS}


def answer_rows(
    questions: dict[str, Question],
    answers: dict[str, list[AnswerValue]],
    language: str,
    cutoffs: SentimentCutoffs,
) -> list[AnswerRow]:
    """Build answer rows; comments (free text analysed) are scored for sentiment once, here."""
    rows = []
    for name, values in answers.items():
        question = questions[name]
        for value in values:
            row = AnswerRow(
                question_id=question.id,
                choice=value.choice,
                number=value.number,
                text=value.text,
            )
            if question_type(question.kind).analyses(question) and value.text:
                apply_sentiment(row, value.text, language, cutoffs)
            rows.append(row)
    return rows


def apply_sentiment(row, text: str, language: str, cutoffs: SentimentCutoffs) -> None:
    """Score ``text`` into the row's sentiment fields; unscored languages stay None."""
    label, sentiment = label_comment(text, language, cutoffs)
    if sentiment is None:
        row.polarity = row.subjectivity = row.sentiment_label = None
        return
    row.polarity = sentiment.polarity
    row.subjectivity = sentiment.subjectivity
    row.sentiment_label = None if label == UNSCORED else label


def answered_area(
    questions: dict[str, Question], answers: dict[str, list[AnswerValue]]
) -> str | None:
    """Return the ward or area the respondent chose, so reports can filter by area."""
    for name, values in answers.items():
        chosen = values[0].choice if values else None
        if questions[name].dimension == AREA_DIMENSION and chosen not in (
            None,
            PREFER_NOT_TO_ANSWER,
        ):
            return chosen
    return None


# Every submission asks first; almost always nothing is there, so the question is a
# Core statement built once (the ORM's version cost more than the query). With a
# receipt to give, the same statement asks which of its candidates are taken: a
# UNION ALL of two index searches (an OR of the two makes SQLite read every response
# of the survey).
_FOUND = (Response.id, Response.idempotency_key, Response.receipt_hash)
EARLIER_RESPONSE = select(*_FOUND).where(
    Response.survey_id == bindparam("survey_id"),
    Response.idempotency_key == bindparam("idempotency_key"),
)
EARLIER_OR_TAKEN = union_all(
    EARLIER_RESPONSE,
    select(*_FOUND).where(
        Response.survey_id == bindparam("survey_id"),
        Response.receipt_hash.in_([bindparam(f"receipt_{n}") for n in range(receipts.ATTEMPTS)]),
    ),
)


def existing_response(
    session: Session, survey_id: int, idempotency_key: str, candidates: Sequence[str] = ()
) -> tuple[Response | None, set[str]]:
    """Return the response already stored under this idempotency key, if any.

    With receipt ``candidates`` (``receipts.receipt_candidates``), also which of
    them the survey's responses hold; in one statement either way.
    """
    values = {"survey_id": survey_id, "idempotency_key": idempotency_key}
    statement = EARLIER_RESPONSE
    if candidates:
        statement = EARLIER_OR_TAKEN
        values.update({f"receipt_{n}": hashed for n, hashed in enumerate(candidates)})
    found = session.connection().execute(statement, values).all()
    earlier = next((row.id for row in found if row.idempotency_key == idempotency_key), None)
    taken = {row.receipt_hash for row in found if row.receipt_hash in candidates}
    return (None if earlier is None else session.get(Response, earlier)), taken


def record_response(
    session: Session,
    survey: Survey,
    answers: dict[str, list[AnswerValue]],
    provenance: Provenance,
    *,
    cutoffs: SentimentCutoffs,
    contact: str | None = None,
    notify_results: bool = False,
    commit: bool = True,
    receipt_secret: bytes | None = None,
) -> tuple[Response, bool]:
    """Store a response and its answers in one transaction; return (response, created).

    With ``commit=False`` the caller owns the transaction (the CSV importer
    stores a whole file at once). With ``receipt_secret`` the response gets a
    receipt (``surveys.receipts``), whose code ``receipts.receipt_code`` gives back.
    ``notify_results``: the resident asked to be told when results are published
    (``surveys.notices``).
    """
    candidates = (
        receipts.receipt_candidates(receipt_secret, survey.id, provenance.idempotency_key)
        if receipt_secret is not None
        else []
    )
    earlier, taken = existing_response(session, survey.id, provenance.idempotency_key, candidates)
    if earlier is not None:
        return earlier, False
    now = utcnow()
    response = Response(
        survey_id=survey.id,
        channel=provenance.channel,
        language=provenance.language,
        submitted_at=now,
        collected_at=provenance.collected_at or now,
        entered_by_id=provenance.entered_by_id,
        idempotency_key=provenance.idempotency_key,
        paper_id=provenance.paper_id,
        place=provenance.place,
        area=provenance.area,
    )
    questions = {question.name: question for question in survey.questions}
    response.area = response.area or answered_area(questions, answers)
    if candidates:
        receipts.assign_receipt(response, candidates, taken)
    session.add(response)
    try:
        session.flush()
        rows = answer_rows(questions, answers, provenance.language, cutoffs)
        for row in rows:
            row.response_id = response.id
        if rows:  # one executemany, not one INSERT ... RETURNING per answer
            session.connection().execute(insert(Answer.__table__), [row.values() for row in rows])
        if contact:
            session.add(
                ResponseContact(
                    response_id=response.id, contact=contact, notify_results=notify_results
                )
            )
        report_counts.count_response(session, survey, response, rows)
        if commit:
            session.commit()
        else:
            session.flush()
    except IntegrityError:
        # Two identical submissions raced; the other one won and holds the answers.
        session.rollback()
        earlier, _taken = existing_response(session, survey.id, provenance.idempotency_key)
        if earlier is None:
            raise
        return earlier, False
    return response, True

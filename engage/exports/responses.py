"""Every response with its provenance (CSV or XLSX), and the group feedback that may be quoted.

Contact details (``response_contacts``) are never read here; group feedback text
comes only from ``surveys.intake.quotable_feedback``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from engage.exports.data_dictionary import DICTIONARY_COLUMNS, dictionary_rows
from engage.exports.spreadsheets import Sheet, iter_csv, xlsx_bytes
from surveys.aggregates import Filters
from surveys.intake import quotable_feedback
from surveys.models import RESPONSE_VERIFIED, Answer, Question, Response, Survey, User
from surveys.questions import question_type
from surveys.store import load_texts

# Provenance columns of the responses export, before one column per question.
PROVENANCE_COLUMNS = (
    "response_id",
    "channel",
    "language",
    "collected_at_utc",
    "submitted_at_utc",
    "entered_by",
    "paper_id",
    "status",
    "verified",
    "flag_reason",
    "area",
    "place",
)

# Suffix of the column holding a comment's sentiment label (staff's override first).
SENTIMENT_SUFFIX = "__sentiment"

BATCH_SIZE = 1000


# No filter: every response of the survey.
ALL_RESPONSES = Filters()


def response_conditions(survey_id: int, filters: Filters) -> list:
    """Return the WHERE conditions on responses for a survey and the dashboard's filters."""
    conditions = [Response.survey_id == survey_id]
    if filters.start:
        conditions.append(Response.collected_at >= datetime.combine(filters.start, clock.min, UTC))
    if filters.end:
        after = datetime.combine(filters.end + timedelta(days=1), clock.min, UTC)
        conditions.append(Response.collected_at < after)
    if filters.channels:
        conditions.append(Response.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(Response.language.in_(filters.languages))
    if filters.areas:
        conditions.append(Response.area.in_(filters.areas))
    return conditions


def answerable_questions(survey: Survey) -> list[Question]:
    """Return the questions that take an answer, in survey order."""
    return [q for q in survey.questions if question_type(q.kind).takes_answer]


def response_columns(survey: Survey) -> list[str]:
    """Return the header of the responses export: provenance, then one column per question."""
    columns = list(PROVENANCE_COLUMNS)
    for question in answerable_questions(survey):
        columns.append(question.name)
        if question_type(question.kind).analyses(question):
            columns.append(question.name + SENTIMENT_SUFFIX)
    return columns


def response_rows(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES
) -> Iterator[list]:
    """Yield one row per response, oldest first, reading answers a batch at a time.

    Multiple choices are space-separated choice names, as KoboToolbox and ODK
    export them. Contact details are never read.
    """
    questions = answerable_questions(survey)
    comments = {q.name for q in questions if question_type(q.kind).analyses(q)}
    people = {
        user_id: name or email
        for user_id, name, email in session.exec(select(User.id, User.name, User.email)).all()
    }
    conditions = response_conditions(survey.id, filters)
    last_id = 0
    while True:
        batch = session.scalars(
            select(Response)
            .where(*conditions, Response.id > last_id)
            .order_by(Response.id)
            .limit(BATCH_SIZE)
        ).all()
        if not batch:
            return
        last_id = batch[-1].id
        values, sentiments = read_answers(session, batch, questions)
        for response in batch:
            row = [
                response.public_id,
                response.channel,
                response.language,
                response.collected_at,
                response.submitted_at,
                people.get(response.entered_by_id) if response.entered_by_id else None,
                response.paper_id,
                response.status,
                response.status == RESPONSE_VERIFIED,
                response.review_note,
                response.area,
                response.place,
            ]
            answered = values.get(response.id, {})
            for question in questions:
                given = answered.get(question.name, [])
                if not given:
                    row.append(None)
                elif len(given) == 1:
                    row.append(given[0])
                else:
                    row.append(" ".join(str(value) for value in given))
                if question.name in comments:
                    row.append(sentiments.get(response.id, {}).get(question.name))
            yield row


class ReadAnswers(NamedTuple):
    """Responses' answers: values by question name, and each comment's sentiment label."""

    values: dict[int, dict[str, list]]
    sentiments: dict[int, dict[str, str | None]]


def read_answers(
    session: Session, responses: Sequence[Response], questions: Iterable[Question]
) -> ReadAnswers:
    """Return the answers of ``responses`` to ``questions`` by response id, in one query.

    Values come in stored order (one per choice chosen); a comment's label is staff's
    correction first. Answers to other questions are left out.
    """
    by_id = {question.id: question for question in questions}
    comments = {q.name for q in by_id.values() if question_type(q.kind).analyses(q)}
    values: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    sentiments: dict[int, dict[str, str | None]] = defaultdict(dict)
    if not responses:
        return ReadAnswers(values, sentiments)
    answers = session.scalars(
        select(Answer)
        .where(Answer.response_id.in_([response.id for response in responses]))
        .order_by(Answer.id)
    ).all()
    for answer in answers:
        question = by_id.get(answer.question_id)
        if question is None:
            continue
        values[answer.response_id][question.name].append(_answer_value(answer))
        if question.name in comments:
            sentiments[answer.response_id][question.name] = (
                answer.sentiment_override or answer.sentiment_label
            )
    return ReadAnswers(values, sentiments)


def _answer_value(answer: Answer):
    """Return the exported value of one answer row: choice name, number or text."""
    if answer.choice is not None:
        return answer.choice
    if answer.number is not None:
        return int(answer.number) if float(answer.number).is_integer() else answer.number
    return answer.text


def responses_csv(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES
) -> Iterator[str]:
    """Yield the responses export as CSV, with a byte-order mark so Excel reads UTF-8."""
    yield "\ufeff"
    yield from iter_csv(response_columns(survey), response_rows(session, survey, filters))


def responses_xlsx(session: Session, survey: Survey, filters: Filters = ALL_RESPONSES) -> bytes:
    """Return the responses export as a workbook: responses, group feedback, questions."""
    texts = load_texts(session, survey.id)
    return xlsx_bytes(
        [
            Sheet("responses", response_columns(survey), response_rows(session, survey, filters)),
            Sheet("group_feedback", FEEDBACK_COLUMNS, feedback_rows(session, survey, filters)),
            Sheet("questions", DICTIONARY_COLUMNS, dictionary_rows(survey, texts)),
        ]
    )


FEEDBACK_COLUMNS = (
    "session",
    "session_kind",
    "held_on",
    "kind",
    "question",
    "theme",
    "language",
    "sentiment",
    "speaker",
    "text",
)


def feedback_rows(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES, *, speakers: bool = True
) -> Iterator[list]:
    """Yield the group feedback that may be quoted (never a ``no_quote`` session's)."""
    if filters.channels and "group" not in filters.channels:
        return
    names = {question.id: question.name for question in survey.questions}
    for item in quotable_feedback(session, survey.id):
        if filters.start and item.held_on < filters.start:
            continue
        if filters.end and item.held_on > filters.end:
            continue
        if filters.languages and item.language not in filters.languages:
            continue
        yield [
            item.session_public_id,
            item.session_kind,
            item.held_on,
            item.kind,
            names.get(item.question_id),
            item.theme,
            item.language,
            item.sentiment_label,
            item.speaker if speakers else None,
            item.text,
        ]

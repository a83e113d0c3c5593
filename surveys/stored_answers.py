"""Reading a survey's responses as stored: provenance and the answers counting needs.

``surveys.counting`` turns what this module reads into facts; a report reads kept facts
instead, and comes here only for responses without them (written around the app, or
before the survey's shape changed) and for rebuilds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Connection, Table, func, select

from surveys.models import Answer, Response
from surveys.report_records import Filters
from surveys.report_structure import filter_conditions

if TYPE_CHECKING:
    from surveys.counting import SurveyShape

# Responses read per database round trip.
BATCH = 2000

answers = Answer.__table__
responses = Response.__table__


def counted_label(table: Table) -> tuple[ColumnElement, ColumnElement]:
    """Return the label a comment counts with, and whether a person gave it.

    A person's label (``sentiment_override``: a correction, or a confirmation when it
    equals the method's) wins over the method's (``sentiment_label``); ``None`` is
    unscored. The one definition for residents' answers and group-session notes alike.
    """
    return (
        func.coalesce(table.c.sentiment_override, table.c.sentiment_label),
        table.c.sentiment_override.is_not(None),
    )


@dataclass(frozen=True)
class StoredAnswer:
    """One answer row as counting sees it; ``label`` is the effective sentiment.

    ``by_person`` when staff set the label (``sentiment_override``: a correction, or a
    confirmation when it equals the method's label).
    """

    question_id: int
    choice: str | None
    number: float | None
    has_text: bool
    label: str | None
    by_person: bool = False


@dataclass(frozen=True)
class StoredResponse:
    """One response's provenance and answers, as stored."""

    channel: str
    language: str
    area: str | None
    collected_at: datetime
    answers: tuple[StoredAnswer, ...]


def stored_responses(
    connection: Connection,
    survey_id: int,
    shape: SurveyShape,
    filters: Filters = Filters(),
    response_ids: Iterable[int] | None = None,
    batch: int = BATCH,
) -> Iterator[tuple[int, StoredResponse]]:
    """Yield ``(id, response)`` for the survey's responses (``filters``, or ``response_ids``).

    Reads them as stored, in batches in id order, with only the answers some statement counts.
    """
    conditions = filter_conditions(survey_id, filters)
    chosen = None if response_ids is None else sorted(set(response_ids))
    after = 0
    while True:
        statement = select(
            responses.c.id,
            responses.c.channel,
            responses.c.language,
            responses.c.area,
            responses.c.collected_at,
        ).where(*conditions, responses.c.id > after)
        if chosen is not None:
            statement = statement.where(responses.c.id.in_(chosen[:batch]))
            chosen = chosen[batch:]
        found = connection.execute(statement.order_by(responses.c.id).limit(batch)).all()
        if not found:
            if chosen:
                continue
            return
        after = found[-1][0]
        yield from _with_answers(connection, shape, found)


def _with_answers(
    connection: Connection, shape: SurveyShape, found: Sequence
) -> Iterator[tuple[int, StoredResponse]]:
    """Return the responses of ``found`` rows with their counted answers (one query)."""
    by_response: dict[int, list[StoredAnswer]] = defaultdict(list)
    counted = sorted(shape.counted_ids)
    if counted:
        for response_id, question, choice, number, has_text, label, by_person in connection.execute(
            select(
                answers.c.response_id,
                answers.c.question_id,
                answers.c.choice,
                answers.c.number,
                answers.c.text.is_not(None),
                *counted_label(answers),
            ).where(
                answers.c.response_id.in_([row[0] for row in found]),
                answers.c.question_id.in_(counted),
            )
        ):
            by_response[response_id].append(
                StoredAnswer(question, choice, number, bool(has_text), label, bool(by_person))
            )
    for response_id, channel, language, area, collected_at in found:
        yield (
            response_id,
            StoredResponse(
                channel, language, area, collected_at, tuple(by_response.get(response_id, ()))
            ),
        )

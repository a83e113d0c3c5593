"""Counting a survey's kept report rows afresh while residents keep submitting.

A rebuild counts every response from a snapshot of the database without holding the
write lock residents need, then swaps the new rows in with a short write that also
counts the responses stored since the snapshot and clears the pending marks of every
response it counted (``surveys.kept_store``). A correction or rescoring during the
count (an audited change) makes it start again.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, select, update
from sqlmodel import Session

from surveys.counting import Facts, SurveyShape, Tally, keep_facts, structure_key
from surveys.kept_store import (
    add_rows,
    clear_pending,
    counts_table,
    facts_table,
    lock,
    read_snapshot,
    responses,
    state,
    states_table,
    take_write_lock,
)
from surveys.models import AuditEvent, ReportCountState, utcnow
from surveys.stored_answers import stored_responses

# A state row naming a rebuild under way; one older than this is taken to have died.
REBUILDING = "rebuilding-"
_REBUILD_GIVEN_UP_AFTER = timedelta(minutes=15)
_REBUILD_ATTEMPTS = 3
# Facts a rebuild stores per short write transaction.
FACTS_BATCH = 2000


def rebuild(engine, survey_id: int, shape: SurveyShape) -> bool:
    """Count the survey's unfiltered report afresh and keep the rows; False if another does."""
    token = _claim(engine, survey_id)
    if token is None:
        return False
    for _attempt in range(_REBUILD_ATTEMPTS):
        with engine.connect() as connection:
            tally, counted_ids, audited = _count_snapshot(connection, survey_id, shape)
        swapped = _swap(engine, survey_id, shape, token, tally, counted_ids, audited)
        if swapped is not None:
            return swapped
    _release(engine, survey_id, token)
    return False


def _claim(engine, survey_id: int) -> str | None:
    """Mark a rebuild of the survey as under way; None if a live one already is."""
    token = REBUILDING + secrets.token_hex(8)
    with Session(engine) as own:
        lock(own, survey_id, exclusive=True)
        found = own.get(ReportCountState, survey_id)
        if found is not None:
            ongoing = found.structure.startswith(REBUILDING)
            if ongoing and utcnow() - _aware(found.built_at) < _REBUILD_GIVEN_UP_AFTER:
                return None
            own.delete(found)
            own.flush()
        own.add(ReportCountState(survey_id=survey_id, structure=token, built_at=utcnow()))
        own.commit()
    return token


def _release(engine, survey_id: int, token: str) -> None:
    """Withdraw a rebuild that gave up, so that the next reader tries again."""
    with Session(engine) as own:
        own.execute(
            delete(states_table).where(
                states_table.c.survey_id == survey_id, states_table.c.structure == token
            )
        )
        own.commit()


def _aware(moment: datetime) -> datetime:
    """Return a timestamp read back from SQLite (naive, UTC) as an aware one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count_snapshot(
    connection: Connection, survey_id: int, shape: SurveyShape
) -> tuple[Tally, set[int], int | None]:
    """Count every response of the survey in one read snapshot, holding no write lock."""
    read_snapshot(connection)
    audited = _last_audit(connection, survey_id)
    tally = Tally(shape)
    counted: set[int] = set()
    found = stored_responses(connection, survey_id, shape)
    while batch := tally.add_all(itertools.islice(found, FACTS_BATCH)):
        counted.update(response_id for response_id, _facts in batch)
        _keep_facts_apart(connection.engine, shape, batch)
    connection.rollback()
    return tally, counted, audited


def _keep_facts_apart(engine, shape: SurveyShape, batch: list[tuple[int, Facts]]) -> None:
    """Store a batch of a snapshot's facts in a short transaction of its own."""
    if batch:
        with engine.begin() as writer:
            keep_facts(writer, shape, batch, replace=False)


def _last_audit(connection: Connection, survey_id: int) -> int | None:
    """Return the newest audit event of the survey (corrections and overrides are audited)."""
    return connection.execute(
        select(func.max(AuditEvent.id)).where(AuditEvent.survey_id == survey_id)
    ).scalar()


def _swap(
    engine,
    survey_id: int,
    shape: SurveyShape,
    token: str,
    tally: Tally,
    counted_ids: set[int],
    audited: int | None,
) -> bool | None:
    """Replace the kept rows with a snapshot's count plus the responses stored since it.

    False when the rebuild was forgotten or taken over meanwhile; None when a stored
    response changed since the snapshot (a correction, an override), to count again.
    """
    with Session(engine) as own:
        lock(own, survey_id, exclusive=True)
        connection = own.connection()
        take_write_lock(connection, survey_id)
        if state(connection, survey_id) != token:
            own.rollback()
            return False
        if _last_audit(connection, survey_id) != audited:
            own.rollback()
            return None
        # Which responses are stored, and which of them are pending, in one statement (one
        # snapshot): those are all counted now; any stored after it stay pending.
        stored = connection.execute(
            select(responses.c.id, facts_table.c.pending_survey_id)
            .join_from(
                responses, facts_table, facts_table.c.response_id == responses.c.id, isouter=True
            )
            .where(responses.c.survey_id == survey_id)
        ).all()
        pending = [response_id for response_id, mark in stored if mark is not None]
        since = sorted({response_id for response_id, _mark in stored} - counted_ids)
        found = stored_responses(connection, survey_id, shape, response_ids=since)
        keep_facts(connection, shape, tally.add_all(found), replace=False)
        connection.execute(delete(counts_table).where(counts_table.c.survey_id == survey_id))
        add_rows(own, survey_id, tally.rows())
        clear_pending(connection, pending)
        connection.execute(
            update(states_table)
            .where(states_table.c.survey_id == survey_id)
            .values(structure=structure_key(shape), built_at=utcnow())
        )
        own.commit()
    return True

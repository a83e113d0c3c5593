"""Where a survey's kept report counts live, and how a submission's part reaches them.

The kept rows (``report_counts``: statement name, row key, count) are the sums over
the survey's responses that ``surveys.counting`` defines. A submission does not add
its part to them: it stores its facts (``response_facts``) marked *pending* for its
survey, one row, and leaves. Whoever reads the counts next *folds* the pending facts
in (``fold``): counts them with ``surveys.counting.Tally`` (the one definition),
adds the rows and clears the marks, in one short transaction under the survey's
exclusive lock. Reading adds whatever is still pending in the same snapshot
(``kept_counter``), so a report always counts every stored response, folded or not,
and a fold that cannot run (another writer holds SQLite's lock) only leaves more
for the next one.

Writes that change stored responses (``surveys.report_counts.recounting``) move the
part of responses already folded, and leave pending ones pending: their facts are
replaced and are counted when folded.

Locks (PostgreSQL advisory locks, per survey): folding and swapping in a rebuild
take the survey's lock alone; changes to stored responses share it. Submissions
take none. SQLite has one writer at a time, which is the same thing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import cache

from sqlalchemy import Connection, bindparam, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from surveys.busy import is_busy
from surveys.counting import (
    FACTS_ROW,
    Facts,
    SurveyShape,
    Tally,
    facts_key,
    keep_facts,
    structure_key,
)
from surveys.models import ReportCount, ReportCountState, Response, ResponseFacts
from surveys.stored_answers import stored_responses

counts_table = ReportCount.__table__
states_table = ReportCountState.__table__
facts_table = ResponseFacts.__table__
responses = Response.__table__

# PostgreSQL advisory lock namespace of the survey write locks (any fixed number).
_LOCK_NAMESPACE = 7_110_301
# Response ids per statement when marks are cleared (well under SQLite's parameter limit).
_IDS_PER_STATEMENT = 500


def lock(session: Session, survey_id: int, *, exclusive: bool) -> None:
    """Take the survey's counting lock until the transaction ends (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.connection().execute(
        text(f"SELECT {function}(:namespace, :survey)"),
        {"namespace": _LOCK_NAMESPACE, "survey": survey_id},
    )


def take_write_lock(connection: Connection, survey_id: int) -> None:
    """Start the transaction with a write, which takes SQLite's write lock before any read."""
    connection.execute(
        update(states_table)
        .where(states_table.c.survey_id == survey_id)
        .values(structure=states_table.c.structure)
    )


def state(connection: Connection, survey_id: int) -> str | None:
    """Return the survey's counting state: the structure key it was counted for, or a rebuild."""
    return connection.execute(
        select(states_table.c.structure).where(states_table.c.survey_id == survey_id)
    ).scalar()


def read_snapshot(connection: Connection) -> None:
    """Make the connection's next statements read one snapshot, holding no write lock."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
    else:
        connection.exec_driver_sql("BEGIN")  # SQLite: one read transaction, one snapshot


def encode(value: Sequence) -> str:
    """Return a statement name or row key as kept (compact JSON)."""
    return json.dumps(list(value), separators=(",", ":"), ensure_ascii=False)


def decoded(key: tuple) -> tuple:
    """Return a row key as reading it back from the kept JSON gives it."""
    return tuple(json.loads(encode(key)))


def add_rows(session: Session, survey_id: int, change: Mapping[tuple, int]) -> None:
    """Add ``change`` to the kept rows, creating missing ones and dropping those at zero.

    Rows are written in key order, so concurrent writers lock them in the same
    order and cannot deadlock.
    """
    if not change:
        return
    values = sorted(
        (
            {"survey_id": survey_id, "query": encode(name), "key": encode(key), "count": count}
            for (name, key), count in change.items()
        ),
        key=lambda row: (row["query"], row["key"]),
    )
    connection = session.connection()
    connection.execute(_add_statement(connection.dialect.name), values)
    if any(count < 0 for count in change.values()):
        connection.execute(
            delete(counts_table).where(
                counts_table.c.survey_id == survey_id, counts_table.c.count == 0
            )
        )


@cache
def _add_statement(dialect: str):
    """Return the upsert ``add_rows`` runs, built once per dialect (building costs more than it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(counts_table)
    return statement.on_conflict_do_update(
        index_elements=[counts_table.c.survey_id, counts_table.c.query, counts_table.c.key],
        set_={"count": counts_table.c.count + statement.excluded["count"]},
    )


def stored_rows(connection: Connection, survey_id: int) -> Iterator[tuple[tuple, tuple, int]]:
    """Yield the survey's kept rows as (statement name, row key, count), pending ones aside.

    Tens of thousands of rows: each statement's name is decoded once, and the keys
    in one parse.
    """
    found = connection.execute(
        select(counts_table.c.query, counts_table.c.key, counts_table.c.count).where(
            counts_table.c.survey_id == survey_id
        )
    ).all()
    if not found:
        return
    queries, keys, values = zip(*found, strict=True)
    names = {query: tuple(json.loads(query)) for query in set(queries)}
    keys_decoded = json.loads(f"[{','.join(keys)}]")
    for query, key, value in zip(queries, keys_decoded, values, strict=True):
        yield names[query], tuple(key), value


def pending_part(
    connection: Connection, survey_id: int, shape: SurveyShape
) -> tuple[Tally, list[int], list[tuple[int, Facts]]]:
    """Count the survey's pending responses: (their tally, their ids, facts worked out afresh).

    Facts kept for another shape (a response stored just as the survey changed) are
    worked out again from the response's answers; those are the third item.
    """
    current = facts_key(shape)
    found = connection.execute(
        select(facts_table.c.response_id, facts_table.c.structure, *FACTS_ROW)
        .join_from(facts_table, responses, facts_table.c.response_id == responses.c.id)
        .where(facts_table.c.pending_survey_id == survey_id)
    ).all()
    tally = Tally(shape)
    tally.add_many([tuple(row[2:]) for row in found if row[1] == current])
    stale = [row[0] for row in found if row[1] != current]
    refreshed = (
        tally.add_all(stored_responses(connection, survey_id, shape, response_ids=stale))
        if stale
        else []
    )
    return tally, [row[0] for row in found], refreshed


def kept_counter(connection: Connection, survey_id: int, shape: SurveyShape) -> Counter:
    """Return the kept rows with the pending responses added: ``{(name, key): count}``.

    Read in the caller's snapshot, so a fold committing meanwhile is either wholly
    in it or not at all. Keys are as the kept JSON gives them.
    """
    rows = Counter({(name, key): value for name, key, value in stored_rows(connection, survey_id)})
    tally, ids, _refreshed = pending_part(connection, survey_id, shape)
    if ids:
        for (name, key), value in tally.rows().items():
            rows[(name, decoded(key))] += value
    return +rows


def pending_among(connection: Connection, response_ids: Sequence[int]) -> set[int]:
    """Return which of these responses are not yet folded into their survey's kept counts."""
    found: set[int] = set()
    for start in range(0, len(response_ids), _IDS_PER_STATEMENT):
        chunk = list(response_ids[start : start + _IDS_PER_STATEMENT])
        found.update(
            connection.execute(
                select(facts_table.c.response_id).where(
                    facts_table.c.response_id.in_(chunk),
                    facts_table.c.pending_survey_id.is_not(None),
                )
            ).scalars()
        )
    return found


def clear_pending(connection: Connection, response_ids: Sequence[int]) -> None:
    """Mark these responses as folded into their survey's kept counts."""
    statement = (
        update(facts_table)
        .where(facts_table.c.response_id.in_(bindparam("ids", expanding=True)))
        .values(pending_survey_id=None)
    )
    for start in range(0, len(response_ids), _IDS_PER_STATEMENT):
        connection.execute(
            statement, {"ids": list(response_ids[start : start + _IDS_PER_STATEMENT])}
        )


def fold(engine, survey_id: int, shape: SurveyShape) -> int:
    """Fold the survey's pending responses into its kept counts; return how many.

    Only when the counts are kept for ``shape`` (otherwise a rebuild counts every
    response). In a transaction of its own, under the survey's exclusive lock. A
    fold that finds SQLite's write lock held longer than the busy timeout gives up
    and returns 0: readers count pending responses themselves (``kept_counter``).
    """
    with engine.connect() as connection:
        waiting = connection.execute(
            select(facts_table.c.response_id)
            .where(facts_table.c.pending_survey_id == survey_id)
            .limit(1)
        ).first()
    if waiting is None:
        return 0  # nothing to fold: no write lock taken
    try:
        with Session(engine) as own:
            lock(own, survey_id, exclusive=True)
            connection = own.connection()
            take_write_lock(connection, survey_id)
            if state(connection, survey_id) != structure_key(shape):
                return 0
            tally, ids, refreshed = pending_part(connection, survey_id, shape)
            if not ids:
                return 0
            keep_facts(connection, shape, refreshed)
            add_rows(own, survey_id, tally.rows())
            clear_pending(connection, ids)
            own.commit()
            return len(ids)
    except OperationalError as error:
        if not is_busy(error):
            raise
        return 0

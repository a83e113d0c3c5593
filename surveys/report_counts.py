"""Running counts of each survey's unfiltered report, kept up to date as answers are written.

Counting 200,000 responses takes tens of seconds, so the rows of the *unfiltered*
report are kept in ``report_counts``: each write that changes what a response
contributes (a submission, a broker's correction, a staff override of a comment's
sentiment) adds the response's part, after taking away its part as it was, in the
writer's own transaction. What a response contributes is ``surveys.counting``'s one
definition, which also counts filtered reports and rebuilds, so the three agree.

Counts are rebuilt (``rebuild``) when they cannot be trusted: none kept yet, the
survey's questions or weighting dimensions changed shape since (``structure_key``),
or the number of responses no longer matches (rows written around the app, such as
a bulk load). A rebuild counts from a snapshot of the database without holding the
write lock residents need, then swaps the new rows in with a short write that also
counts the responses submitted meanwhile. ``differences`` compares every kept row
with a fresh count (``engage counts check``), and ``rebuild`` mends any drift.
"""

from __future__ import annotations

import itertools
import json
import secrets
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, and_, delete, func, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from surveys.counting import (
    Facts,
    SurveyShape,
    Tally,
    count,
    facts_key,
    keep_facts,
    rows_by_statement,
    statement_names,
    structure_key,
    survey_shape,
)
from surveys.models import (
    Answer,
    AuditEvent,
    ReportCount,
    ReportCountState,
    Response,
    ResponseFacts,
    Survey,
    utcnow,
)
from surveys.report_records import Filters
from surveys.report_structure import filter_conditions
from surveys.stored_answers import StoredAnswer, StoredResponse, stored_responses

# The kinds of statement whose rows are kept (weighting cells too, for the dimensions the
# survey's settings weight by); quotes always query the answers.
KEPT_STATEMENTS = frozenset(
    {
        "respondents",
        "totals",
        "representation",
        "distribution",
        "answered",
        "outcomes",
        "outcome_answered",
        "intersection",
        "sentiment",
    }
)
# PostgreSQL advisory lock namespace of the survey write locks (any fixed number).
_LOCK_NAMESPACE = 7_110_301
# A state row naming a rebuild under way; one older than this is taken to have died.
_REBUILDING = "rebuilding-"
_REBUILD_GIVEN_UP_AFTER = timedelta(minutes=15)
_REBUILD_ATTEMPTS = 3
# Facts a rebuild stores per short write transaction.
FACTS_BATCH = 2000

counts_table = ReportCount.__table__
states_table = ReportCountState.__table__
answers = Answer.__table__
responses = Response.__table__

Rows = dict[tuple, list[tuple]]


def kept_shape(survey: Survey) -> SurveyShape:
    """Return the shape the survey's counts are kept for (with its own weighting dimensions)."""
    return _kept_shape_and_key(survey)[0]


# id(survey) -> (the survey, its updated_at and weighting, its kept shape and structure key)
_REMEMBERED: dict[int, tuple[weakref.ref, tuple, SurveyShape, str]] = {}


def _kept_shape_and_key(survey: Survey) -> tuple[SurveyShape, str]:
    """Return the kept shape and its structure key, remembered for a survey no session holds.

    A worker's kept survey (``engage.respond.cache``) is detached and only read, and a
    new one replaces it when ``updated_at`` changes: its shape cannot change under it.
    A survey in a session may be changing, so its shape is worked out each time.
    """
    weighting = tuple((survey.settings or {}).get("weighting_dimensions") or ())
    detached = inspect(survey).detached
    found = _REMEMBERED.get(id(survey)) if detached else None
    if found and found[0]() is survey and found[1] == (survey.updated_at, weighting):
        return found[2], found[3]
    shape = survey_shape(survey, weighting)
    key = structure_key(shape)
    if detached:
        if len(_REMEMBERED) > 64:
            _REMEMBERED.clear()
        _REMEMBERED[id(survey)] = (weakref.ref(survey), (survey.updated_at, weighting), shape, key)
    return shape, key


# ---------------------------------------------------------------------------
# Writers


def count_response(
    session: Session, survey: Survey, response: Response, rows: Sequence[Answer]
) -> None:
    """Add a response being stored, from the rows in hand, to the kept counts.

    In the caller's transaction, which commits it with the response.
    """
    _lock(session, survey.id, exclusive=False)
    shape, key = _kept_shape_and_key(survey)
    stored = StoredResponse(
        response.channel,
        response.language,
        response.area,
        response.collected_at,
        tuple(
            StoredAnswer(
                row.question_id,
                row.choice,
                None if row.number is None else float(row.number),  # stored as a float
                row.text is not None,
                row.sentiment_override or row.sentiment_label,
                row.sentiment_override is not None,
            )
            for row in rows
            if row.question_id in shape.counted_ids
        ),
    )
    tally = Tally(shape)
    keep_facts(session.connection(), shape, [(response.id, tally.add(stored))])
    if _counted(session, survey, shape, key):
        _add(session, survey.id, tally.rows())


@contextmanager
def recounting(session: Session, survey: Survey, response_ids: Iterable[int]) -> Iterator[None]:
    """Around a change to some stored responses, move their part of the kept counts.

    Their part as stored is taken away before the block and added back as
    stored after it (flushed), in the caller's transaction, which commits it
    with the change.
    """
    ids = list(response_ids)
    session.flush()
    _lock(session, survey.id, exclusive=False)
    shape = kept_shape(survey)
    counted = _counted(session, survey, shape)
    before = _part_of(session.connection(), survey.id, shape, ids) if counted else None
    yield
    session.flush()
    after = _part_of(session.connection(), survey.id, shape, ids)
    keep_facts(session.connection(), shape, after.facts)
    if before is not None:
        old, new = before.rows(), after.rows()
        change = {key: new[key] - old[key] for key in new.keys() | old.keys()}
        _add(session, survey.id, {key: value for key, value in change.items() if value})


@dataclass
class _Part:
    """What some responses contribute, and their facts."""

    tally: Tally
    facts: list[tuple[int, Facts]]

    def rows(self) -> Counter:
        """Return their statement rows."""
        return self.tally.rows()


def _part_of(
    connection: Connection, survey_id: int, shape: SurveyShape, response_ids: Sequence[int]
) -> _Part:
    """Return what some stored responses contribute, as they are now."""
    tally = Tally(shape)
    found = stored_responses(connection, survey_id, shape, response_ids=response_ids)
    return _Part(tally, tally.add_all(found))


def forget(session: Session, survey_id: int | None = None) -> None:
    """Drop a survey's kept counts and response facts (all surveys' without ``survey_id``).

    For writes that change many responses at once (rescoring every comment): the
    next unfiltered report rebuilds them, and filtered ones read the answers meanwhile.
    """
    states = delete(ReportCountState)
    facts = delete(ResponseFacts)
    if survey_id is not None:
        states = states.where(ReportCountState.survey_id == survey_id)
        facts = facts.where(
            ResponseFacts.response_id.in_(
                select(responses.c.id).where(responses.c.survey_id == survey_id)
            )
        )
    session.execute(states)
    session.execute(facts)


def _counted(session: Session, survey: Survey, shape: SurveyShape, key: str | None = None) -> bool:
    """Return whether the survey's counts are kept for its current shape (``key``: its key)."""
    return _state(session.connection(), survey.id) == (key or structure_key(shape))


def _state(connection: Connection, survey_id: int) -> str | None:
    """Return the survey's counting state: the structure key it was counted for, or a rebuild."""
    return connection.execute(
        select(states_table.c.structure).where(states_table.c.survey_id == survey_id)
    ).scalar()


def _lock(session: Session, survey_id: int, *, exclusive: bool) -> None:
    """Take the survey's counting lock until the transaction ends.

    Writers share it; a rebuild holds it alone. SQLite has one writer at a
    time anyway, so only PostgreSQL needs it.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.connection().execute(
        text(f"SELECT {function}(:namespace, :survey)"),
        {"namespace": _LOCK_NAMESPACE, "survey": survey_id},
    )


def _encode(value: Sequence) -> str:
    return json.dumps(list(value), separators=(",", ":"), ensure_ascii=False)


def _add(session: Session, survey_id: int, change: Mapping[tuple, int]) -> None:
    """Add ``change`` to the kept rows, creating missing ones and dropping those at zero.

    Rows are written in key order, so concurrent writers lock them in the same
    order and cannot deadlock.
    """
    if not change:
        return
    values = sorted(
        (
            {"survey_id": survey_id, "query": _encode(name), "key": _encode(key), "count": count}
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
    """Return the upsert ``_add`` runs, built once per dialect (building costs more than it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(counts_table)
    return statement.on_conflict_do_update(
        index_elements=[counts_table.c.survey_id, counts_table.c.query, counts_table.c.key],
        set_={"count": counts_table.c.count + statement.excluded["count"]},
    )


# ---------------------------------------------------------------------------
# Readers and rebuilding


def kept_rows(session: Session, survey: Survey, filters: Filters) -> Rows | None:
    """Return the kept rows of every kept statement of ``survey``'s report, by name.

    None for a filtered report (it is counted afresh). Rebuilds the counts first
    when they cannot be trusted (see the module's docstring); while another
    process rebuilds them, counts afresh without keeping.
    """
    if filters.active:
        return None
    shape = kept_shape(survey)
    names = statement_names(shape)
    if not trusted(session, survey) and not rebuild(session, survey):
        return rows_by_statement(count(session, survey, shape), names)
    rows: Rows = {name: [] for name in names}
    for name, key, value in _stored(session.connection(), survey.id):
        if name in rows:
            rows[name].append((*key, value))
    return rows


def filtered_count(
    session: Session, survey: Survey, shape: SurveyShape, filters: Filters
) -> Counter:
    """Count a filtered report's rows: ``{(statement name, row key): count}``.

    A filter that covers most of the survey is counted as the kept (unfiltered)
    rows less the rows of the responses it leaves out: every row is a sum over
    responses (``surveys.counting``), so the difference is exact, and the pass
    reads the smaller side. All of it reads one snapshot, so a submission meanwhile
    is in both sides or in neither. Otherwise, and whenever the kept rows cannot be
    used as they are, the covered responses are counted.
    """
    kept = kept_shape(survey)
    same = facts_key(shape) == facts_key(kept) and shape.weighting in ((), kept.weighting)
    covered = None
    if filters.active and same:
        with session.get_bind().connect() as connection:
            _read_snapshot(connection)
            with Session(bind=connection) as snapshot:
                covered, total = connection.execute(
                    select(
                        func.count().filter(and_(*filter_conditions(survey.id, filters))),
                        func.count(),
                    ).where(responses.c.survey_id == survey.id)
                ).one()
                if 2 * covered > total and trusted(snapshot, survey):
                    names = set(statement_names(shape))
                    rows = Counter(
                        {
                            (name, key): value
                            for name, key, value in _stored(connection, survey.id)
                            if name in names
                        }
                    )
                    rows.subtract(count(snapshot, survey, shape, filters, outside=True))
                    return +rows  # without the rows no covered response is in
            connection.rollback()
    return count(session, survey, shape, filters, covered=covered)


def _stored(connection: Connection, survey_id: int) -> Iterator[tuple[tuple, tuple, int]]:
    """Yield the survey's kept rows as (statement name, row key, count).

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
    decoded = json.loads(f"[{','.join(keys)}]")
    for query, key, value in zip(queries, decoded, values, strict=True):
        yield names[query], tuple(key), value


def trusted(session: Session, survey: Survey) -> bool:
    """Return whether the kept counts can be read as they are (else they are rebuilt first).

    They must have been counted for the survey's current shape, and for as many
    responses as it has. One statement, so PostgreSQL compares them in one snapshot.
    """
    kept = (
        select(counts_table.c.count)
        .where(
            counts_table.c.survey_id == survey.id,
            counts_table.c.query == _encode(("respondents",)),
        )
        .scalar_subquery()
    )
    stored = (
        select(func.count()).select_from(responses).where(responses.c.survey_id == survey.id)
    ).scalar_subquery()
    structure = (
        select(states_table.c.structure)
        .where(states_table.c.survey_id == survey.id)
        .scalar_subquery()
    )
    found = session.connection().execute(select(structure, kept, stored)).one()
    return found[0] == structure_key(kept_shape(survey)) and (found[1] or 0) == found[2]


def rebuild(session: Session, survey: Survey) -> bool:
    """Count the survey's unfiltered report afresh and keep the rows; False if another does.

    Residents keep submitting meanwhile: the counting reads a snapshot and holds no
    write lock; the swap, a short write, also counts the responses stored since the
    snapshot. A correction or rescoring during the count makes it start again.
    """
    engine = session.get_bind()
    shape = kept_shape(survey)
    token = _claim(engine, survey.id)
    if token is None:
        return False
    for _attempt in range(_REBUILD_ATTEMPTS):
        with engine.connect() as connection:
            tally, counted_ids, audited = _count_snapshot(connection, survey.id, shape)
        swapped = _swap(engine, survey.id, shape, token, tally, counted_ids, audited)
        if swapped is not None:
            return swapped
    _release(engine, survey.id, token)
    return False


def _claim(engine, survey_id: int) -> str | None:
    """Mark a rebuild of the survey as under way; None if a live one already is."""
    token = _REBUILDING + secrets.token_hex(8)
    with Session(engine) as own:
        _lock(own, survey_id, exclusive=True)
        state = own.get(ReportCountState, survey_id)
        if state is not None:
            ongoing = state.structure.startswith(_REBUILDING)
            if ongoing and utcnow() - _aware(state.built_at) < _REBUILD_GIVEN_UP_AFTER:
                return None
            own.delete(state)
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
    _read_snapshot(connection)
    audited = _last_audit(connection, survey_id)
    tally = Tally(shape)
    counted: set[int] = set()
    found = stored_responses(connection, survey_id, shape)
    while batch := tally.add_all(itertools.islice(found, FACTS_BATCH)):
        counted.update(response_id for response_id, _facts in batch)
        _keep_facts_apart(connection.engine, shape, batch)
    connection.rollback()
    return tally, counted, audited


def _read_snapshot(connection: Connection) -> None:
    """Make the connection's next statements read one snapshot, holding no write lock."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")
    else:
        connection.exec_driver_sql("BEGIN")  # SQLite: one read transaction, one snapshot


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
        _lock(own, survey_id, exclusive=True)
        connection = own.connection()
        # A write before any read takes SQLite's write lock (a no-op change suffices).
        connection.execute(
            update(states_table)
            .where(states_table.c.survey_id == survey_id)
            .values(structure=states_table.c.structure)
        )
        if _state(connection, survey_id) != token:
            own.rollback()
            return False
        if _last_audit(connection, survey_id) != audited:
            own.rollback()
            return None
        stored = connection.execute(
            select(responses.c.id).where(responses.c.survey_id == survey_id)
        ).scalars()
        since = sorted(set(stored) - counted_ids)
        found = stored_responses(connection, survey_id, shape, response_ids=since)
        keep_facts(connection, shape, tally.add_all(found), replace=False)
        connection.execute(delete(counts_table).where(counts_table.c.survey_id == survey_id))
        _add(own, survey_id, tally.rows())
        connection.execute(
            update(states_table)
            .where(states_table.c.survey_id == survey_id)
            .values(structure=structure_key(shape), built_at=utcnow())
        )
        own.commit()
    return True


def differences(session: Session, survey: Survey) -> list[tuple]:
    """Return the names of the statements that kept rows or facts give otherwise than the answers.

    For ``engage counts check``: every row of the kept counts, and every row that
    counting the kept response facts gives, is compared with counting the answers
    themselves; nothing is rebuilt, and untrusted counts are compared as they are.
    """
    shape = kept_shape(survey)
    afresh = _by_name(count(session, survey, shape, use_facts=False).items())
    from_facts = _by_name(count(session, survey, shape).items())
    kept: dict[tuple, dict] = {}
    for name, key, value in _stored(session.connection(), survey.id):
        kept.setdefault(name, {})[key] = value
    names = afresh.keys() | kept.keys() | from_facts.keys()
    return sorted(
        name
        for name in names
        if afresh.get(name) != kept.get(name) or afresh.get(name) != from_facts.get(name)
    )


def _by_name(rows: Iterable[tuple[tuple, int]]) -> dict[tuple, dict]:
    """Return counted rows as ``{statement name: {row key as kept: count}}``."""
    found: dict[tuple, dict] = {}
    for (name, key), value in rows:
        if value:
            found.setdefault(name, {})[_decoded(key)] = value
    return found


def _decoded(key: tuple) -> tuple:
    """Return a row key as reading it back from the kept JSON gives it."""
    return tuple(json.loads(_encode(key)))

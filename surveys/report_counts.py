"""Running counts of each survey's unfiltered report, kept up to date as answers are written.

Counting 200,000 responses takes tens of seconds, so the rows of the *unfiltered*
report are kept in ``report_counts``. A submission stores what it contributes (its
facts) pending, and the next reader folds the pending responses in
(``surveys.kept_store``); a write that changes a stored response (a broker's
correction, a staff override of a comment's sentiment, a withdrawal) moves the
response's part, taking away its part as it was, in the writer's own transaction.
What a response contributes is ``surveys.counting``'s one definition, which also
counts filtered reports and rebuilds, so all of them agree.

Counts are rebuilt (``rebuild``, ``surveys.kept_rebuild``) when they cannot be
trusted: none kept yet, the survey's questions or weighting dimensions changed shape
since (``structure_key``), or the number of responses counted and pending no longer
matches the number stored (rows written around the app, such as a bulk load). A
rebuild counts from a snapshot of the database without holding the write lock
residents need. ``differences`` compares every kept row with a fresh count
(``engage counts check``), and ``rebuild`` mends any drift.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, and_, delete, func, inspect, select
from sqlmodel import Session

from surveys import kept_rebuild
from surveys.counting import (
    Facts,
    SurveyShape,
    Tally,
    count,
    facts_key,
    facts_of,
    keep_facts,
    rows_by_statement,
    statement_names,
    structure_key,
    survey_shape,
)
from surveys.kept_store import (
    add_rows,
    counts_table,
    decoded,
    encode,
    facts_table,
    fold,
    kept_counter,
    lock,
    pending_among,
    read_snapshot,
    responses,
    state,
    states_table,
)
from surveys.models import Answer, ReportCountState, Response, ResponseFacts, Survey
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
    """Store a response's facts, from the rows in hand, pending for the kept counts.

    In the caller's transaction, which commits it with the response; the next
    reader of the counts folds it in (``surveys.kept_store``). One statement, and
    no lock: a submission never waits for a report.
    """
    shape = kept_shape(survey)
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
    facts = facts_of(shape, stored)
    keep_facts(session.connection(), shape, [(response.id, facts)], pending_survey=survey.id)


@contextmanager
def recounting(session: Session, survey: Survey, response_ids: Iterable[int]) -> Iterator[None]:
    """Around a change to some stored responses, move their part of the kept counts.

    Their part as stored is taken away before the block and added back as
    stored after it (flushed), in the caller's transaction, which commits it
    with the change. Responses still pending (``surveys.kept_store``) are not in the
    kept rows: only their facts are replaced, and they stay pending.
    """
    ids = list(response_ids)
    session.flush()
    lock(session, survey.id, exclusive=False)
    shape = kept_shape(survey)
    connection = session.connection()
    counted = state(connection, survey.id) == structure_key(shape)
    pending = pending_among(connection, ids)
    settled = [response_id for response_id in ids if response_id not in pending]
    before = _part_of(connection, survey.id, shape, settled) if counted else None
    yield
    session.flush()
    after = _part_of(connection, survey.id, shape, settled)
    waiting = _part_of(connection, survey.id, shape, sorted(pending))
    keep_facts(connection, shape, after.facts + waiting.facts)
    if before is not None:
        old, new = before.rows(), after.rows()
        change = {key: new[key] - old[key] for key in new.keys() | old.keys()}
        add_rows(session, survey.id, {key: value for key, value in change.items() if value})


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
    engine = session.get_bind()
    fold(engine, survey.id, shape)
    with engine.connect() as connection:
        read_snapshot(connection)
        counted = kept_counter(connection, survey.id, shape)
        connection.rollback()
    return rows_by_statement(counted, names)


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
            read_snapshot(connection)
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
                            row: value
                            for row, value in kept_counter(connection, survey.id, kept).items()
                            if row[0] in names
                        }
                    )
                    rows.subtract(count(snapshot, survey, shape, filters, outside=True))
                    return +rows  # without the rows no covered response is in
            connection.rollback()
    return count(session, survey, shape, filters, covered=covered)


def trusted(session: Session, survey: Survey) -> bool:
    """Return whether the kept counts can be read as they are (else they are rebuilt first).

    They must have been counted for the survey's current shape, and with the pending
    responses for as many responses as it has. One statement, so PostgreSQL compares
    them in one snapshot.
    """
    kept = (
        select(counts_table.c.count)
        .where(
            counts_table.c.survey_id == survey.id,
            counts_table.c.query == encode(("respondents",)),
        )
        .scalar_subquery()
    )
    pending = (
        select(func.count())
        .select_from(facts_table)
        .where(facts_table.c.pending_survey_id == survey.id)
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
    found = session.connection().execute(select(structure, kept, pending, stored)).one()
    counted = (found[1] or 0) + found[2]
    return found[0] == structure_key(kept_shape(survey)) and counted == found[3]


def rebuild(session: Session, survey: Survey) -> bool:
    """Count the survey's unfiltered report afresh and keep the rows; False if another does.

    Residents keep submitting meanwhile (``surveys.kept_rebuild``).
    """
    return kept_rebuild.rebuild(session.get_bind(), survey.id, kept_shape(survey))


def differences(session: Session, survey: Survey) -> list[tuple]:
    """Return the names of the statements that kept rows or facts give otherwise than the answers.

    For ``engage counts check``: every row of the kept counts (with the pending
    responses), and every row that counting the kept response facts gives, is
    compared with counting the answers themselves; nothing is rebuilt or folded,
    and untrusted counts are compared as they are.
    """
    shape = kept_shape(survey)
    afresh = _by_name(count(session, survey, shape, use_facts=False).items())
    from_facts = _by_name(count(session, survey, shape).items())
    kept = _by_name(kept_counter(session.connection(), survey.id, shape).items())
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
            found.setdefault(name, {})[decoded(key)] = value
    return found

"""Running counts of each survey's report, kept up to date as answers are written.

Every figure of a report is a grouped count (``surveys.aggregates``). Grouping
200,000 responses' answers takes tens of seconds, so the counts of the
*unfiltered* report are also kept, in ``report_counts``: each write that
changes what a response contributes (a submission, a broker's correction, a
staff override of a comment's sentiment) adds the response's part, after
taking away its part as it was, in the writer's own transaction. A report
without filters reads the kept rows instead of grouping the answers; a
filtered report, quotes and weighting still query the answers.

The kept rows are exactly the rows the GROUP BY statements of
``aggregates.report_queries`` return (same statement names, same columns), so
a report reads them the same way. Tests check that kept counts equal freshly
grouped ones after every kind of write, on SQLite and PostgreSQL.

Counts are rebuilt from the answers (``rebuild``) when they cannot be
trusted: none kept yet, the survey's questions changed shape since (a new
question, a question's dimension: see ``structure_key``), or the number of
responses no longer matches (rows written around the app, such as a bulk
load). A rebuild holds the survey's write lock, so a submission arriving
meanwhile waits, then adds itself to the rebuilt counts.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from surveys.aggregates import (
    DimensionInfo,
    Filters,
    Options,
    comment_names,
    dimension_infos,
    outcome_names,
    question_ids,
    question_infos,
    report_queries,
)
from surveys.demographics import DISABILITY_DIMENSION, disability_status_of_choices
from surveys.models import Answer, ReportCount, ReportCountState, Response, Survey, utcnow

# Bump when what a response contributes changes, so kept counts are rebuilt.
COUNTING_VERSION = 1
# The statements whose rows are kept; quotes and weighting always query the answers.
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
# Derived dimensions from the choices a respondent gave in any of their questions.
_DERIVED_FROM_CHOICES = {DISABILITY_DIMENSION: disability_status_of_choices}
# PostgreSQL advisory lock namespace of the survey write locks (any fixed number).
_LOCK_NAMESPACE = 7_110_301

counts_table = ReportCount.__table__
states_table = ReportCountState.__table__
answers = Answer.__table__
responses = Response.__table__

Rows = dict[tuple, list[tuple]]


# ---------------------------------------------------------------------------
# What one response contributes


@dataclass(frozen=True)
class SurveyShape:
    """What counting needs to know about a survey's questions."""

    outcome_ids: frozenset[int]
    multi_outcome_ids: frozenset[int]
    comment_ids: frozenset[int]
    dimensions: dict[str, DimensionInfo]
    dimension_question_ids: dict[str, tuple[int, ...]]


def survey_shape(survey: Survey) -> SurveyShape:
    """Return the survey's shape, chosen exactly as ``aggregates.report_queries`` does."""
    ids = question_ids(survey)
    questions = question_infos(survey)
    dimensions = dimension_infos(survey)
    outcomes = outcome_names(questions)
    return SurveyShape(
        outcome_ids=frozenset(ids[name] for name in outcomes),
        multi_outcome_ids=frozenset(ids[name] for name in outcomes if questions[name].multi_select),
        comment_ids=frozenset(ids[name] for name in comment_names(questions)),
        dimensions=dimensions,
        dimension_question_ids={
            key: tuple(ids[name] for name in dimension.questions)
            for key, dimension in dimensions.items()
        },
    )


def structure_key(shape: SurveyShape) -> str:
    """Return a digest of everything that decides which rows a response counts in."""
    described = [
        COUNTING_VERSION,
        sorted(shape.outcome_ids),
        sorted(shape.multi_outcome_ids),
        sorted(shape.comment_ids),
        [
            [key, list(shape.dimension_question_ids[key]), info.multi_select, info.derived]
            for key, info in shape.dimensions.items()
        ],
    ]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


@dataclass(frozen=True)
class StoredAnswer:
    """One answer row as counting sees it; ``label`` is the effective sentiment."""

    question_id: int
    choice: str | None
    number: float | None
    text: str | None
    label: str | None


@dataclass(frozen=True)
class StoredResponse:
    """One response's provenance and answers, as stored."""

    channel: str
    language: str
    area: str | None
    collected_at: datetime
    answers: tuple[StoredAnswer, ...]


def _groups(
    dimension: DimensionInfo, question_ids_: Sequence[int], found: Sequence[StoredAnswer]
) -> list[str | None]:
    """Return the response's group(s) in a dimension, as ``aggregates._group_join`` joins them.

    One entry per joined row: a question's answer rows (duplicates kept), the
    distinct choices of a dimension of several questions, the derived status,
    or ``[None]`` when nothing joins.
    """
    rows = [answer for answer in found if answer.question_id in question_ids_]
    if dimension.derived:
        if not rows:
            return [None]
        return [_DERIVED_FROM_CHOICES[dimension.key](answer.choice for answer in rows)]
    if len(question_ids_) == 1:
        return [answer.choice for answer in rows] or [None]
    return sorted({answer.choice for answer in rows if answer.choice is not None}) or [None]


def utc_day(moment: datetime) -> str:
    """Return the UTC calendar day of a stored timestamp (naive ones are UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


def contributions(shape: SurveyShape, response: StoredResponse) -> Counter:
    """Return the rows one response adds to, keyed ``(statement name, row key)``."""
    counts: Counter = Counter()

    def add(name: tuple, *key: Any) -> None:
        counts[(name, key)] += 1

    add(("respondents",))
    add(("totals", "channel"), response.channel)
    add(("totals", "language"), response.language)
    add(("totals", "area"), response.area)
    add(("totals", "day"), utc_day(response.collected_at))
    groups = {
        key: _groups(dimension, shape.dimension_question_ids[key], response.answers)
        for key, dimension in shape.dimensions.items()
    }
    for key, found in groups.items():
        for group in found:
            add(("representation", key), group)
    keys = list(groups)
    for position, first in enumerate(keys):
        for second in keys[position + 1 :]:
            for one in groups[first]:
                for two in groups[second]:
                    add(("intersection", first, second), one, two)

    outcomes = [answer for answer in response.answers if answer.question_id in shape.outcome_ids]
    multi_answered = {
        answer.question_id for answer in outcomes if answer.question_id in shape.multi_outcome_ids
    }
    for answer in outcomes:
        add(("distribution",), answer.question_id, answer.choice, answer.number)
        for key, found in groups.items():
            for group in found:
                add(("outcomes", key), answer.question_id, group, answer.choice, answer.number)
    for question_id in multi_answered:
        add(("answered",), question_id)
        for key, found in groups.items():
            for group in set(found):
                add(("outcome_answered", key), question_id, group)

    for answer in response.answers:
        if answer.question_id not in shape.comment_ids or answer.text is None:
            continue
        add(("sentiment", "question"), answer.question_id, answer.label)
        for key, found in groups.items():
            for group in found:
                add(("sentiment", "group", key), answer.question_id, group, answer.label)
        add(("sentiment", "channel"), answer.question_id, response.channel, answer.label)
        add(("sentiment", "language"), answer.question_id, response.language, answer.label)
    return counts


def stored_responses(session: Session, response_ids: Iterable[int]) -> list[StoredResponse]:
    """Load responses with their answers as they are in the database now."""
    ids = sorted(set(response_ids))
    if not ids:
        return []
    connection = session.connection()
    found: dict[int, list[StoredAnswer]] = defaultdict(list)
    for response_id, *values in connection.execute(
        select(
            answers.c.response_id,
            answers.c.question_id,
            answers.c.choice,
            answers.c.number,
            answers.c.text,
            func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label),
        ).where(answers.c.response_id.in_(ids))
    ):
        found[response_id].append(StoredAnswer(*values))
    return [
        StoredResponse(channel, language, area, collected_at, tuple(found[response_id]))
        for response_id, channel, language, area, collected_at in connection.execute(
            select(
                responses.c.id,
                responses.c.channel,
                responses.c.language,
                responses.c.area,
                responses.c.collected_at,
            ).where(responses.c.id.in_(ids))
        )
    ]


def _responses_part(session: Session, shape: SurveyShape, response_ids: Iterable[int]) -> Counter:
    total: Counter = Counter()
    for response in stored_responses(session, response_ids):
        total.update(contributions(shape, response))
    return total


# ---------------------------------------------------------------------------
# Writers


def count_response(
    session: Session, survey: Survey, response: Response, rows: Sequence[Answer]
) -> None:
    """Add a response being stored, from the rows in hand, to the kept counts.

    In the caller's transaction, which commits it with the response.
    """
    _lock(session, survey.id, exclusive=False)
    shape = survey_shape(survey)
    if not _counted(session, survey, shape):
        return
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
                row.text,
                row.sentiment_override or row.sentiment_label,
            )
            for row in rows
        ),
    )
    _add(session, survey.id, contributions(shape, stored))


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
    shape = survey_shape(survey)
    if not _counted(session, survey, shape):
        shape = None
    before = Counter() if shape is None else _responses_part(session, shape, ids)
    yield
    if shape is None:
        return
    session.flush()
    after = _responses_part(session, shape, ids)
    change = {key: after[key] - before[key] for key in after.keys() | before.keys()}
    _add(session, survey.id, {key: value for key, value in change.items() if value})


def forget(session: Session, survey_id: int | None = None) -> None:
    """Mark a survey's kept counts (all surveys' without ``survey_id``) as untrusted.

    For writes that change many responses at once (rescoring every comment):
    the next unfiltered report rebuilds them.
    """
    statement = delete(ReportCountState)
    if survey_id is not None:
        statement = statement.where(ReportCountState.survey_id == survey_id)
    session.execute(statement)


def _counted(session: Session, survey: Survey, shape: SurveyShape) -> bool:
    """Return whether the survey's counts are kept for its current shape."""
    structure = (
        session.connection()
        .execute(select(states_table.c.structure).where(states_table.c.survey_id == survey.id))
        .scalar()
    )
    return structure == structure_key(shape)


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
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(counts_table)
    statement = statement.on_conflict_do_update(
        index_elements=[counts_table.c.survey_id, counts_table.c.query, counts_table.c.key],
        set_={"count": counts_table.c.count + statement.excluded["count"]},
    )
    connection = session.connection()
    connection.execute(statement, values)
    if any(count < 0 for count in change.values()):
        connection.execute(
            delete(counts_table).where(
                counts_table.c.survey_id == survey_id, counts_table.c.count == 0
            )
        )


# ---------------------------------------------------------------------------
# Readers and rebuilding


def kept_rows(session: Session, survey: Survey, filters: Filters) -> Rows | None:
    """Return the kept rows of every kept statement of ``survey``'s report, by name.

    None for a filtered report (it groups the answers). Rebuilds the counts
    first when they cannot be trusted (see the module's docstring).
    """
    if filters.active:
        return None
    if not trusted(session, survey):
        rebuild(session, survey)
    rows: Rows = {name: [] for name in kept_statement_names(session, survey)}
    for name, key, count in _stored(session, survey.id):
        if name in rows:
            rows[name].append((*key, count))
    return rows


def _stored(session: Session, survey_id: int) -> Iterator[tuple[tuple, tuple, int]]:
    """Yield the survey's kept rows as (statement name, row key, count)."""
    for query, key, count in session.connection().execute(
        select(counts_table.c.query, counts_table.c.key, counts_table.c.count).where(
            counts_table.c.survey_id == survey_id
        )
    ):
        yield tuple(json.loads(query)), tuple(json.loads(key)), count


def kept_statement_names(session: Session, survey: Survey) -> list[tuple]:
    """Return the names of the kept statements of the survey's unfiltered report."""
    return [query.name for query in _kept_queries(session, survey)]


def _kept_queries(session: Session, survey: Survey):
    options = Options(intersections=True, quotes_per_question=0)
    return [
        query
        for query in report_queries(session, survey, Filters(), options)
        if query.name[0] in KEPT_STATEMENTS
    ]


def trusted(session: Session, survey: Survey) -> bool:
    """Return whether the kept counts can be read as they are (else they are rebuilt first).

    They must have been counted for the survey's current shape, and for as many
    responses as it has.

    One statement, so PostgreSQL compares the two counts in one snapshot.
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
    return found[0] == structure_key(survey_shape(survey)) and (found[1] or 0) == found[2]


def rebuild(session: Session, survey: Survey) -> None:
    """Count the survey's unfiltered report from its answers and keep the rows.

    Runs in its own transaction holding the survey's write lock (on SQLite the
    database's), so that no response is written meanwhile and missed.
    """
    with Session(session.get_bind()) as own:
        _lock(own, survey.id, exclusive=True)
        # A write before any read takes SQLite's write lock (a no-op change suffices).
        own.execute(
            update(states_table)
            .where(states_table.c.survey_id == survey.id)
            .values(structure=states_table.c.structure)
        )
        if trusted(own, survey):  # another process rebuilt them while we waited
            own.rollback()
            return
        own.execute(delete(ReportCount).where(ReportCount.survey_id == survey.id))
        _add(own, survey.id, _grouped(own, survey))
        own.execute(delete(ReportCountState).where(ReportCountState.survey_id == survey.id))
        structure = structure_key(survey_shape(survey))
        own.add(ReportCountState(survey_id=survey.id, structure=structure, built_at=utcnow()))
        own.commit()


def _grouped(session: Session, survey: Survey) -> dict[tuple, int]:
    """Group the answers afresh: ``{(statement name, row key): count}`` of the kept statements."""
    found: dict[tuple, int] = {}
    for query in _kept_queries(session, survey):
        for row in session.connection().execute(query.statement):
            *key, count = row
            if count:
                found[(query.name, tuple(_plain(value) for value in key))] = int(count)
    return found


def differences(session: Session, survey: Survey) -> list[tuple]:
    """Return the names of the statements whose kept rows differ from the answers grouped afresh.

    For ``engage counts check``; nothing is rebuilt, and untrusted counts are
    compared as they are.
    """
    afresh: dict[tuple, dict] = defaultdict(dict)
    for (name, key), count in _grouped(session, survey).items():
        afresh[name][key] = count
    kept: dict[tuple, dict] = defaultdict(dict)
    for name, key, count in _stored(session, survey.id):
        kept[name][key] = count
    return sorted(name for name in afresh.keys() | kept.keys() if afresh[name] != kept[name])


def _plain(value: Any) -> Any:
    """Return a row value as counting keys it (days as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    return value

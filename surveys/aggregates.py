"""Counts for reports, aggregated on the database with GROUP BY; plain records out.

Nothing here loads answers one by one: every figure is a grouped count, so a
report on 200,000 responses moves a few thousand rows out of the database.
``report_queries`` lists the statements of a full report (the benchmark times
them on their own); ``collect`` runs them and returns ``SurveyAggregates``,
plain dictionaries of counts that ``analysis.report`` turns into a report.

Conventions of the records:

- A respondent's group in a dimension is the choice they gave. A
  select-all-that-apply dimension (race) counts a respondent in every group
  chosen, so its counts add up to more than the respondents
  (``DimensionInfo.multi_select``).
- "Prefer not to answer" is its own group, ``PREFER_NOT_TO_ANSWER``.
- A respondent with no answer to the dimension's question(s) is in group
  ``None`` ("no answer"), never dropped. Likewise ``None`` as a question's
  choice counts respondents who did not answer it (computed, not stored).
- Sentiment uses staff's override when there is one
  (``COALESCE(sentiment_override, sentiment_label)``); ``None`` is a comment
  that is not scored (its language has no lexicon), never neutral.
- Group-session tallies and demographics are kept apart from responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
)
from sqlalchemy.sql import ColumnElement, FromClause, Select
from sqlmodel import Session

from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SINGLE_CHOICE,
)
from surveys.demographics import (
    DERIVED_DIMENSIONS,
    DISABILITY_DIMENSION,
    DISABILITY_STATUS_CHOICES,
    WG_A_LOT_OF_DIFFICULTY,
    WG_CANNOT_DO_AT_ALL,
    WG_NO_DIFFICULTY,
    WG_SOME_DIFFICULTY,
)
from surveys.languages import resolve_text
from surveys.models import (
    ATTRIBUTION_NAMED,
    ATTRIBUTION_NO_QUOTE,
    CHANNEL_GROUP,
    Answer,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    PopulationBenchmark,
    Question,
    Response,
    Survey,
)
from surveys.questions import favourable_choices, format_number, question_type
from surveys.store import choice_key, label_key, load_texts

# Kinds whose answers are choices a respondent can be grouped by.
DIMENSION_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT)
# Kinds whose answers have a distribution to compare across groups.
OUTCOME_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT, RATING)
COMMENT_KINDS = (LONG_TEXT,)

POSITIVE = "positive"
NEGATIVE = "negative"

answers = Answer.__table__
responses = Response.__table__


@dataclass(frozen=True)
class Filters:
    """Which responses a report covers; empty tuples mean "all".

    ``start`` and ``end`` are days of ``collected_at`` (UTC), both included.
    """

    start: date | None = None
    end: date | None = None
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Return whether any filter narrows the responses."""
        return bool(self.start or self.end or self.channels or self.languages or self.areas)

    def to_dict(self) -> dict:
        """Return the filters as plain JSON values."""
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "channels": list(self.channels),
            "languages": list(self.languages),
            "areas": list(self.areas),
        }


@dataclass(frozen=True)
class QuoteConsent:
    """Whose comments may be quoted.

    From ``Survey.settings``: ``quote_consent_question`` (a question name) with
    ``quote_consent_choices`` (default ``["yes"]``) quotes only respondents who
    gave one of those answers; ``quote_comments: true`` quotes every comment
    (the notice of collection said so). Otherwise no comment is quoted.
    """

    policy: str  # "consent_question", "all" or "none"
    question: str | None = None
    choices: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: dict) -> QuoteConsent:
        """Read the survey's quoting rule from its settings."""
        question = settings.get("quote_consent_question")
        if question:
            choices = tuple(settings.get("quote_consent_choices") or ("yes",))
            return cls("consent_question", str(question), choices)
        if settings.get("quote_comments") is True:
            return cls("all")
        return cls("none")


@dataclass(frozen=True)
class Options:
    """What to aggregate beyond the always-present figures."""

    intersections: bool = True
    weighting_dimensions: tuple[str, ...] = ()
    quotes_per_question: int = 3
    benchmark_area: str | None = None  # None: the single filtered area, else ""
    language: str | None = None  # labels in this language (default: the survey's)


@dataclass(frozen=True)
class QuestionInfo:
    """What the report needs to know about a question."""

    name: str
    kind: str
    choices: tuple[str, ...]
    favourable: frozenset[str]
    dimension: str | None
    multi_select: bool
    # Scale score of each choice, for means (Likert 1-5, rating points).
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DimensionInfo:
    """An equity dimension: one question, or several combined (derived)."""

    key: str
    questions: tuple[str, ...]
    groups: tuple[str, ...]
    multi_select: bool
    derived: bool = False


@dataclass(frozen=True)
class Quote:
    """A comment that may be quoted, with its sentiment."""

    question: str | None
    text: str
    polarity: float | None
    label: str
    language: str
    source: str  # "response" or "group_session"
    speaker: str | None = None


@dataclass(frozen=True)
class GroupSessionAggregates:
    """Group sessions as their own source: never added to respondents."""

    sessions: int
    participants: int
    by_kind: dict[str, int]
    tallies: dict[str, dict[str | None, int]]
    demographics: dict[str, dict[str | None, int]]
    sentiment: dict[str | None, dict[str | None, int]]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class SurveyAggregates:
    """Every count a report is built from."""

    slug: str
    default_language: str
    language: str
    settings: dict
    filters: Filters
    questions: dict[str, QuestionInfo]
    dimensions: dict[str, DimensionInfo]
    labels: dict[str, str]
    benchmarks: dict[str, dict[str, int]]
    benchmark_area: str
    respondents: int
    by_channel: dict[str, int]
    by_language: dict[str, int]
    by_area: dict[str | None, int]
    by_day: dict[str, int]
    representation: dict[str, dict[str | None, int]]
    distribution: dict[str, dict[str | None, int]]
    answered: dict[str, int]
    outcomes: dict[tuple[str, str], dict[tuple[str | None, str], int]]
    outcome_answered: dict[tuple[str, str], dict[str | None, int]]
    intersections: dict[tuple[str, str], dict[tuple[str | None, str | None], int]]
    sentiment_by_question: dict[str, dict[str | None, int]]
    sentiment_by_group: dict[tuple[str, str], dict[tuple[str | None, str | None], int]]
    sentiment_by_channel: dict[str, dict[tuple[str, str | None], int]]
    sentiment_by_language: dict[str, dict[tuple[str, str | None], int]]
    quotes: dict[str, tuple[Quote, ...]]
    quote_consent: QuoteConsent
    group_sessions: GroupSessionAggregates
    weighting_cells: dict[tuple[str | None, ...], int] | None = None
    weighting_outcomes: dict[str, dict[tuple[tuple[str | None, ...], str], int]] | None = None


@dataclass(frozen=True)
class Query:
    """One GROUP BY statement of a report and how its rows become records."""

    name: tuple
    statement: Select
    read: Callable[[Sequence[Any]], Any]


# ---------------------------------------------------------------------------
# Survey structure


def question_infos(survey: Survey) -> dict[str, QuestionInfo]:
    """Return the closed and comment questions of a survey, in survey order."""
    infos = {}
    for question in survey.questions:
        if question.kind not in OUTCOME_KINDS + COMMENT_KINDS:
            continue
        kind = question_type(question.kind)
        choices = kind.choice_names(question)
        favourable = favourable_choices(question) or frozenset(
            str(name) for name in (question.settings or {}).get("favourable_choices", ())
        )
        scores: dict[str, float] = {}
        if question.kind == LIKERT:
            scores = {name: float(index + 1) for index, name in enumerate(choices)}
        elif question.kind == RATING:
            scores = {name: float(name) for name in choices}
        infos[question.name] = QuestionInfo(
            name=question.name,
            kind=question.kind,
            choices=tuple(choices),
            favourable=frozenset(favourable),
            dimension=question.dimension,
            multi_select=question.kind == MULTIPLE_CHOICE,
            scores=scores,
        )
    return infos


def dimension_infos(survey: Survey) -> dict[str, DimensionInfo]:
    """Return the survey's equity dimensions, keyed by dimension, in survey order."""
    by_dimension: dict[str, list[Question]] = defaultdict(list)
    for question in survey.questions:
        if question.dimension and question.kind in DIMENSION_KINDS:
            by_dimension[question.dimension].append(question)
    dimensions = {}
    for key, questions in by_dimension.items():
        names = tuple(question.name for question in questions)
        if key in DERIVED_DIMENSIONS and len(questions) > 1:
            if key not in _SQL_DERIVATIONS:
                raise ValueError(f"no SQL form of the derived dimension {key!r}")
            groups = _DERIVED_GROUPS[key]
            dimensions[key] = DimensionInfo(key, names, groups, multi_select=False, derived=True)
            continue
        groups = tuple(
            dict.fromkeys(
                name
                for question in questions
                for name in question_type(question.kind).choice_names(question)
            )
        )
        multi = len(questions) > 1 or questions[0].kind == MULTIPLE_CHOICE
        dimensions[key] = DimensionInfo(key, names, groups, multi_select=multi)
    return dimensions


def outcome_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the questions whose answers are compared across groups (dimensions are not)."""
    return [
        name
        for name, info in questions.items()
        if info.kind in OUTCOME_KINDS and not info.dimension
    ]


def comment_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the comment (long text) questions."""
    return [name for name, info in questions.items() if info.kind in COMMENT_KINDS]


def question_ids(survey: Survey) -> dict[str, int]:
    """Return the survey's question ids by name."""
    return {question.name: question.id for question in survey.questions}


# ---------------------------------------------------------------------------
# Building blocks


def _filter_conditions(survey_id: int, filters: Filters) -> list[ColumnElement]:
    """Return the WHERE conditions on ``responses`` for a survey and filters."""
    conditions = [responses.c.survey_id == survey_id]
    if filters.start:
        conditions.append(responses.c.collected_at >= _day_start(filters.start))
    if filters.end:
        conditions.append(responses.c.collected_at < _day_start(filters.end + timedelta(days=1)))
    if filters.channels:
        conditions.append(responses.c.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(responses.c.language.in_(filters.languages))
    if filters.areas:
        conditions.append(responses.c.area.in_(filters.areas))
    return conditions


def _day_start(day: date) -> datetime:
    """Return midnight UTC at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def _answer_source(filters: Filters, survey_id: int) -> tuple[FromClause, list[ColumnElement]]:
    """Return answers, joined to responses only when filters need it, and the conditions."""
    if not filters.active:
        return answers, []
    joined = answers.join(responses, responses.c.id == answers.c.response_id)
    return joined, _filter_conditions(survey_id, filters)


@dataclass(frozen=True)
class _GroupJoin:
    """How to join a dimension's group onto rows that carry a response id."""

    source: Any  # a table alias or subquery with ``response_id`` and the group
    group: ColumnElement
    condition: Callable[[ColumnElement], ColumnElement]


def _group_join(dimension: DimensionInfo, ids: dict[str, int], alias: str) -> _GroupJoin:
    """Return the join that gives each response its group(s) in ``dimension``."""
    question_ids_ = [ids[name] for name in dimension.questions]
    if dimension.derived:
        subquery = _SQL_DERIVATIONS[dimension.key](question_ids_).subquery(alias)
        return _GroupJoin(
            subquery, subquery.c.grp, lambda response_id: subquery.c.response_id == response_id
        )
    if len(question_ids_) == 1:
        table = answers.alias(alias)
        only = question_ids_[0]
        return _GroupJoin(
            table,
            table.c.choice,
            lambda response_id: and_(
                table.c.response_id == response_id, table.c.question_id == only
            ),
        )
    subquery = (
        select(answers.c.response_id, answers.c.choice.label("grp"))
        .where(answers.c.question_id.in_(question_ids_), answers.c.choice.is_not(None))
        .distinct()
        .subquery(alias)
    )
    return _GroupJoin(
        subquery, subquery.c.grp, lambda response_id: subquery.c.response_id == response_id
    )


def _disability_status(question_ids_: list[int]) -> Select:
    """Return (response_id, grp): the Washington Group status, as SQL.

    Mirrors ``surveys.demographics.washington_group_disability_status``
    (a test checks they agree): with a disability when any domain is "a lot of
    difficulty" or "cannot do at all", else without when any domain was
    answered, else prefer-not when that was chosen; no row means no answer.
    """

    def any_of(*choices: str) -> ColumnElement:
        return func.max(case((answers.c.choice.in_(choices), 1), else_=0)) == 1

    status = case(
        (any_of(WG_A_LOT_OF_DIFFICULTY, WG_CANNOT_DO_AT_ALL), literal("with_disability")),
        (any_of(WG_NO_DIFFICULTY, WG_SOME_DIFFICULTY), literal("without_disability")),
        (any_of(PREFER_NOT_TO_ANSWER), literal(PREFER_NOT_TO_ANSWER)),
        else_=cast(literal(None), String),
    )
    return (
        select(answers.c.response_id, status.label("grp"))
        .where(answers.c.question_id.in_(question_ids_))
        .group_by(answers.c.response_id)
    )


_SQL_DERIVATIONS: dict[str, Callable[[list[int]], Select]] = {
    DISABILITY_DIMENSION: _disability_status,
}
_DERIVED_GROUPS = {
    DISABILITY_DIMENSION: tuple(choice.name for choice in DISABILITY_STATUS_CHOICES),
}


def group_members(survey: Survey, key: str, group: str) -> Select:
    """Return the ids of the responses in one group of a dimension, as a statement.

    A derived dimension's group comes from its SQL form (``_disability_status``),
    so whoever filters by it puts a respondent in the same group as the report.
    """
    info = dimension_infos(survey)[key]
    ids = [question.id for question in survey.questions if question.name in info.questions]
    if info.derived:
        status = _SQL_DERIVATIONS[key](ids).subquery("derived_group")
        return select(status.c.response_id).where(status.c.grp == group)
    return select(answers.c.response_id).where(
        answers.c.question_id.in_(ids), answers.c.choice == group
    )


def _choice_key(choice: str | None, number: float | None) -> str | None:
    """Return the stored value as a choice name (rating points are numbers)."""
    if choice is not None:
        return choice
    if number is not None:
        return format_number(number)
    return None


def _day_of(column: ColumnElement, dialect: str) -> ColumnElement:
    """Return the UTC calendar day of a timestamp column."""
    if dialect == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


# ---------------------------------------------------------------------------
# The statements of a report


def report_queries(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
) -> list[Query]:
    """Return every GROUP BY statement of a full report, with how to read its rows."""
    ids = question_ids(survey)
    by_id = {value: key for key, value in ids.items()}
    questions = question_infos(survey)
    dimensions = dimension_infos(survey)
    dialect = session.get_bind().dialect.name
    where = _filter_conditions(survey.id, filters)
    outcomes = outcome_names(questions)
    comments = comment_names(questions)
    queries: list[Query] = []

    def add(name: tuple, statement: Select, read: Callable) -> None:
        queries.append(Query(name, statement, read))

    add(("respondents",), select(func.count()).select_from(responses).where(*where), _scalar)
    for column in ("channel", "language", "area"):
        add(
            ("totals", column),
            select(responses.c[column], func.count()).where(*where).group_by(responses.c[column]),
            _pairs,
        )
    day = _day_of(responses.c.collected_at, dialect)
    add(("totals", "day"), select(day, func.count()).where(*where).group_by(day), _days)

    for key, dimension in dimensions.items():
        join = _group_join(dimension, ids, "d1")
        add(
            ("representation", key),
            select(join.group, func.count())
            .select_from(responses.outerjoin(join.source, join.condition(responses.c.id)))
            .where(*where)
            .group_by(join.group),
            _pairs,
        )

    source, answer_where = _answer_source(filters, survey.id)
    if outcomes:
        add(
            ("distribution",),
            select(answers.c.question_id, answers.c.choice, answers.c.number, func.count())
            .select_from(source)
            .where(answers.c.question_id.in_([ids[name] for name in outcomes]), *answer_where)
            .group_by(answers.c.question_id, answers.c.choice, answers.c.number),
            lambda rows: _question_choice_counts(rows, by_id),
        )
    multi_outcome_ids = [ids[name] for name in outcomes if questions[name].multi_select]
    if multi_outcome_ids:
        add(
            ("answered",),
            select(answers.c.question_id, func.count(distinct(answers.c.response_id)))
            .select_from(source)
            .where(answers.c.question_id.in_(multi_outcome_ids), *answer_where)
            .group_by(answers.c.question_id),
            lambda rows: {by_id[question]: int(count) for question, count in rows},
        )

    if outcomes:
        outcome_ids = [ids[name] for name in outcomes]
        for key, dimension in dimensions.items():
            join = _group_join(dimension, ids, "d1")
            joined = source.outerjoin(join.source, join.condition(answers.c.response_id))
            add(
                ("outcomes", key),
                select(
                    answers.c.question_id,
                    join.group,
                    answers.c.choice,
                    answers.c.number,
                    func.count(),
                )
                .select_from(joined)
                .where(answers.c.question_id.in_(outcome_ids), *answer_where)
                .group_by(answers.c.question_id, join.group, answers.c.choice, answers.c.number),
                lambda rows, key=key: _outcome_counts(rows, by_id, key),
            )
            if multi_outcome_ids:
                add(
                    ("outcome_answered", key),
                    select(
                        answers.c.question_id,
                        join.group,
                        func.count(distinct(answers.c.response_id)),
                    )
                    .select_from(joined)
                    .where(answers.c.question_id.in_(multi_outcome_ids), *answer_where)
                    .group_by(answers.c.question_id, join.group),
                    lambda rows, key=key: _outcome_answered(rows, by_id, key),
                )

    if options.intersections:
        keys = list(dimensions)
        for position, first in enumerate(keys):
            for second in keys[position + 1 :]:
                one = _group_join(dimensions[first], ids, "d1")
                two = _group_join(dimensions[second], ids, "d2")
                add(
                    ("intersection", first, second),
                    select(one.group, two.group, func.count())
                    .select_from(
                        responses.outerjoin(one.source, one.condition(responses.c.id)).outerjoin(
                            two.source, two.condition(responses.c.id)
                        )
                    )
                    .where(*where)
                    .group_by(one.group, two.group),
                    _triples,
                )

    if comments:
        comment_ids = [ids[name] for name in comments]
        label = func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label)
        comment_where = [
            answers.c.question_id.in_(comment_ids),
            answers.c.text.is_not(None),
            *answer_where,
        ]
        add(
            ("sentiment", "question"),
            select(answers.c.question_id, label, func.count())
            .select_from(source)
            .where(*comment_where)
            .group_by(answers.c.question_id, label),
            lambda rows: _by_question(rows, by_id),
        )
        for key, dimension in dimensions.items():
            join = _group_join(dimension, ids, "d1")
            add(
                ("sentiment", "group", key),
                select(answers.c.question_id, join.group, label, func.count())
                .select_from(source.outerjoin(join.source, join.condition(answers.c.response_id)))
                .where(*comment_where)
                .group_by(answers.c.question_id, join.group, label),
                lambda rows: _by_question(rows, by_id),
            )
        with_responses = answers.join(responses, responses.c.id == answers.c.response_id)
        for column in ("channel", "language"):
            add(
                ("sentiment", column),
                select(answers.c.question_id, responses.c[column], label, func.count())
                .select_from(with_responses)
                .where(*comment_where, *where)
                .group_by(answers.c.question_id, responses.c[column], label),
                lambda rows: _by_question(rows, by_id),
            )
        consent = QuoteConsent.from_settings(survey.settings or {})
        if consent.policy != "none" and options.quotes_per_question > 0:
            for name in comments:
                for wanted in (POSITIVE, NEGATIVE):
                    add(
                        ("quotes", name, wanted),
                        _quote_statement(
                            ids[name], wanted, consent, ids, where, options.quotes_per_question
                        ),
                        lambda rows, name=name: tuple(
                            Quote(name, text, polarity, label_, language, "response")
                            for text, polarity, label_, language in rows
                        ),
                    )

    weighting = [key for key in options.weighting_dimensions if key in dimensions]
    if weighting:
        joins = [
            _group_join(dimensions[key], ids, f"w{index}") for index, key in enumerate(weighting)
        ]
        groups = [join.group for join in joins]
        base = responses
        for join in joins:
            base = base.outerjoin(join.source, join.condition(responses.c.id))
        add(
            ("weighting", "cells"),
            select(*groups, func.count()).select_from(base).where(*where).group_by(*groups),
            lambda rows: {tuple(row[:-1]): row[-1] for row in rows},
        )
        if outcomes:
            joined = source
            for join in joins:
                joined = joined.outerjoin(join.source, join.condition(answers.c.response_id))
            add(
                ("weighting", "outcomes"),
                select(
                    *groups, answers.c.question_id, answers.c.choice, answers.c.number, func.count()
                )
                .select_from(joined)
                .where(
                    answers.c.question_id.in_([ids[name] for name in outcomes]),
                    *answer_where,
                )
                .group_by(*groups, answers.c.question_id, answers.c.choice, answers.c.number),
                lambda rows: _weighting_outcomes(rows, by_id, len(groups)),
            )
    return queries


def _quote_statement(
    question_id: int,
    wanted: str,
    consent: QuoteConsent,
    ids: dict[str, int],
    where: list[ColumnElement],
    limit: int,
) -> Select:
    """Return the most positive (or negative) quotable comments of a question."""
    label = func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label)
    order = answers.c.polarity.desc() if wanted == POSITIVE else answers.c.polarity.asc()
    statement = (
        select(answers.c.text, answers.c.polarity, label, responses.c.language)
        .select_from(answers.join(responses, responses.c.id == answers.c.response_id))
        .where(
            answers.c.question_id == question_id,
            answers.c.text.is_not(None),
            label == wanted,
            *where,
        )
        .order_by(order.nulls_last(), answers.c.id)
        .limit(limit)
    )
    if consent.policy == "consent_question":
        consent_id = ids.get(consent.question)
        if consent_id is None:
            return statement.where(literal(False))
        consenting = answers.alias("consent")
        statement = statement.where(
            select(consenting.c.id)
            .where(
                consenting.c.response_id == answers.c.response_id,
                consenting.c.question_id == consent_id,
                consenting.c.choice.in_(consent.choices),
            )
            .exists()
        )
    return statement


# ---------------------------------------------------------------------------
# Reading rows into records


def _scalar(rows: Sequence[Any]) -> int:
    return int(rows[0][0]) if rows else 0


def _pairs(rows: Iterable[Any]) -> dict:
    return {key: int(count) for key, count in rows}


def _triples(rows: Iterable[Any]) -> dict:
    return {(first, second): int(count) for first, second, count in rows}


def _days(rows: Iterable[Any]) -> dict[str, int]:
    """Read (day, count) rows; SQLite gives the day as text, PostgreSQL as a date."""
    counts = {}
    for day, count in rows:
        key = day.isoformat() if isinstance(day, date) else str(day)
        counts[key] = int(count)
    return dict(sorted(counts.items()))


def _question_choice_counts(rows, by_id) -> dict[str, dict[str | None, int]]:
    counts: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, choice, number, count in rows:
        counts[by_id[question_id]][_choice_key(choice, number)] += int(count)
    return {name: dict(values) for name, values in counts.items()}


def _outcome_counts(rows, by_id, dimension: str) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(int))
    for question_id, group, choice, number, count in rows:
        counts[(by_id[question_id], dimension)][(group, _choice_key(choice, number))] += int(count)
    return {key: dict(values) for key, values in counts.items()}


def _outcome_answered(rows, by_id, dimension: str) -> dict:
    counts: dict = defaultdict(dict)
    for question_id, group, count in rows:
        counts[(by_id[question_id], dimension)][group] = int(count)
    return dict(counts)


def _by_question(rows, by_id) -> dict:
    """Read (question_id, *keys, count) rows into {question: {keys: count}}."""
    counts: dict = defaultdict(dict)
    for row in rows:
        question_id, *keys, count = row
        counts[by_id[question_id]][keys[0] if len(keys) == 1 else tuple(keys)] = int(count)
    return dict(counts)


def _weighting_outcomes(rows, by_id, width: int) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        groups = tuple(row[:width])
        question_id, choice, number, count = row[width:]
        counts[by_id[question_id]][(groups, _choice_key(choice, number))] += int(count)
    return {name: dict(values) for name, values in counts.items()}


# ---------------------------------------------------------------------------
# Collecting a whole report


def run(
    session: Session, queries: Iterable[Query], kept: Mapping[tuple, list] | None = None
) -> dict[tuple, Any]:
    """Execute the statements and read their rows; return records by query name.

    ``kept`` holds rows already counted (``surveys.report_counts``) for some
    statements, which are then read from it instead of executed.
    """
    kept = kept or {}
    return {
        query.name: query.read(
            kept[query.name]
            if query.name in kept
            else session.connection().execute(query.statement).all()
        )
        for query in queries
    }


def collect(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
    kept: Mapping[tuple, list] | None = None,
) -> SurveyAggregates:
    """Aggregate everything a report on ``survey`` needs, in SQL (or from ``kept`` rows)."""
    queries = report_queries(session, survey, filters, options)
    found = run(session, queries, kept)
    questions = question_infos(survey)
    dimensions = dimension_infos(survey)
    language = options.language or survey.default_language
    benchmark_area = options.benchmark_area
    if benchmark_area is None:
        benchmark_area = filters.areas[0] if len(filters.areas) == 1 else ""

    def pick(prefix: tuple) -> dict:
        merged: dict = {}
        for name, records in found.items():
            if name[: len(prefix)] == prefix:
                merged.update(records)
        return merged

    distribution = found.get(("distribution",), {})
    sentiment_by_group: dict = {}
    for name, records in found.items():
        if name[:2] == ("sentiment", "group"):
            for question, counts in records.items():
                sentiment_by_group[(question, name[2])] = counts
    quotes: dict[str, tuple[Quote, ...]] = defaultdict(tuple)
    for name, records in found.items():
        if name[0] == "quotes":
            quotes[name[1]] += records
    return SurveyAggregates(
        slug=survey.slug,
        default_language=survey.default_language,
        language=language,
        settings=dict(survey.settings or {}),
        filters=filters,
        questions=questions,
        dimensions=dimensions,
        labels=labels(session, survey, language, questions, dimensions),
        benchmarks=benchmarks(session, list(dimensions), benchmark_area),
        benchmark_area=benchmark_area,
        respondents=found[("respondents",)],
        by_channel=found[("totals", "channel")],
        by_language=found[("totals", "language")],
        by_area=found[("totals", "area")],
        by_day=found[("totals", "day")],
        representation={
            name[1]: records for name, records in found.items() if name[0] == "representation"
        },
        distribution=distribution,
        answered={
            **{name: sum(counts.values()) for name, counts in distribution.items()},
            **found.get(("answered",), {}),
        },
        outcomes=pick(("outcomes",)),
        outcome_answered=pick(("outcome_answered",)),
        intersections={
            (name[1], name[2]): records
            for name, records in found.items()
            if name[0] == "intersection"
        },
        sentiment_by_question=found.get(("sentiment", "question"), {}),
        sentiment_by_group=sentiment_by_group,
        sentiment_by_channel=found.get(("sentiment", "channel"), {}),
        sentiment_by_language=found.get(("sentiment", "language"), {}),
        quotes=dict(quotes),
        quote_consent=QuoteConsent.from_settings(survey.settings or {}),
        group_sessions=group_session_aggregates(
            session, survey, filters, options.quotes_per_question
        ),
        weighting_cells=found.get(("weighting", "cells")),
        weighting_outcomes=found.get(("weighting", "outcomes")),
    )


def labels(
    session: Session,
    survey: Survey,
    language: str,
    questions: dict[str, QuestionInfo],
    dimensions: dict[str, DimensionInfo],
) -> dict[str, str]:
    """Return the title, question and choice labels in ``language``, keyed like ``SurveyText.key``.

    Dimensions are labelled ``d.<dimension>`` (their first question's label),
    and their groups ``g.<dimension>.<group>``.
    """
    texts = load_texts(session, survey.id)

    def text(key: str) -> str | None:
        found = texts.get(key)
        if not found:
            return None
        return resolve_text(found, language, survey.default_language).text or None

    result: dict[str, str] = {}
    title = text("title")
    if title:
        result["title"] = title
    for question in survey.questions:
        found = text(label_key(question.name))
        if found:
            result[label_key(question.name)] = found
        for choice in question.choices:
            found = text(choice_key(question.name, choice.name))
            if found:
                result[choice_key(question.name, choice.name)] = found
    derived_labels = {choice.name: choice.label for choice in DISABILITY_STATUS_CHOICES}
    for key, dimension in dimensions.items():
        first = dimension.questions[0]
        if label_key(first) in result:
            result[f"d.{key}"] = result[label_key(first)]
        for group in dimension.groups:
            if dimension.derived and group in derived_labels:
                chosen = resolve_text(derived_labels[group], language, "en").text
            else:
                chosen = next(
                    (
                        result[choice_key(name, group)]
                        for name in dimension.questions
                        if choice_key(name, group) in result
                    ),
                    None,
                )
            if chosen:
                result[f"g.{key}.{group}"] = chosen
    return result


def benchmarks(session: Session, dimensions: Sequence[str], area: str) -> dict[str, dict[str, int]]:
    """Return population benchmarks ``{dimension: {group: population}}`` for an area."""
    if not dimensions:
        return {}
    rows = session.exec(
        select(
            PopulationBenchmark.dimension, PopulationBenchmark.group, PopulationBenchmark.population
        ).where(PopulationBenchmark.dimension.in_(dimensions), PopulationBenchmark.area == area)
    ).all()
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for dimension, group, population in rows:
        found[dimension][group] = int(population)
    return dict(found)


def _session_ids(session: Session, survey: Survey, filters: Filters) -> list[int]:
    """Return the group sessions a report covers: held in the date range and areas.

    A channel filter without ``group`` leaves sessions out; a language filter
    keeps sessions where one of the languages was spoken.
    """
    if filters.channels and CHANNEL_GROUP not in filters.channels:
        return []
    statement = select(GroupSession.id, GroupSession.languages).where(
        GroupSession.survey_id == survey.id
    )
    if filters.start:
        statement = statement.where(GroupSession.held_on >= filters.start)
    if filters.end:
        statement = statement.where(GroupSession.held_on <= filters.end)
    if filters.areas:
        statement = statement.where(GroupSession.area.in_(filters.areas))
    wanted = set(filters.languages)
    return [
        session_id
        for session_id, languages in session.exec(statement).all()
        if not wanted or wanted & set(languages or ())
    ]


def group_session_aggregates(
    session: Session, survey: Survey, filters: Filters, quotes_per_question: int = 3
) -> GroupSessionAggregates:
    """Aggregate group sessions (tallies, demographics, feedback) on their own."""
    ids = _session_ids(session, survey, filters)
    names = {question.id: question.name for question in survey.questions}
    dimension_of = {question.id: question.dimension for question in survey.questions}
    if not ids:
        return GroupSessionAggregates(0, 0, {}, {}, {}, {}, ())
    sessions = GroupSession.__table__
    count, participants = (
        session.connection()
        .execute(
            select(func.count(), func.coalesce(func.sum(sessions.c.participants), 0)).where(
                sessions.c.id.in_(ids)
            )
        )
        .one()
    )
    by_kind = _pairs(
        session.connection().execute(
            select(sessions.c.kind, func.count())
            .where(sessions.c.id.in_(ids))
            .group_by(sessions.c.kind)
        )
    )
    tallies: dict = defaultdict(dict)
    tally_table = GroupTally.__table__
    for question_id, choice, total in session.connection().execute(
        select(tally_table.c.question_id, tally_table.c.choice, func.sum(tally_table.c.count))
        .where(tally_table.c.session_id.in_(ids))
        .group_by(tally_table.c.question_id, tally_table.c.choice)
    ):
        tallies[names[question_id]][choice] = int(total)
    demographics: dict = defaultdict(lambda: defaultdict(int))
    demographic_table = GroupDemographic.__table__
    for question_id, choice, total in session.connection().execute(
        select(
            demographic_table.c.question_id,
            demographic_table.c.choice,
            func.sum(demographic_table.c.count),
        )
        .where(demographic_table.c.session_id.in_(ids))
        .group_by(demographic_table.c.question_id, demographic_table.c.choice)
    ):
        key = dimension_of.get(question_id) or names[question_id]
        demographics[key][choice] += int(total)
    feedback = GroupFeedback.__table__
    label = func.coalesce(feedback.c.sentiment_override, feedback.c.sentiment_label)
    sentiment: dict = defaultdict(dict)
    for question_id, label_, total in session.connection().execute(
        select(feedback.c.question_id, label, func.count())
        .where(feedback.c.session_id.in_(ids))
        .group_by(feedback.c.question_id, label)
    ):
        sentiment[names.get(question_id)][label_] = int(total)
    quotes: list[Quote] = []
    quotable = sessions.c.attribution != ATTRIBUTION_NO_QUOTE
    for wanted in (POSITIVE, NEGATIVE):
        order = feedback.c.polarity.desc() if wanted == POSITIVE else feedback.c.polarity.asc()
        rows = session.connection().execute(
            select(
                feedback.c.question_id,
                feedback.c.text,
                feedback.c.polarity,
                label,
                feedback.c.language,
                feedback.c.speaker,
                sessions.c.attribution,
            )
            .select_from(feedback.join(sessions, sessions.c.id == feedback.c.session_id))
            .where(feedback.c.session_id.in_(ids), quotable, label == wanted)
            .order_by(order.nulls_last(), feedback.c.id)
            .limit(quotes_per_question)
        )
        for question_id, text, polarity, label_, language, speaker, attribution in rows:
            quotes.append(
                Quote(
                    names.get(question_id),
                    text,
                    polarity,
                    label_,
                    language,
                    "group_session",
                    speaker if attribution == ATTRIBUTION_NAMED else None,
                )
            )
    return GroupSessionAggregates(
        sessions=int(count),
        participants=int(participants),
        by_kind=by_kind,
        tallies=dict(tallies),
        demographics={key: dict(values) for key, values in demographics.items()},
        sentiment=dict(sentiment),
        quotes=tuple(quotes),
    )

"""A report's data: its grouped counts, labels, benchmarks, quotes and group sessions.

``collect`` returns ``SurveyAggregates`` (plain records, ``surveys.report_records``)
that ``analysis.report`` turns into a report. The counts come from the kept counts
of an unfiltered report (``surveys.report_counts``) or from one counting pass over
the responses a filter covers (``surveys.counting``, the one definition of how a
response counts); this module only reads their rows into records.

Conventions of the records:

- A respondent's group in a dimension is the choice they gave. A
  select-all-that-apply dimension (race) counts a respondent in every group
  chosen, so its counts add up to more than the respondents
  (``DimensionInfo.multi_select``).
- "Prefer not to answer" is its own group, ``PREFER_NOT_TO_ANSWER``.
- A respondent with no answer to the dimension's question(s) is in group
  ``None`` ("no answer"), never dropped. Likewise ``None`` as a question's
  choice counts respondents who did not answer it (computed, not stored).
- Sentiment uses staff's override when there is one; ``None`` is a comment
  that is not scored (its language has no lexicon), never neutral.
- Group-session tallies and demographics are kept apart from responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from surveys import counting, report_counts
from surveys.demographics import DEMOGRAPHIC_BANK, DISABILITY_STATUS_CHOICES
from surveys.expansion import METHOD, PERSON
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
    Response,
    Survey,
)
from surveys.questions import format_number
from surveys.quotes import pick_quotes
from surveys.report_records import (
    NEGATIVE,
    POSITIVE,
    UNSCORED,
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    Options,
    QuestionInfo,
    Quote,
    QuoteConsent,
    SurveyAggregates,
)
from surveys.report_structure import (
    dimension_infos,
    question_ids,
    question_infos,
)
from surveys.retention import REMOVED_TEXT
from surveys.store import choice_key, label_key, load_texts
from surveys.stored_answers import counted_label
from surveys.theme_counts import theme_counts

answers = Answer.__table__
responses = Response.__table__
Rows = Mapping[tuple, Sequence[tuple]]


# ---------------------------------------------------------------------------
# Reading rows into records


def _choice_key(choice: str | None, number: float | None) -> str | None:
    """Return the stored value as a choice name (rating points are numbers)."""
    if choice is not None:
        return choice
    if number is not None:
        return format_number(number)
    return None


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


def read_counts(rows: Rows, by_id: Mapping[int, str], weighting_width: int) -> dict[tuple, Any]:
    """Read each counted statement's rows (``surveys.counting``) into records."""
    found: dict[tuple, Any] = {}
    for name, values in rows.items():
        kind = name[0]
        if kind == "respondents":
            found[name] = _scalar(values)
        elif name == ("totals", "day"):
            found[name] = _days(values)
        elif kind in ("totals", "representation"):
            found[name] = _pairs(values)
        elif kind == "distribution":
            found[name] = _question_choice_counts(values, by_id)
        elif kind == "answered":
            found[name] = {by_id[question]: int(total) for question, total in values}
        elif kind == "outcomes":
            found[name] = _outcome_counts(values, by_id, name[1])
        elif kind == "outcome_answered":
            found[name] = _outcome_answered(values, by_id, name[1])
        elif kind == "intersection":
            found[name] = _triples(values)
        elif kind == "sentiment":
            found[name] = _by_question(values, by_id)
        elif name == ("weighting", "cells"):
            found[name] = {tuple(row[:-1]): row[-1] for row in values}
        elif name == ("weighting", "outcomes"):
            found[name] = _weighting_outcomes(values, by_id, weighting_width)
    return found


def counted_rows(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
    kept: Rows | None = None,
) -> dict[tuple, list[tuple]]:
    """Return the rows of every grouped statement of the report: kept ones, else counted now."""
    shape = counting.survey_shape(survey, options.weighting_dimensions)
    names = counting.statement_names(shape, options.intersections)
    if kept is not None and all(name in kept for name in names):
        return {name: list(kept[name]) for name in names}
    return counting.rows_by_statement(
        report_counts.filtered_count(session, survey, shape, filters), names
    )


def collect(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
    kept: Rows | None = None,
) -> SurveyAggregates:
    """Aggregate everything a report on ``survey`` needs (grouped counts from ``kept`` rows).

    ``kept`` holds the unfiltered report's kept rows (``surveys.report_counts``);
    without them, or for statements they lack, the responses are counted now.
    """
    ids = question_ids(survey)
    by_id = {value: key for key, value in ids.items()}
    shape = counting.survey_shape(survey, options.weighting_dimensions)
    found = read_counts(
        counted_rows(session, survey, filters, options, kept), by_id, len(shape.weighting)
    )
    found.update(pick_quotes(session, survey, filters, options))
    questions = question_infos(survey)
    dimensions = dimension_infos(survey)
    language = options.language or survey.default_language
    benchmark_area = options.benchmark_area
    if benchmark_area is None:
        # A report on one area compares it with that area's figures, else the survey's.
        one_area = len(filters.areas) == 1
        benchmark_area = filters.areas[0] if one_area else survey_benchmark_area(survey)

    def pick(prefix: tuple) -> dict:
        merged: dict = {}
        for name, records in found.items():
            if name[: len(prefix)] == prefix:
                merged.update(records)
        return merged

    distribution, favourable = _favourable_apart(found.get(("distribution",), {}))
    outcomes, outcome_favourable = _favourable_outcomes_apart(pick(("outcomes",)))
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
        outcomes=outcomes,
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
        sentiment_labelled_by=found.get(("sentiment", "labelled_by"), {}),
        quotes=dict(quotes),
        quote_consent=QuoteConsent.from_settings(survey.settings or {}),
        group_sessions=group_session_aggregates(
            session, survey, filters, options.quotes_per_question
        ),
        weighting_cells=found.get(("weighting", "cells")),
        weighting_outcomes=found.get(("weighting", "outcomes")),
        favourable=favourable,
        outcome_favourable=outcome_favourable,
        themes=theme_counts(session, survey, filters),
    )


def _favourable_apart(distribution: Mapping) -> tuple[dict, dict]:
    """Split ``{question: {choice: n}}`` into the answers and each question's favourable row."""
    favourable_row = counting.AT_LEAST_ONE_FAVOURABLE
    answers, favourable = {}, {}
    for name, counts in distribution.items():
        answers[name] = {choice: n for choice, n in counts.items() if choice != favourable_row}
        if favourable_row in counts:
            favourable[name] = counts[favourable_row]
    return answers, favourable


def _favourable_outcomes_apart(outcomes: Mapping) -> tuple[dict, dict]:
    """Split ``{(question, dimension): {(group, choice): n}}`` likewise, by group."""
    favourable_row = counting.AT_LEAST_ONE_FAVOURABLE
    answers, favourable = {}, {}
    for key, counts in outcomes.items():
        answers[key] = {cell: n for cell, n in counts.items() if cell[1] != favourable_row}
        found = {group: n for (group, choice), n in counts.items() if choice == favourable_row}
        if found:
            favourable[key] = found
    return answers, favourable


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
        # Benchmark groups the survey does not ask ("Under 18" in an adults' survey) are
        # named as the demographic bank names them, when the dimension is the bank's.
        for choice in () if dimension.derived else _bank_choices().get(key, ()):
            label = resolve_text(choice.label, language, "en").text
            if label:
                result.setdefault(f"g.{key}.{choice.name}", label)
    return result


@cache
def _bank_choices() -> dict[str, tuple]:
    """Return the choices of each dimension of the demographic bank."""
    return {
        question.dimension: question.choices
        for questions in DEMOGRAPHIC_BANK.values()
        for question in questions
        if question.dimension
    }


def survey_benchmark_area(survey: Survey) -> str:
    """Return the area whose benchmarks describe the survey's population ("": the whole).

    Staff choose it on the survey's analysis settings (``settings["benchmark_area"]``).
    """
    return str((survey.settings or {}).get("benchmark_area") or "")


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
    label, by_person = counted_label(feedback)
    sentiment: dict = defaultdict(lambda: defaultdict(int))
    labelled_by: dict = defaultdict(lambda: defaultdict(int))
    for question_id, language, label_, person, total in session.connection().execute(
        select(feedback.c.question_id, feedback.c.language, label, by_person, func.count())
        .where(feedback.c.session_id.in_(ids))
        .group_by(feedback.c.question_id, feedback.c.language, label, by_person)
    ):
        name = names.get(question_id)
        sentiment[name][label_] += int(total)
        source = PERSON if person else METHOD if label_ is not None else UNSCORED
        labelled_by[name][(language, source)] += int(total)
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
            .where(
                feedback.c.session_id.in_(ids),
                quotable,
                feedback.c.text != REMOVED_TEXT,
                label == wanted,
            )
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
        sentiment={name: dict(counts) for name, counts in sentiment.items()},
        quotes=tuple(quotes),
        labelled_by={name: dict(counts) for name, counts in labelled_by.items()},
    )

"""The equity and sentiment report: plain counts in, frozen dataclasses out.

``build_report`` takes the counts ``surveys.aggregates.collect`` returns and
the organisation's settings, and returns a ``Report``; ``report_dict`` turns it
into the JSON shape documented in ``docs/report-format.md``.

Privacy, applied to every table before any figure is derived:

- Counts from 1 to ``min_cell - 1`` are withheld, with complementary
  suppression, across all the tables that share totals
  (``analysis.linked_suppression``).
- A rate, share, mean, interval or index is shown only when every count of
  its row is shown, so that no derived figure gives back a withheld count.
  Shares of representation use as base the respondents minus the "prefer not
  to answer" and "no answer" counts *that are shown*, for the same reason.
- A test of independence is run only on the groups whose answers are all
  shown, so its p-value can be recomputed from the published table.
- A comment is quoted only under the survey's quoting rule, only from a
  question whose number of comments is shown, and never from a group session
  whose participants asked not to be quoted (the query layer enforces that).

Statistics follow ``analysis.stats``: Wilson 95% intervals, the
disproportionality index (share / population share) flagged against the
organisation's thresholds, the disparity index (group rate / reference-group
rate, CIHI's rate ratio) and rate difference, and chi-square or Fisher's exact
test chosen from the expected counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cache

from analysis.linked_suppression import LinkedTable, Margin, suppress_linked
from analysis.sentiment import NEGATIVE, NEUTRAL, POSITIVE, SCORED_LANGUAGES
from analysis.stats import (
    NOT_APPLICABLE,
    Z_95,
    disproportionality_index,
    independence_test,
    rate_difference,
    rate_ratio,
    representation_flag,
    wilson_interval,
)
from analysis.suppression import MIN_CELL, SuppressedCounts, SuppressedTable, is_small
from analysis.weighting import rake_cells
from surveys.aggregates import DimensionInfo, QuestionInfo, Quote, SurveyAggregates
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.messages import N_

# Row kinds: a group of the dimension, "prefer not to answer", or no answer at all.
GROUP = "group"
PREFER_NOT = "prefer_not"
NO_ANSWER = "no_answer"
# The published name of the "no answer" row or column.
NO_ANSWER_NAME = "no_answer"
UNSCORED = "unscored"
SENTIMENT_COLUMNS = (NEGATIVE, NEUTRAL, POSITIVE, UNSCORED)
# A benchmark group holding the population total, for select-all-that-apply
# dimensions whose groups overlap (their populations add up to more than it).
BENCHMARK_TOTAL = "total"
RESPONDENTS = "respondents"

MULTI_SELECT_NOTE = N_(
    "Respondents could choose more than one group; each respondent is counted in every "
    "group chosen, so the counts add up to more than the respondents."
)
COMBINED_NOTE = N_(
    "Combined view, at staff's request: individual responses plus group-session tallies. "
    "Group-session participants are not individual respondents."
)


@dataclass(frozen=True)
class ReportSettings:
    """The organisation's choices a report follows (and prints)."""

    min_cell: int = MIN_CELL
    under_representation_below: float = 0.8
    over_representation_above: float = 1.2
    sentiment_negative_below: float = -0.05
    sentiment_positive_above: float = 0.05
    reference_groups: Mapping[str, str] = field(default_factory=dict)
    combined: bool = False
    weighting_dimensions: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Result shapes (their field names are the JSON keys)


@dataclass(frozen=True)
class CountRow:
    """One published count with its share of the table's total."""

    dimension: str
    group: str
    kind: str
    label: str | None
    n: int | None
    suppressed: bool
    share: float | None


@dataclass(frozen=True)
class Totals:
    """Respondents, and how they came: by channel, language, area and day."""

    respondents: int | None
    suppressed: bool
    by_channel: tuple[CountRow, ...]
    by_language: tuple[CountRow, ...]
    by_area: tuple[CountRow, ...]
    by_day: tuple[CountRow, ...]


@dataclass(frozen=True)
class RepresentationRow:
    """One group of a dimension against its population."""

    dimension: str
    group: str
    kind: str
    label: str | None
    n: int | None
    suppressed: bool
    share: float | None
    ci: tuple[float, float] | None
    share_of_respondents: float | None
    population: int | None
    population_share: float | None
    index: float | None
    index_ci: tuple[float, float] | None
    flag: str | None


@dataclass(frozen=True)
class RepresentationTable:
    """Representation of one dimension."""

    dimension: str
    label: str | None
    questions: tuple[str, ...]
    multi_select: bool
    note: str | None
    share_base: int | None
    benchmark_area: str
    has_benchmark: bool
    unmatched_benchmark_groups: tuple[str, ...]
    rows: tuple[RepresentationRow, ...]


@dataclass(frozen=True)
class ChoiceCount:
    """One choice's count (and share of the row's answers)."""

    choice: str
    label: str | None
    n: int | None
    suppressed: bool
    share: float | None


@dataclass(frozen=True)
class Independence:
    """A test of independence, named, on the groups it could use."""

    dimension: str
    question: str
    test: str
    p_value: float | None
    statistic: float | None
    dof: int | None
    groups: tuple[str, ...]
    reason: str | None = None


@dataclass(frozen=True)
class OutcomeRow:
    """One group's answers to one question."""

    dimension: str
    group: str
    kind: str
    label: str | None
    n: int | None
    suppressed: bool
    respondents: int | None
    distribution: tuple[ChoiceCount, ...]
    rate: float | None
    ci: tuple[float, float] | None
    mean: float | None
    index: float | None
    rate_difference: float | None
    test: str | None = None
    p_value: float | None = None


@dataclass(frozen=True)
class OutcomeTable:
    """A closed question broken down by a dimension."""

    question: str
    label: str | None
    kind: str
    dimension: str
    multi_select_dimension: bool
    note: str | None
    favourable: tuple[str, ...]
    reference_group: str | None
    reference_shown: bool
    overall: OutcomeRow
    rows: tuple[OutcomeRow, ...]
    test: Independence


@dataclass(frozen=True)
class IntersectionRow:
    """Respondents in one group of each of two dimensions."""

    dimension: str
    group: str
    by_dimension: str
    by_group: str
    n: int | None
    suppressed: bool


@dataclass(frozen=True)
class IntersectionTable:
    """Two dimensions crossed."""

    dimension: str
    by_dimension: str
    note: str | None
    rows: tuple[IntersectionRow, ...]


@dataclass(frozen=True)
class SentimentRow:
    """Comments of one question (and one group, channel or language) by label."""

    question: str
    dimension: str
    group: str
    label: str | None
    n: int | None
    suppressed: bool
    counts: dict[str, int | None]
    shares: dict[str, float | None]
    scored: int | None


@dataclass(frozen=True)
class QuoteOut:
    """A comment quoted in a report."""

    question: str | None
    text: str
    polarity: float | None
    sentiment: str
    language: str
    source: str
    speaker: str | None = None


@dataclass(frozen=True)
class Sentiment:
    """Comment sentiment: per question, group, channel and language, and quotes."""

    scored_languages: tuple[str, ...]
    quote_policy: str
    by_question: tuple[SentimentRow, ...]
    by_group: tuple[SentimentRow, ...]
    by_channel: tuple[SentimentRow, ...]
    by_language: tuple[SentimentRow, ...]
    most_positive: tuple[QuoteOut, ...]
    most_negative: tuple[QuoteOut, ...]


@dataclass(frozen=True)
class WeightedQuestion:
    """A question's overall figures, unweighted and raked to the benchmarks."""

    question: str
    n: int | None
    suppressed: bool
    rate: float | None
    weighted_rate: float | None
    weighted_ci: tuple[float, float] | None
    mean: float | None
    weighted_mean: float | None
    effective_n: float | None
    distribution: dict[str, float | None]
    weighted_distribution: dict[str, float | None]


@dataclass(frozen=True)
class Weighted:
    """Raking to the benchmark margins, reported beside the unweighted figures."""

    method: str
    dimensions: tuple[str, ...]
    converged: bool | None
    iterations: int | None
    max_share_error: float | None
    design_effect: float | None
    weight_range: tuple[float, float] | None
    left_out: dict[str, str]
    empty_groups: dict[str, tuple[str, ...]]
    unbenchmarked_groups: dict[str, tuple[str, ...]]
    questions: tuple[WeightedQuestion, ...]


@dataclass(frozen=True)
class GroupSessions:
    """Group sessions, their own source: never added to individual counts."""

    source: str
    sessions: int
    participants: int | None
    participants_suppressed: bool
    by_kind: dict[str, int]
    tallies: tuple[CountRow, ...]
    demographics: tuple[CountRow, ...]
    sentiment: tuple[CountRow, ...]
    quotes: tuple[QuoteOut, ...]


@dataclass(frozen=True)
class Combined:
    """Individual and group-session counts added up, only when staff ask."""

    label: str
    representation: tuple[CountRow, ...]
    distribution: tuple[CountRow, ...]


@dataclass(frozen=True)
class Report:
    """A whole report."""

    survey: dict
    generated_at: str
    settings: dict
    totals: Totals
    representation: tuple[RepresentationTable, ...]
    outcomes: tuple[OutcomeTable, ...]
    intersections: tuple[IntersectionTable, ...]
    sentiment: Sentiment
    weighted: Weighted | None
    group_sessions: GroupSessions
    combined: Combined | None


def report_dict(report: Report) -> dict:
    """Return the report as plain JSON values: dicts, lists, strings, numbers, None."""
    return _plain(report)


def _plain(value):
    """Convert dataclasses, tuples and dicts recursively (``asdict`` without deep copies)."""
    if isinstance(value, str | int | float) or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls))


# ---------------------------------------------------------------------------
# Building


def build_report(
    data: SurveyAggregates,
    settings: ReportSettings = ReportSettings(),
    *,
    title: str | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """Build the report for ``data`` under ``settings``."""
    builder = _Builder(data, settings)
    generated = (generated_at or datetime.now(UTC)).isoformat(timespec="seconds")
    return Report(
        survey={
            "slug": data.slug,
            "title": title,
            "default_language": data.default_language,
            "language": data.language,
        },
        generated_at=generated,
        settings=builder.settings_dict(),
        totals=builder.totals(),
        representation=tuple(builder.representation(key) for key in data.dimensions),
        outcomes=tuple(
            builder.outcome(question, dimension)
            for question in builder.outcome_questions
            for dimension in data.dimensions
        ),
        intersections=tuple(builder.intersection(pair) for pair in data.intersections),
        sentiment=builder.sentiment(),
        weighted=builder.weighted(),
        group_sessions=builder.group_sessions(),
        combined=builder.combined() if settings.combined else None,
    )


class _Builder:
    """Holds the suppressed tables of one report while its sections are built."""

    def __init__(self, data: SurveyAggregates, settings: ReportSettings) -> None:
        self.data = data
        self.settings = settings
        self.min_cell = settings.min_cell
        self.outcome_questions = [
            name
            for name, info in data.questions.items()
            if info.kind != "long_text" and not info.dimension
        ]
        self.comment_questions = list(data.sentiment_by_question)
        self.margins: dict[Hashable, Margin] = {}
        self.tables: dict[Hashable, LinkedTable] = {}
        self._declare_tables()
        self.shown_margins, self.shown_tables = suppress_linked(
            self.margins, self.tables, self.min_cell
        )
        self.reference_groups = {
            key: self._reference_group(dimension) for key, dimension in data.dimensions.items()
        }
        self.respondents = self._respondents_shown()

    # -- labels and row orders ------------------------------------------------

    def label(self, key: str) -> str | None:
        return self.data.labels.get(key)

    def group_label(self, dimension: str, group: str) -> str | None:
        return self.label(f"g.{dimension}.{group}")

    def choice_label(self, question: str, choice: str) -> str | None:
        return self.label(f"c.{question}.{choice}")

    def dimension_rows(self, dimension: DimensionInfo) -> list[str]:
        """Return a dimension's groups, unexpected stored ones, prefer-not and no answer."""
        seen = [
            group
            for group in self.data.representation.get(dimension.key, {})
            if group not in (None, PREFER_NOT_TO_ANSWER) and group not in dimension.groups
        ]
        return [*dimension.groups, *sorted(seen), PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME]

    def question_columns(self, question: QuestionInfo) -> list[str]:
        """Return a question's choices, unexpected stored ones, prefer-not and no answer."""
        stored = self.data.distribution.get(question.name, {})
        seen = [
            choice
            for choice in stored
            if choice not in (None, PREFER_NOT_TO_ANSWER) and choice not in question.choices
        ]
        return [*question.choices, *sorted(seen), PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME]

    @staticmethod
    def kind_of(name: str) -> str:
        if name == PREFER_NOT_TO_ANSWER:
            return PREFER_NOT
        if name == NO_ANSWER_NAME:
            return NO_ANSWER
        return GROUP

    @staticmethod
    def published(name: str | None) -> str:
        """Return the published name of a stored group or choice (None is no answer)."""
        return NO_ANSWER_NAME if name is None else name

    # -- declaring every table and margin before suppression ------------------

    def representation_counts(self, key: str) -> dict[str, int]:
        dimension = self.data.dimensions[key]
        stored = {
            self.published(group): count
            for group, count in self.data.representation.get(key, {}).items()
        }
        return {group: stored.get(group, 0) for group in self.dimension_rows(dimension)}

    def distribution_counts(self, name: str) -> dict[str, int]:
        question = self.data.questions[name]
        stored = {
            self.published(choice): count
            for choice, count in self.data.distribution.get(name, {}).items()
        }
        counts = {choice: stored.get(choice, 0) for choice in self.question_columns(question)}
        counts[NO_ANSWER_NAME] = self.data.respondents - self.data.answered.get(name, 0)
        return counts

    def _declare_tables(self) -> None:
        data = self.data
        for column, counts in (
            ("channel", data.by_channel),
            ("language", data.by_language),
            ("area", data.by_area),
            ("day", data.by_day),
        ):
            self.margins[("totals", column)] = Margin(
                {self.published(key): value for key, value in counts.items()},
                total_key=RESPONDENTS,
            )
        for key, dimension in data.dimensions.items():
            self.margins[("representation", key)] = Margin(
                self.representation_counts(key),
                total_key=None if dimension.multi_select else RESPONDENTS,
                total_published=not dimension.multi_select,
            )
        for name in self.outcome_questions:
            question = data.questions[name]
            self.margins[("distribution", name)] = Margin(
                self.distribution_counts(name),
                total_key=None if question.multi_select else RESPONDENTS,
                total_published=not question.multi_select,
            )
            for key, dimension in data.dimensions.items():
                self.tables[("outcome", name, key)] = self._outcome_table(question, dimension)
        for first, second in data.intersections:
            self.tables[("intersection", first, second)] = self._intersection_table(first, second)
        for name in self.comment_questions:
            self.margins[("sentiment", name)] = Margin(
                self._sentiment_counts(data.sentiment_by_question.get(name, {}))
            )
            for key, dimension in data.dimensions.items():
                self.tables[("sentiment_group", name, key)] = self._sentiment_table(
                    data.sentiment_by_group.get((name, key), {}),
                    self.dimension_rows(dimension),
                    None if dimension.multi_select else ("sentiment", name),
                )
            for column, found in (
                ("channel", data.sentiment_by_channel),
                ("language", data.sentiment_by_language),
            ):
                counts = found.get(name, {})
                rows = sorted({self.published(row) for row, _ in counts})
                self.tables[(f"sentiment_{column}", name)] = self._sentiment_table(
                    counts, rows, ("sentiment", name)
                )
        sessions = data.group_sessions
        for name, counts in sessions.tallies.items():
            self.margins[("tally", name)] = Margin(
                {self.published(key): value for key, value in counts.items()}
            )
        for key, counts in sessions.demographics.items():
            self.margins[("group_demographics", key)] = Margin(
                {self.published(group): value for group, value in counts.items()}
            )
        for name, counts in sessions.sentiment.items():
            self.margins[("group_sentiment", name)] = Margin(self._sentiment_counts(counts))

    def _outcome_table(self, question: QuestionInfo, dimension: DimensionInfo) -> LinkedTable:
        """Return question x dimension: groups by choices, with prefer-not and no answer."""
        rows = self.dimension_rows(dimension)
        columns = self.question_columns(question)
        stored = self.data.outcomes.get((question.name, dimension.key), {})
        cells: dict[tuple[str, str], int] = {}
        for (group, choice), count in stored.items():
            key = (self.published(group), self.published(choice))
            cells[key] = cells.get(key, 0) + count
        group_sizes = self.representation_counts(dimension.key)
        if question.multi_select:
            answered = {
                self.published(group): count
                for group, count in self.data.outcome_answered.get(
                    (question.name, dimension.key), {}
                ).items()
            }
        else:
            answered = {}
            for (group, _), count in cells.items():
                answered[group] = answered.get(group, 0) + count
        for group in rows:
            cells[(group, NO_ANSWER_NAME)] = group_sizes[group] - answered.get(group, 0)
        return LinkedTable(
            cells=cells,
            rows=rows,
            columns=columns,
            # Row totals are the group sizes only when each respondent is in one column.
            row_margin=None if question.multi_select else ("representation", dimension.key),
            column_margin=None if dimension.multi_select else ("distribution", question.name),
        )

    def _intersection_table(self, first: str, second: str) -> LinkedTable:
        one, two = self.data.dimensions[first], self.data.dimensions[second]
        cells: dict[tuple[str, str], int] = {}
        for (a, b), count in self.data.intersections[(first, second)].items():
            key = (self.published(a), self.published(b))
            cells[key] = cells.get(key, 0) + count
        return LinkedTable(
            cells=cells,
            rows=self.dimension_rows(one),
            columns=self.dimension_rows(two),
            row_margin=None if two.multi_select else ("representation", first),
            column_margin=None if one.multi_select else ("representation", second),
        )

    def _sentiment_counts(self, counts: Mapping[str | None, int]) -> dict[str, int]:
        result = dict.fromkeys(SENTIMENT_COLUMNS, 0)
        for label, count in counts.items():
            result[label if label in result else UNSCORED] += count
        return result

    def _sentiment_table(
        self,
        counts: Mapping[tuple[str | None, str | None], int],
        rows: Sequence[str],
        column_margin: Hashable | None,
    ) -> LinkedTable:
        cells: dict[tuple[str, str], int] = {}
        for (row, label), count in counts.items():
            column = label if label in SENTIMENT_COLUMNS else UNSCORED
            key = (self.published(row), column)
            cells[key] = cells.get(key, 0) + count
        return LinkedTable(
            cells=cells,
            rows=list(rows),
            columns=list(SENTIMENT_COLUMNS),
            column_margin=column_margin,
        )

    # -- settings ---------------------------------------------------------------

    def _reference_group(self, dimension: DimensionInfo) -> str | None:
        """Return the configured reference group, else the largest group."""
        configured = self.settings.reference_groups.get(dimension.key)
        if configured in dimension.groups:
            return configured
        counts = self.data.representation.get(dimension.key, {})
        candidates = [
            (counts.get(group, 0), -index, group) for index, group in enumerate(dimension.groups)
        ]
        if not candidates or max(candidates)[0] == 0:
            return None
        return max(candidates)[2]

    def settings_dict(self) -> dict:
        settings = self.settings
        return {
            "min_cell": settings.min_cell,
            "under_representation_below": settings.under_representation_below,
            "over_representation_above": settings.over_representation_above,
            "sentiment_negative_below": settings.sentiment_negative_below,
            "sentiment_positive_above": settings.sentiment_positive_above,
            "confidence_level": 0.95,
            "reference_groups": dict(self.reference_groups),
            "reference_groups_configured": dict(settings.reference_groups),
            "benchmark_area": self.data.benchmark_area,
            "filters": self.data.filters.to_dict(),
            "scored_languages": list(SCORED_LANGUAGES),
            "quote_policy": self.data.quote_consent.policy,
            "weighting_dimensions": list(settings.weighting_dimensions),
            "combined": settings.combined,
        }

    # -- totals -------------------------------------------------------------------

    def count_rows(
        self, key: Hashable, dimension: str, labels: Mapping[str, str] | None = None
    ) -> tuple[CountRow, ...]:
        shown = self.shown_margins[key]
        return tuple(
            CountRow(
                dimension=dimension,
                group=group,
                kind=self.kind_of(group),
                label=(labels or {}).get(group),
                n=count,
                suppressed=count is None,
                share=_ratio(count, shown.total),
            )
            for group, count in shown.counts.items()
        )

    def _respondents_shown(self) -> int | None:
        """Return the respondents, or None when withheld (margins share this total)."""
        if is_small(self.data.respondents, self.min_cell):
            return None
        for key, margin in self.margins.items():
            if margin.total_key == RESPONDENTS and self.shown_margins[key].total is None:
                return None
        return self.data.respondents

    def totals(self) -> Totals:
        respondents = self.respondents
        return Totals(
            respondents=respondents,
            suppressed=respondents is None,
            by_channel=self.count_rows(("totals", "channel"), "channel"),
            by_language=self.count_rows(("totals", "language"), "language"),
            by_area=self.count_rows(("totals", "area"), "area"),
            by_day=self.count_rows(("totals", "day"), "day"),
        )

    # -- representation ---------------------------------------------------------------

    def representation(self, key: str) -> RepresentationTable:
        dimension = self.data.dimensions[key]
        shown = self.shown_margins[("representation", key)]
        respondents = self.respondents
        base = None
        if respondents is not None:
            base = respondents - sum(
                shown.counts[name] or 0 for name in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
            )
        population = {
            group: count
            for group, count in self.data.benchmarks.get(key, {}).items()
            if group != BENCHMARK_TOTAL
        }
        population_total = self.data.benchmarks.get(key, {}).get(BENCHMARK_TOTAL) or sum(
            population.values()
        )
        rows = []
        for group, count in shown.counts.items():
            kind = self.kind_of(group)
            share = ci = index = index_ci = flag = None
            group_population = population.get(group) if kind == GROUP else None
            population_share = _ratio(group_population, population_total)
            if kind == GROUP and count is not None and base:
                share = count / base
                ci = wilson_interval(count, base)
                index = disproportionality_index(share, population_share)
                if index is not None:
                    index_ci = (ci[0] / population_share, ci[1] / population_share)
                flag = representation_flag(
                    index,
                    self.settings.under_representation_below,
                    self.settings.over_representation_above,
                )
            rows.append(
                RepresentationRow(
                    dimension=key,
                    group=group,
                    kind=kind,
                    label=self.group_label(key, group),
                    n=count,
                    suppressed=count is None,
                    share=share,
                    ci=ci,
                    share_of_respondents=_ratio(count, respondents),
                    population=group_population,
                    population_share=population_share,
                    index=index,
                    index_ci=index_ci,
                    flag=flag,
                )
            )
        return RepresentationTable(
            dimension=key,
            label=self.label(f"d.{key}"),
            questions=dimension.questions,
            multi_select=dimension.multi_select,
            note=MULTI_SELECT_NOTE if dimension.multi_select else None,
            share_base=base,
            benchmark_area=self.data.benchmark_area,
            has_benchmark=bool(population),
            unmatched_benchmark_groups=tuple(
                group for group in population if group not in dimension.groups
            ),
            rows=tuple(rows),
        )

    # -- outcomes -------------------------------------------------------------------

    def _row_figures(
        self,
        question: QuestionInfo,
        cells: Mapping[str, int | None],
        whole: bool,
        respondents: int | None,
    ) -> tuple[int | None, tuple[ChoiceCount, ...], float | None, tuple | None, float | None]:
        """Return n, distribution, favourable rate, its interval and the mean of one row."""
        substantive = [c for c in cells if c not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)]
        n = None
        if whole:
            if question.multi_select:
                if respondents is not None:
                    n = (
                        respondents
                        - (cells[PREFER_NOT_TO_ANSWER] or 0)
                        - (cells[NO_ANSWER_NAME] or 0)
                    )
            else:
                n = sum(cells[c] or 0 for c in substantive)
        distribution = tuple(
            ChoiceCount(
                choice=choice,
                label=self.choice_label(question.name, choice),
                n=count,
                suppressed=count is None,
                share=count / n if n and count is not None and choice in substantive else None,
            )
            for choice, count in cells.items()
        )
        rate = ci = mean = None
        if n and question.favourable and not question.multi_select:
            favourable = sum(cells[c] or 0 for c in substantive if c in question.favourable)
            rate = favourable / n
            ci = wilson_interval(favourable, n)
        if n and question.scores:
            scored = [
                (question.scores[c], cells[c] or 0) for c in substantive if c in question.scores
            ]
            weight = sum(count for _, count in scored)
            if weight:
                mean = sum(score * count for score, count in scored) / weight
        return n, distribution, rate, ci, mean

    def outcome(self, name: str, key: str) -> OutcomeTable:
        question = self.data.questions[name]
        dimension = self.data.dimensions[key]
        table = self.shown_tables[("outcome", name, key)]
        representation = self.shown_margins[("representation", key)]
        columns = list(table.column_totals)
        figures = {}
        for group in table.row_totals:
            cells = {column: table.cells[(group, column)] for column in columns}
            size = representation.counts.get(group)
            whole = self._derivable(question, cells, size)
            figures[group] = (cells, whole, size, self._row_figures(question, cells, whole, size))
        reference = self.reference_groups.get(key)
        reference_rate = None
        if reference is not None and reference in figures:
            reference_rate = figures[reference][3][2]
        rows = []
        for group, (_, whole, size, (n, distribution, rate, ci, mean)) in figures.items():
            index = difference = None
            if rate is not None and reference_rate is not None and self.kind_of(group) == GROUP:
                index = rate_ratio(rate, reference_rate)
                difference = rate_difference(rate, reference_rate)
            rows.append(
                OutcomeRow(
                    dimension=key,
                    group=group,
                    kind=self.kind_of(group),
                    label=self.group_label(key, group),
                    n=n,
                    suppressed=not whole,
                    respondents=size,
                    distribution=distribution,
                    rate=rate,
                    ci=ci,
                    mean=mean,
                    index=index,
                    rate_difference=difference,
                )
            )
        overall = self._overall_row(question)
        if dimension.multi_select:
            rows = self._tests_against_the_rest(question, dimension, rows, figures)
        return OutcomeTable(
            question=name,
            label=self.label(f"q.{name}.label"),
            kind=question.kind,
            dimension=key,
            multi_select_dimension=dimension.multi_select,
            note=MULTI_SELECT_NOTE if dimension.multi_select else None,
            favourable=tuple(c for c in question.choices if c in question.favourable),
            reference_group=reference,
            reference_shown=reference_rate is not None,
            overall=overall,
            rows=tuple(rows),
            test=self._table_test(question, dimension, figures),
        )

    def _overall_row(self, question: QuestionInfo) -> OutcomeRow:
        shown = self.shown_margins[("distribution", question.name)]
        respondents = self.respondents
        cells = dict(shown.counts)
        whole = self._derivable(question, cells, respondents)
        n, distribution, rate, ci, mean = self._row_figures(question, cells, whole, respondents)
        return OutcomeRow(
            dimension="all",
            group="all",
            kind="all",
            label=None,
            n=n,
            suppressed=not whole,
            respondents=respondents,
            distribution=distribution,
            rate=rate,
            ci=ci,
            mean=mean,
            index=None,
            rate_difference=None,
        )

    @staticmethod
    def _derivable(
        question: QuestionInfo, cells: Mapping[str, int | None], respondents: int | None
    ) -> bool:
        """Return whether a row's figures can be shown: every count they use is shown.

        Rates, shares and means use the answers other than "prefer not to
        answer" and "no answer". For a select-all-that-apply question, whose
        answers overlap, the base is the respondents minus those two, so
        they must be shown too.
        """
        used = [
            value
            for choice, value in cells.items()
            if question.multi_select or choice not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
        ]
        if question.multi_select:
            used.append(respondents)
        return all(value is not None for value in used)

    def _substantive(self, question: QuestionInfo, cells: Mapping[str, int | None]) -> list[int]:
        return [
            cells[choice] or 0
            for choice in cells
            if choice not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
        ]

    def _table_test(
        self, question: QuestionInfo, dimension: DimensionInfo, figures
    ) -> Independence:
        """Test independence on the groups whose answers are all shown (single-select only)."""
        if question.multi_select or dimension.multi_select:
            reason = "multi_select_question" if question.multi_select else "multi_select_dimension"
            return Independence(
                dimension.key, question.name, NOT_APPLICABLE, None, None, None, (), reason
            )
        groups = [
            group
            for group, (cells, whole, _, _) in figures.items()
            if whole and self.kind_of(group) == GROUP
        ]
        table = [self._substantive(question, figures[group][0]) for group in groups]
        result = independence_test(table) if len(groups) >= 2 else None
        if result is None or result.test == NOT_APPLICABLE:
            return Independence(
                dimension.key,
                question.name,
                NOT_APPLICABLE,
                None,
                None,
                None,
                tuple(groups),
                "fewer_than_two_groups_or_answers",
            )
        return Independence(
            dimension.key,
            question.name,
            result.test,
            result.p_value,
            result.statistic,
            result.dof,
            tuple(groups),
        )

    def _tests_against_the_rest(self, question, dimension, rows, figures) -> list[OutcomeRow]:
        """For a select-all-that-apply dimension, test each group against everyone else.

        "Everyone else" is the respondents who gave a group (all minus prefer-not
        and no answer); its answers can be worked out from the published table
        only when the overall distribution and those two rows show every answer.
        """
        if question.multi_select:
            return rows
        overall = self.shown_margins[("distribution", question.name)].counts
        choices = [c for c in overall if c not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)]
        pieces = [overall] + [
            figures[name][0] for name in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME) if name in figures
        ]
        if any(piece[c] is None for piece in pieces for c in choices):
            return rows
        gave_a_group = [
            overall[c]
            - sum(
                figures[name][0][c] or 0
                for name in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
                if name in figures
            )
            for c in choices
        ]
        tested = []
        for row in rows:
            cells, whole, _, _ = figures[row.group]
            if row.kind != GROUP or not whole:
                tested.append(row)
                continue
            mine = [cells[c] or 0 for c in choices]
            rest = [max(total - own, 0) for total, own in zip(gave_a_group, mine, strict=True)]
            result = independence_test([mine, rest])
            tested.append(replace(row, test=result.test, p_value=result.p_value))
        return tested

    # -- intersections -------------------------------------------------------------

    def intersection(self, pair: tuple[str, str]) -> IntersectionTable:
        first, second = pair
        table = self.shown_tables[("intersection", first, second)]
        multi = (
            self.data.dimensions[first].multi_select or self.data.dimensions[second].multi_select
        )
        return IntersectionTable(
            dimension=first,
            by_dimension=second,
            note=MULTI_SELECT_NOTE if multi else None,
            rows=tuple(
                IntersectionRow(first, a, second, b, count, count is None)
                for (a, b), count in table.cells.items()
            ),
        )

    # -- sentiment -------------------------------------------------------------------

    def _sentiment_row(self, question, dimension, group, label, counts, total) -> SentimentRow:
        """Return one row; shares of the scored comments need only the three labels shown."""
        whole = all(counts[c] is not None for c in SENTIMENT_COLUMNS[:3])
        scored = None
        shares: dict[str, float | None] = dict.fromkeys(SENTIMENT_COLUMNS[:3])
        if whole:
            scored = sum(counts[c] for c in SENTIMENT_COLUMNS[:3])
            if scored:
                shares = {c: counts[c] / scored for c in SENTIMENT_COLUMNS[:3]}
        return SentimentRow(
            question=question,
            dimension=dimension,
            group=group,
            label=label,
            n=total,
            suppressed=not whole or total is None,
            counts=dict(counts),
            shares=shares,
            scored=scored,
        )

    def _sentiment_rows(self, key, question, dimension, labels=None) -> list[SentimentRow]:
        table: SuppressedTable = self.shown_tables[key]
        return [
            self._sentiment_row(
                question,
                dimension,
                group,
                (labels or {}).get(group),
                {c: table.cells[(group, c)] for c in SENTIMENT_COLUMNS},
                total,
            )
            for group, total in table.row_totals.items()
        ]

    def sentiment(self) -> Sentiment:
        by_question, by_group, by_channel, by_language = [], [], [], []
        positive, negative = [], []
        for name in self.comment_questions:
            shown: SuppressedCounts = self.shown_margins[("sentiment", name)]
            by_question.append(
                self._sentiment_row(
                    name, "question", name, self.label(f"q.{name}.label"), shown.counts, shown.total
                )
            )
            for key in self.data.dimensions:
                labels = {
                    g: self.group_label(key, g)
                    for g in self.dimension_rows(self.data.dimensions[key])
                }
                by_group.extend(
                    self._sentiment_rows(("sentiment_group", name, key), name, key, labels)
                )
            by_channel.extend(self._sentiment_rows(("sentiment_channel", name), name, "channel"))
            by_language.extend(self._sentiment_rows(("sentiment_language", name), name, "language"))
            if shown.total is None:
                continue  # too few comments to quote any without pointing to someone
            for quote in self.data.quotes.get(name, ()):
                (positive if quote.label == POSITIVE else negative).append(_quote(quote))
        return Sentiment(
            scored_languages=SCORED_LANGUAGES,
            quote_policy=self.data.quote_consent.policy,
            by_question=tuple(by_question),
            by_group=tuple(by_group),
            by_channel=tuple(by_channel),
            by_language=tuple(by_language),
            most_positive=tuple(positive),
            most_negative=tuple(negative),
        )

    # -- group sessions and the combined view ------------------------------------------

    def group_sessions(self) -> GroupSessions:
        sessions = self.data.group_sessions
        participants = (
            None if is_small(sessions.participants, self.min_cell) else sessions.participants
        )
        tallies, demographics, sentiment = [], [], []
        for name in sessions.tallies:
            labels = {c: self.choice_label(name, c) for c in self.margins[("tally", name)].counts}
            tallies.extend(self.count_rows(("tally", name), name, labels))
        for key in sessions.demographics:
            labels = {
                g: self.group_label(key, g)
                for g in self.margins[("group_demographics", key)].counts
            }
            demographics.extend(self.count_rows(("group_demographics", key), key, labels))
        for name in sessions.sentiment:
            sentiment.extend(self.count_rows(("group_sentiment", name), name or "", None))
        return GroupSessions(
            source="group_sessions",
            sessions=sessions.sessions,
            participants=participants,
            participants_suppressed=participants is None and sessions.participants > 0,
            by_kind=dict(sessions.by_kind),
            tallies=tuple(tallies),
            demographics=tuple(demographics),
            sentiment=tuple(sentiment),
            quotes=tuple(_quote(quote) for quote in sessions.quotes),
        )

    def combined(self) -> Combined:
        """Add group-session counts to individual ones; withheld if either part is."""
        representation, distribution = [], []
        for key in self.data.dimensions:
            if ("group_demographics", key) not in self.margins:
                continue
            representation.extend(
                self._combined_rows(key, ("representation", key), ("group_demographics", key))
            )
        for name in self.outcome_questions:
            if ("tally", name) not in self.margins:
                continue
            distribution.extend(self._combined_rows(name, ("distribution", name), ("tally", name)))
        return Combined(COMBINED_NOTE, tuple(representation), tuple(distribution))

    def _combined_rows(
        self, dimension: str, individual: Hashable, group: Hashable
    ) -> list[CountRow]:
        """Add two one-way tables; a sum is withheld when either part is, or it is small."""
        own, theirs = self.margins[individual].counts, self.margins[group].counts
        own_shown = self.shown_margins[individual].counts
        theirs_shown = self.shown_margins[group].counts
        labels = list(dict.fromkeys([*own, *theirs]))
        counts = {label: own.get(label, 0) + theirs.get(label, 0) for label in labels}
        withheld = {
            label
            for label in labels
            if (label in own and own_shown[label] is None)
            or (label in theirs and theirs_shown[label] is None)
            or is_small(counts[label], self.min_cell)
        }
        total = sum(counts.values())
        total_withheld = is_small(total, self.min_cell)
        if len(withheld) + total_withheld == 1:
            # The one-way rule: a lone withheld count needs a complement.
            candidates = sorted(
                (counts[label] == 0, counts[label], index, label)
                for index, label in enumerate(labels)
                if label not in withheld
            )
            if candidates:
                withheld.add(candidates[0][3])
            else:
                total_withheld = True
        return [
            CountRow(
                dimension=dimension,
                group=label,
                kind=self.kind_of(label),
                label=None,
                n=None if label in withheld else counts[label],
                suppressed=label in withheld,
                share=None if label in withheld or total_withheld else _ratio(counts[label], total),
            )
            for label in labels
        ]

    # -- weighting ---------------------------------------------------------------------

    def weighted(self) -> Weighted | None:
        dimensions = tuple(self.settings.weighting_dimensions)
        if not dimensions or self.data.weighting_cells is None:
            return None
        usable, left_out = [], {}
        for key in dimensions:
            info = self.data.dimensions.get(key)
            if info is None:
                left_out[key] = "not_a_dimension"
            elif info.multi_select:
                left_out[key] = "multi_select"
            elif not self.data.benchmarks.get(key):
                left_out[key] = "no_benchmark"
            else:
                usable.append(key)
        if not usable:
            return Weighted("raking", (), None, None, None, None, None, left_out, {}, {}, ())
        positions = [dimensions.index(key) for key in usable]
        cells: dict[tuple, int] = {}
        for combination, count in self.data.weighting_cells.items():
            key = tuple(combination[p] for p in positions)
            cells[key] = cells.get(key, 0) + count
        margins = {
            key: {g: p for g, p in self.data.benchmarks[key].items() if g != BENCHMARK_TOTAL}
            for key in usable
        }
        raked = rake_cells(cells, usable, margins)
        weight_of = raked.weights
        total = sum(cells.values())
        squares = sum(count * weight_of[key] ** 2 for key, count in cells.items())
        questions = []
        for name in self.outcome_questions:
            question = self.data.questions[name]
            if question.multi_select:
                continue
            weighted_counts: dict[str, float] = {}
            ess_sum = ess_squares = 0.0
            for (combination, choice), count in (
                (self.data.weighting_outcomes or {}).get(name, {}).items()
            ):
                key = tuple(combination[p] for p in positions)
                weight = weight_of.get(key, 1.0)
                weighted_counts[choice] = weighted_counts.get(choice, 0.0) + weight * count
                if choice not in (None, PREFER_NOT_TO_ANSWER):
                    ess_sum += weight * count
                    ess_squares += weight * weight * count
            questions.append(
                self._weighted_question(question, weighted_counts, ess_sum, ess_squares)
            )
        values = [weight_of[key] for key, count in cells.items() if count]
        return Weighted(
            method="raking",
            dimensions=tuple(usable),
            converged=raked.converged,
            iterations=raked.iterations,
            max_share_error=raked.max_share_error,
            design_effect=total * squares / total**2 if total else None,
            weight_range=(min(values), max(values)) if values else None,
            left_out=left_out,
            empty_groups=raked.empty_groups,
            unbenchmarked_groups=raked.unbenchmarked_groups,
            questions=tuple(questions),
        )

    def _weighted_question(
        self, question, weighted_counts, ess_sum, ess_squares
    ) -> WeightedQuestion:
        overall = self._overall_row(question)
        substantive = [
            c.choice
            for c in overall.distribution
            if c.choice not in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
        ]
        shown = not overall.suppressed and overall.n
        weighted_n = sum(weighted_counts.get(c, 0.0) for c in substantive)
        distribution = {c.choice: c.share for c in overall.distribution if c.choice in substantive}
        weighted_distribution: dict[str, float | None] = dict.fromkeys(substantive)
        rate = mean = ci = effective_n = None
        if shown and weighted_n:
            weighted_distribution = {
                c: weighted_counts.get(c, 0.0) / weighted_n for c in substantive
            }
            effective_n = ess_sum**2 / ess_squares if ess_squares else None
            if question.favourable:
                rate = sum(
                    weighted_distribution[c] for c in substantive if c in question.favourable
                )
                if effective_n:
                    ci = wilson_interval(rate * effective_n, effective_n)
            if question.scores:
                scored = [
                    (question.scores[c], weighted_distribution[c])
                    for c in substantive
                    if c in question.scores
                ]
                weight = sum(share for _, share in scored)
                mean = sum(score * share for score, share in scored) / weight if weight else None
        return WeightedQuestion(
            question=question.name,
            n=overall.n,
            suppressed=not shown,
            rate=overall.rate,
            weighted_rate=rate,
            weighted_ci=ci,
            mean=overall.mean,
            weighted_mean=mean,
            effective_n=effective_n,
            distribution=distribution,
            weighted_distribution=weighted_distribution,
        )


# ---------------------------------------------------------------------------
# Small helpers


def _ratio(part: float | None, whole: float | None) -> float | None:
    """Return part / whole, or None when either is unknown or whole is 0."""
    if part is None or not whole:
        return None
    return part / whole


def _quote(quote: Quote) -> QuoteOut:
    return QuoteOut(
        question=quote.question,
        text=quote.text,
        polarity=quote.polarity,
        sentiment=quote.label,
        language=quote.language,
        source=quote.source,
        speaker=quote.speaker,
    )


__all__ = [
    "GROUP",
    "NO_ANSWER",
    "PREFER_NOT",
    "Report",
    "ReportSettings",
    "Z_95",
    "build_report",
    "report_dict",
]

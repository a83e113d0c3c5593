"""The report's settings and the frozen dataclasses it is made of (field names are JSON keys)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache

from analysis.disclosure import DEFAULT_POLICY, Disclosure
from analysis.suppression import MIN_CELL


@dataclass(frozen=True)
class ReportSettings:
    """The organisation's choices a report follows (and prints)."""

    min_cell: int = MIN_CELL
    under_representation_below: float = 0.8
    over_representation_above: float = 1.2
    sentiment_negative_below: float = -0.05
    sentiment_positive_above: float = 0.05
    # Languages whose comments are scored (SentimentCutoffs.from_config); others are unscored.
    sentiment_languages: tuple[str, ...] = ("en", "fr")
    reference_groups: Mapping[str, str] = field(default_factory=dict)
    combined: bool = False
    weighting_dimensions: tuple[str, ...] = ()
    # The disclosure policy of the survey's tables, by name (analysis.disclosure.POLICIES),
    # and whether published counts are randomly rounded to base 5.
    disclosure_policy: str = DEFAULT_POLICY
    random_rounding: bool = False


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
    # The share's interval is wide (analysis.disclosure.low_reliability).
    low_reliability: bool = False


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
    """A test of independence, named, on the groups it could use.

    ``reason`` says why there is no test (``analysis.report.independence``);
    ``p_adjusted`` is the p-value adjusted for every test of the report
    (Benjamini-Hochberg, ``analysis.stats.adjust_p_values``).
    """

    dimension: str
    question: str
    test: str
    p_value: float | None
    statistic: float | None
    dof: int | None
    groups: tuple[str, ...]
    reason: str | None = None
    p_adjusted: float | None = None


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
    # The rate's interval is wide, or a mean rests on few answers (analysis.disclosure).
    low_reliability: bool = False
    p_adjusted: float | None = None


@dataclass(frozen=True)
class OutcomeTable:
    """A closed question broken down by a dimension."""

    question: str
    label: str | None
    kind: str
    multi_select: bool  # the question allows several answers (select all that apply)
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
class QuestionAnswers:
    """How all respondents answered one closed question (``analysis.report.answers``)."""

    question: str
    label: str | None
    kind: str
    multi_select: bool  # the question allows several answers (select all that apply)
    favourable: tuple[str, ...]
    overall: OutcomeRow


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
    """Comment sentiment: per question, group, channel and language, and quotes.

    ``labelled_by`` rows count each question's comments, overall (dimension
    ``question``) and per language, by who labelled them: ``person`` (staff, a
    correction or a confirmation of the method's label), ``method``, ``unscored``.
    """

    scored_languages: tuple[str, ...]
    quote_policy: str
    by_question: tuple[SentimentRow, ...]
    by_group: tuple[SentimentRow, ...]
    by_channel: tuple[SentimentRow, ...]
    by_language: tuple[SentimentRow, ...]
    most_positive: tuple[QuoteOut, ...]
    most_negative: tuple[QuoteOut, ...]
    labelled_by: tuple[SentimentRow, ...] = ()


@dataclass(frozen=True)
class ThemeOut:
    """A stored theme of a comment question: staff's name, top terms, respondents in it."""

    question: str
    theme: str
    label: str | None
    terms: tuple[str, ...]
    language: str
    n: int | None
    suppressed: bool


@dataclass(frozen=True)
class ThemeRow:
    """A question's respondents with a themed comment in one group (or channel), by theme.

    ``counts`` and ``shares`` are keyed by theme; shares are of ``n``.
    """

    question: str
    dimension: str
    group: str
    label: str | None
    n: int | None
    suppressed: bool
    counts: dict[str, int | None]
    shares: dict[str, float | None]


@dataclass(frozen=True)
class Themes:
    """Comment themes by group of every dimension and by channel, suppressed like the rest."""

    themes: tuple[ThemeOut, ...] = ()
    by_group: tuple[ThemeRow, ...] = ()
    by_channel: tuple[ThemeRow, ...] = ()


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
    # Each question's notes by who labelled them (a person or the method), overall and
    # per language, as ``Sentiment.labelled_by``.
    labelled_by: tuple[SentimentRow, ...] = ()


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
    # The disclosure policy followed and its reasoning, printed with every output.
    disclosure: Disclosure | None = None
    themes: Themes = field(default_factory=Themes)
    # Each closed question over all respondents: every survey's, with dimensions or none.
    answers: tuple[QuestionAnswers, ...] = ()


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
    """Return a dataclass's field names (cached: ``fields`` is slow on large reports)."""
    return tuple(item.name for item in fields(cls))

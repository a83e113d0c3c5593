"""The records a report is built from: plain frozen dataclasses, no database types.

``surveys.aggregates.collect`` fills them; ``analysis`` reads them. Conventions of
the counts are in ``surveys.counting``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

POSITIVE = "positive"
NEGATIVE = "negative"
# A comment no one has labelled: its language has no validated method, and no person yet.
UNSCORED = "unscored"


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
    # None: the single filtered area, else the survey's settings' benchmark_area, else "".
    benchmark_area: str | None = None
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
    # A comment: free text scored for sentiment, not an outcome with a distribution.
    is_comment: bool = False


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
    # Per question: notes by (language, who labelled them: person, method or unscored).
    labelled_by: dict[str | None, dict[tuple[str, str], int]] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeInfo:
    """A stored theme of a comment question: its id (as text), staff's name, top terms."""

    key: str
    label: str | None
    terms: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class ThemeCounts:
    """A comment question's themes, and the respondents whose comment is in each.

    ``by_group`` is keyed by dimension, then ``(group, theme key)`` (group ``None``:
    no answer); ``by_channel`` by ``(channel, theme key)``.
    """

    themes: tuple[ThemeInfo, ...]
    by_theme: dict[str, int]
    by_group: dict[str, dict[tuple[str | None, str], int]]
    by_channel: dict[tuple[str, str], int]


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
    # Select-all-that-apply questions with favourable choices: the respondents who chose
    # at least one of them, overall and per group of each dimension (``None``: no answer).
    favourable: dict[str, int] = field(default_factory=dict)
    outcome_favourable: dict[tuple[str, str], dict[str | None, int]] = field(default_factory=dict)
    # Labelled comments of each question by language and by who labelled them: "person"
    # (staff's label, a correction or a confirmation) or "method".
    sentiment_labelled_by: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    # Comment questions with stored themes: their members' respondents by group and channel.
    themes: dict[str, ThemeCounts] = field(default_factory=dict)

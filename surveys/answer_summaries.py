"""What a question type's ``summarize`` returns: counts and descriptive statistics."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveys.definition import PREFER_NOT_TO_ANSWER

if TYPE_CHECKING:
    from surveys.questions import AnswerValue


@dataclass(frozen=True)
class NumberSummary:
    """Descriptive statistics of numeric answers (None when nobody answered)."""

    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    prefer_not: int = 0


@dataclass(frozen=True)
class ChoiceSummary:
    """Counts per choice in choice order; ``answered`` counts prefer-not answers too."""

    answered: int
    counts: dict[str, int]
    prefer_not: int = 0
    # Top-two-box count for Likert and rating questions, else None.
    favourable: int | None = None
    # Rating questions also get descriptive statistics.
    stats: NumberSummary | None = None


@dataclass(frozen=True)
class TextSummary:
    """How many responses reached the question and how many wrote something."""

    n: int
    non_empty: int


@dataclass(frozen=True)
class DateSummary:
    """How many gave a date, and the earliest and latest (ISO strings)."""

    answered: int
    earliest: str | None
    latest: str | None


Summary = ChoiceSummary | NumberSummary | TextSummary | DateSummary


def number_summary(responses: Iterable[Sequence[AnswerValue]]) -> NumberSummary:
    """Return n, mean, median, minimum and maximum of the numeric answers."""
    numbers: list[float] = []
    prefer_not = 0
    for values in responses:
        for value in values:
            if value.number is not None:
                numbers.append(value.number)
            elif value.choice == PREFER_NOT_TO_ANSWER:
                prefer_not += 1
    if not numbers:
        return NumberSummary(0, None, None, None, None, prefer_not)
    return NumberSummary(
        n=len(numbers),
        mean=statistics.fmean(numbers),
        median=statistics.median(numbers),
        minimum=min(numbers),
        maximum=max(numbers),
        prefer_not=prefer_not,
    )

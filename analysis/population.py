"""The survey's population: the benchmark groups a survey can have, and their shares.

A population benchmark (a Census table) describes everyone in the area; a survey
describes its *target population* only (Statistics Canada, Survey Methods and
Practices, catalogue 12-587-X, section 3.1: the target population is the
population the survey is about, defined by its units, geography and reference
period, and estimates are for that population alone). An adults' survey whose
age question starts at 18 cannot have respondents under 18, so comparing its
respondents with an age benchmark that includes children understates every
adult band's population share (and flags them over-represented) and flags
"Under 18" under-represented, though nobody in it was ever asked.

The rule, one definition for representation and weighting: a benchmark group
that is not a group of the survey's dimension (not a choice of its question) is
**not asked**. In a dimension where each respondent has one group (a partition,
like age bands), the groups asked are the survey's population: their shares are
renormalised to add up to 1 over the groups asked (a ``total`` row, if any,
loses the populations left out). In a select-all-that-apply dimension the groups
overlap and do not define who is in the population (a group missing from the
question's list still has people among the respondents), so the groups not asked
are only listed and the population total stays as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from surveys.report_records import DimensionInfo

# A benchmark group holding the population total, for select-all-that-apply
# dimensions whose groups overlap (their populations add up to more than it).
BENCHMARK_TOTAL = "total"
# The kind (and flag) of a representation row for a benchmark group not asked.
NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class SurveyPopulation:
    """One dimension's population as the survey covers it.

    ``groups`` are the populations of the groups asked that have a figure,
    ``total`` the population their shares are of (None without figures), and
    ``not_asked`` the benchmark groups the survey cannot have, with their figures.
    """

    groups: dict[str, int]
    total: int | None
    not_asked: dict[str, int]

    def share(self, group: str) -> float | None:
        """Return a group's share of the survey's population, or None without a figure."""
        population = self.groups.get(group)
        if population is None or not self.total:
            return None
        return population / self.total


def survey_population(benchmark: Mapping[str, int], dimension: DimensionInfo) -> SurveyPopulation:
    """Return the benchmark of ``dimension`` restricted to the groups the survey asks."""
    figures = {group: int(count) for group, count in benchmark.items() if group != BENCHMARK_TOTAL}
    asked = set(dimension.groups)
    groups = {group: count for group, count in figures.items() if group in asked}
    not_asked = {group: count for group, count in figures.items() if group not in asked}
    given_total = benchmark.get(BENCHMARK_TOTAL)
    if dimension.multi_select:
        total = given_total or sum(figures.values())
    elif given_total:
        total = int(given_total) - sum(not_asked.values())
    else:
        total = sum(groups.values())
    return SurveyPopulation(
        groups=groups, total=max(total, 0) if groups else None, not_asked=not_asked
    )

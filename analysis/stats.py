"""Equity statistics on plain counts: proportions, representation and independence.

Everything here takes integers and floats and returns floats, strings or frozen
dataclasses, so the report builder can call it on query results directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# The 97.5th percentile of the standard normal distribution (a 95% interval).
Z_95 = 1.959964

UNDER = "under"
OVER = "over"
WITHIN = "within"
UNKNOWN = "unknown"

CHI_SQUARE = "chi_square"
FISHER_EXACT = "fisher_exact"
FISHER_EXACT_MONTE_CARLO = "fisher_exact_monte_carlo"
NOT_APPLICABLE = "not_applicable"

# How the p-values of one report's many tests are adjusted for multiple comparisons,
# and the adjusted p-value below which groups are said to differ.
BENJAMINI_HOCHBERG = "benjamini_hochberg"
SIGNIFICANCE_LEVEL = 0.05

# Cochran's rule, applied strictly: the chi-square approximation is trusted only
# when every expected count reaches this.
MIN_EXPECTED_COUNT = 5.0

# Fixed so that the same table always gets the same p-value in every report.
MONTE_CARLO_SEED = 20240601
MONTE_CARLO_RESAMPLES = 9999


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion (Newcombe 1998, method 3).

    Without continuity correction. With ``n == 0`` nothing is known, so the
    interval is the whole range ``(0.0, 1.0)``.
    """
    _check_count(successes, n)
    if n == 0:
        return (0.0, 1.0)
    rate = successes / n
    z_squared = z * z
    denominator = 1 + z_squared / n
    centre = rate + z_squared / (2 * n)
    half_width = z * math.sqrt(rate * (1 - rate) / n + z_squared / (4 * n * n))
    # The bounds are exactly 0 and 1 at the extremes; avoid floating-point dust.
    lower = 0.0 if successes == 0 else (centre - half_width) / denominator
    upper = 1.0 if successes == n else (centre + half_width) / denominator
    return (lower, upper)


@dataclass(frozen=True)
class Proportion:
    """A count out of a total, with its rate and Wilson 95% interval."""

    successes: int
    n: int
    rate: float | None
    ci: tuple[float, float]


def proportion(successes: int, n: int, z: float = Z_95) -> Proportion:
    """Return ``successes / n`` with its Wilson interval; the rate is None when n is 0."""
    _check_count(successes, n)
    rate = successes / n if n else None
    return Proportion(successes, n, rate, wilson_interval(successes, n, z))


def disproportionality_index(share: float | None, population_share: float | None) -> float | None:
    """Return a group's share of respondents divided by its share of the population.

    1.0 means the group is represented in proportion; below 1 it is
    under-represented. None when either share is unknown or the population
    share is 0 (the index is undefined).
    """
    if share is None or population_share is None or population_share == 0:
        return None
    if share < 0 or population_share < 0:
        raise ValueError("shares cannot be negative")
    return share / population_share


def rate_ratio(rate: float, reference_rate: float) -> float | None:
    """Return the disparity index ``rate / reference_rate`` (CIHI's rate ratio).

    Both rates must be in the same unit (both proportions, or both per 100);
    the ratio itself has no unit. None when the reference rate is 0.
    """
    _check_rates(rate, reference_rate)
    if reference_rate == 0:
        return None
    return rate / reference_rate


def rate_difference(rate: float, reference_rate: float) -> float:
    """Return ``rate - reference_rate`` (CIHI's rate difference).

    The difference is in the unit of the inputs: 10 and 5 per 100 give 5 (per
    100); 0.10 and 0.05 give 0.05. Pass both rates in the same unit.
    """
    _check_rates(rate, reference_rate)
    return rate - reference_rate


def representation_flag(index: float | None, under: float, over: float) -> str:
    """Return "under", "over" or "within" for a disproportionality index.

    The thresholds are the organisation's own settings, as Ontario's
    Anti-Racism Data Standards ask organisations to set; 0.8 and 1.2 are common.
    An index equal to a threshold counts as within. A missing index (no
    population benchmark) is "unknown".
    """
    if under > over:
        raise ValueError("the under threshold must not exceed the over threshold")
    if index is None:
        return UNKNOWN
    if index < under:
        return UNDER
    if index > over:
        return OVER
    return WITHIN


@dataclass(frozen=True)
class IndependenceTest:
    """The result of testing whether rows and columns of a table are independent.

    ``test`` names the method used (see ``independence_test``). ``statistic``
    and ``dof`` are the Pearson chi-square and its degrees of freedom for
    "chi_square"; Fisher's tests report only a p-value.
    """

    test: str
    statistic: float | None
    p_value: float | None
    dof: int | None


def independence_test(
    table: list[list[int]],
    *,
    min_expected: float = MIN_EXPECTED_COUNT,
    resamples: int = MONTE_CARLO_RESAMPLES,
    seed: int = MONTE_CARLO_SEED,
) -> IndependenceTest:
    """Test a contingency table for independence, choosing the test from its counts.

    Rows and columns that are all zero are dropped first; with fewer than two
    rows or columns left there is nothing to test ("not_applicable").

    - Every expected count >= ``min_expected``: Pearson's chi-square
      ("chi_square"), without Yates' correction, which is known to be
      over-conservative and is not needed when expected counts are this large.
    - Otherwise, 2x2: Fisher's exact test, two-sided ("fisher_exact").
    - Otherwise, larger tables: Fisher's test generalised to r x c (Freeman-Halton)
      with its p-value estimated from ``resamples`` Monte Carlo tables drawn with
      the observed margins ("fisher_exact_monte_carlo"). The seed is fixed so a
      report shows the same p-value every time it is built.

    Sources: Pearson (1900) for the chi-square test of independence, Cochran (1954)
    for the rule on expected counts, Fisher (1935) and Freeman & Halton (1951) for the
    exact tests; Agresti, *An Introduction to Categorical Data Analysis* (2nd ed.,
    2007), sections 2.4 and 2.6, describes all three (its Table 2.5 is a test case).
    """
    from scipy import stats  # here, not at import: a web worker starts without SciPy

    observed = _drop_empty_lines(np.asarray(table, dtype=np.int64))
    if observed.ndim != 2 or min(observed.shape) < 2:
        return IndependenceTest(NOT_APPLICABLE, None, None, None)
    expected = stats.contingency.expected_freq(observed)
    if expected.min() >= min_expected:
        result = stats.chi2_contingency(observed, correction=False)
        return IndependenceTest(
            CHI_SQUARE, float(result.statistic), float(result.pvalue), int(result.dof)
        )
    if observed.shape == (2, 2):
        result = stats.fisher_exact(observed, alternative="two-sided")
        return IndependenceTest(FISHER_EXACT, None, float(result.pvalue), None)
    method = stats.MonteCarloMethod(n_resamples=resamples, rng=np.random.default_rng(seed))
    result = stats.fisher_exact(observed, method=method)
    return IndependenceTest(FISHER_EXACT_MONTE_CARLO, None, float(result.pvalue), None)


def adjust_p_values(p_values: Sequence[float]) -> list[float]:
    """Return Benjamini-Hochberg adjusted p-values, in the order given.

    Benjamini & Hochberg (1995), "Controlling the false discovery rate: a practical
    and powerful approach to multiple testing", JRSS B 57(1):289-300: a result is
    called a difference where its adjusted p-value is below 0.05, which keeps the
    expected share of false differences among those called at 5% (for independent or
    positively dependent tests). Computed by ``scipy.stats.false_discovery_control``.
    A report runs tens of question-by-dimension tests; without this, about one in
    twenty tests of groups that do not differ would still read "differs".
    """
    from scipy import stats

    if not p_values:
        return []
    adjusted = stats.false_discovery_control(np.asarray(p_values, dtype=float), method="bh")
    return [float(value) for value in adjusted]


def _drop_empty_lines(table: np.ndarray) -> np.ndarray:
    """Return the table without rows or columns whose counts are all zero."""
    if table.ndim != 2 or table.size == 0:
        return table
    if (table < 0).any():
        raise ValueError("counts cannot be negative")
    table = table[table.sum(axis=1) > 0]
    return table[:, table.sum(axis=0) > 0]


def _check_count(successes: int, n: int) -> None:
    """Raise ValueError unless ``0 <= successes <= n``."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")


def _check_rates(rate: float, reference_rate: float) -> None:
    """Raise ValueError for a negative rate."""
    if rate < 0 or reference_rate < 0:
        raise ValueError("rates cannot be negative")

"""Survey weights that match respondents to population benchmarks.

Post-stratification weights one dimension (say, age group) so that weighted
shares equal the population's; raking (iterative proportional fitting, Deming
and Stephan 1940) does the same for several dimensions at once, matching each
one's margin in turn until all hold.

Respondents whose group in a dimension has no benchmark (they chose "prefer not
to answer", skipped the question, or gave a group the benchmark does not list)
are left out of that dimension's adjustment: their weight is not changed by it,
and the respondents with a benchmarked group share out exactly the weight they
had before. So they keep weight 1 under post-stratification, and the weights
always add up to the number of respondents (mean weight 1).

Benchmark groups that no respondent belongs to cannot be represented; the
shares of the other groups are rescaled to add to 1 and the empty groups are
reported so a report can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Shares are matched to this absolute difference before raking stops.
TOLERANCE = 1e-10
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class WeightingResult:
    """Weights in respondent order, and how well they match the benchmarks.

    ``max_share_error`` is the largest gap between a weighted share and its
    target share, over every benchmarked dimension and group.
    ``empty_groups`` lists, per dimension, benchmark groups with no
    respondents; ``unbenchmarked_groups`` lists groups respondents gave that the
    benchmark lacks (their respondents were not adjusted on that dimension).
    """

    weights: tuple[float, ...]
    converged: bool
    iterations: int
    max_share_error: float
    empty_groups: dict[str, tuple[str, ...]]
    unbenchmarked_groups: dict[str, tuple[str, ...]]


def post_stratify(
    respondents: Sequence[Mapping[str, str | None]],
    dimension: str,
    population: Mapping[str, float],
) -> WeightingResult:
    """Weight respondents on one dimension so group shares match the population's.

    Each benchmarked respondent in group g gets weight
    ``population share of g * benchmarked respondents / respondents in g``.
    """
    return rake(respondents, {dimension: population})


def rake(
    respondents: Sequence[Mapping[str, str | None]],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> WeightingResult:
    """Weight respondents so every dimension's group shares match its margin (raking).

    ``respondents`` are dicts of ``{dimension: group}``; a missing key or None
    means no answer. ``margins`` are ``{dimension: {group: population}}`` in
    any unit (counts or shares). Stops when every weighted share is within
    ``tolerance`` of its target or after ``max_iterations`` passes; margins
    that cannot all be met (for example, contradictory benchmarks) end with
    ``converged`` False.
    """
    targets = {
        dimension: _target_shares(dimension, population, respondents)
        for dimension, population in margins.items()
    }
    groups = [[respondent.get(dimension) for dimension in targets] for respondent in respondents]
    weights = [1.0] * len(respondents)
    error = _max_share_error(weights, groups, targets)
    iterations = 0
    while error > tolerance and iterations < max_iterations:
        for position, shares in enumerate(targets.values()):
            _match_margin(weights, [row[position] for row in groups], shares)
        iterations += 1
        error = _max_share_error(weights, groups, targets)
    return WeightingResult(
        weights=tuple(weights),
        converged=error <= tolerance,
        iterations=iterations,
        max_share_error=error,
        empty_groups={
            dimension: tuple(
                group
                for group in population
                if group not in {r.get(dimension) for r in respondents}
            )
            for dimension, population in margins.items()
        },
        unbenchmarked_groups={
            dimension: tuple(
                dict.fromkeys(
                    r[dimension]
                    for r in respondents
                    if r.get(dimension) is not None and r[dimension] not in population
                )
            )
            for dimension, population in margins.items()
        },
    )


def weighted_shares(
    weights: Sequence[float],
    respondents: Sequence[Mapping[str, str | None]],
    dimension: str,
    groups: Sequence[str],
) -> dict[str, float]:
    """Return each group's share of the weight among respondents in any of ``groups``."""
    return _shares(weights, [r.get(dimension) for r in respondents], groups)


def _target_shares(
    dimension: str,
    population: Mapping[str, float],
    respondents: Sequence[Mapping[str, str | None]],
) -> dict[str, float]:
    """Return population shares of the groups that have respondents, adding up to 1."""
    if any(count < 0 for count in population.values()):
        raise ValueError(f"negative population in benchmark for {dimension!r}")
    present = {r.get(dimension) for r in respondents}
    reachable = {group: count for group, count in population.items() if group in present}
    whole = sum(reachable.values())
    if reachable and whole == 0:
        raise ValueError(f"no population in benchmark for {dimension!r}")
    return {group: count / whole for group, count in reachable.items()}


def _weight_by_group(
    weights: Sequence[float], groups: Sequence[str | None], wanted: Iterable[str]
) -> dict[str, float]:
    """Return the total weight of each wanted group; other groups are ignored."""
    totals = dict.fromkeys(wanted, 0.0)
    for weight, group in zip(weights, groups, strict=True):
        if group in totals:
            totals[group] += weight
    return totals


def _shares(
    weights: Sequence[float], groups: Sequence[str | None], wanted: Iterable[str]
) -> dict[str, float]:
    """Return each wanted group's share of the weight held by all wanted groups."""
    totals = _weight_by_group(weights, groups, wanted)
    whole = sum(totals.values())
    return {group: (total / whole if whole else 0.0) for group, total in totals.items()}


def _match_margin(
    weights: list[float], groups: Sequence[str | None], shares: Mapping[str, float]
) -> None:
    """Scale weights in place so one dimension's shares match, keeping its total weight."""
    totals = _weight_by_group(weights, groups, shares)
    whole = sum(totals.values())
    for index, group in enumerate(groups):
        if group in totals and totals[group] > 0:
            weights[index] *= shares[group] * whole / totals[group]


def _max_share_error(
    weights: Sequence[float],
    groups: Sequence[Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
) -> float:
    """Return the largest gap between a weighted share and its target."""
    error = 0.0
    for position, shares in enumerate(targets.values()):
        actual = _shares(weights, [row[position] for row in groups], shares)
        for group, share in shares.items():
            error = max(error, abs(actual[group] - share))
    return error

"""Survey weights that match respondents to population benchmarks.

Raking (iterative proportional fitting, Deming and Stephan 1940) scales the
weights so that each dimension's weighted group shares match its benchmark
margin, one dimension after another, until all hold; post-stratification is
raking on one dimension.

Respondents are raked as counts per combination of groups (``rake_cells``), so
that 200,000 respondents in a few hundred combinations rake in milliseconds;
respondents in one combination always share a weight. ``rake`` gives the same
weights to respondents listed one by one.

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

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Shares are matched to this absolute difference before raking stops.
TOLERANCE = 1e-10
MAX_ITERATIONS = 1000

Cell = tuple[str | None, ...]


@dataclass(frozen=True)
class CellWeights:
    """Raking weights per combination of groups (one weight per respondent in it).

    ``max_share_error`` is the largest gap between a weighted share and its
    target share, over every benchmarked dimension and group.
    ``empty_groups`` lists, per dimension, benchmark groups with no
    respondents; ``unbenchmarked_groups`` lists groups respondents gave that the
    benchmark lacks (their respondents were not adjusted on that dimension).
    """

    weights: dict[Cell, float]
    converged: bool
    iterations: int
    max_share_error: float
    empty_groups: dict[str, tuple[str, ...]]
    unbenchmarked_groups: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class WeightingResult:
    """Weights in respondent order, and how well they match the benchmarks (as ``CellWeights``)."""

    weights: tuple[float, ...]
    converged: bool
    iterations: int
    max_share_error: float
    empty_groups: dict[str, tuple[str, ...]]
    unbenchmarked_groups: dict[str, tuple[str, ...]]


def rake_cells(
    cells: Mapping[Cell, int],
    dimensions: Sequence[str],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> CellWeights:
    """Rake respondents given as counts per combination of groups (Deming and Stephan 1940).

    ``cells`` maps a tuple of groups, one per dimension in ``dimensions``
    order (None is no answer), to its number of respondents. ``margins`` are
    ``{dimension: {group: population}}`` in any unit (counts or shares). Stops
    when every weighted share is within ``tolerance`` of its target or after
    ``max_iterations`` passes; margins that cannot all be met (for example,
    contradictory benchmarks) end with ``converged`` False.
    """
    keys = [key for key, count in cells.items() if count > 0]
    targets = [
        _target_shares(dimension, margins[dimension], {key[position] for key in keys})
        for position, dimension in enumerate(dimensions)
    ]
    weights = dict.fromkeys(keys, 1.0)
    error = _max_share_error(weights, cells, targets)
    iterations = 0
    while error > tolerance and iterations < max_iterations:
        for position, shares in enumerate(targets):
            _match_margin(weights, cells, position, shares)
        iterations += 1
        error = _max_share_error(weights, cells, targets)
    return CellWeights(
        weights=weights,
        converged=error <= tolerance,
        iterations=iterations,
        max_share_error=error,
        empty_groups={
            dimension: tuple(g for g in margins[dimension] if g not in {key[p] for key in keys})
            for p, dimension in enumerate(dimensions)
        },
        unbenchmarked_groups={
            dimension: tuple(
                dict.fromkeys(
                    key[p]
                    for key in keys
                    if key[p] is not None and key[p] not in margins[dimension]
                )
            )
            for p, dimension in enumerate(dimensions)
        },
    )


def rake(
    respondents: Sequence[Mapping[str, str | None]],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> WeightingResult:
    """Rake respondents listed one by one: ``rake_cells`` on their combinations of groups.

    ``respondents`` are dicts of ``{dimension: group}``; a missing key or None
    means no answer.
    """
    dimensions = list(margins)
    keys = [tuple(r.get(dimension) for dimension in dimensions) for r in respondents]
    raked = rake_cells(
        Counter(keys), dimensions, margins, tolerance=tolerance, max_iterations=max_iterations
    )
    return WeightingResult(
        weights=tuple(raked.weights[key] for key in keys),
        converged=raked.converged,
        iterations=raked.iterations,
        max_share_error=raked.max_share_error,
        empty_groups=raked.empty_groups,
        unbenchmarked_groups=raked.unbenchmarked_groups,
    )


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


def weighted_shares(
    weights: Sequence[float],
    respondents: Sequence[Mapping[str, str | None]],
    dimension: str,
    groups: Sequence[str],
) -> dict[str, float]:
    """Return each group's share of the weight among respondents in any of ``groups``."""
    totals = dict.fromkeys(groups, 0.0)
    for weight, respondent in zip(weights, respondents, strict=True):
        if respondent.get(dimension) in totals:
            totals[respondent[dimension]] += weight
    return _shares(totals)


def _target_shares(
    dimension: str, population: Mapping[str, float], present: Iterable[str | None]
) -> dict[str, float]:
    """Return population shares of the groups that have respondents, adding up to 1."""
    if any(count < 0 for count in population.values()):
        raise ValueError(f"negative population in benchmark for {dimension!r}")
    present = set(present)
    reachable = {group: count for group, count in population.items() if group in present}
    whole = sum(reachable.values())
    if reachable and whole == 0:
        raise ValueError(f"no population in benchmark for {dimension!r}")
    return {group: count / whole for group, count in reachable.items()}


def _weight_by_group(
    weights: Mapping[Cell, float],
    cells: Mapping[Cell, int],
    position: int,
    wanted: Iterable[str],
) -> dict[str, float]:
    """Return the total weight of each wanted group of one dimension; others are ignored."""
    totals = dict.fromkeys(wanted, 0.0)
    for key, weight in weights.items():
        if key[position] in totals:
            totals[key[position]] += weight * cells[key]
    return totals


def _shares(totals: Mapping[str, float]) -> dict[str, float]:
    """Return each group's share of the weight held by all the groups."""
    whole = sum(totals.values())
    return {group: (total / whole if whole else 0.0) for group, total in totals.items()}


def _match_margin(
    weights: dict[Cell, float],
    cells: Mapping[Cell, int],
    position: int,
    shares: Mapping[str, float],
) -> None:
    """Scale weights in place so one dimension's shares match, keeping its total weight."""
    totals = _weight_by_group(weights, cells, position, shares)
    whole = sum(totals.values())
    for key in weights:
        group = key[position]
        if group in totals and totals[group] > 0:
            weights[key] *= shares[group] * whole / totals[group]


def _max_share_error(
    weights: Mapping[Cell, float],
    cells: Mapping[Cell, int],
    targets: Sequence[Mapping[str, float]],
) -> float:
    """Return the largest gap between a weighted share and its target."""
    error = 0.0
    for position, shares in enumerate(targets):
        actual = _shares(_weight_by_group(weights, cells, position, shares))
        for group, share in shares.items():
            error = max(error, abs(actual[group] - share))
    return error

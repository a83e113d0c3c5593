"""Small-cell suppression of published counts, after Statistics Canada and CIHI practice.

MFIPPA forbids publishing results from which a person, or a group small enough
to point to a person, can be identified. Before any count reaches a report:

1. Primary suppression: every count from 1 to ``min_cell - 1`` is withheld,
   totals included. Zeros are shown, as Statistics Canada and CIHI show them: a
   zero describes nobody.
2. Complementary suppression: further counts are withheld until no withheld
   count can be worked out from the ones shown by adding and subtracting rows,
   columns and totals.

Complements are chosen smallest first, to hide as little as possible, with
ties broken by the order of the keys, so the same table always comes out the
same. Zeros are taken as complements only when nothing else is left: a
withheld zero beside a small count adds up to the small count itself, and
since no count is negative, withheld zeros can pin other values exactly.

What stays possible is narrowing: two withheld counts in a row of known total
are each known to be at most their sum. That is the accepted cost of the
method; the cells stay unidentifiable, not unbounded.

Limits: the totals shown must be the ones returned here (sums of the cells),
and each table is protected on its own. Publishing the same groups in several
tables that share cells can still leak; the report builder should not publish
overlapping cross-tabulations of small groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Statistics Canada's common threshold for survey counts; CIHI uses 5.
MIN_CELL = 10

# Stands for the total among the counts of a one-way table, so that a group
# called "total" cannot collide with it.
_TOTAL = object()

# A place in the grid of a two-way table with its margins: (row, column).
Position = tuple[int, int]
# A grid row ("row", i) or grid column ("column", j).
Node = tuple[str, int]


@dataclass(frozen=True)
class SuppressedCounts:
    """A one-way table of counts with its total; None marks a withheld value."""

    counts: dict[str, int | None]
    total: int | None


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table with its margins; None marks a withheld value.

    ``cells`` is keyed by ``(row, column)`` and holds every combination of the
    rows and columns, in order.
    """

    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    grand_total: int | None


def is_small(count: int, min_cell: int = MIN_CELL) -> bool:
    """Return whether a count must be withheld on its own (1 to ``min_cell - 1``)."""
    return 0 < count < min_cell


def suppress_counts(counts: Mapping[str, int], min_cell: int = MIN_CELL) -> SuppressedCounts:
    """Withhold small counts in a one-way table published with its total.

    The total is the sum of the counts. If exactly one value (count or total)
    is withheld, it could be recovered from the others, so the next smallest
    count is withheld as well.
    """
    _check_min_cell(min_cell)
    _check_counts(counts.values())
    total = sum(counts.values())
    # The total is one more entry of the single relation "counts add up to total".
    entries = [(label, value, False) for label, value in counts.items()]
    entries.append((_TOTAL, total, True))
    withheld = {label for label, value, _ in entries if is_small(value, min_cell)}
    if len(withheld) == 1:
        candidates = [
            (_complement_rank(value, is_total, position), label)
            for position, (label, value, is_total) in enumerate(entries)
            if label not in withheld
        ]
        withheld.add(min(candidates)[1])
    return SuppressedCounts(
        counts={label: None if label in withheld else value for label, value in counts.items()},
        total=None if _TOTAL in withheld else total,
    )


def suppress_table(
    table: Mapping[tuple[str, str], int],
    min_cell: int = MIN_CELL,
    *,
    rows: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
) -> SuppressedTable:
    """Withhold small counts in a two-way table published with row, column and grand totals.

    ``table`` maps ``(row, column)`` to a count; missing combinations count as
    0. ``rows`` and ``columns`` fix the order and may list groups with no
    counts; by default they are taken from the keys in order of appearance.

    The table and its margins form an (R+1) x (C+1) grid in which every row
    and every column adds up to its margin. Withheld values are unknowns in
    those equations, which can be drawn as a graph: one node per grid row and
    grid column, one edge per withheld value. A withheld value can be solved
    for exactly when its edge lies on no cycle. So, after primary suppression,
    repeat until neither applies:

    1. A grid row or column with exactly one withheld value: withhold its
       smallest other value.
    2. A withheld value that lies on no cycle: withhold the smallest value
       that joins the two parts of the graph its removal would separate,
       closing a cycle through it.

    Rule 1 alone is the usual "two per row and column" rule; rule 2 catches
    the values it misses, which could be solved by combining several rows and
    columns.
    """
    _check_min_cell(min_cell)
    _check_counts(table.values())
    row_labels = _labels(rows, [row for row, _ in table], "row")
    column_labels = _labels(columns, [column for _, column in table], "column")
    grid = _grid_with_margins(table, row_labels, column_labels)
    withheld = {position for position, value in grid.items() if is_small(value, min_cell)}
    while True:
        complement = _complement_for_lone_value(grid, withheld)
        if complement is None:
            complement = _complement_for_solvable_value(grid, withheld)
        if complement is None:
            break
        withheld.add(complement)

    def shown(position: tuple[int, int]) -> int | None:
        return None if position in withheld else grid[position]

    total_row, total_column = len(row_labels), len(column_labels)
    return SuppressedTable(
        cells={
            (row, column): shown((i, j))
            for i, row in enumerate(row_labels)
            for j, column in enumerate(column_labels)
        },
        row_totals={row: shown((i, total_column)) for i, row in enumerate(row_labels)},
        column_totals={column: shown((total_row, j)) for j, column in enumerate(column_labels)},
        grand_total=shown((total_row, total_column)),
    )


def _complement_rank(value: int, is_total: bool, position: object) -> tuple:
    """Order complement candidates: non-zero first, then smallest, cells before totals."""
    return (value == 0, value, is_total, position)


def _grid_with_margins(
    table: Mapping[tuple[str, str], int],
    row_labels: list[str],
    column_labels: list[str],
) -> dict[Position, int]:
    """Return the table as a grid whose last row and last column hold the totals."""
    total_row, total_column = len(row_labels), len(column_labels)
    grid: dict[Position, int] = {}
    for i, row in enumerate(row_labels):
        for j, column in enumerate(column_labels):
            grid[i, j] = table.get((row, column), 0)
    for i in range(total_row):
        grid[i, total_column] = sum(grid[i, j] for j in range(total_column))
    for j in range(total_column + 1):
        grid[total_row, j] = sum(grid[i, j] for i in range(total_row))
    return grid


def _lines(grid: Mapping[Position, int]) -> list[list[Position]]:
    """Return every grid row, then every grid column, as lists of positions."""
    positions = sorted(grid)
    row_count = 1 + max(i for i, _ in positions)
    column_count = 1 + max(j for _, j in positions)
    by_row = [[(i, j) for j in range(column_count)] for i in range(row_count)]
    by_column = [[(i, j) for i in range(row_count)] for j in range(column_count)]
    return by_row + by_column


def _cheapest(grid: Mapping[Position, int], candidates: list[Position]) -> Position:
    """Return the candidate to withhold: the smallest, ties by position."""
    last_row = max(i for i, _ in grid)
    last_column = max(j for _, j in grid)

    def rank(position: Position) -> tuple:
        i, j = position
        is_total = i == last_row or j == last_column
        return _complement_rank(grid[position], is_total, position)

    return min(candidates, key=rank)


def _complement_for_lone_value(
    grid: Mapping[Position, int], withheld: set[Position]
) -> Position | None:
    """Return a value to withhold beside one left alone in its grid row or column."""
    for line in _lines(grid):
        if sum(position in withheld for position in line) == 1:
            return _cheapest(grid, [p for p in line if p not in withheld])
    return None


def _complement_for_solvable_value(
    grid: Mapping[Position, int], withheld: set[Position]
) -> Position | None:
    """Return a value to withhold that closes a cycle through a solvable withheld value."""
    for edge in sorted(withheld):
        others = withheld - {edge}
        row_side = _reachable(("row", edge[0]), others)
        if ("column", edge[1]) in row_side:
            continue
        column_side = _reachable(("column", edge[1]), others)
        joining = [
            (i, j)
            for i, j in grid
            if (i, j) not in withheld
            and (
                (("row", i) in row_side and ("column", j) in column_side)
                or (("row", i) in column_side and ("column", j) in row_side)
            )
        ]
        return _cheapest(grid, joining)
    return None


def _reachable(start: Node, edges: set[Position]) -> set[Node]:
    """Return the nodes connected to ``start`` through withheld values."""
    seen = {start}
    frontier = [start]
    while frontier:
        kind, index = frontier.pop()
        for i, j in edges:
            if kind == "row" and i == index:
                neighbour = ("column", j)
            elif kind == "column" and j == index:
                neighbour = ("row", i)
            else:
                continue
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def _labels(given: Sequence[str] | None, seen: list[str], kind: str) -> list[str]:
    """Return the row or column labels: the given order, or order of appearance."""
    in_order = list(dict.fromkeys(seen))
    if given is None:
        return in_order
    unknown = set(in_order) - set(given)
    if unknown:
        raise ValueError(f"{kind} labels not listed: {sorted(unknown)}")
    return list(dict.fromkeys(given))


def _check_counts(values) -> None:
    """Raise ValueError for a negative count."""
    if any(value < 0 for value in values):
        raise ValueError("counts cannot be negative")


def _check_min_cell(min_cell: int) -> None:
    """Raise ValueError for a threshold below 1."""
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")

"""Counts with complementary suppression, for tables of counts of a small, complete population.

This is the ``counts`` disclosure policy (``analysis.disclosure``): the default
for group-session tallies, and the policy a survey may choose when its
respondents are a whole small population (all the staff of a department, every
member of a committee). MFIPPA forbids publishing results from which a person,
or a group small enough to point to a person, can be identified. Before any
count reaches a report:

1. Primary suppression: every count from 1 to ``min_cell - 1`` is withheld,
   totals included. Zeros are shown, as Statistics Canada and CIHI show them: a
   zero describes nobody.
2. Complementary suppression: the fewest further counts are withheld so that
   no withheld count can be worked out from the ones shown, by any combination
   of rows, columns and totals and the knowledge that no count is negative
   (``analysis.disclosure_complements``: a mixed-integer programme checked by
   the linear-programming attacker of Hundepool et al., *Statistical Disclosure
   Control*, Wiley 2012, ch. 4). Totals are withheld only when no choice of
   cells can do it; in a report, totals and counts another table shows are
   never withheld (``analysis.linked_suppression``).

Ties are broken by the smallest count, zeros last, then the order of the keys,
so the same table always comes out the same. What stays possible is
narrowing: two withheld counts in a row of known total are each known to be at
most their sum. That is the accepted cost of the method; the cells stay
unidentifiable, not unbounded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from analysis.disclosure_complements import protect

# Statistics Canada's common threshold for survey counts; CIHI uses 5.
MIN_CELL = 10

# A place in the grid of a two-way table with its margins: (row, column).
Position = tuple[int, int]


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
    is withheld, it could be recovered from the others, so the smallest other
    count is withheld as well (zeros last, ties by key order); the total is
    never a complement.
    """
    _check_min_cell(min_cell)
    _check_counts(counts.values())
    labels = list(counts)
    values = [counts[label] for label in labels]
    values.append(sum(values))
    total = len(labels)
    primary = {i for i, value in enumerate(values) if is_small(value, min_cell)}
    # As a flow network: each count from a source to a sink, the total back.
    arcs = [("source", "sink")] * total + [("sink", "source")]
    hidden = protect(values, [(range(total), total)], primary, fixed=[total], arcs=arcs)
    return SuppressedCounts(
        counts={label: None if i in hidden else values[i] for i, label in enumerate(labels)},
        total=None if total in hidden else values[total],
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
    and every column adds up to its margin. After primary suppression, the
    fewest further values are withheld so that no withheld value can be worked
    out from the rest, whatever combination of rows and columns an attacker
    uses (``analysis.disclosure_complements``); totals only when no choice of
    cells alone can do it.
    """
    _check_min_cell(min_cell)
    _check_counts(table.values())
    row_labels = _labels(rows, [row for row, _ in table], "row")
    column_labels = _labels(columns, [column for _, column in table], "column")
    grid = Grid(_grid_with_margins(table, row_labels, column_labels))
    primary = {position for position, value in grid.values.items() if is_small(value, min_cell)}
    return grid.shown(grid.protect(primary), row_labels, column_labels)


class Grid:
    """A two-way table with its margins as values and relations for the optimiser."""

    def __init__(self, values: Mapping[Position, int]) -> None:
        self.values = dict(values)
        self.positions = sorted(self.values)
        self.index = {position: n for n, position in enumerate(self.positions)}
        self.last_row = max(i for i, _ in self.positions)
        self.last_column = max(j for _, j in self.positions)
        self.arcs = [self._arc(position) for position in self.positions]
        self.relations = [
            (
                [self.index[i, j] for j in range(self.last_column)],
                self.index[i, self.last_column],
            )
            for i in range(self.last_row + 1)
        ] + [
            ([self.index[i, j] for i in range(self.last_row)], self.index[self.last_row, j])
            for j in range(self.last_column + 1)
        ]

    def _arc(self, position: Position) -> tuple:
        """Return a position as an arc of the table's flow network (``protect``).

        A cell runs from its row to its column, a row total from the source to
        the row, a column total from the column to the sink, and the grand total
        from the sink back to the source: the table's sums are flow conservation.
        """
        i, j = position
        if i == self.last_row and j == self.last_column:
            return ("sink", "source")
        if j == self.last_column:
            return ("source", ("row", i))
        if i == self.last_row:
            return (("column", j), "sink")
        return (("row", i), ("column", j))

    def is_total(self, position: Position) -> bool:
        """Return whether a position holds a row, column or grand total."""
        return position[0] == self.last_row or position[1] == self.last_column

    def protect(self, withheld: set[Position], fixed: Collection[Position] = ()) -> set[Position]:
        """Return ``withheld`` with the fewest complements; ``fixed`` positions stay shown."""
        values = [self.values[position] for position in self.positions]
        hidden = protect(
            values,
            self.relations,
            {self.index[p] for p in withheld},
            fixed={self.index[p] for p in fixed},
            totals={self.index[p] for p in self.positions if self.is_total(p)},
            arcs=self.arcs,
        )
        return {self.positions[n] for n in hidden}

    def shown(
        self, hidden: set[Position], row_labels: Sequence[str], column_labels: Sequence[str]
    ) -> SuppressedTable:
        """Return the table with withheld values as None."""

        def value(position: Position) -> int | None:
            return None if position in hidden else self.values[position]

        total_row, total_column = self.last_row, self.last_column
        return SuppressedTable(
            cells={
                (row, column): value((i, j))
                for i, row in enumerate(row_labels)
                for j, column in enumerate(column_labels)
            },
            row_totals={row: value((i, total_column)) for i, row in enumerate(row_labels)},
            column_totals={column: value((total_row, j)) for j, column in enumerate(column_labels)},
            grand_total=value((total_row, total_column)),
        )


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

"""Counts with complementary suppression across tables that publish the same totals.

``analysis.suppression`` protects each table on its own. A report publishes
many tables that share numbers: the respondents per group of a dimension are
the row totals of every outcome table for that dimension, and a question's
overall distribution is the column totals of its table for every dimension.
So shared totals are declared as *margins*, and suppression runs in two steps:

1. Each margin (a one-way table with its total) is protected on its own:
   counts from 1 to ``min_cell - 1`` are withheld, with the fewest complements
   (never its total). Margins sharing a total (``total_key``) show it together
   or not at all.
2. Each two-way table is protected with its margins as they were published:
   a count the margin shows stays shown (a count shown anywhere is never
   withheld elsewhere), one it withholds stays withheld and must stay
   protected here too, and the fewest interior cells are withheld as
   complements (``analysis.disclosure_complements``).

A table's own totals that no margin publishes are treated as published, which
only ever withholds more. Unlinked tables come out exactly as
``suppress_counts`` and ``suppress_table`` return them.

Limit: each table is checked against an attacker who knows it and its margins.
A withheld margin count shared by several tables is protected in each of them;
the tables' interiors share no cells, so combining them adds only the margin
relations each table already includes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from analysis.suppression import (
    MIN_CELL,
    Grid,
    SuppressedCounts,
    SuppressedTable,
    _check_counts,
    _check_min_cell,
    _grid_with_margins,
    _labels,
    is_small,
    suppress_counts,
)


@dataclass(frozen=True)
class Margin:
    """A one-way table published with its total.

    Margins with the same ``total_key`` share one total (for example, every
    dimension's respondents add up to the survey's respondents): it is shown
    in all of them or in none. A margin whose counts overlap (a
    select-all-that-apply question) has no meaningful total: with
    ``total_published`` False its sum is never shown, so no count can be
    worked out from it and a lone withheld count needs no complement.
    """

    counts: Mapping[str, int]
    total_key: Hashable | None = None
    total_published: bool = True


@dataclass(frozen=True)
class LinkedTable:
    """A two-way table whose row and/or column totals are published as margins.

    ``row_margin`` names the margin whose counts are this table's row totals
    (in the same labels); ``column_margin`` likewise for column totals. A
    table whose rows add up to something not published elsewhere (counts of a
    select-all-that-apply question) has no margin on that side: its totals
    are then treated as published, which only ever withholds more.
    """

    cells: Mapping[tuple[str, str], int]
    rows: Sequence[str]
    columns: Sequence[str]
    row_margin: Hashable | None = None
    column_margin: Hashable | None = None


def suppress_linked(
    margins: Mapping[Hashable, Margin],
    tables: Mapping[Hashable, LinkedTable],
    min_cell: int = MIN_CELL,
) -> tuple[dict[Hashable, SuppressedCounts], dict[Hashable, SuppressedTable]]:
    """Suppress every margin, then every table with its margins as shown.

    Raises ValueError when a table's totals do not match the margin it names:
    the tables would then not be the ones published.
    """
    _check_min_cell(min_cell)
    for margin in margins.values():
        _check_counts(margin.counts.values())
    grids = {key: _TableGrid(table, margins) for key, table in tables.items()}
    hidden_totals = {
        margin.total_key
        for margin in margins.values()
        if margin.total_key is not None
        and margin.total_published
        and is_small(sum(margin.counts.values()), min_cell)
    }
    shown_margins = {
        key: _suppress_margin(margin, min_cell, margin.total_key in hidden_totals)
        for key, margin in margins.items()
    }
    return shown_margins, {
        key: grid.suppress(min_cell, shown_margins) for key, grid in grids.items()
    }


def _suppress_margin(margin: Margin, min_cell: int, total_hidden: bool) -> SuppressedCounts:
    """Return one margin as published: the one-way rule, or lone small counts if it has no total."""
    if margin.total_published:
        shown = suppress_counts(margin.counts, min_cell)
        if total_hidden and shown.total is not None:
            # A total shared with margins that withhold it (it is small): withhold it here too.
            return SuppressedCounts(
                {label: None if value else value for label, value in margin.counts.items()}, None
            )
        return shown
    return SuppressedCounts(
        counts={
            label: None if is_small(value, min_cell) else value
            for label, value in margin.counts.items()
        },
        total=None,
    )


class _TableGrid:
    """A two-way table as the (R+1) x (C+1) grid of ``analysis.suppression``."""

    def __init__(self, table: LinkedTable, margins: Mapping[Hashable, Margin]) -> None:
        _check_counts(table.cells.values())
        self.rows = _labels(table.rows, [row for row, _ in table.cells], "row")
        self.columns = _labels(table.columns, [column for _, column in table.cells], "column")
        self.grid = Grid(_grid_with_margins(table.cells, self.rows, self.columns))
        self.row_margin = table.row_margin
        self.column_margin = table.column_margin
        self.total_row, self.total_column = len(self.rows), len(self.columns)
        self.publishes_total = {
            key: margins[key].total_published
            for key in (self.row_margin, self.column_margin)
            if key is not None
        }
        if self.row_margin is not None:
            self._check_margin(margins[self.row_margin], self.rows, self._row_total)
        if self.column_margin is not None:
            self._check_margin(margins[self.column_margin], self.columns, self._column_total)

    def _row_total(self, i: int) -> tuple[int, int]:
        return (i, self.total_column)

    def _column_total(self, j: int) -> tuple[int, int]:
        return (self.total_row, j)

    def _check_margin(self, margin: Margin, labels: list[str], position) -> None:
        """Raise ValueError unless the table's totals are the margin's counts."""
        values = self.grid.values
        totals = {label: values[position(index)] for index, label in enumerate(labels)}
        expected = {label: margin.counts.get(label, 0) for label in labels}
        extra = {label: value for label, value in margin.counts.items() if label not in totals}
        if totals != expected or any(extra.values()):
            raise ValueError("a table's totals differ from the margin it is linked to")

    def _as_published(self, shown_margins: Mapping[Hashable, SuppressedCounts]) -> tuple[set, set]:
        """Return the positions the margins withhold, and those they show."""
        hidden, shown = set(), set()
        grand = (self.total_row, self.total_column)
        for margin, labels, position in (
            (self.row_margin, self.rows, self._row_total),
            (self.column_margin, self.columns, self._column_total),
        ):
            if margin is None:
                continue
            published = shown_margins[margin]
            for index, label in enumerate(labels):
                (hidden if published.counts[label] is None else shown).add(position(index))
            if published.total is not None:
                shown.add(grand)
            elif self.publishes_total[margin]:
                hidden.add(grand)
        return hidden, shown - hidden

    def suppress(
        self, min_cell: int, shown_margins: Mapping[Hashable, SuppressedCounts]
    ) -> SuppressedTable:
        """Return the table protected with its margins as published."""
        forced, fixed = self._as_published(shown_margins)
        primary = {
            position
            for position, value in self.grid.values.items()
            if is_small(value, min_cell) and position not in fixed
        }
        hidden = self.grid.protect(primary | forced, fixed)
        return self.grid.shown(hidden, self.rows, self.columns)

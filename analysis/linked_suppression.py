"""Small-cell suppression across tables that publish the same totals.

``analysis.suppression`` protects each table on its own. A report publishes
many tables that share numbers: the respondents per group of a dimension are
the row totals of every outcome table for that dimension, and a question's
overall distribution is the column totals of its table for every dimension.
If one table withholds such a total and another shows it, the first table's
protection is undone. So shared totals are declared as *margins*: a margin's
value is withheld in every table that shows it as soon as any table withholds
it, and every table is re-protected with those values withheld, until nothing
changes. Values are only ever added to the withheld set, so this ends.

The rules applied inside each table are the ones of ``analysis.suppression``
(primary suppression of counts from 1 to ``min_cell - 1``, zeros shown, then
complements smallest first); unlinked tables come out exactly as
``suppress_counts`` and ``suppress_table`` would return them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# Private helpers of the single-table rules: reused, not copied, so that both
# modules always apply the same rules.
from analysis.suppression import (
    MIN_CELL,
    SuppressedCounts,
    SuppressedTable,
    _check_counts,
    _check_min_cell,
    _complement_for_lone_value,
    _complement_for_solvable_value,
    _complement_rank,
    _grid_with_margins,
    _labels,
    is_small,
)

# Stands for a margin's total in its set of withheld labels.
TOTAL = object()


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
    """Suppress every margin and table so that no withheld value can be recovered.

    Raises ValueError when a table's totals do not match the margin it names:
    the tables would then not be the ones published.
    """
    _check_min_cell(min_cell)
    for margin in margins.values():
        _check_counts(margin.counts.values())
    grids = {key: _TableGrid(table, margins) for key, table in tables.items()}
    withheld: dict[Hashable, set] = {
        key: {label for label, value in margin.counts.items() if is_small(value, min_cell)}
        | (
            {TOTAL}
            if margin.total_published and is_small(sum(margin.counts.values()), min_cell)
            else set()
        )
        for key, margin in margins.items()
    }
    table_withheld: dict[Hashable, set] = {}
    while True:
        # Tables first: their complements often protect a margin's lone value
        # already, where the margin's own cheapest complement might cascade.
        changed = _share_totals(margins, withheld)
        for key, grid in grids.items():
            table_withheld[key] = grid.protect(min_cell, withheld)
            changed |= grid.publish_to_margins(table_withheld[key], withheld, margins)
        for key, margin in margins.items():
            changed |= _protect_margin(margin, withheld[key])
        if not changed:
            break
    return (
        {key: _shown_counts(margin, withheld[key]) for key, margin in margins.items()},
        {key: grid.shown(table_withheld[key]) for key, grid in grids.items()},
    )


def _share_totals(margins: Mapping[Hashable, Margin], withheld: dict[Hashable, set]) -> bool:
    """Withhold a shared total in every margin as soon as one margin withholds it."""
    hidden_keys = {
        margin.total_key
        for key, margin in margins.items()
        if margin.total_key is not None and TOTAL in withheld[key]
    }
    changed = False
    for key, margin in margins.items():
        if margin.total_key in hidden_keys and TOTAL not in withheld[key]:
            withheld[key].add(TOTAL)
            changed = True
    return changed


def _protect_margin(margin: Margin, withheld: set) -> bool:
    """Apply the one-way rule: never exactly one withheld value among counts and total."""
    if not margin.total_published:
        return False
    changed = False
    entries = [(label, value, False) for label, value in margin.counts.items()]
    entries.append((TOTAL, sum(margin.counts.values()), True))
    while sum(label in withheld for label, _, _ in entries) == 1:
        candidates = [
            (_complement_rank(value, is_total, position), position, label)
            for position, (label, value, is_total) in enumerate(entries)
            if label not in withheld
        ]
        if not candidates:
            break
        withheld.add(min(candidates)[2])
        changed = True
    return changed


def _shown_counts(margin: Margin, withheld: set) -> SuppressedCounts:
    """Return a margin with its withheld values as None (and no total if it has none)."""
    total = sum(margin.counts.values()) if margin.total_published else None
    return SuppressedCounts(
        counts={
            label: None if label in withheld else value for label, value in margin.counts.items()
        },
        total=None if TOTAL in withheld else total,
    )


class _TableGrid:
    """A two-way table as the (R+1) x (C+1) grid of ``analysis.suppression``."""

    def __init__(self, table: LinkedTable, margins: Mapping[Hashable, Margin]) -> None:
        _check_counts(table.cells.values())
        self.rows = _labels(table.rows, [row for row, _ in table.cells], "row")
        self.columns = _labels(table.columns, [column for _, column in table.cells], "column")
        self.grid = _grid_with_margins(table.cells, self.rows, self.columns)
        self.row_margin = table.row_margin
        self.column_margin = table.column_margin
        self.total_row, self.total_column = len(self.rows), len(self.columns)
        self._last: tuple[frozenset, frozenset] | None = None
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
        totals = {label: self.grid[position(index)] for index, label in enumerate(labels)}
        expected = {label: margin.counts.get(label, 0) for label in labels}
        extra = {label: value for label, value in margin.counts.items() if label not in totals}
        if totals != expected or any(extra.values()):
            raise ValueError("a table's totals differ from the margin it is linked to")

    def _forced(self, withheld: Mapping[Hashable, set]) -> set[tuple[int, int]]:
        """Return the grid positions withheld because their margin withholds them."""
        forced = set()
        for margin, labels, position in (
            (self.row_margin, self.rows, self._row_total),
            (self.column_margin, self.columns, self._column_total),
        ):
            if margin is None:
                continue
            hidden = withheld[margin]
            forced |= {position(index) for index, label in enumerate(labels) if label in hidden}
            if TOTAL in hidden:
                forced.add((self.total_row, self.total_column))
        return forced

    def protect(self, min_cell: int, withheld: Mapping[Hashable, set]) -> set[tuple[int, int]]:
        """Return the positions to withhold: small values, forced ones, then complements."""
        forced = frozenset(self._forced(withheld))
        if self._last is not None and self._last[0] == forced:
            return set(self._last[1])  # nothing new forced since the last pass
        hidden = {position for position, value in self.grid.items() if is_small(value, min_cell)}
        hidden |= forced
        while True:
            complement = _complement_for_lone_value(self.grid, hidden)
            if complement is None:
                complement = _complement_for_solvable_value(self.grid, hidden)
            if complement is None:
                break
            hidden.add(complement)
        self._last = (forced, frozenset(hidden))
        return hidden

    def publish_to_margins(
        self, hidden: set, withheld: dict[Hashable, set], margins: Mapping[Hashable, Margin]
    ) -> bool:
        """Withhold in the linked margins the totals this table withholds; say if any was new."""
        changed = False
        grand = (self.total_row, self.total_column) in hidden
        for margin, labels, position in (
            (self.row_margin, self.rows, self._row_total),
            (self.column_margin, self.columns, self._column_total),
        ):
            if margin is None:
                continue
            new = {label for index, label in enumerate(labels) if position(index) in hidden}
            if grand and margins[margin].total_published:
                new.add(TOTAL)
            if not new <= withheld[margin]:
                withheld[margin] |= new
                changed = True
        return changed

    def shown(self, hidden: set) -> SuppressedTable:
        """Return the table with withheld values as None."""

        def value(position: tuple[int, int]) -> int | None:
            return None if position in hidden else self.grid[position]

        return SuppressedTable(
            cells={
                (row, column): value((i, j))
                for i, row in enumerate(self.rows)
                for j, column in enumerate(self.columns)
            },
            row_totals={row: value(self._row_total(i)) for i, row in enumerate(self.rows)},
            column_totals={
                column: value(self._column_total(j)) for j, column in enumerate(self.columns)
            },
            grand_total=value((self.total_row, self.total_column)),
        )

"""The survey-estimates policy: a group's estimate is published when enough respondents answered.

The default policy for resident surveys (``analysis.disclosure``). An estimate
(a rate, share, mean, interval, disparity index or test) is published when
its denominator, the group's number of respondents who answered, is at least
``min_cell``; numerators are not suppressed on their own. Respondents are a
small, self-selected sample of the population, so a count of them does not
point to a resident: Washington State Department of Health, *Guidelines for
Working with Small Numbers* (2018), asks to "consider the proportion of the
population sampled" and relaxes the numerator rule for survey data; the U.S.
National Center for Health Statistics publishes survey proportions on their
sample size and interval width, not their numerator (Parker et al., *NCHS
Data Presentation Standards for Proportions*, Vital Health Stat 2(175), 2017).

Rules, applied to the tables of ``analysis.report.tables`` before any figure
is derived:

- A one-way table (respondents by channel, by group, answers to a question,
  comments by sentiment) is shown whole when its denominator (the
  respondents, or the comments) is at least ``min_cell``; otherwise every
  count but the zeros is withheld, and its total with them.
- In a two-way table, a row (a group) whose denominator is from 1 to
  ``min_cell - 1`` has its answers withheld, zeros included; its number of respondents, shown
  in Representation, stays shown (a count shown anywhere is never withheld
  elsewhere for the same filter).
- When a table's rows each hold different respondents and its column totals
  are published, the withheld rows' answers add up to the column totals minus
  the rows shown. If the withheld rows have fewer than ``min_cell``
  respondents between them, the next row is withheld too ("prefer not to
  answer" and "no answer" first, then the smallest group), so no estimate on
  fewer than ``min_cell`` respondents can be worked out.
- A row or column whose total its margin withholds is withheld whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from analysis.linked_suppression import LinkedTable, Margin
from analysis.suppression import SuppressedCounts, SuppressedTable, _grid_with_margins, _labels


@dataclass(frozen=True)
class EstimateTable:
    """A two-way table of estimates: what each row's estimate rests on and withholds.

    ``denominators`` gives each row's number of respondents who answered (or
    comments scored); ``columns`` the cells withheld with a row's estimate;
    ``partition`` says the rows hold different respondents and the column
    totals are published, so the rows withheld could be worked out together;
    ``complement_order`` ranks the rows to withhold with them.
    """

    table: LinkedTable
    denominators: Mapping[str, int]
    columns: Sequence[str]
    partition: bool = False
    complement_order: Sequence[str] = ()


def withhold_estimates(
    margins: Mapping[Hashable, Margin],
    denominators: Mapping[Hashable, int],
    tables: Mapping[Hashable, EstimateTable],
    min_cell: int,
) -> tuple[dict[Hashable, SuppressedCounts], dict[Hashable, SuppressedTable]]:
    """Return every margin and table as the survey-estimates policy publishes them."""
    shown_margins = {
        key: _shown_margin(margin, denominators.get(key, sum(margin.counts.values())), min_cell)
        for key, margin in margins.items()
    }
    return shown_margins, {
        key: _shown_table(estimate, shown_margins, min_cell) for key, estimate in tables.items()
    }


def withheld_rows(
    denominators: Mapping[str, int],
    min_cell: int,
    *,
    partition: bool = False,
    complement_order: Sequence[str] = (),
) -> set[str]:
    """Return the rows whose estimates are withheld: too few respondents, and their complements."""
    withheld = {row for row, count in denominators.items() if 0 < count < min_cell}
    if not partition:
        return withheld
    order = [row for row in complement_order if row in denominators]
    order += [row for row in denominators if row not in order]
    while 0 < sum(denominators[row] for row in withheld) < min_cell:
        left = [row for row in order if row not in withheld and denominators[row] > 0]
        if not left:
            break
        withheld.add(left[0])
    return withheld


def _shown_margin(margin: Margin, denominator: int, min_cell: int) -> SuppressedCounts:
    """Return a one-way table whole, or with every non-zero count withheld if its base is small."""
    total = sum(margin.counts.values()) if margin.total_published else None
    if 0 < denominator < min_cell:
        return SuppressedCounts(
            {label: None if value else value for label, value in margin.counts.items()},
            None if total else total,
        )
    return SuppressedCounts(dict(margin.counts), total)


def _shown_table(
    estimate: EstimateTable, shown_margins: Mapping[Hashable, SuppressedCounts], min_cell: int
) -> SuppressedTable:
    """Return a two-way table with the withheld rows' estimate cells as None."""
    table = estimate.table
    rows = _labels(table.rows, [row for row, _ in table.cells], "row")
    columns = _labels(table.columns, [column for _, column in table.cells], "column")
    grid = _grid_with_margins(table.cells, rows, columns)
    last_row, last_column = len(rows), len(columns)
    hidden_rows = {
        rows.index(row)
        for row in withheld_rows(
            estimate.denominators,
            min_cell,
            partition=estimate.partition,
            complement_order=estimate.complement_order,
        )
    }
    row_totals = _margin_values(shown_margins, table.row_margin, rows)
    column_totals = _margin_values(shown_margins, table.column_margin, columns)
    whole_rows = {i for i, row in enumerate(rows) if row_totals.get(row, 0) is None}
    whole_columns = {j for j, column in enumerate(columns) if column_totals.get(column, 0) is None}
    grand_hidden = _total_hidden(shown_margins, table)
    estimate_columns = {columns.index(column) for column in estimate.columns if column in columns}

    def cell(i: int, j: int) -> int | None:
        value = grid[i, j]
        if i in hidden_rows and j in estimate_columns:
            return None  # the row's answers, zeros included: they are its estimate
        if value and (i in whole_rows or j in whole_columns or grand_hidden):
            return None
        return value

    return SuppressedTable(
        cells={
            (row, column): cell(i, j)
            for i, row in enumerate(rows)
            for j, column in enumerate(columns)
        },
        row_totals={
            row: None
            if i in whole_rows or (grand_hidden and grid[i, last_column])
            else grid[i, last_column]
            for i, row in enumerate(rows)
        },
        column_totals={
            column: None
            if j in whole_columns or (grand_hidden and grid[last_row, j])
            else grid[last_row, j]
            for j, column in enumerate(columns)
        },
        grand_total=None
        if grand_hidden and grid[last_row, last_column]
        else grid[last_row, last_column],
    )


def _margin_values(
    shown_margins: Mapping[Hashable, SuppressedCounts], key: Hashable | None, labels: Sequence[str]
) -> dict[str, int | None]:
    """Return a linked margin's shown counts by label (empty when the table has no margin)."""
    if key is None:
        return {}
    counts = shown_margins[key].counts
    return {label: counts.get(label, 0) for label in labels}


def _total_hidden(shown_margins: Mapping[Hashable, SuppressedCounts], table: LinkedTable) -> bool:
    """Return whether a margin the table is linked to withholds the grand total."""
    for key in (table.row_margin, table.column_margin):
        if key is None:
            continue
        shown = shown_margins[key]
        if shown.total is None and any(value is None for value in shown.counts.values()):
            return True
    return False

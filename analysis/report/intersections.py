"""Intersections: respondents in each pair of groups of two dimensions crossed."""

from __future__ import annotations

from analysis.report.shapes import IntersectionRow, IntersectionTable
from analysis.report.tables import MULTI_SELECT_NOTE, ReportTables


def intersection(tables: ReportTables, pair: tuple[str, str]) -> IntersectionTable:
    """Return the two dimensions of ``pair`` crossed, as shown."""
    first, second = pair
    table = tables.shown_tables[("intersection", first, second)]
    dimensions = tables.data.dimensions
    multi = dimensions[first].multi_select or dimensions[second].multi_select
    return IntersectionTable(
        dimension=first,
        by_dimension=second,
        note=MULTI_SELECT_NOTE if multi else None,
        rows=tuple(
            IntersectionRow(first, a, second, b, count, count is None)
            for (a, b), count in table.cells.items()
        ),
    )

"""Comment themes: each question's themes, by group of every dimension and by channel.

The tables are declared with the report's others (``analysis.report.tables``) and
published as the survey's disclosure policy publishes them
(``analysis.report.disclosure_tables``); this module only reads the shown counts.
A respondent counts in the theme their comment is in, after staff's edits.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.shapes import ThemeOut, ThemeRow, Themes
from analysis.report.tables import ReportTables
from analysis.suppression import SuppressedCounts, SuppressedTable


def themes(tables: ReportTables) -> Themes:
    """Return the themes section: every themed question's themes and its two breakdowns."""
    data = tables.data
    found, by_group, by_channel = [], [], []
    for name, counts in data.themes.items():
        shown: SuppressedCounts = tables.shown_margins[("theme", name)]
        found.extend(
            ThemeOut(
                question=name,
                theme=theme.key,
                label=theme.label,
                terms=theme.terms,
                language=theme.language,
                n=shown.counts[theme.key],
                suppressed=shown.counts[theme.key] is None,
            )
            for theme in counts.themes
        )
        for key in data.dimensions:
            labels = {
                group: tables.group_label(key, group)
                for group in tables.dimension_rows(data.dimensions[key])
            }
            by_group.extend(
                theme_rows(
                    tables.shown_tables[("theme_group", name, key)],
                    name,
                    key,
                    labels,
                    tables.min_cell,
                )
            )
        channels = tables.shown_tables[("theme_channel", name)]
        by_channel.extend(theme_rows(channels, name, "channel", None, tables.min_cell))
    return Themes(themes=tuple(found), by_group=tuple(by_group), by_channel=tuple(by_channel))


def theme_rows(
    table: SuppressedTable,
    question: str,
    dimension: str,
    labels: Mapping[str, str | None] | None = None,
    min_cell: int | None = None,
) -> list[ThemeRow]:
    """Return the rows of one shown theme table, with shares where the whole row is shown."""
    columns = list(table.column_totals)
    rows = []
    for group, total in table.row_totals.items():
        counts = {column: table.cells[(group, column)] for column in columns}
        whole = total is not None and all(count is not None for count in counts.values())
        rows.append(
            ThemeRow(
                question=question,
                dimension=dimension,
                group=group,
                label=(labels or {}).get(group),
                n=total,
                suppressed=not whole,
                counts=counts,
                shares=theme_shares(counts, total if whole else None, min_cell),
            )
        )
    return rows


def theme_shares(
    counts: Mapping[str, int | None], total: int | None, min_cell: int | None
) -> dict[str, float | None]:
    """Return each theme's share of the row; an estimate, shown on ``min_cell`` or more.

    Like sentiment shares (``analysis.disclosure``): no share of a row of fewer
    than ``min_cell`` respondents, nor of a row with a withheld count.
    """
    if not total or (min_cell is not None and total < min_cell):
        return dict.fromkeys(counts)
    return {theme: count / total for theme, count in counts.items()}

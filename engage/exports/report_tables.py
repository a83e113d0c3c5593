"""The report's tables as CSV rows or a workbook, from the suppressed report only."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from engage.exports.spreadsheets import Sheet, xlsx_bytes

if TYPE_CHECKING:
    from analysis.report import Report


def report_tables(report: Report) -> dict[str, tuple[list[str], list[list]]]:
    """Return the report's flat rows split by table: {table: (columns, rows)}.

    Each table keeps only the columns it fills, in the order of the report CSV.
    """
    from analysis.report_formats import CSV_COLUMNS, csv_rows

    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in csv_rows(report):
        grouped[row["table"]].append(row)
    tables = {}
    for name, rows in grouped.items():
        columns = [
            column
            for column in CSV_COLUMNS
            if column != "table" and any(row.get(column) not in (None, "") for row in rows)
        ]
        tables[name] = (columns, [[row.get(column) for column in columns] for row in rows])
    return tables


def report_xlsx(report: Report) -> bytes:
    """Return the report tables as a workbook, one sheet per table."""
    return xlsx_bytes(
        Sheet(name, columns, rows) for name, (columns, rows) in report_tables(report).items()
    )

"""CSV and XLSX writing; every cell passes the one formula guard, ``surveys.formula_guard``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from surveys.formula_guard import neutralise

# Control characters XML 1.0 forbids in a cell (openpyxl's ILLEGAL_CHARACTERS_RE), kept
# here so that the web app does not import openpyxl before someone downloads a workbook.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def csv_cell(value) -> str | int | float:
    """Return a CSV cell: None empty, booleans true/false, times in ISO 8601 UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def xlsx_cell(value):
    """Return an XLSX cell value: text neutralised and stripped of characters XML forbids."""
    if isinstance(value, datetime):
        return _utc(value).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _utc(moment: datetime) -> datetime:
    """Return a timestamp in UTC; SQLite hands back naive UTC times."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iter_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """Yield a CSV file line by line (for streaming large exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(value) for value in header])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Return a whole CSV file as text."""
    return "".join(iter_csv(header, rows))


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (at most 31 characters), a header row and rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Return a workbook with one sheet per ``Sheet``, written row by row (low memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.append([xlsx_cell(value) for value in sheet.header])
        for row in sheet.rows:
            worksheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

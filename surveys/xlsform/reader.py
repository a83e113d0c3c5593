"""Reading a workbook into plain data: sheets, their columns and non-blank rows.

Sheet names, column names and yes/no cells are read in any letter case, as
pyxform does; ``label::English (en)`` and the older ``label:english`` both name
a translated column.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from surveys.formula_guard import restore
from surveys.messages import N_

# Spreadsheets often claim a million formatted rows; a run this long ends the sheet.
BLANK_ROWS_ENDING_A_SHEET = 50
_YES = {"yes", "true", "true()", "1"}
_NO = {"", "no", "false", "false()", "0"}


class XLSFormError(Exception):
    """The file is not a readable XLSForm; nothing should be created from it.

    With ``params``, the message is a whole ``N_`` sentence the web layer translates.
    """

    def __init__(self, message: str, params: dict | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if params else message)


@dataclass(frozen=True)
class WorkbookLimits:
    """The most sheets, and rows in any sheet, a workbook may have (None: no limit)."""

    max_sheets: int | None = None
    max_rows: int | None = None


@dataclass(frozen=True)
class Column:
    """A header split into its base name and its raw language suffix, if any."""

    base: str
    language: str | None = None


@dataclass(frozen=True)
class Row:
    """One non-blank row: its spreadsheet row number and its non-empty cells by column."""

    number: int
    cells: dict[Column, str]

    def get(self, base: str) -> str:
        """Return the untranslated cell for column ``base``, or ``""``."""
        return self.cells.get(Column(base), "")


@dataclass(frozen=True)
class Sheet:
    """A sheet as plain data: its columns and its non-blank rows."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def has_column(self, base: str) -> bool:
        """Return whether any column has base name ``base``."""
        return any(column.base == base for column in self.columns)


def workbook_name(source: str | Path | IO[bytes]) -> str:
    """Return a name for the file to use in messages and as a fallback slug."""
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "filename", None) or getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) else ""


def read_workbook(
    source: str | Path | IO[bytes], file_name: str, limits: WorkbookLimits | None = None
) -> dict[str, Sheet]:
    """Read every sheet into plain data, keyed by lower-case sheet name, within ``limits``."""
    limits = limits or WorkbookLimits()
    shown_name = f"'{file_name}'" if file_name else "the file"
    if file_name.lower().endswith(".xls"):
        raise XLSFormError(
            f"{shown_name} is an old-style .xls workbook; save it as .xlsx and try again"
        )
    import openpyxl  # here, not at import: only an upload needs it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it ignores (data validation, etc.).
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                if limits.max_sheets and len(workbook.worksheets) > limits.max_sheets:
                    raise XLSFormError(
                        N_("The file has %(sheets)s sheets; at most %(limit)s are accepted."),
                        {"sheets": len(workbook.worksheets), "limit": limits.max_sheets},
                    )
                sheets = [
                    _read_sheet(worksheet, limits.max_rows) for worksheet in workbook.worksheets
                ]
            finally:
                workbook.close()
    except XLSFormError:
        raise
    except FileNotFoundError:
        raise XLSFormError(f"{shown_name} was not found") from None
    except Exception as error:
        # A damaged file surfaces as any of a dozen zipfile, XML and openpyxl errors.
        detail = str(error) or type(error).__name__
        raise XLSFormError(
            f"{shown_name} could not be read as an Excel .xlsx workbook ({detail})"
        ) from error
    return {sheet.title.strip().lower(): sheet for sheet in reversed(sheets)}


def _read_sheet(worksheet, max_rows: int | None = None) -> Sheet:
    """Read one read-only worksheet, stopping after a long run of blank rows."""
    # The stored dimensions are often wrong (a million rows), so read what is there.
    worksheet.reset_dimensions()
    header_row = next(worksheet.iter_rows(max_row=1, values_only=True), ())
    headers = [_cell_text(value) for value in header_row]
    while headers and not headers[-1]:
        headers.pop()
    columns = tuple(_parse_header(header) for header in headers)
    rows = []
    blank_run = 0
    if columns:
        data_rows = worksheet.iter_rows(min_row=2, max_col=len(columns), values_only=True)
        for number, values in enumerate(data_rows, start=2):
            cells: dict[Column, str] = {}
            for column, value in zip(columns, values, strict=False):
                text = _cell_text(value)
                if text and column.base:
                    cells.setdefault(column, text)
            if not cells:
                blank_run += 1
                if blank_run >= BLANK_ROWS_ENDING_A_SHEET:
                    break
                continue
            blank_run = 0
            rows.append(Row(number, cells))
            if max_rows and len(rows) > max_rows:
                raise XLSFormError(
                    N_("The sheet “%(sheet)s” has more than %(limit)s rows; it is not accepted."),
                    {"sheet": worksheet.title, "limit": max_rows},
                )
    return Sheet(worksheet.title, columns, tuple(rows))


def _cell_text(value: object) -> str:
    """Return a cell as stripped text; whole-number floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restore(str(value).strip())  # the apostrophe Engage's export puts before "=..."


def _parse_header(header: str) -> Column:
    """Split ``Label::English (en)`` or the older ``label:english`` into base and language."""
    base, separator, language = header.partition("::")
    if not separator:
        base, separator, language = header.partition(":")
    base = "_".join(base.lower().split())
    return Column(base, language.strip() or None)


def yes_no(text: str) -> bool | None:
    """Read an XLSForm yes/no cell; ``None`` when it is an expression."""
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None

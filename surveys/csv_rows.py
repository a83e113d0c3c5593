"""Kobo and ODK CSV exports: read into rows, columns matched to questions, stable row keys.

No database here: ``surveys.response_import`` validates and stores what this reads.
Messages are ``N_`` strings the web layer translates.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from surveys.messages import N_
from surveys.questions import question_type

CHANNEL_COLUMN = "_channel"
LANGUAGE_COLUMN = "_language"
COLLECTED_AT_COLUMN = "_collected_at"
PAPER_ID_COLUMN = "_paper_id"
PLACE_COLUMN = "_place"
META_COLUMNS = (CHANNEL_COLUMN, LANGUAGE_COLUMN, COLLECTED_AT_COLUMN, PAPER_ID_COLUMN, PLACE_COLUMN)
# Columns that identify a submission in KoboToolbox (_uuid) and ODK Central exports.
INSTANCE_ID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY")


class CsvFormatError(ValueError):
    """The file cannot be read as a table at all; ``message`` is an ``N_`` string."""

    def __init__(self, message: str, params: dict | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on (the header is line 1) and its cells by header."""

    line: int
    cells: dict[str, str]
    # Cells beyond the header's columns: a sign the row is misaligned.
    extra_cells: int = 0


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and its non-blank rows."""

    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def read_csv(text: str) -> CsvTable:
    """Read CSV text with a comma, semicolon or tab delimiter (Kobo's default is ``;``)."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = tuple(cell.strip() for cell in next(reader))
    except StopIteration:
        raise CsvFormatError(N_("The file is empty.")) from None
    if not any(headers):
        raise CsvFormatError(N_("The first line must name the columns."))
    duplicates = sorted(name for name, count in Counter(headers).items() if count > 1 and name)
    if duplicates:
        raise CsvFormatError(
            N_("These columns appear twice: %(columns)s."), {"columns": ", ".join(duplicates)}
        )
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvFormatError(
                N_("Line %(line)s cannot be read: %(reason)s"), {"line": line, "reason": error}
            ) from None
        if not any(cell.strip() for cell in cells):
            continue
        padded = cells + [""] * (len(headers) - len(cells))
        values = {name: cell.strip() for name, cell in zip(headers, padded, strict=False)}
        rows.append(CsvRow(line, values, extra_cells=max(len(cells) - len(headers), 0)))
    return CsvTable(headers, tuple(rows))


@dataclass(frozen=True)
class ColumnPlan:
    """Which column holds which question, which the metadata, and which are ignored."""

    questions: dict[str, str]
    meta: dict[str, str]
    instance_id: str | None
    ignored: tuple[str, ...]


def plan_columns(headers: Sequence[str], questions: Iterable[Any]) -> ColumnPlan:
    """Match CSV columns to questions by name.

    Kobo and ODK prefix a question in a group with the group's name
    (``household/age`` or ``household-age``); the last part is then the name.
    Kobo's extra 0/1 columns per option of a multiple choice (``services/library``)
    repeat the space-separated column and are ignored, as are columns the survey
    does not know (their names are reported).
    """
    answerable = {q.name: q for q in questions if question_type(q.kind).takes_answer}
    mapped: dict[str, str] = {}
    meta: dict[str, str] = {}
    instance_id = None
    ignored = []
    for header in headers:
        if not header:
            continue
        if header in META_COLUMNS:
            meta[header] = header
            continue
        if header in INSTANCE_ID_COLUMNS and instance_id is None:
            instance_id = header
            continue
        name = _question_for_column(header, answerable)
        if name is not None and name not in mapped.values():
            mapped[header] = name
        else:
            ignored.append(header)
    return ColumnPlan(mapped, meta, instance_id, tuple(ignored))


def _question_for_column(header: str, answerable: Mapping[str, Any]) -> str | None:
    """Return the question a column holds, if any."""
    if header in answerable:
        return header
    for separator in ("/", "-"):
        parts = header.split(separator)
        if len(parts) > 1 and parts[-1] in answerable:
            # "services/library" is Kobo's 0/1 column for one option, not the question.
            group = answerable.get(parts[-2])
            if group is not None and question_type(group.kind).multi_select:
                return None
            return parts[-1]
    return None


def raw_answers(
    row: CsvRow, plan: ColumnPlan, questions: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Return a row's answers as form values: multiple choices split on spaces."""
    raw: dict[str, list[str]] = {}
    for header, name in plan.questions.items():
        value = row.cells.get(header, "").strip()
        if not value:
            continue
        multi_select = question_type(questions[name].kind).multi_select
        raw[name] = value.split() if multi_select else [value]
    return raw


def row_keys(rows: Sequence[CsvRow], plan: ColumnPlan) -> list[str]:
    """Return an idempotency key per row, the same every time the same file is imported.

    A submission ID column (Kobo ``_uuid``, ODK ``instanceID``) gives the key.
    Otherwise the key is a hash of the row's question and metadata cells plus how
    many identical rows came before it, so two residents who answered alike stay
    two responses, and the line a row sits on does not matter.
    """
    keys = []
    seen: Counter[str] = Counter()
    used = sorted(set(plan.questions) | set(plan.meta))
    for row in rows:
        if plan.instance_id and row.cells.get(plan.instance_id, "").strip():
            keys.append("import-id-" + row.cells[plan.instance_id].strip()[:80])
            continue
        content = json.dumps([[header, row.cells.get(header, "")] for header in used])
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:40]
        seen[digest] += 1
        keys.append(f"import-{digest}-{seen[digest]}")
    return keys

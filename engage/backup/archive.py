"""The backup archive: its format, manifest and column types; reading and checking one."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

from engage import db
from surveys.messages import N_

FORMAT = "engage-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Not in an archive: Alembic's own table (the manifest names the revision) and the cache
# of built reports (pickles: rebuilt on first view, never loaded from a file).
LEFT_OUT = frozenset({"alembic_version", "stored_reports"})
# Rows read from the database per batch while backing up.
BATCH_ROWS = 2000
# A row longer than this is not a row Engage wrote (the longest answer is 5,000 characters).
LONGEST_LINE = 16 * 1024 * 1024
# A table file is read this many bytes at a time (its rows are loaded a block's lines at once).
READ_BYTES = 1024 * 1024
_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class BackupError(Exception):
    """An archive that cannot be made or restored: ``message`` (``N_``) and its ``params``."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class TableEntry:
    """One table of an archive: its file, columns (name, type), rows and checksum."""

    name: str
    columns: tuple[tuple[str, str], ...]
    rows: int
    sha256: str

    @property
    def file(self) -> str:
        """Return the table's file in the archive."""
        return f"tables/{self.name}.jsonl"


@dataclass(frozen=True)
class Manifest:
    """What an archive holds and where it came from."""

    engage_version: str
    revision: str
    created_at: str
    database: str
    tables: tuple[TableEntry, ...]

    @property
    def rows(self) -> int:
        """Return the number of rows of every table."""
        return sum(table.rows for table in self.tables)

    def as_json(self) -> dict:
        """Return the manifest as it is written in the archive."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engage_version": self.engage_version,
            "revision": self.revision,
            "created_at": self.created_at,
            "database": self.database,
            "tables": [
                {
                    "name": table.name,
                    "file": table.file,
                    "columns": [list(column) for column in table.columns],
                    "rows": table.rows,
                    "sha256": table.sha256,
                }
                for table in self.tables
            ],
        }


# -- values: how each type of column is written and read back ---------------------------


def type_name(column) -> str:
    """Return how the archive names a column's type (checked in this order)."""
    kinds = (
        (JSON, "json"),
        (DateTime, "datetime"),
        (Date, "date"),
        (LargeBinary, "bytes"),
        (Boolean, "boolean"),
        (Integer, "integer"),
        (Float, "float"),
        (String, "text"),
    )
    for kind, name in kinds:
        if isinstance(column.type, kind):
            return name
    raise BackupError(
        N_("Column %(column)s has a type a backup cannot write (%(type)s)."),
        column=f"{column.table.name}.{column.name}",
        type=str(column.type),
    )


def _utc(value: datetime) -> datetime:
    """Return a timestamp in UTC; a naive one is UTC already (SQLite keeps no offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ENCODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: _utc(value).isoformat(),
    "date": lambda value: value.isoformat(),
    "bytes": lambda value: base64.b64encode(bytes(value)).decode("ascii"),
}

DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: _utc(datetime.fromisoformat(value)),
    "date": date.fromisoformat,
    "bytes": lambda value: base64.b64decode(value, validate=True),
}

TYPE_NAMES = frozenset({"json", "datetime", "date", "bytes", "boolean", "integer", "float", "text"})


# One encoder for every line (``json.dumps`` with options builds one per call).
_encode_line = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


# -- backup -------------------------------------------------------------------------------


def engage_tables() -> frozenset[str]:
    """Return the names of Engage's own tables (the models'), whatever shares the database.

    Other tables may live beside them: the webhook queue's (Huey) on PostgreSQL.
    """
    from sqlmodel import SQLModel

    import surveys.models  # noqa: F401  (registers the tables on SQLModel.metadata)

    return frozenset(SQLModel.metadata.tables)


def archived_tables(connection: Connection) -> list[Table]:
    """Return the database's Engage tables an archive holds, in dependency order."""
    wanted = engage_tables() - LEFT_OUT
    metadata = MetaData()
    metadata.reflect(bind=connection, only=lambda name, _metadata: name in wanted)
    return [table for table in metadata.sorted_tables if table.name in wanted]


def _begin_snapshot(connection: Connection) -> None:
    """Make the connection read one snapshot until it ends, holding no write lock."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    else:
        connection.exec_driver_sql("BEGIN")  # SQLite (WAL): one read transaction, one snapshot


def _summary(manifest: Manifest) -> dict:
    """Return what the audit trail says of an archive: where from, and rows per table."""
    return {
        "engage_version": manifest.engage_version,
        "revision": manifest.revision,
        "created_at": manifest.created_at,
        "rows": {table.name: table.rows for table in manifest.tables},
    }


# -- reading and checking an archive -------------------------------------------------------


def _open(path: Path) -> zipfile.ZipFile:
    """Open an archive, or refuse a file that is not one."""
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(N_("There is no file %(file)s."), file=str(path)) from None
    except (zipfile.BadZipFile, OSError):
        raise BackupError(
            N_("%(file)s is not an Engage backup (it is not a ZIP archive)."), file=str(path)
        ) from None


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    """Return an archive's manifest, or refuse one that is missing or malformed."""
    try:
        raw = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise BackupError(
            N_("The archive has no manifest.json: it is not an Engage backup.")
        ) from None
    except (ValueError, zipfile.BadZipFile, OSError):
        raise BackupError(N_("The archive's manifest.json is damaged.")) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(N_("The archive's manifest.json is not an Engage backup's."))
    if raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            N_(
                "The archive is in backup format %(found)s; this Engage reads format "
                "%(known)s. Restore it with the Engage version that made it (%(version)s)."
            ),
            found=str(raw.get("format_version")),
            known=FORMAT_VERSION,
            version=str(raw.get("engage_version")),
        )
    try:
        tables = tuple(_table_entry(item) for item in raw["tables"])
        manifest = Manifest(
            str(raw["engage_version"]),
            str(raw["revision"]),
            str(raw["created_at"]),
            str(raw["database"]),
            tables,
        )
    except (KeyError, TypeError, ValueError):
        raise BackupError(N_("The archive's manifest.json is damaged.")) from None
    names = [table.name for table in tables]
    if len(set(names)) != len(names):
        raise BackupError(N_("The archive's manifest.json is damaged."))
    return manifest


def _table_entry(item: dict) -> TableEntry:
    """Read one table of the manifest; ValueError when it is not what a backup writes."""
    name = item["name"]
    columns = tuple((str(column), str(kind)) for column, kind in item["columns"])
    rows, sha256 = item["rows"], item["sha256"]
    valid = (
        isinstance(name, str)
        and _TABLE_NAME.fullmatch(name)
        and name not in LEFT_OUT
        and item.get("file") == f"tables/{name}.jsonl"
        and all(kind in TYPE_NAMES for _column, kind in columns)
        and len({column for column, _kind in columns}) == len(columns) > 0
        and isinstance(rows, int)
        and rows >= 0
        and isinstance(sha256, str)
        and re.fullmatch(r"[0-9a-f]{64}", sha256)
    )
    if not valid:
        raise ValueError(name)
    return TableEntry(name, columns, rows, sha256)


def _lines(archive: zipfile.ZipFile, table: TableEntry) -> Iterator[list[bytes]]:
    """Yield a table file's lines in batches, read in blocks; check count and checksum at the end.

    Raises BackupError for a missing or unreadable file, a line longer than any row
    Engage writes, a last line without its end, or a file whose number of rows or
    checksum differs from the manifest's.
    """
    digest = hashlib.sha256()
    count = 0
    try:
        stream: IO[bytes] = archive.open(table.file)
    except KeyError:
        raise BackupError(
            N_("The archive has no file for table %(table)s: it is incomplete."), table=table.name
        ) from None
    rest = b""
    try:
        with stream:
            while block := stream.read(READ_BYTES):
                digest.update(block)
                lines = (rest + block).split(b"\n")
                rest = lines.pop()
                if len(rest) > LONGEST_LINE:
                    raise BackupError(
                        N_("Line %(line)s of table %(table)s is not a valid row."),
                        line=count + 1,
                        table=table.name,
                    )
                count += len(lines)
                if lines:
                    yield lines
    except (zipfile.BadZipFile, OSError, EOFError):
        raise BackupError(
            N_("The file of table %(table)s is damaged in the archive."), table=table.name
        ) from None
    if rest or count != table.rows or digest.hexdigest() != table.sha256:
        raise BackupError(
            N_(
                "The file of table %(table)s does not match the manifest's checksum: "
                "the archive is damaged or was changed."
            ),
            table=table.name,
        )


def table_rows(archive: zipfile.ZipFile, table: TableEntry) -> Iterator[list[dict]]:
    """Yield a table's rows decoded, in batches; refuse a line that is not one of its rows.

    The file's checksum and number of rows are checked at its end (``_lines``), so a
    caller that writes them does it in a transaction it rolls back on BackupError.
    """
    names = [column for column, _kind in table.columns]
    decoded = [(column, DECODERS[kind]) for column, kind in table.columns if kind in DECODERS]
    first = 1
    for lines in _lines(archive, table):
        try:
            # One parse for the batch; a line holding two rows (or half of one) shows
            # as a different number of rows, and each line is then parsed alone.
            records = json.loads(b"[" + b",".join(lines) + b"]")
            if not isinstance(records, list) or len(records) != len(lines):
                raise ValueError("not one row a line")
        except ValueError:
            records = [_parsed(table, line, first + index) for index, line in enumerate(lines)]
        for index, record in enumerate(records):
            if not isinstance(record, dict) or list(record) != names:
                raise _bad_line(table, first + index)
            try:
                for column, decode in decoded:
                    value = record[column]
                    if value is not None:
                        record[column] = decode(value)
            except (ValueError, TypeError):
                raise _bad_line(table, first + index) from None
        first += len(lines)
        yield records


def _parsed(table: TableEntry, line: bytes, number: int):
    """Return one line's JSON value, or refuse the line."""
    try:
        return json.loads(line)
    except ValueError:
        raise _bad_line(table, number) from None


def _bad_line(table: TableEntry, number: int) -> BackupError:
    """Return the refusal of a line that is not a row of its table."""
    return BackupError(
        N_("Line %(line)s of table %(table)s is not a valid row."),
        line=number,
        table=table.name,
    )


def check_archive(path: Path) -> Manifest:
    """Read a whole archive and return its manifest, or raise BackupError saying what is wrong.

    Every table file's number of rows and checksum are checked, so a damaged or
    changed archive is refused before anything is written; the rows themselves are
    checked as they are loaded, in the restore's transaction. The schema revision
    must be one this Engage knows.
    """
    with _open(path) as archive:
        manifest = read_manifest(archive)
        _known_revision(manifest)
        for table in manifest.tables:
            for _lines_read in _lines(archive, table):
                pass
    return manifest


def _known_revision(manifest: Manifest) -> None:
    """Refuse an archive of a schema revision this Engage's migrations do not have."""
    if manifest.revision not in db.known_revisions():
        raise BackupError(
            N_(
                "The archive was made by a newer Engage (%(version)s, schema %(revision)s); "
                "this Engage knows schemas up to %(head)s. Upgrade Engage, then restore it."
            ),
            version=manifest.engage_version,
            revision=manifest.revision,
            head=db.head_revision(),
        )

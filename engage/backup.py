"""Backups: every table in one archive read from one snapshot; restore into an empty database.

The archive is a ZIP file:

- ``manifest.json``: ``format`` ("engage-backup"), ``format_version``, the Engage version,
  the schema's Alembic ``revision``, ``created_at`` (UTC), the database it was read from,
  and per table (in dependency order) its file, its columns with their types, its
  number of rows and the SHA-256 of its file;
- ``tables/<table>.jsonl``: one JSON object per row, in primary-key order. Types are
  kept: timestamps as ISO 8601 in UTC with the offset, dates as ISO dates, bytes in
  base64, JSON columns as JSON, numbers, booleans and text as themselves.

A backup reads the tables as they stand at the schema's revision (an older database can
be backed up before it is upgraded), in one snapshot while the app keeps serving: one
read transaction on SQLite (WAL: writers carry on), ``REPEATABLE READ, READ ONLY`` on
PostgreSQL. Tables are streamed in batches; memory does not grow with the rows.

A restore checks the whole archive first (its manifest, every file's checksum and number
of rows), then, in one transaction: refuses a database with rows in any table, brings the
schema to the archive's revision, loads every table (checking each row; COPY on
PostgreSQL), sets PostgreSQL's id sequences past the loaded ids, and upgrades to this
Engage's schema with the migrations. Any failure rolls all of it back. That is also how
an installation moves from SQLite to PostgreSQL.

Only Engage's own tables are read, checked for rows and written (the webhook queue keeps
its tables in the same PostgreSQL database). Left out: ``alembic_version`` (the manifest
names the revision) and ``stored_reports`` (a cache of built reports, pickled: built again
on first view, and a restore never unpickles what a file holds). A nullable JSON column's
SQL NULL comes back as JSON ``null``, which is what the app writes for None.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from engage import db
from engage.report_cache import engage_version
from surveys.audit import write_audit
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


def write_backup(engine: Engine, target: Path, *, audit: bool = True) -> Manifest:
    """Write an archive of the database to ``target`` (replaced whole, never half-written).

    Everything is read in one snapshot, so rows written meanwhile are in it whole or
    not at all. ``audit`` records the backup (counts only) after the snapshot.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".engage-backup-")
    os.close(handle)
    try:
        with engine.connect() as connection:
            _begin_snapshot(connection)
            revision = _revision_of(connection)
            if revision is None:
                raise BackupError(N_("The database has no Engage schema to back up."))
            created_at = datetime.now(UTC).isoformat()
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                entries = tuple(
                    _write_table(connection, table, archive)
                    for table in archived_tables(connection)
                )
                manifest = Manifest(
                    engage_version(), revision, created_at, connection.dialect.name, entries
                )
                archive.writestr(
                    MANIFEST, json.dumps(manifest.as_json(), indent=2, ensure_ascii=False)
                )
            connection.rollback()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if audit:
        _record(engine, "database.backup", manifest)
    return manifest


def _write_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> TableEntry:
    """Stream one table into its file of the archive, in primary-key order."""
    columns = [(column.name, type_name(column)) for column in table.columns]
    names = [name for name, _kind in columns]
    converted = [
        (index, ENCODERS[kind]) for index, (_n, kind) in enumerate(columns) if kind in ENCODERS
    ]
    order = list(table.primary_key.columns) or list(table.columns)
    digest = hashlib.sha256()
    rows = 0
    entry = TableEntry(table.name, tuple(columns), 0, "")
    result = connection.execute(
        select(table).order_by(*order).execution_options(yield_per=BATCH_ROWS)
    )
    member = zipfile.ZipInfo(entry.file, date_time=datetime.now().timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=True) as stream:
        for batch in result.partitions():
            lines = []
            for row in batch:
                values = list(row)
                for index, convert in converted:
                    if values[index] is not None:
                        values[index] = convert(values[index])
                lines.append(_encode_line(dict(zip(names, values, strict=True))))
            data = ("\n".join(lines) + "\n").encode("utf-8")
            digest.update(data)
            stream.write(data)
            rows += len(batch)
    return TableEntry(table.name, tuple(columns), rows, digest.hexdigest())


def _revision_of(connection: Connection) -> str | None:
    """Return the schema revision the connection sees, or None for no Engage schema."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _record(engine: Engine, action: str, manifest: Manifest) -> None:
    """Write the audit event of a backup (counts only, never content)."""
    with db.Session(engine) as session:
        write_audit(session, None, action, "database", "", None, {}, _summary(manifest))
        session.commit()


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
    if manifest.revision not in _revision_order():
        raise BackupError(
            N_(
                "The archive was made by a newer Engage (%(version)s, schema %(revision)s); "
                "this Engage knows schemas up to %(head)s. Upgrade Engage, then restore it."
            ),
            version=manifest.engage_version,
            revision=manifest.revision,
            head=_revision_order()[-1],
        )


@cache
def _revision_order() -> list[str]:
    """Return the migrations' revisions, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(db.MIGRATIONS))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


# -- restore ----------------------------------------------------------------------------


def restore(engine: Engine, path: Path, *, audit: bool = True) -> Manifest:
    """Load an archive into an empty database, then upgrade it to this Engage's schema.

    The archive is checked whole first. One transaction does the rest: on any
    refusal or failure nothing stays written. ``audit`` records the restore.
    """
    manifest = check_archive(path)
    sqlite = engine.dialect.name == "sqlite"
    with _open(path) as archive, engine.connect() as connection:
        if sqlite:
            # Migrations rebuild SQLite tables that other rows point to: keys off while
            # they run (ignored inside a transaction, so before it), checked at the end.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            if sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, at once
            _restore_in(connection, archive, manifest, audit=audit)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    return manifest


def _restore_in(
    connection: Connection, archive: zipfile.ZipFile, manifest: Manifest, *, audit: bool
) -> None:
    """Check the database is empty, load the archive at its revision and upgrade it."""
    _require_empty(connection)
    _schema_at(connection, manifest.revision)
    tables = {table.name: table for table in archived_tables(connection)}
    wanted = {entry.name: entry for entry in manifest.tables}
    if set(tables) != set(wanted):
        raise BackupError(
            N_("The archive's tables do not match schema %(revision)s: %(tables)s."),
            revision=manifest.revision,
            tables=", ".join(sorted(set(tables) ^ set(wanted))),
        )
    for name, table in tables.items():
        if [column.name for column in table.columns] != [c for c, _ in wanted[name].columns]:
            raise BackupError(
                N_("The archive's table %(table)s does not match schema %(revision)s."),
                table=name,
                revision=manifest.revision,
            )
    for name, table in tables.items():  # dependency order
        _load_table(connection, table, archive, wanted[name])
    if connection.dialect.name == "postgresql":
        _move_sequences(connection, tables.values())
    if manifest.revision != _revision_order()[-1]:
        db.upgrade(connection, "head")
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise BackupError(
                N_("The archive's rows of table %(table)s point to rows it does not have."),
                table=broken[0],
            )
    if audit:
        from sqlmodel import Session

        with Session(bind=connection) as session:
            write_audit(
                session, None, "database.restore", "database", "", None, {}, _summary(manifest)
            )
            session.flush()


def _require_empty(connection: Connection) -> None:
    """Refuse a database with rows in any Engage table, or Engage's tables without a schema."""
    names = set(inspect(connection).get_table_names()) & engage_tables()
    if not names:
        return
    revision = _revision_of(connection)
    if revision is None:
        raise BackupError(
            N_("The database has tables but no Engage schema: restore into a new, empty database.")
        )
    if revision not in _revision_order():
        raise BackupError(
            N_("The database has a schema this Engage does not know (%(revision)s)."),
            revision=revision,
        )
    metadata = MetaData()
    metadata.reflect(bind=connection, only=sorted(names))
    filled = [
        table.name
        for table in metadata.sorted_tables
        if table.name in names
        and connection.execute(select(text("1")).select_from(table).limit(1)).first() is not None
    ]
    if filled:
        raise BackupError(
            N_(
                "The database is not empty (%(tables)s have rows): restore only into a new, "
                "empty database. Nothing was written."
            ),
            tables=", ".join(filled),
        )


def _schema_at(connection: Connection, revision: str) -> None:
    """Bring an empty database's schema to ``revision``, up or down."""
    from alembic import command

    order = _revision_order()
    current = _revision_of(connection)
    if current is None or order.index(current) < order.index(revision):
        db.upgrade(connection, revision)
    elif order.index(current) > order.index(revision):
        command.downgrade(db.alembic_config(connection), revision)


def _load_table(
    connection: Connection, table: Table, archive: zipfile.ZipFile, entry: TableEntry
) -> None:
    """Insert a table's rows in batches; a value the database refuses stops the restore."""
    naive = {
        column.name
        for column in table.columns
        if isinstance(column.type, DateTime) and not column.type.timezone
    }
    try:
        if connection.dialect.name == "postgresql":
            _copy_rows(connection, table, table_rows(archive, entry), naive)
            return
        for batch in table_rows(archive, entry):
            for row in batch:
                for name in naive:
                    if row[name] is not None:
                        row[name] = row[name].replace(tzinfo=None)
            connection.execute(table.insert(), batch)
    except (SQLAlchemyError, _postgres_errors()) as error:
        raise BackupError(
            N_("The rows of table %(table)s could not be loaded: %(error)s"),
            table=table.name,
            error=str(getattr(error, "orig", error)).splitlines()[0],
        ) from None


def _copy_rows(
    connection: Connection, table: Table, batches: Iterator[list[dict]], naive: set[str]
) -> None:
    """Load rows into PostgreSQL with COPY, in the restore's transaction (several times faster).

    JSON columns are written as JSON text (None as JSON ``null``, as the app writes it).
    """
    from psycopg import sql

    json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(column.name) for column in table.columns),
    )
    names = [column.name for column in table.columns]
    cursor = connection.connection.dbapi_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for batch in batches:
            for row in batch:
                for name in json_columns:
                    row[name] = json.dumps(row[name], ensure_ascii=False)
                for name in naive:
                    if row[name] is not None:
                        row[name] = row[name].replace(tzinfo=None)
                copy.write_row([row[name] for name in names])


def _postgres_errors() -> type[Exception]:
    """Return psycopg's base error (a COPY's refusal), or a stand-in without psycopg."""
    try:
        from psycopg import Error
    except ImportError:  # an installation on SQLite only
        return SQLAlchemyError
    return Error


def _move_sequences(connection: Connection, tables) -> None:
    """Set each PostgreSQL id sequence past the loaded ids, so new rows get new ids."""
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": key[0].name},
        ).scalar()
        if sequence is None:
            continue
        highest = connection.execute(select(key[0]).order_by(key[0].desc()).limit(1)).scalar()
        connection.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": highest or 1, "called": highest is not None},
        )

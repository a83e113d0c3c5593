"""Writing a backup: every table of one snapshot into an archive, while the app serves."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    select,
)

from engage import db
from engage.backup.archive import (
    BATCH_ROWS,
    ENCODERS,
    MANIFEST,
    BackupError,
    Manifest,
    TableEntry,
    _begin_snapshot,
    _encode_line,
    _summary,
    archived_tables,
    type_name,
)
from engage.report_cache import engage_version
from surveys.audit import write_audit
from surveys.messages import N_


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
            revision = db.current_revision(connection)
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


def _record(engine: Engine, action: str, manifest: Manifest) -> None:
    """Write the audit event of a backup (counts only, never content)."""
    with db.Session(engine) as session:
        write_audit(session, None, action, "database", "", None, {}, _summary(manifest))
        session.commit()

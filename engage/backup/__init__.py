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

from engage.backup.archive import (
    BATCH_ROWS,
    FORMAT,
    FORMAT_VERSION,
    LEFT_OUT,
    LONGEST_LINE,
    MANIFEST,
    READ_BYTES,
    TYPE_NAMES,
    BackupError,
    Manifest,
    TableEntry,
    archived_tables,
    check_archive,
    engage_tables,
    read_manifest,
    table_rows,
    type_name,
)
from engage.backup.restore import restore
from engage.backup.write import write_backup

__all__ = [
    "BATCH_ROWS",
    "BackupError",
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "LONGEST_LINE",
    "MANIFEST",
    "Manifest",
    "READ_BYTES",
    "TYPE_NAMES",
    "TableEntry",
    "archived_tables",
    "check_archive",
    "engage_tables",
    "read_manifest",
    "restore",
    "table_rows",
    "type_name",
    "write_backup",
]

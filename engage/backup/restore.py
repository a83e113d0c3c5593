"""Restoring a backup into an empty database of either kind, in one transaction."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from engage import db
from engage.backup.archive import (
    BackupError,
    Manifest,
    TableEntry,
    _open,
    _summary,
    archived_tables,
    check_archive,
    engage_tables,
    table_rows,
)
from surveys.audit import write_audit
from surveys.messages import N_


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
    if manifest.revision != db.head_revision():
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
    revision = db.current_revision(connection)
    if revision is None:
        raise BackupError(
            N_("The database has tables but no Engage schema: restore into a new, empty database.")
        )
    if revision not in db.known_revisions():
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

    order = db.known_revisions()
    current = db.current_revision(connection)
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

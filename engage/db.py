"""Database engine, one session per request, writes retried while busy, Alembic migrations."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine  # noqa: F401  (Session re-exported)

from surveys.busy import is_busy  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# How long a SQLite connection waits for another's write lock before "database is locked".
BUSY_TIMEOUT_SECONDS = 5.0
# Waits between attempts: doubling from the first, never more than the last (with jitter).
FIRST_WAIT_SECONDS = 0.05
LONGEST_WAIT_SECONDS = 1.0

T = TypeVar("T")


class DatabaseBusyError(Exception):
    """Every attempt of a write found the database locked; nothing of it was stored."""


def build_engine(url: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and foreign keys on every connection."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout}
        )
        event.listen(engine, "connect", partial(configure_sqlite, busy_timeout=busy_timeout))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def configure_sqlite(dbapi_connection, _record, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
    """Set the pragmas a concurrent web app needs on a fresh SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Create the engine for ``app`` and close the request's session at teardown."""
    app.extensions["engage.engine"] = build_engine(
        app.config["DATABASE_URL"], app.config["SQLITE_BUSY_TIMEOUT"]
    )
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    """Return the current application's engine."""
    return current_app.extensions["engage.engine"]


def get_session() -> Session:
    """Return the request's database session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, rolling back anything left uncommitted."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def write_retrying(write: Callable[[Session], T]) -> T:
    """Run ``write`` (one whole transaction, committed) on the request's session, again while busy.

    SQLite's busy timeout already waits for another writer; when it runs out, or
    when SQLite refuses at once (a read snapshot that went stale), the transaction
    is rolled back and run again from the start, ``WRITE_ATTEMPTS`` times in all
    with a growing wait between. After the last attempt ``DatabaseBusyError`` is raised
    and nothing of the write is stored.
    """
    session = get_session()
    attempts = max(1, current_app.config["WRITE_ATTEMPTS"])
    wait = FIRST_WAIT_SECONDS
    for attempt in range(1, attempts + 1):
        try:
            return write(session)
        except OperationalError as error:
            session.rollback()
            if not is_busy(error):
                raise
            if attempt == attempts:
                raise DatabaseBusyError(str(error.orig)) from error
        current_app.logger.info("Database busy; writing again in about %.2f s.", wait)
        time.sleep(wait * random.uniform(0.5, 1.5))  # apart from other retrying writers
        wait = min(LONGEST_WAIT_SECONDS, wait * 2)


def alembic_config(bind: Engine | Connection) -> Config:
    """Return an Alembic configuration that migrates ``bind``.

    An engine is migrated in a transaction of its own; a connection in the
    transaction it is in, which its owner commits or rolls back.
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection" if isinstance(bind, Connection) else "engine"] = bind
    return cfg


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    """Create the schema or bring it up to ``revision``; safe to run again."""
    from alembic import command

    command.upgrade(alembic_config(bind), revision)


@cache
def head_revision() -> str:
    """Return the newest schema revision this code knows (its migrations' head)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@cache
def known_revisions() -> tuple[str, ...]:
    """Return every schema revision this code knows, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    return tuple(revision.revision for revision in reversed(list(script.walk_revisions())))


def current_revision(bind: Engine | Connection) -> str | None:
    """Return the schema's Alembic revision, or None for an empty database.

    A connection is read in the transaction it is in (a backup reads its snapshot's).
    """
    from alembic.runtime.migration import MigrationContext

    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()

"""Database engine, one session per request, and Alembic migrations."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine  # noqa: F401  (Session re-exported)

MIGRATIONS = Path(__file__).parent / "migrations"


def build_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and foreign keys on every connection."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def configure_sqlite(dbapi_connection, _record) -> None:
    """Set the pragmas a concurrent web app needs on a fresh SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Create the engine for ``app`` and close the request's session at teardown."""
    app.extensions["engage.engine"] = build_engine(app.config["DATABASE_URL"])
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


def alembic_config(bind: Engine) -> Config:
    """Return an Alembic configuration that migrates ``bind``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = bind
    return cfg


def upgrade(bind: Engine, revision: str = "head") -> None:
    """Create the schema or bring it up to ``revision``; safe to run again."""
    command.upgrade(alembic_config(bind), revision)


def current_revision(bind: Engine) -> str | None:
    """Return the schema's Alembic revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()

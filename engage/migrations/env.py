"""Alembic environment: migrates the engine handed over by ``engage.db.upgrade``."""

from alembic import context
from sqlmodel import SQLModel

from surveys import models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run the migrations on the engine (or the connection) in the Alembic config's attributes."""
    given = context.config.attributes.get("connection")
    if given is not None:
        # A restore (engage.backup) migrates inside its own transaction: nothing is
        # committed here, and on SQLite it turned foreign keys off before it began.
        sqlite = given.dialect.name == "sqlite"
        context.configure(
            connection=given,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table, drops it and renames the copy: with foreign keys
            # enforced, dropping a table other rows refer to (users) fails. SQLite's own
            # advice for such changes: keys off during them (the pragma is ignored inside a
            # transaction, so before it), then checked once at the end.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("the migration left rows whose foreign keys point nowhere")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations()

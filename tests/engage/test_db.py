"""Migrations, SQLite settings and the init-db command."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from engage import create_app, db

EXPECTED_TABLES = {
    "users",
    "surveys",
    "survey_texts",
    "questions",
    "choices",
    "responses",
    "response_contacts",
    "answers",
    "group_sessions",
    "group_demographics",
    "group_tallies",
    "group_feedback",
    "audit_events",
    "population_benchmarks",
}


def test_migrations_create_every_table_from_empty(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    engine = app.extensions["engage.engine"]
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    assert db.current_revision(engine) is not None
    engine.dispose()


def test_migrations_match_the_models(app):
    engine = app.extensions["engage.engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_init_db_is_safe_to_run_twice(runner, app):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "Database ready" in second.output


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": ""})
    engine = app.extensions["engage.engine"]
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()


def test_foreign_keys_are_enforced(app, session):
    from sqlalchemy.exc import IntegrityError

    from surveys.models import Question

    session.add(Question(survey_id=999, name="orphan", kind="short_text"))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
    else:
        raise AssertionError("a question for a missing survey was stored")


def test_a_database_with_responses_upgrades_through_table_rebuilds(database_url, tmp_path):
    """Revisions that rebuild ``users`` on SQLite keep the rows that refer to it."""
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, active, created_at,"
                " session_version, restricted) VALUES (7, 'broker@example.org', 'B', 'broker',"
                " 'x', TRUE, CURRENT_TIMESTAMP, 0, FALSE)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO surveys (id, slug, status, default_language, languages, settings,"
                " created_at, updated_at) VALUES (3, 's', 'open', 'en', '[\"en\"]', '{}',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO responses (public_id, survey_id, channel, language, submitted_at,"
                " collected_at, entered_by_id, idempotency_key, status) VALUES ('p1', 3,"
                " 'paper', 'en', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 7, 'k1', 'submitted')"
            )
        )
    db.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT entered_by_id FROM responses")).scalar() == 7
        assert connection.execute(text("SELECT email FROM users")).scalar() == "broker@example.org"
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()

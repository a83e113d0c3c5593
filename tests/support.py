"""Helpers shared by the test modules (fixtures live in conftest.py)."""

import os
from pathlib import Path

from sqlalchemy import create_engine, text

# Every file a test reads lives here, inside the repository (tests/fixtures/README.md).
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Set by .ci/run for the PostgreSQL pass, e.g. postgresql://engage@127.0.0.1:5432/engage_test
POSTGRES_URL = os.environ.get("ENGAGE_TEST_DATABASE_URL", "")


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema so each test starts from an empty database."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        # A connection an earlier test left open would hold locks and block the drop forever.
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(database_url: str, instance: Path, **overrides):
    """Build an app with the schema migrated and CSRF off unless asked for."""
    from engage import create_app, db

    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)
    db.upgrade(app.extensions["engage.engine"])
    return app


PASSWORD = "correct horse battery"


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the login form."""
    return client.post("/auth/login", data={"email": email, "password": password})


def assign(session, survey, *users) -> None:
    """Assign ``survey`` to these accounts (brokers see only assigned surveys)."""
    from surveys.models import SurveyAssignment

    for user in users:
        session.add(SurveyAssignment(survey_id=survey.id, user_id=user.id))
    session.commit()

"""Shared fixtures: an app on a throwaway database (SQLite, or PostgreSQL when asked)."""

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]

# Set by .ci/run for the PostgreSQL pass, e.g. postgresql://engage@127.0.0.1:5432/engage_test
POSTGRES_URL = os.environ.get("ENGAGE_TEST_DATABASE_URL", "")


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema so each test starts from an empty database."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path) -> str:
    """Return an empty database's URL: PostgreSQL in the CI pass that sets it, else SQLite."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'engage-test.sqlite3'}"


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


@pytest.fixture
def app(database_url, tmp_path):
    """An Engage app on an empty, migrated database."""
    app = make_app(database_url, tmp_path / "instance")
    yield app
    app.extensions["engage.engine"].dispose()


@pytest.fixture
def client(app):
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for ``app``'s ``engage`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session on ``app``'s database."""
    from sqlmodel import Session

    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        yield session


PASSWORD = "correct horse battery"


@pytest.fixture
def users(app, session):
    """One account per role, all with ``PASSWORD``."""
    from engage.auth import create_user

    return {
        role: create_user(session, f"{role}@example.ca", role, PASSWORD, name=role.title())
        for role in ("admin", "staff", "broker")
    }


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the login form."""
    return client.post("/auth/login", data={"email": email, "password": password})


@pytest.fixture
def login_as(client, users):
    """Sign the test client in as the given role."""

    def sign_in(role: str):
        response = login(client, users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return sign_in

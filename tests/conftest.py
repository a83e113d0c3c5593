"""Shared fixtures: an app on a throwaway database (SQLite, or PostgreSQL when asked)."""

import pytest
from support import PASSWORD, POSTGRES_URL, login, make_app, reset_postgres


@pytest.fixture
def database_url(tmp_path) -> str:
    """Return an empty database's URL: PostgreSQL in the CI pass that sets it, else SQLite."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'engage-test.sqlite3'}"


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


@pytest.fixture
def users(app, session):
    """One account per role, all with ``PASSWORD``."""
    from engage.auth import create_user

    return {
        role: create_user(session, f"{role}@example.ca", role, PASSWORD, name=role.title())
        for role in ("admin", "staff", "broker")
    }


@pytest.fixture
def login_as(client, users):
    """Sign the test client in as the given role."""

    def sign_in(role: str):
        response = login(client, users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return sign_in

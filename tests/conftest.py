"""Shared fixtures: an app on a throwaway database (SQLite, or PostgreSQL when asked)."""

import shutil

import pytest
from support import PASSWORD, POSTGRES_URL, login, make_app, reset_postgres


@pytest.fixture(autouse=True)
def fast_password_hash(request, monkeypatch):
    """Hash test passwords cheaply: scrypt takes most of a second per account.

    Tests about the production hash ask for ``real_password_hash`` to keep scrypt.
    """
    if "real_password_hash" not in request.fixturenames:
        monkeypatch.setattr("engage.auth.PASSWORD_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def real_password_hash():
    """Keep the production password hash (scrypt) for this test."""


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A SQLite file holding the loaded demo, built once per run (None on PostgreSQL)."""
    if POSTGRES_URL:
        return None
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.sqlite3"
    app = make_app(f"sqlite:///{path}", folder / "instance")
    load_demo_into(app)
    engine = app.extensions["engage.engine"]
    with engine.connect() as connection:
        # Fold the WAL into the main file so that a plain copy holds everything.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def load_demo_into(app) -> None:
    """Load the demo into ``app``'s database."""
    from engage.demo import load_demo

    with app.app_context():
        load_demo(app)


@pytest.fixture
def demo_app(demo_template, database_url, tmp_path):
    """An app whose database holds the demo (a copy of the session's template on SQLite)."""
    if demo_template is not None:
        copy = tmp_path / "demo.sqlite3"
        shutil.copyfile(demo_template, copy)
        app = make_app(f"sqlite:///{copy}", tmp_path / "instance")
    else:
        app = make_app(database_url, tmp_path / "instance")
        load_demo_into(app)
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

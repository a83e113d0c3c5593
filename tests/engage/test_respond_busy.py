"""A resident's submission while another connection holds SQLite's write lock.

The write is tried again from the start inside the request; when the lock outlasts
every attempt the resident gets the page back with the answers kept and a "send
again" message (503, Retry-After), never a 500, and nothing half-written.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlmodel import Session, func, select
from support import make_app

from surveys.models import Answer, Response
from tests.engage.test_respond import carried, form_token, make_survey, page_text, post

BUSY_TIMEOUT = 0.2  # seconds SQLite waits for the lock in each attempt


@pytest.fixture
def busy_app(tmp_path):
    """An app on a SQLite file with a short busy timeout, holding the parks survey."""
    path = tmp_path / "busy.sqlite3"
    app = make_app(
        f"sqlite:///{path}",
        tmp_path / "instance",
        SQLITE_BUSY_TIMEOUT=BUSY_TIMEOUT,
        WRITE_ATTEMPTS=3,
    )
    with Session(app.extensions["engage.engine"]) as session:
        make_survey(session)
    app.config["DATABASE_PATH"] = path
    yield app
    app.extensions["engage.engine"].dispose()


def hold_write_lock(path) -> sqlite3.Connection:
    """Open another connection to the file and take its write lock (BEGIN IMMEDIATE)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def stored(app) -> tuple[int, int]:
    """Return how many responses and answers the database holds."""
    with Session(app.extensions["engage.engine"]) as session:
        responses = session.exec(select(func.count()).select_from(Response)).one()
        answers = session.exec(select(func.count()).select_from(Answer)).one()
    return responses, answers


def send_parks(client, token):
    """Answer page one, then send page two with every answer."""
    post(client, token, 0, visited="yes", rating="4")
    return post(client, token, 1, "send", visited="yes", rating="4", age="30", comments="Shade")


def test_submission_waits_out_a_lock_longer_than_the_busy_timeout_and_is_stored_once(busy_app):
    client = busy_app.test_client()
    token = form_token(client.get("/s/parks"))
    other = hold_write_lock(busy_app.config["DATABASE_PATH"])
    held = 2.5 * BUSY_TIMEOUT  # the first attempt gives up; a later one gets the lock
    release = threading.Timer(held, other.rollback)
    release.start()
    started = time.monotonic()
    try:
        sent = send_parks(client, token)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= held
    assert sent.status_code == 303, page_text(sent)
    assert sent.headers["Location"].endswith("/s/parks/thanks")
    assert stored(busy_app) == (1, 4)
    again = post(client, token, 1, "send", visited="yes", rating="4", age="30")
    assert again.status_code == 303
    assert stored(busy_app) == (1, 4)


def test_lock_never_released_gives_the_page_back_with_answers_and_stores_nothing(busy_app):
    client = busy_app.test_client()
    token = form_token(client.get("/s/parks"))
    other = hold_write_lock(busy_app.config["DATABASE_PATH"])
    try:
        sent = send_parks(client, token)
    finally:
        other.rollback()
        other.close()
    assert sent.status_code == 503
    assert sent.headers["Retry-After"] == "1"
    page = page_text(sent)
    assert "There is a problem" in page
    assert "yours are not sent yet. Please wait a few seconds, then send them again" in page
    assert carried(sent) == {"visited": ["yes"], "rating": ["4"]}
    assert 'value="30"' in page and ">Shade</textarea>" in page
    assert form_token(sent) == token
    assert stored(busy_app) == (0, 0)
    # Sent again once the lock is gone: stored once, under the same token.
    resent = post(client, token, 1, "send", visited="yes", rating="4", age="30", comments="Shade")
    assert resent.status_code == 303
    assert stored(busy_app) == (1, 4)


def test_a_locked_database_on_any_other_page_answers_503_not_500(busy_app):
    from surveys.store import survey_by_slug

    busy_app.config["WRITE_ATTEMPTS"] = 1

    @busy_app.post("/test-write")
    def write_something():
        from engage import db

        session = db.get_session()
        survey = survey_by_slug(session, "parks")
        survey.settings = {"touched": True}
        session.commit()
        return "written"

    client = busy_app.test_client()
    other = hold_write_lock(busy_app.config["DATABASE_PATH"])
    try:
        answered = client.post("/test-write")
    finally:
        other.rollback()
        other.close()
    assert answered.status_code == 503
    assert answered.headers["Retry-After"] == "1"
    assert "send it again" in page_text(answered)


def test_the_busy_timeout_setting_reaches_every_sqlite_connection(busy_app):
    from sqlalchemy import text

    with busy_app.extensions["engage.engine"].connect() as connection:
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 200

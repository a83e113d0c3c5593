"""Backups and restores: every row comes back, on SQLite and PostgreSQL, or nothing is written.

The demo is backed up from SQLite and restored into a fresh SQLite file and, when
``ENGAGE_TEST_DATABASE_URL`` names one, into PostgreSQL (and back). Refusals leave the
target database as it was; a backup taken while residents submit holds whole responses.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlmodel import Session, SQLModel
from support import POSTGRES_URL, login, make_app, reset_postgres

from analysis.sentiment import SentimentCutoffs
from engage import backup, db
from engage.demo import DEMO_SLUG
from surveys import report_counts
from surveys.models import AuditEvent, Survey, User
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL is not configured (set ENGAGE_TEST_DATABASE_URL)"
)


def head() -> str:
    """Return the newest schema revision of the migrations."""
    return db.head_revision()


def rows_of(engine) -> dict[str, list[tuple]]:
    """Return every row of every table an archive holds, in primary-key order.

    Audit events of backups and restores themselves are left out: they are written
    after the snapshot (backup) or with the load (restore).
    """
    found = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in backup.LEFT_OUT:
                continue
            statement = select(table).order_by(*table.primary_key.columns)
            if table.name == "audit_events":
                statement = statement.where(table.c.action.not_like("database.%"))
            found[table.name] = [tuple(row) for row in connection.execute(statement)]
    return found


def sqlite_engine(path: Path):
    """Return an engine on a SQLite file (created when first written)."""
    return db.build_engine(f"sqlite:///{path}")


def empty_database(database_url: str):
    """Return an engine on an empty database with no tables at all."""
    if database_url.startswith("postgresql"):
        reset_postgres(database_url)
    return db.build_engine(database_url)


def table_names(engine) -> list[str]:
    """Return the tables the database has."""
    with engine.connect() as connection:
        return inspect(connection).get_table_names()


@pytest.fixture(scope="module")
def demo_source(demo_template, tmp_path_factory) -> Path:
    """A SQLite file holding the demo: a copy of the run's template, else loaded here."""
    folder = tmp_path_factory.mktemp("backup-source")
    path = folder / "demo.sqlite3"
    if demo_template is not None:
        shutil.copyfile(demo_template, path)
    else:
        from conftest import load_demo_into

        app = make_app(f"sqlite:///{path}", folder / "instance")
        load_demo_into(app)
        app.extensions["engage.engine"].dispose()
    return path


@pytest.fixture(scope="module")
def demo_archive(demo_source, tmp_path_factory) -> Path:
    """The demo's backup."""
    archive = tmp_path_factory.mktemp("backup-archive") / "demo-backup.zip"
    engine = sqlite_engine(demo_source)
    backup.write_backup(engine, archive)
    engine.dispose()
    return archive


@pytest.fixture(scope="module")
def demo_rows(demo_source, demo_archive) -> dict[str, list[tuple]]:
    """The demo's rows as the source database holds them."""
    engine = sqlite_engine(demo_source)
    rows = rows_of(engine)
    engine.dispose()
    return rows


# -- the archive ---------------------------------------------------------------------------


def test_archive_holds_every_table_with_its_row_count_and_checksum(
    demo_archive, demo_rows, demo_source
):
    with zipfile.ZipFile(demo_archive) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "engage-backup" and manifest["format_version"] == 1
        assert manifest["revision"] == head()
        assert manifest["engage_version"]
        assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
        assert [table["name"] for table in manifest["tables"]] == list(demo_rows)
        for table in manifest["tables"]:
            data = archive.read(table["file"])
            assert hashlib.sha256(data).hexdigest() == table["sha256"]
            assert len(data.splitlines()) == table["rows"] == len(demo_rows[table["name"]])
        surveys = [json.loads(line) for line in archive.read("tables/surveys.jsonl").splitlines()]
    assert (
        manifest["tables"][[t["name"] for t in manifest["tables"]].index("answers")]["rows"] > 8000
    )
    # Types kept: timestamps in UTC with their offset, JSON columns as JSON.
    assert surveys[0]["slug"] == DEMO_SLUG
    assert surveys[0]["languages"] == ["en", "fr", "ar", "pa"]
    assert surveys[0]["created_at"].endswith("+00:00")
    # The backup is in the audit trail, counts only.
    engine = sqlite_engine(demo_source)
    with Session(engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "database.backup")
        ).scalar_one()
    engine.dispose()
    assert event.new["rows"]["answers"] == len(demo_rows["answers"])


# -- restoring -----------------------------------------------------------------------------


def test_restore_into_a_fresh_sqlite_database_gives_every_row_back(
    demo_archive, demo_rows, tmp_path
):
    engine = sqlite_engine(tmp_path / "restored.sqlite3")
    manifest = backup.restore(engine, demo_archive)
    assert rows_of(engine) == demo_rows
    assert db.current_revision(engine) == head()
    with Session(engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "database.restore")
        ).scalar_one()
    assert event.new["rows"] == {table.name: table.rows for table in manifest.tables}
    engine.dispose()

    # The app runs on it: staff sign in with the demo's account and see the dashboard.
    app = make_app(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "instance")
    client = app.test_client()
    assert login(client, "staff@engage.demo", "demo-staff-password").status_code == 302
    assert client.get(f"/reports/{DEMO_SLUG}/").status_code == 200
    app.extensions["engage.engine"].dispose()


@needs_postgres
def test_restore_moves_the_demo_from_sqlite_to_postgresql_and_back(
    demo_archive, demo_rows, tmp_path
):
    engine = empty_database(POSTGRES_URL)
    backup.restore(engine, demo_archive)
    assert rows_of(engine) == demo_rows
    assert db.current_revision(engine) == head()
    # Each id sequence starts past the loaded ids: new rows get new ids.
    with Session(engine) as session:
        highest = max(row[0] for row in demo_rows["users"])
        user = User(email="new@example.ca", password_hash="x", role="staff")
        session.add(user)
        session.commit()
        assert user.id > highest

    # And back: PostgreSQL's backup restored into SQLite holds the same rows.
    archive = tmp_path / "from-postgresql.zip"
    manifest = backup.write_backup(engine, archive)
    assert manifest.database == "postgresql"
    engine.dispose()
    back = sqlite_engine(tmp_path / "back.sqlite3")
    backup.restore(back, archive)
    again = rows_of(back)
    assert again["users"][-1][1] == "new@example.ca"
    assert {name: rows for name, rows in again.items() if name != "users"} == {
        name: rows for name, rows in demo_rows.items() if name != "users"
    }
    back.dispose()


def test_an_empty_migrated_database_takes_a_restore(
    demo_archive, demo_rows, database_url, tmp_path
):
    # What `engage init-db` then `engage restore` does, on SQLite or PostgreSQL.
    app = make_app(database_url, tmp_path / "instance")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["restore", str(demo_archive)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert rows_of(app.extensions["engage.engine"]) == demo_rows
    app.extensions["engage.engine"].dispose()


def test_tables_of_other_software_in_the_database_are_left_alone(
    demo_archive, demo_rows, database_url, tmp_path
):
    # The webhook queue (Huey) keeps its tables in Engage's PostgreSQL database.
    app = make_app(database_url, tmp_path / "instance")
    engine = app.extensions["engage.engine"]
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE queue_task (id INTEGER PRIMARY KEY, data TEXT)")
        connection.exec_driver_sql("INSERT INTO queue_task VALUES (1, 'send delivery 7')")
    backup.restore(engine, demo_archive)
    assert rows_of(engine) == demo_rows
    archive = tmp_path / "again.zip"
    manifest = backup.write_backup(engine, archive)
    assert "queue_task" not in [table.name for table in manifest.tables]
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT data FROM queue_task").all() == [
            ("send delivery 7",)
        ]
    engine.dispose()


def test_an_older_archive_is_restored_at_its_schema_then_upgraded(database_url, tmp_path):
    # A database at revision 0005, before accounts could be SSO-only (0006).
    old = sqlite_engine(tmp_path / "old.sqlite3")
    db.upgrade(old, "0005")
    with old.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users (id, email, name, password_hash, role, active, created_at, "
            "session_version, restricted) VALUES (7, 'old@example.ca', 'Old', 'x', 'staff', 1, "
            "'2025-01-02 03:04:05.000000', 0, 0)"
        )
    archive = tmp_path / "old.zip"
    assert backup.write_backup(old, archive).revision == "0005"
    old.dispose()

    # Into a database already at the newest schema (its empty tables go down, then up).
    app = make_app(database_url, tmp_path / "instance")
    engine = app.extensions["engage.engine"]
    backup.restore(engine, archive)
    assert db.current_revision(engine) == head()
    with Session(engine) as session:
        user = session.get(User, 7)
        assert (user.email, user.sso_only) == ("old@example.ca", False)
        assert user.created_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    engine.dispose()


# -- refusals: nothing written --------------------------------------------------------------


def test_a_database_with_rows_is_refused_and_left_as_it_was(demo_archive, runner, users, app):
    engine = app.extensions["engage.engine"]
    before = rows_of(engine)
    result = runner.invoke(args=["restore", str(demo_archive)])
    assert result.exit_code == 1
    assert "not empty" in result.output and "users" in result.output
    assert "Nothing was written" in result.output
    assert rows_of(engine) == before


def rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    manifest: Callable[[dict], None] = lambda manifest: None,
) -> Path:
    """Copy an archive, changing its files (None drops one) and its manifest."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        document = json.loads(old.read("manifest.json"))
        manifest(document)
        for name in old.namelist():
            if name == "manifest.json":
                continue
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        new.writestr("manifest.json", json.dumps(document))
    return target


def reseal(document: dict, table: str, data: bytes) -> None:
    """Make the manifest's count and checksum of ``table`` those of ``data``."""
    entry = next(t for t in document["tables"] if t["name"] == table)
    entry["rows"] = len(data.splitlines())
    entry["sha256"] = hashlib.sha256(data).hexdigest()


def answers_with(demo_archive: Path, edit: Callable[[list[bytes]], list[bytes]]) -> bytes:
    """Return the demo archive's answers file with its lines edited."""
    with zipfile.ZipFile(demo_archive) as archive:
        lines = archive.read("tables/answers.jsonl").splitlines(keepends=True)
    return b"".join(edit(lines))


def damaged_archives(demo_archive: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """Return archives each broken one way, with the words of their refusal."""
    changed = answers_with(
        demo_archive, lambda lines: [lines[0].replace(b'"id":1,', b'"id":9,')] + lines[1:]
    )
    bad_line = answers_with(demo_archive, lambda lines: [b"{not json\n"] + lines[1:])
    doubled = answers_with(demo_archive, lambda lines: [lines[0], *lines])
    not_zip = folder / "not-zip.zip"
    not_zip.write_bytes(b"PK\x03\x04 this is not an archive")

    def answers(data):
        return lambda name, old: data if name == "tables/answers.jsonl" else old

    return {
        "newer schema": (
            rewrite(
                demo_archive, folder / "newer.zip", manifest=lambda m: m.update(revision="9999")
            ),
            "newer Engage",
        ),
        "checksum": (rewrite(demo_archive, folder / "changed.zip", answers(changed)), "checksum"),
        "missing file": (
            rewrite(demo_archive, folder / "missing.zip", answers(None)),
            "no file for table answers",
        ),
        "bad row": (
            rewrite(
                demo_archive,
                folder / "bad-row.zip",
                answers(bad_line),
                lambda m: reseal(m, "answers", bad_line),
            ),
            "Line 1 of table answers is not a valid row",
        ),
        "not a zip": (not_zip, "not a ZIP archive"),
        "no manifest": (
            rewrite(demo_archive, folder / "no-manifest.zip", manifest=lambda m: m.clear()),
            "not an Engage backup",
        ),
        # Passes every check; the database refuses the second copy of a row mid-load.
        "refused mid-load": (
            rewrite(
                demo_archive,
                folder / "doubled.zip",
                answers(doubled),
                lambda m: reseal(m, "answers", doubled),
            ),
            "rows of table answers could not be loaded",
        ),
    }


def test_damaged_or_newer_archives_are_refused_with_nothing_written(
    demo_archive, database_url, tmp_path
):
    for case, (archive, words) in damaged_archives(demo_archive, tmp_path).items():
        engine = empty_database(database_url)
        with pytest.raises(backup.BackupError) as refusal:
            backup.restore(engine, archive)
        assert words in str(refusal.value), case
        assert table_names(engine) == [], case
        engine.dispose()


def test_refusals_are_in_the_terminal_language(tmp_path, monkeypatch):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    app = make_app(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "instance")
    missing = str(tmp_path / "nowhere.zip")
    monkeypatch.setenv("LANGUAGE", "fr")
    result = app.test_cli_runner().invoke(args=["restore", missing])
    assert result.exit_code == 1
    with app.test_request_context(), force_locale("fr"):
        assert _("There is no file %(file)s.", file=missing) in result.output
    app.extensions["engage.engine"].dispose()


# -- a backup while residents submit ----------------------------------------------------------


def test_a_backup_taken_while_residents_submit_holds_whole_responses(app, session, tmp_path):
    from report_support import choice_question, comment, likert, make_survey

    survey = make_survey(
        session, [choice_question("mode", ["bus", "car"]), likert("safe"), comment("why")]
    )
    validated = validate_submission(
        survey.questions, {"mode": ["bus"], "safe": ["agree"], "why": ["Buses are on time."]}
    )
    assert report_counts.rebuild(session, survey)  # kept counts follow each submission
    engine = app.extensions["engage.engine"]
    stop = threading.Event()
    stored = []

    def residents() -> None:
        with Session(engine, expire_on_commit=False) as own:
            mine = own.get(Survey, survey.id)
            number = 0
            while not stop.is_set() and number < 2000:
                number += 1
                record_response(
                    own,
                    mine,
                    validated.answers,
                    Provenance(channel="web", language="en", idempotency_key=f"r-{number}"),
                    cutoffs=SentimentCutoffs(),
                )
                stored.append(number)

    thread = threading.Thread(target=residents)
    thread.start()
    try:
        archives = []
        for number in range(4):
            archive = tmp_path / f"during-{number}.zip"
            backup.write_backup(engine, archive)
            archives.append(archive)
    finally:
        stop.set()
        thread.join()
    assert stored, "no resident submitted during the backups"

    seen = set()
    for archive in archives:
        with zipfile.ZipFile(archive) as opened:
            manifest = json.loads(opened.read("manifest.json"))
            tables = {
                table["name"]: [
                    json.loads(line) for line in opened.read(table["file"]).splitlines()
                ]
                for table in manifest["tables"]
            }
            assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
                name: len(rows) for name, rows in tables.items()
            }
        responses = {row["id"] for row in tables["responses"]}
        seen.add(len(responses))
        per_response = Counter(row["response_id"] for row in tables["answers"])
        # Every response whole: its three answers, its facts, and the kept counts with the
        # responses still pending for them agree.
        assert set(per_response) == responses
        assert set(per_response.values()) <= {3}
        assert {row["response_id"] for row in tables["response_facts"]} == responses
        respondents = sum(
            row["count"] for row in tables["report_counts"] if row["query"] == '["respondents"]'
        )
        pending = sum(1 for row in tables["response_facts"] if row["pending_survey_id"])
        assert respondents + pending == len(responses)
    assert len(seen) > 1, "every backup saw the same responses: none ran during submissions"

"""Revision 0014 (a community reviewer's languages) upgrades a database that holds accounts."""

from sqlalchemy import text
from sqlmodel import Session

from engage import create_app, db
from surveys.models import User


def test_a_database_with_accounts_upgrades_to_reviewer_languages(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path)})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine, "0013")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, password_hash, active, created_at,"
                " session_version, restricted, sso_only) VALUES (7, 'broker@example.org', 'B',"
                " 'broker', 'x', TRUE, CURRENT_TIMESTAMP, 0, FALSE, FALSE)"
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
                "INSERT INTO survey_assignments (survey_id, user_id, assigned_at)"
                " VALUES (3, 7, CURRENT_TIMESTAMP)"
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

    assert db.current_revision(engine) >= "0014"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT entered_by_id FROM responses")).scalar() == 7
        assert connection.execute(text("SELECT user_id FROM survey_assignments")).scalar() == 7
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with Session(engine) as session:
        user = session.get(User, 7)
        assert user.email == "broker@example.org"
        assert user.review_languages == []
        user.role, user.review_languages = "reviewer", ["oj", "cr"]
        session.add(user)
        session.commit()
    with Session(engine) as session:
        assert session.get(User, 7).review_languages == ["oj", "cr"]
    engine.dispose()

"""GET /healthz."""


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_fails_when_database_is_unreachable(tmp_path):
    from engage import create_app

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/engage.sqlite3",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_live_answers_without_asking_the_database(tmp_path):
    from engage import create_app

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/engage.sqlite3",
        }
    )
    response = app.test_client().get("/healthz/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_when_the_schema_is_the_newest(client):
    from engage import db

    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "schema": db.head_revision()}


def test_not_ready_while_migrations_are_behind(database_url, tmp_path):
    from engage import create_app, db

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine, "0005")
    client = app.test_client()
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["schema"] == "0005"
    assert (
        body["reason"]
        == f"schema at 0005, this code needs {db.head_revision()}: run engage init-db"
    )
    assert client.get("/healthz").status_code == 200  # the database itself answers

    db.upgrade(engine)  # what engage init-db does
    assert client.get("/healthz/ready").status_code == 200
    engine.dispose()


def test_not_ready_on_an_empty_database(database_url, tmp_path):
    from engage import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url})
    response = app.test_client().get("/healthz/ready")
    assert response.status_code == 503
    assert response.get_json()["reason"].startswith("schema at nothing, this code needs ")
    app.extensions["engage.engine"].dispose()


def test_not_ready_when_the_database_is_unreachable(tmp_path):
    from engage import create_app

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/engage.sqlite3",
        }
    )
    response = app.test_client().get("/healthz/ready")
    assert response.status_code == 503
    assert response.get_json()["reason"] == "database unreachable (OperationalError)"

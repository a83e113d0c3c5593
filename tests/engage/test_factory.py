"""The application factory and its configuration."""

from pathlib import Path

from engage import create_app


def test_default_database_is_sqlite_file_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ENGAGE_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'inst' / 'engage.sqlite3'}"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("ENGAGE_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_engage_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGE_MIN_CELL", "5")
    monkeypatch.setenv("ENGAGE_SECRET_KEY", "from-environment")
    monkeypatch.setenv("ENGAGE_DATABASE_URL", "postgresql://u@127.0.0.1/x")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["MIN_CELL"] == 5
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.extensions["engage.engine"].dialect.name == "postgresql"
    assert app.extensions["engage.engine"].dialect.driver == "psycopg"


def test_config_argument_overrides_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGE_MIN_CELL", "5")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "MIN_CELL": 20})
    assert app.config["MIN_CELL"] == 20


def test_templates_and_translations_are_found(app):
    assert Path(app.template_folder, "base.html").is_file()
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "messages.pot").is_file()


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/auth/login").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_client_address_comes_from_the_load_balancer_only_when_configured(tmp_path):
    seen = []

    def remember_address(app):
        @app.get("/whoami")
        def whoami():
            from flask import request

            seen.append(request.remote_addr)
            return ""

    headers = {"X-Forwarded-For": "203.0.113.7"}
    direct = create_app({"INSTANCE_PATH": str(tmp_path)})
    remember_address(direct)
    direct.test_client().get("/whoami", headers=headers)
    proxied = create_app({"INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": 1})
    remember_address(proxied)
    proxied.test_client().get("/whoami", headers=headers)
    assert seen == ["127.0.0.1", "203.0.113.7"]

"""deploy/: the gunicorn settings load the app, nginx accepts the site, systemd the units."""

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_support import (
    DEPLOY,
    NGINX,
    nginx_command,
    nginx_config,
    self_signed_certificate,
    site_on_loopback,
)

from engage.manage.uploads import UPLOAD_LIMIT

SITE = (DEPLOY / "nginx" / "engage.conf").read_text()


def test_gunicorn_settings_serve_the_app_with_json_request_lines(monkeypatch):
    # Set, then removed: monkeypatch then removes what the settings file sets, afterwards.
    monkeypatch.setenv("ENGAGE_JSON_LOGS", "unset")
    monkeypatch.delenv("ENGAGE_JSON_LOGS")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["wsgi_app"] == "engage:create_app()"
    assert settings["workers"] == 3
    assert settings["bind"] == "127.0.0.1:8000"  # only nginx is exposed
    assert settings["accesslog"] is None  # the app's JSON lines instead
    assert os.environ["ENGAGE_JSON_LOGS"] == "true"
    # nginx waits longer than gunicorn lets a request run.
    proxy_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", SITE)[1])
    assert proxy_timeout > settings["timeout"]


def test_gunicorn_accepts_the_settings_and_builds_the_app(tmp_path):
    env = {
        **os.environ,
        "ENGAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'engage.sqlite3'}",
        "ENGAGE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")]
        + ["--check-config"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_nginx_sends_the_headers_the_app_trusts_and_takes_its_largest_body():
    # ENGAGE_PROXY_COUNT trusts X-Forwarded-For, -Proto and -Host (werkzeug's ProxyFix).
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in SITE
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in SITE
    assert "proxy_set_header X-Forwarded-Host $http_host;" in SITE  # with the port
    assert "proxy_set_header X-Request-Id $request_id;" in SITE
    assert f"client_max_body_size {UPLOAD_LIMIT // (1024 * 1024)}m;" in SITE
    assert UPLOAD_LIMIT % (1024 * 1024) == 0
    # The certificate lines are the operator's to fill in, and say so.
    for line in SITE.splitlines():
        if line.strip().startswith("ssl_certificate"):
            assert line.endswith("# OPERATOR")


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx (Debian package) is not installed")
def test_nginx_accepts_the_site(tmp_path):
    site = site_on_loopback([8001, 8002], 8080, 8443, self_signed_certificate(tmp_path), tmp_path)
    config = nginx_config(tmp_path, site)
    result = subprocess.run(
        nginx_command(tmp_path, config, "-t"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze (systemd) is not installed"
)
def test_systemd_accepts_the_units(tmp_path):
    # The units name /opt/engage/venv; here the commands are this environment's.
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "gunicorn").exists() and (bin_dir / "engage").exists()
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/opt/engage/venv/bin/", f"{bin_dir}/")
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(path) for path in tmp_path.iterdir())
    assert [Path(unit).name for unit in units] == [
        "engage-purge.service",
        "engage-purge.timer",
        "engage-worker.service",
        "engage.service",
    ]
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stderr


@pytest.mark.parametrize(
    ("unit", "command"), [("engage-worker.service", "worker"), ("engage-purge.service", "purge")]
)
def test_the_worker_and_the_purge_run_commands_engage_has(app, unit, command):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert re.search(r"^ExecStart=/opt/engage/venv/bin/engage (\S+)", text, re.M)[1] == command
    assert command in app.cli.commands

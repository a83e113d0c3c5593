"""Two app servers behind nginx, on one PostgreSQL and one Redis: nothing lives on a server.

The deployed files (deploy/gunicorn.conf.py, deploy/nginx/engage.conf with its
OPERATOR lines set for loopback) run as an operator would: nginx takes the app servers
in turn over HTTPS, each server has its own instance folder, and they share only the
database, Redis (ENGAGE_RATELIMIT_STORAGE_URI) and the secret key.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from deploy_support import NGINX, free_port, nginx_command, nginx_config, self_signed_certificate
from deploy_support import site_on_loopback as nginx_site
from sqlalchemy import func, select
from support import POSTGRES_URL, make_app, reset_postgres

from bench.faults import Server, page_form
from engage.db import build_engine
from engage.demo import DEMO_ACCOUNTS, DEMO_SLUG
from surveys.models import Response, StoredReport

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
pytestmark = [
    pytest.mark.skipif(
        not POSTGRES_URL,
        reason="several app servers share a PostgreSQL database: set ENGAGE_TEST_DATABASE_URL",
    ),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx (Debian package) is not installed"),
    pytest.mark.skipif(
        not Path(REDIS_SERVER).exists(), reason="redis-server (Debian package) is not installed"
    ),
]

SUBMISSIONS_PER_MINUTE = 4
FAILED_SIGN_INS_PER_ACCOUNT = 3
STAFF_EMAIL, STAFF_PASSWORD = next((e, p) for role, e, p in DEMO_ACCOUNTS if role == "staff")
CONTACT = "nadia.resident@example.org"
COMMENT = "The 502 bus skips my stop on Queen Street after dark."


@dataclass
class Cluster:
    """nginx in front of two app servers; where to reach it and what it wrote."""

    base: str
    certificate: Path
    redis_port: int
    logs: list[Path]

    def browser(self) -> requests.Session:
        """Return a new browser: its own cookies, trusting the test certificate."""
        browser = requests.Session()
        browser.trust_env = False  # the environment's CA bundle would replace the test's
        browser.verify = str(self.certificate)
        return browser

    def flush_counters(self) -> None:
        """Forget every rate-limit counter (each test starts with none)."""
        import redis

        redis.Redis(host="127.0.0.1", port=self.redis_port).flushall()


def wait_for(check, what: str, timeout: float = 60) -> None:
    """Wait until ``check()`` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process this test started, by its pid."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Start Redis, two gunicorn app servers and nginx on loopback, on the demo in PostgreSQL."""
    import redis

    folder = tmp_path_factory.mktemp("several-servers")
    reset_postgres(POSTGRES_URL)
    app = make_app(POSTGRES_URL, folder / "loader")
    from engage.demo import load_demo

    with app.app_context():
        load_demo(app)
    app.extensions["engage.engine"].dispose()

    redis_port = free_port()
    redis_log = (folder / "redis.log").open("w")
    redis_server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=redis_log,
        stderr=subprocess.STDOUT,
    )
    servers: list[Server] = []
    nginx = None
    try:
        wait_for(lambda: redis.Redis(port=redis_port).ping(), "redis-server")
        for number in (1, 2):
            env = {
                "ENGAGE_DATABASE_URL": POSTGRES_URL,
                "ENGAGE_SECRET_KEY": "several-servers-share-this-secret",
                "ENGAGE_INSTANCE_PATH": str(folder / f"instance-{number}"),
                "ENGAGE_PROXY_COUNT": "1",
                "ENGAGE_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
                "ENGAGE_SERVER_LABEL": f"app-{number}",
                "ENGAGE_SUBMISSION_RATE_LIMIT": f"{SUBMISSIONS_PER_MINUTE} per minute",
                "ENGAGE_SIGN_IN_FAILURES_PER_ACCOUNT": f"{FAILED_SIGN_INS_PER_ACCOUNT} per hour",
            }
            server = Server(free_port(), 2, env, folder / f"app-{number}.log")
            server.start()
            servers.append(server)
        for server in servers:
            server.wait_ready()

        certificate = self_signed_certificate(folder)
        https_port = free_port()
        site = nginx_site(
            [server.port for server in servers], free_port(), https_port, certificate, folder
        )
        nginx = subprocess.Popen(nginx_command(folder, nginx_config(folder, site)))
        base = f"https://127.0.0.1:{https_port}"
        cluster = Cluster(base, certificate[0], redis_port, [server.log for server in servers])
        probe = cluster.browser()
        wait_for(lambda: probe.get(f"{base}/healthz/ready").ok, "nginx")
        yield cluster
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)  # nginx's graceful stop
        for server in servers:
            server.stop()
        stop(redis_server)
        redis_log.close()


@pytest.fixture
def cluster_(cluster):
    """The cluster with no rate-limit counts yet."""
    cluster.flush_counters()
    return cluster


def answer_survey(cluster: Cluster, browser=None, contact: str | None = None):
    """Walk the demo survey page by page and send it; return (answers, servers, token)."""
    browser = browser or cluster.browser()
    answers = {
        "services_used": ["library", "transit"],
        "transit_meets_needs": ["disagree"],
        "satisfaction": ["neutral"],
        "comments": [COMMENT],
    }
    answered = [browser.get(f"{cluster.base}/s/{DEMO_SLUG}", allow_redirects=False)]
    tokens = set()
    while answered[-1].status_code == 200:
        action, hidden, fields, sends = page_form(answered[-1].text)
        tokens.update(value for name, value in hidden if name == "token")
        data = hidden + [(f"q.{name}", value) for name in fields for value in answers.get(name, ())]
        if sends and contact:
            data.append(("contact_email", contact))
        data.append(("action", "send" if sends else "next"))
        answered.append(browser.post(cluster.base + action, data=data, allow_redirects=False))
        if sends:
            break
    return answered, tokens


def responses_with(tokens: set[str]) -> int:
    """Return how many stored responses carry one of ``tokens``."""
    engine = build_engine(POSTGRES_URL)
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count()).where(Response.idempotency_key.in_(tokens))
        ).scalar_one()
    engine.dispose()
    return count


def served_by(answers) -> list[str]:
    """Return the server that answered each response."""
    return [answer.headers["X-Engage-Server"] for answer in answers]


def alternate(servers: list[str]) -> bool:
    """Return whether each answer came from the other server than the one before."""
    return set(servers) == {"app-1", "app-2"} and all(
        a != b for a, b in zip(servers, servers[1:], strict=False)
    )


def sign_in(cluster: Cluster, browser, email: str, password: str):
    """Fetch the sign-in form (one server) and post it (the other); return both answers."""
    form = browser.get(f"{cluster.base}/auth/login")
    token = html.unescape(
        re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text)[1]
    )
    posted = browser.post(
        f"{cluster.base}/auth/login",
        data={"csrf_token": token, "email": email, "password": password},
        headers={"Referer": form.url},  # Flask-WTF checks it over HTTPS, as browsers send it
        allow_redirects=False,
    )
    return form, posted


def test_a_residents_pages_alternate_between_servers_and_are_stored_once(cluster_):
    answered, tokens = answer_survey(cluster_, contact=CONTACT)
    assert [answer.status_code for answer in answered] == [200, 200, 303]
    assert answered[-1].headers["Location"].endswith(f"/s/{DEMO_SLUG}/thanks")
    assert alternate(served_by(answered))  # the form token and session work on both
    assert len(tokens) == 1 and responses_with(tokens) == 1

    # Each answer carries nginx's request id, and the server that answered logged it,
    # with the route and status but nothing the resident typed.
    sent = answered[-1]
    request_id = sent.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    log = cluster_.logs[int(sent.headers["X-Engage-Server"][-1]) - 1].read_text()
    lines = [json.loads(line) for line in log.splitlines() if request_id in line]
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("POST", "/s/<slug>", 303)
    ]
    every_log = "".join(path.read_text() for path in cluster_.logs)
    for personal in (CONTACT, "nadia", "Queen Street", *tokens):
        assert personal not in every_log


def test_a_rate_limit_counts_across_both_servers(cluster_):
    sends = []
    for _resident in range(SUBMISSIONS_PER_MINUTE + 1):
        answered, _tokens = answer_survey(cluster_)
        sends.append(answered[-1])
    assert [answer.status_code for answer in sends] == [303] * SUBMISSIONS_PER_MINUTE + [429]
    assert set(served_by(sends[:SUBMISSIONS_PER_MINUTE])) == {"app-1", "app-2"}
    assert "Nothing is lost" in sends[-1].text

    # Failed sign-ins to one account, counted together by both servers.
    browser = cluster_.browser()
    posted = []
    for attempt in range(FAILED_SIGN_INS_PER_ACCOUNT + 1):
        if attempt % 2:
            browser.get(f"{cluster_.base}/healthz/live")  # the next post goes to the other server
        posted.append(sign_in(cluster_, browser, STAFF_EMAIL, "not the password")[1])
    assert [answer.status_code for answer in posted] == [200] * FAILED_SIGN_INS_PER_ACCOUNT + [429]
    assert set(served_by(posted)) == {"app-1", "app-2"}


def test_a_staff_session_works_on_both_servers(cluster_):
    browser = cluster_.browser()
    form, posted = sign_in(cluster_, browser, STAFF_EMAIL, STAFF_PASSWORD)
    assert posted.status_code == 302
    assert served_by([form, posted]) in (["app-1", "app-2"], ["app-2", "app-1"])
    pages = [browser.get(f"{cluster_.base}/reports/", allow_redirects=False) for _ in range(2)]
    assert [page.status_code for page in pages] == [200, 200]
    assert alternate(served_by(pages))
    for page in pages:
        assert f'href="/reports/{DEMO_SLUG}/"' in page.text


def kept_reports() -> dict[str, float]:
    """Return the stored reports: key -> when built."""
    engine = build_engine(POSTGRES_URL)
    with engine.connect() as connection:
        rows = dict(connection.execute(select(StoredReport.key, StoredReport.built_at)).all())
    engine.dispose()
    return rows


def test_a_dashboard_built_on_one_server_is_reused_by_the_other(cluster_):
    browser = cluster_.browser()
    assert sign_in(cluster_, browser, STAFF_EMAIL, STAFF_PASSWORD)[1].status_code == 302
    engine = build_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(StoredReport.__table__.delete())
    engine.dispose()

    first = browser.get(f"{cluster_.base}/reports/{DEMO_SLUG}/")
    assert first.status_code == 200
    built = kept_reports()
    assert len(built) == 1
    second = browser.get(f"{cluster_.base}/reports/{DEMO_SLUG}/")
    assert second.status_code == 200
    assert alternate(served_by([first, second]))
    # Read, not built again: a build replaces the row with a new time.
    assert kept_reports() == built

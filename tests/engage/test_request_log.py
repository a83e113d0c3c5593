"""One JSON line per request (ENGAGE_JSON_LOGS) with a request id, and no personal data."""

import json
import re

import pytest
from sqlmodel import Session, func, select
from support import make_app

from engage.demo import DEMO_SLUG, ensure_survey
from surveys.models import Response

EMAIL = "amina.resident@example.org"
COMMENT = "My neighbour Farah Qureshi at 12 Elm Street needs the bus at night."


@pytest.fixture
def logged_app(database_url, tmp_path):
    """An app that logs its requests as JSON and names itself, with the demo survey."""
    app = make_app(database_url, tmp_path / "instance", JSON_LOGS=True, SERVER_LABEL="app-7")
    with Session(app.extensions["engage.engine"]) as session:
        ensure_survey(session)
    yield app
    app.extensions["engage.engine"].dispose()


def log_lines(text: str) -> list[dict]:
    """Return the JSON request lines among captured stderr lines."""
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"time"')]


def send_survey(client, headers: dict | None = None):
    """Open the demo survey and send it with a comment and an email address to contact."""
    page = client.get(f"/s/{DEMO_SLUG}", headers=headers)
    token = re.search(r'name="token" value="([^"]+)"', page.get_data(as_text=True))[1]
    data = {
        "token": token,
        "page": "1",
        "action": "send",
        "q.services_used": ["library", "transit"],
        "q.satisfaction": "agree",
        "q.comments": COMMENT,
        "contact_email": EMAIL,
    }
    return token, client.post(f"/s/{DEMO_SLUG}?lang=en", data=data, headers=headers)


def test_each_request_is_one_json_line_with_no_personal_data(logged_app, capsys):
    client = logged_app.test_client()
    capsys.readouterr()
    token, sent = send_survey(client, headers={"X-Request-Id": "0f3c9a7e5b2d4e61a8c7d9b0e1f2a3b4"})
    assert sent.status_code == 303
    with Session(logged_app.extensions["engage.engine"]) as session:
        assert session.exec(select(func.count()).select_from(Response)).one() == 1

    err = capsys.readouterr().err
    lines = log_lines(err)
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "/s/<slug>", 200),
        ("POST", "/s/<slug>", 303),
    ]
    for line in lines:
        assert set(line) == {
            "time",
            "request_id",
            "server",
            "method",
            "route",
            "status",
            "duration_ms",
        }
        assert line["request_id"] == "0f3c9a7e5b2d4e61a8c7d9b0e1f2a3b4"
        assert line["server"] == "app-7"
        assert line["duration_ms"] >= 0
    # Nothing a resident typed, no form token, no address, no query string.
    for secret in (EMAIL, "amina", "Farah", "Elm Street", token, "127.0.0.1", "lang=en"):
        assert secret not in err
    assert sent.headers["X-Request-Id"] == "0f3c9a7e5b2d4e61a8c7d9b0e1f2a3b4"
    assert sent.headers["X-Engage-Server"] == "app-7"


@pytest.mark.parametrize(
    "given",
    [
        "",
        "short",
        'quote"injected',
        "with space in it",
        "x" * 200,
        "tab\there-0000000",
        "semi;colon-000000",
    ],
)
def test_a_request_id_that_does_not_look_like_one_is_replaced(logged_app, capsys, given):
    response = logged_app.test_client().get("/healthz/live", headers={"X-Request-Id": given})
    (line,) = log_lines(capsys.readouterr().err)
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response.headers["X-Request-Id"] == line["request_id"] != given


def test_a_path_that_matches_no_route_is_not_logged(logged_app, capsys):
    capsys.readouterr()
    response = logged_app.test_client().get("/auth/set-password-typo/secret-token-value")
    assert response.status_code == 404
    (line,) = log_lines(capsys.readouterr().err)
    assert line["route"] is None and line["status"] == 404
    assert "secret-token-value" not in json.dumps(line)


def test_no_lines_and_no_headers_unless_configured(app, client, capsys):
    capsys.readouterr()
    response = client.get("/healthz/live", headers={"X-Request-Id": "0f3c9a7e5b2d4e61"})
    assert log_lines(capsys.readouterr().err) == []
    assert "X-Request-Id" not in response.headers
    assert "X-Engage-Server" not in response.headers

"""Security headers on every response; Secure cookies and HSTS behind HTTPS."""

import pytest
from support import PASSWORD, make_app

from engage.security import PERMISSIONS_POLICY


def sign_in(client, **environ):
    return client.post(
        "/auth/login",
        data={"email": "staff@example.ca", "password": PASSWORD},
        **environ,
    )


@pytest.mark.parametrize("path", ["/", "/auth/login", "/s/no-such-survey", "/healthz"])
def test_every_response_carries_a_permissions_policy(client, path):
    assert client.get(path).headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_plain_http_gets_no_hsts_and_no_secure_cookie(client, users):
    response = sign_in(client)
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_behind_a_trusted_https_proxy_cookies_are_secure_and_hsts_is_sent(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance", PROXY_COUNT=1)
    from sqlmodel import Session

    from engage.auth import create_user

    with Session(app.extensions["engage.engine"]) as session:
        create_user(session, "staff@example.ca", "staff", PASSWORD)
    client = app.test_client()
    response = sign_in(client, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # The same app over plain HTTP (the proxy says so) does not claim HTTPS.
    plain = client.get("/auth/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers
    app.extensions["engage.engine"].dispose()


def test_an_untrusted_forwarded_proto_is_ignored(client, users):
    response = sign_in(client, headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_the_https_setting_marks_cookies_secure_and_sends_hsts(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance", HTTPS=True)
    from sqlmodel import Session

    from engage.auth import create_user

    with Session(app.extensions["engage.engine"]) as session:
        create_user(session, "staff@example.ca", "staff", PASSWORD)
    response = sign_in(app.test_client())
    assert "; Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers
    app.extensions["engage.engine"].dispose()

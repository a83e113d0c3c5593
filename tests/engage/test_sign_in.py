"""Signing in safely: where it may send you, how many tries, how long a session lasts."""

import time

import pytest
from sqlmodel import select
from support import PASSWORD, login, make_app

import engage.auth
from engage.auth import SEEN_AT_KEY, SIGNED_IN_AT_KEY, safe_next
from surveys.models import AuditEvent, User


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "/%09/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/%252F/evil.example",
        "/\x00/evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        None,
    ],
)
def test_next_refuses_anything_but_a_path_on_this_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize(
    "target", ["/reports/", "/manage/s/budget?lang=fr", "/intake/budget/entries?page=2"]
)
def test_next_keeps_a_path_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "query",
    ["/%09/evil.example", "/%5C/evil.example", "/%2F/evil.example", "%2F%2Fevil.example"],
)
def test_login_with_a_hostile_next_does_not_leave_the_site(client, users, query):
    response = client.post(
        f"/auth/login?next={query}", data={"email": "staff@example.ca", "password": PASSWORD}
    )
    # A control character in the address is refused outright; the rest sign in and stay.
    if "%09" in query:
        assert response.status_code == 400
    else:
        assert response.status_code == 302
        assert response.headers["Location"] == "/auth/"


def test_login_follows_a_path_on_this_site(client, users):
    response = client.post(
        "/auth/login?next=/reports/", data={"email": "staff@example.ca", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/reports/"


@pytest.fixture
def limited_app(database_url, tmp_path):
    app = make_app(
        database_url,
        tmp_path / "instance",
        RATELIMIT_ENABLED=True,
        SIGN_IN_FAILURES_PER_ACCOUNT="3 per 15 minutes",
        SIGN_IN_FAILURES_PER_ADDRESS="5 per 15 minutes",
    )
    from sqlmodel import Session

    from engage.auth import create_user

    with Session(app.extensions["engage.engine"]) as session:
        create_user(session, "staff@example.ca", "staff", PASSWORD)
        create_user(session, "broker@example.ca", "broker", PASSWORD)
    yield app
    app.extensions["engage.engine"].dispose()


def test_failed_sign_ins_to_one_account_are_limited_then_refused_with_429(limited_app):
    client = limited_app.test_client()
    for _attempt in range(3):
        assert login(client, "staff@example.ca", "wrong password!").status_code == 200
    refused = login(client, "staff@example.ca", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert client.get("/auth/").status_code == 302  # not signed in
    # Another account from the same address may still sign in.
    assert login(client, "broker@example.ca").status_code == 302


def test_an_unknown_email_is_limited_like_a_known_one(limited_app):
    client = limited_app.test_client()
    answers = [login(client, "nobody@example.ca", "wrong password!") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]


def test_failed_sign_ins_from_one_address_are_limited(limited_app):
    client = limited_app.test_client()
    for number in range(5):
        assert login(client, f"guess{number}@example.ca", "wrong").status_code == 200
    assert login(client, "staff@example.ca").status_code == 429


def test_successful_sign_ins_are_not_counted(limited_app):
    client = limited_app.test_client()
    for _attempt in range(6):
        assert login(client, "staff@example.ca").status_code == 302
        client.post("/auth/logout")


def test_unknown_email_costs_the_same_password_hash_as_a_wrong_password(client, users, monkeypatch):
    checked = []
    real_check = engage.auth.check_password_hash

    def recording_check(stored, password):
        checked.append(stored.split(":")[0])
        return real_check(stored, password)

    monkeypatch.setattr(engage.auth, "check_password_hash", recording_check)
    wrong = login(client, "staff@example.ca", "wrong password!")
    unknown = login(client, "nobody@example.ca", "wrong password!")
    assert checked == ["pbkdf2", "pbkdf2"]  # one hash each, with the same method
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.get_data(as_text=True) == unknown.get_data(as_text=True).replace(
        "nobody@example.ca", "staff@example.ca"
    )


def test_unknown_email_hashes_with_the_production_method(client, monkeypatch, real_password_hash):
    checked = []
    real_check = engage.auth.check_password_hash
    monkeypatch.setattr(
        engage.auth,
        "check_password_hash",
        lambda stored, password: checked.append(stored) or real_check(stored, password),
    )
    login(client, "nobody@example.ca", "wrong password!")
    assert checked and checked[0].startswith("scrypt:")


def test_a_cookie_copied_before_logout_no_longer_opens_reports(client, app, users):
    login(client, "staff@example.ca")
    assert client.get("/reports/").status_code == 200
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/reports/").status_code == 200
    client.post("/auth/logout")
    assert copied.get("/reports/").status_code == 302


def test_a_session_version_change_ends_the_session(client, users, session):
    login(client, "staff@example.ca")
    user = session.get(User, users["staff"].id)
    user.session_version += 1  # what a password, role or activity change does
    session.add(user)
    session.commit()
    assert client.get("/reports/").status_code == 302


def shift_session_clock(client, key: str, seconds: float) -> None:
    with client.session_transaction() as cookie:
        cookie[key] = cookie[key] - seconds


def test_an_idle_session_ends(client, users):
    login(client, "staff@example.ca")
    shift_session_clock(client, SEEN_AT_KEY, 29 * 60)
    assert client.get("/reports/").status_code == 200
    shift_session_clock(client, SEEN_AT_KEY, 31 * 60)
    assert client.get("/reports/").status_code == 302


def test_a_session_ends_after_its_lifetime_even_when_used(client, users):
    login(client, "staff@example.ca")
    shift_session_clock(client, SIGNED_IN_AT_KEY, 11 * 3600)
    assert client.get("/reports/").status_code == 200
    shift_session_clock(client, SIGNED_IN_AT_KEY, 2 * 3600)
    assert client.get("/reports/").status_code == 302


def test_session_timeouts_are_settings(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGE_SESSION_IDLE_MINUTES", "5")
    app = make_app(database_url, tmp_path / "instance", SESSION_LIFETIME_HOURS=1)
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 3600
    app.extensions["engage.engine"].dispose()


def test_sign_in_sets_last_sign_in(client, users, session):
    before = time.time()
    login(client, "staff@example.ca")
    session.expire_all()
    signed_in = session.get(User, users["staff"].id).last_sign_in_at
    assert signed_in is not None
    assert signed_in.timestamp() >= before - 1


def audit_actions(session) -> list[tuple]:
    session.expire_all()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    return [(event.action, event.user_id, event.new.get("email")) for event in events]


def test_sign_in_failure_and_sign_out_are_audited(client, users, session):
    staff_id = users["staff"].id
    login(client, "staff@example.ca", "wrong password!")
    login(client, "Nobody@example.ca", "wrong password!")
    login(client, "staff@example.ca")
    client.post("/auth/logout")
    assert audit_actions(session) == [
        ("sign_in_failed", None, None),
        ("sign_in_failed", None, "nobody@example.ca"),
        ("sign_in", staff_id, None),
        ("sign_out", staff_id, None),
    ]
    events = session.exec(select(AuditEvent)).all()
    assert events[0].entity_id == str(staff_id)
    assert {event.new["address"] for event in events} == {"127.0.0.1"}

"""Accounts, sign in and out, role checks, CSRF."""

import pytest
from flask import Blueprint
from sqlmodel import select
from support import PASSWORD, login, make_app

from engage.auth import role_required
from surveys.models import User


def user_count(session) -> int:
    return len(session.exec(select(User)).all())


def test_create_user_command_reads_password_from_stdin(runner, session, real_password_hash):
    result = runner.invoke(
        args=["create-user", "Ana@Example.ca", "--role", "staff", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User)).one()
    assert (user.email, user.role) == ("ana@example.ca", "staff")
    assert "a long enough password" not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_create_user_command_prompts_for_password(runner, session):
    result = runner.invoke(
        args=["create-user", "bo@example.ca", "--role", "broker"],
        input="prompted password\nprompted password\n",
    )
    assert result.exit_code == 0, result.output
    assert session.exec(select(User)).one().role == "broker"


def test_duplicate_email_is_refused_with_one_line_and_changes_nothing(runner, session, users):
    before = user_count(session)
    result = runner.invoke(
        args=["create-user", "STAFF@example.ca", "--role", "admin", "--password-stdin"],
        input="another password\n",
    )
    assert result.exit_code == 1
    assert result.output.strip() == "Error: a user with email staff@example.ca already exists"
    assert user_count(session) == before
    assert session.exec(select(User).where(User.email == "staff@example.ca")).one().role == "staff"


def test_unknown_role_is_refused_with_one_line_and_changes_nothing(runner, session):
    result = runner.invoke(
        args=["create-user", "x@example.ca", "--role", "mayor", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "unknown role 'mayor'" in result.output
    assert user_count(session) == 0


def test_short_password_is_refused(runner, session):
    result = runner.invoke(
        args=["create-user", "x@example.ca", "--role", "staff", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 1
    assert user_count(session) == 0


def test_login_page_is_translated(client):
    page = client.get("/auth/login?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Se connecter" in page


def test_login_page_is_right_to_left_in_arabic(client):
    page = client.get("/auth/login?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page


def test_login_and_logout(client, users):
    response = login(client, "staff@example.ca")
    assert response.status_code == 302
    home = client.get("/auth/").get_data(as_text=True)
    assert "Staff" in home
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/auth/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, users):
    response = login(client, "staff@example.ca", "wrong password!")
    assert response.status_code == 200
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/auth/").status_code == 302


def test_inactive_user_cannot_sign_in(client, users, session):
    user = session.get(User, users["broker"].id)
    user.active = False
    session.add(user)
    session.commit()
    assert login(client, "broker@example.ca").status_code == 200


@pytest.fixture
def staff_only_app(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance")
    bp = Blueprint("staffonly", __name__)

    @bp.get("/staff-only")
    @role_required("admin", "staff")
    def staff_only():
        return "secret figures"

    app.register_blueprint(bp)
    yield app
    app.extensions["engage.engine"].dispose()


def test_broker_is_refused_a_staff_only_page(staff_only_app):
    from sqlmodel import Session

    from engage.auth import create_user

    with Session(staff_only_app.extensions["engage.engine"]) as session:
        create_user(session, "broker@example.ca", "broker", PASSWORD)
        create_user(session, "staff@example.ca", "staff", PASSWORD)
    client = staff_only_app.test_client()
    login(client, "broker@example.ca")
    assert client.get("/staff-only").status_code == 403
    client.post("/auth/logout")
    login(client, "staff@example.ca")
    assert client.get("/staff-only").get_data(as_text=True) == "secret figures"


def test_anonymous_visitor_is_sent_to_login(staff_only_app):
    response = staff_only_app.test_client().get("/staff-only")
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


def test_login_without_csrf_token_is_rejected(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance", WTF_CSRF_ENABLED=True)
    response = app.test_client().post(
        "/auth/login", data={"email": "a@example.ca", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "This form expired" in response.get_data(as_text=True)
    app.extensions["engage.engine"].dispose()


def test_logout_is_a_protected_post(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    app.extensions["engage.engine"].dispose()


def test_login_does_not_redirect_off_site(client, users):
    response = client.post(
        "/auth/login?next=//evil.example/",
        data={"email": "staff@example.ca", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/auth/"

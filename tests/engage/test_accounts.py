"""Accounts: admins create, change and deactivate them; passwords; set-password links; e-mail."""

import quopri
import threading

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select
from support import PASSWORD, login, make_app

from engage.accounts import rules
from engage.accounts.commands import LIST_HEADER
from surveys.definition import SurveyDefinition
from surveys.models import AuditEvent, User
from surveys.store import save_definition

NEW_PASSWORD = "a river of seven lanterns"


@pytest.fixture
def survey(session):
    definition = SurveyDefinition("parks", "en", ("en",), title={"en": "Parks"})
    survey = save_definition(session, definition, status="open")
    session.commit()
    return survey


def audit(session, action):
    session.expire_all()
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def fresh(session, user_id) -> User:
    session.expire_all()
    return session.get(User, user_id)


def link_from(page: str) -> str:
    start = page.index("/accounts/set-password/")
    return page[start : page.index('"', start)]


def test_passwords_shorter_than_12_characters_or_common_are_refused():
    with pytest.raises(rules.AccountError, match="at least 12"):
        rules.check_password("elevenchars")
    with pytest.raises(rules.AccountError, match="common passwords"):
        rules.check_password("1qaz2wsx3edc")  # on the shipped list
    assert len(rules.common_passwords()) > 19000
    rules.check_password(NEW_PASSWORD)


def test_admin_creates_an_account_and_the_one_time_link_sets_its_password(
    client, login_as, session
):
    admin = login_as("admin")
    reply = client.post("/accounts/new", data={"email": "New@Example.ca", "role": "broker"})
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    link = link_from(reply.get_data(as_text=True))
    user = session.exec(select(User).where(User.email == "new@example.ca")).one()
    assert user.password_hash == "" and user.password_token_hash not in link
    (event,) = audit(session, "user.create")
    assert (event.user_id, event.new) == (admin.id, {"email": "new@example.ca", "role": "broker"})

    client.post("/auth/logout")
    refused = client.post(link, data={"password": "short", "confirm": "short"})
    assert refused.status_code == 400 and "at least 12" in refused.get_data(as_text=True)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(link, data=data).status_code == 302
    assert client.get(link).status_code == 404  # single use
    assert login(client, "new@example.ca", NEW_PASSWORD).status_code == 302


def test_an_expired_link_does_not_work(client, session, users):
    token = rules.reset_password(session, users["staff"], actor_id=None, hours=0)
    assert client.get(f"/accounts/set-password/{token}").status_code == 404


def test_duplicate_email_is_refused_on_the_page(client, login_as):
    login_as("admin")
    reply = client.post("/accounts/new", data={"email": "staff@example.ca", "role": "staff"})
    assert reply.status_code == 400
    assert "A user with email staff@example.ca already exists" in reply.get_data(as_text=True)


def test_role_change_and_deactivation_end_the_accounts_sessions_and_are_audited(
    app, login_as, session, users
):
    staff_browser = app.test_client()
    assert login(staff_browser, "staff@example.ca").status_code == 302
    assert staff_browser.get("/reports/").status_code == 200
    client = login_as("admin")
    admin_browser = app.test_client()
    login(admin_browser, "admin@example.ca")
    staff = users["staff"]
    assert (
        admin_browser.post(f"/accounts/{staff.id}/role", data={"role": "broker"}).status_code == 302
    )
    assert staff_browser.get("/reports/").status_code == 302  # signed out
    (event,) = audit(session, "user.set_role")
    assert (event.old, event.new) == ({"role": "staff"}, {"role": "broker"})
    assert (
        admin_browser.post(f"/accounts/{staff.id}/active", data={"active": "0"}).status_code == 302
    )
    assert not fresh(session, staff.id).active
    assert login(staff_browser, "staff@example.ca").status_code == 200  # refused
    assert client is not None


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(client, login_as, session):
    admin = login_as("admin")
    for url, data in (
        (f"/accounts/{admin.id}/role", {"role": "staff"}),
        (f"/accounts/{admin.id}/active", {"active": "0"}),
    ):
        reply = client.post(url, data=data)
        assert reply.status_code == 400
        assert "is the last active administrator" in reply.get_data(as_text=True)
    assert fresh(session, admin.id).role == "admin" and fresh(session, admin.id).active


def test_reset_password_stops_the_old_one(client, login_as, session, users):
    login_as("admin")
    reply = client.post(f"/accounts/{users['staff'].id}/reset-password")
    assert "/accounts/set-password/" in reply.get_data(as_text=True)
    other = client.application.test_client()
    assert login(other, "staff@example.ca").status_code == 200  # old password refused


def test_everyone_changes_their_own_password(client, login_as, session):
    broker = login_as("broker")
    wrong = {"current": "not my password!", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/accounts/password", data=wrong).status_code == 400
    right = dict(wrong, current=PASSWORD)
    assert client.post("/accounts/password", data=right).status_code == 302
    assert client.get("/intake/").status_code == 200  # this browser stays signed in
    assert audit(session, "user.change_password")[0].user_id == broker.id
    other = client.application.test_client()
    assert login(other, "broker@example.ca", NEW_PASSWORD).status_code == 302


def test_admin_assigns_surveys_and_the_change_is_audited(client, login_as, session, users, survey):
    login_as("admin")
    broker = users["broker"]
    reply = client.post(f"/accounts/{broker.id}/surveys", data={"surveys": [str(survey.id)]})
    assert reply.status_code == 302
    assert rules.assigned_survey_ids(session, broker.id) == {survey.id}
    (event,) = audit(session, "user.assign_surveys")
    assert (event.old, event.new) == ({"surveys": []}, {"surveys": [survey.slug]})
    assert (
        client.post(f"/accounts/{broker.id}/surveys", data={"surveys": ["9999"]}).status_code == 400
    )


def test_accounts_list_shows_role_status_and_surveys(client, login_as, users):
    login_as("admin")
    page = client.get("/accounts/").get_data(as_text=True)
    for text in ("broker@example.ca", "Community broker", "Never", "All"):
        assert text in page


# --- The CLI --------------------------------------------------------------------------------


def test_users_commands_follow_the_same_rules(runner, session, users):
    result = runner.invoke(args=["users", "create", "cli@example.ca", "--role", "staff"])
    assert result.exit_code == 0, result.output
    assert "/accounts/set-password/" in result.output
    listing = runner.invoke(args=["users", "list"]).output
    header, *rows, total = [line.split("  ") for line in listing.splitlines()]
    assert [cell.strip() for cell in header if cell] == list(LIST_HEADER)
    assert ["cli@example.ca", "staff", "yes", "never", "no", "all"] in [
        [cell.strip() for cell in row if cell] for row in rows
    ]
    assert total == ["4 accounts"]
    assert runner.invoke(args=["users", "set-role", "cli@example.ca", "broker"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "cli@example.ca"]).exit_code == 0
    result = runner.invoke(args=["users", "deactivate", "admin@example.ca"])
    assert result.exit_code == 1 and "last active administrator" in result.output
    result = runner.invoke(args=["users", "reset-password", "staff@example.ca"])
    assert result.exit_code == 0 and "/accounts/set-password/" in result.output
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["user.create", "user.set_role", "user.deactivate", "user.reset_password"]
    result = runner.invoke(args=["users", "set-role", "nobody@example.ca", "staff"])
    assert result.exit_code == 1 and "no account with email" in result.output


# --- E-mail through a real SMTP server on loopback ------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8")))
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=5271)
    controller.start()
    yield inbox
    controller.stop()


def test_the_link_is_emailed_when_smtp_is_configured(database_url, tmp_path, smtp_inbox):
    app = make_app(
        database_url,
        tmp_path / "instance",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=5271,
        SMTP_TLS=False,
        SMTP_FROM="engage@city.example.ca",
    )
    from engage.auth import create_user

    with app.app_context():
        from sqlmodel import Session

        with Session(app.extensions["engage.engine"]) as session:
            create_user(session, "admin@example.ca", "admin", PASSWORD)
    client = app.test_client()
    login(client, "admin@example.ca")
    reply = client.post("/accounts/new", data={"email": "mail@example.ca", "role": "staff"})
    page = reply.get_data(as_text=True)
    assert "was e-mailed to mail@example.ca" in page and "/set-password/" not in page
    assert smtp_inbox.arrived.wait(10)
    ((recipients, raw),) = smtp_inbox.messages
    headers, body = raw.split("\r\n\r\n", 1)
    assert "Content-Transfer-Encoding: quoted-printable" in headers
    content = headers + "\n" + quopri.decodestring(body.encode()).decode("utf-8")
    assert recipients == ["mail@example.ca"] and "From: engage@city.example.ca" in content
    link = content[content.index("http://localhost/accounts/set-password/") :].split()[0]
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(link.removeprefix("http://localhost"), data=data).status_code == 302
    app.extensions["engage.engine"].dispose()


def test_every_signed_in_page_links_to_change_password_and_admins_to_accounts(client, login_as):
    login_as("broker")
    page = client.get("/intake/").get_data(as_text=True)
    assert 'href="/accounts/password"' in page and 'href="/accounts/"' not in page
    client.post("/auth/logout")
    login_as("admin")
    page = client.get("/reports/").get_data(as_text=True)
    assert 'href="/accounts/password"' in page and ">Accounts</a>" in page
    start = client.get("/auth/").get_data(as_text=True)
    assert start.count('href="/accounts/"') == 2  # the navigation and the start links
    own = client.get("/accounts/password").get_data(as_text=True)
    assert 'href="/accounts/password" aria-current="page"' in own


def test_only_staff_who_may_use_a_survey_preview_it_as_a_draft_or_closed(
    client, login_as, session, users
):
    definition = SurveyDefinition("roads", "en", ("en",), title={"en": "Roads"})
    draft = save_definition(session, definition, status="draft")
    closed = save_definition(session, SurveyDefinition("parks", "en", ("en",)), status="closed")
    session.commit()
    staff = users["staff"]
    rules.set_restricted(session, staff, True, actor_id=None)
    login_as("staff")
    # Restricted and not assigned: what a resident sees, a draft unknown, a closed survey closed.
    assert client.get("/s/roads?preview=1").status_code == 404
    assert client.get("/s/parks?preview=1").status_code == 410
    rules.set_assignments(session, staff, {draft.id, closed.id}, actor_id=None)
    assert client.get("/s/roads?preview=1").status_code == 200
    assert client.get("/s/parks?preview=1").status_code == 200
    client.post("/auth/logout")
    login_as("broker")  # brokers never preview, assigned or not
    assert client.get("/s/roads?preview=1").status_code == 404
    rules.set_assignments(session, users["broker"], {draft.id}, actor_id=None)
    assert client.get("/s/roads?preview=1").status_code == 404


def test_account_list_names_each_accounts_surveys(client, login_as, session, users, survey):
    rules.set_assignments(session, users["broker"], {survey.id}, actor_id=None)
    rules.create_user(session, "idle@example.ca", "broker", PASSWORD, name="Idle")
    login_as("admin")
    page = client.get("/accounts/").get_data(as_text=True)
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
    assert "<td>Parks</td>" in rows["broker@example.ca"]
    assert "<td>None</td>" in rows["idle@example.ca"]
    assert "<td>All</td>" in rows["staff@example.ca"]


def test_set_password_link_is_on_the_configured_address_not_the_request_host(
    tmp_path, database_url
):
    app = make_app(database_url, tmp_path / "based", BASE_URL="https://engage.example.ca")
    with Session(app.extensions["engage.engine"]) as session:
        rules.create_user(session, "admin@example.ca", "admin", PASSWORD)
    client = app.test_client()
    forged = "http://evil.example"  # the Host header a request came with
    credentials = {"email": "admin@example.ca", "password": PASSWORD}
    assert client.post("/auth/login", data=credentials, base_url=forged).status_code == 302
    data = {"email": "new@example.ca", "role": "staff"}
    reply = client.post("/accounts/new", data=data, base_url=forged)
    assert "https://engage.example.ca/accounts/set-password/" in reply.get_data(as_text=True)
    assert "evil.example/accounts/set-password" not in reply.get_data(as_text=True)
    app.extensions["engage.engine"].dispose()

"""API tokens: made on one's account page or with ``engage api-tokens``, shown once, stored
hashed, revocable, audited."""

import hashlib
import re

from api_support import SLUG, bearer, make_survey
from sqlmodel import select
from support import login

from engage.accounts import tokens
from surveys.models import ApiToken, AuditEvent

TOKEN = re.compile(r"engage_[A-Za-z0-9_-]{43}")


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(app, client, session, login_as):
    login_as("broker")
    form = client.get("/accounts/api-tokens")
    assert form.status_code == 200
    made = client.post(
        "/accounts/api-tokens", data={"name": "Kiosk", "scopes": ["submit"], "days": "30"}
    )
    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    [secret] = TOKEN.findall(made.get_data(as_text=True))
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored.model_dump())
    assert (stored.name, stored.scopes, stored.prefix) == ("Kiosk", ["submit"], secret[:11])
    assert stored.expires_at is not None
    listed = client.get("/accounts/api-tokens").get_data(as_text=True)
    assert secret not in listed
    assert stored.prefix in listed
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "api_token.create")).one()
    assert secret not in str(event.new)


def test_a_token_needs_a_name_and_a_scope(client, login_as, session):
    login_as("staff")
    refused = client.post("/accounts/api-tokens", data={"name": "", "days": "0"})
    assert refused.status_code == 400
    assert session.exec(select(ApiToken)).first() is None


def test_revoking_on_the_page_stops_the_token(client, session, login_as, users):
    make_survey(session)
    user = login_as("staff")
    token, secret = tokens.create_token(session, user, ["read"], actor_id=user.id, name="BI")
    url = f"/api/v1/surveys/{SLUG}/responses"
    api = client.application.test_client()
    assert api.get(url, headers=bearer(secret)).status_code == 200
    revoked = client.post(f"/accounts/api-tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert api.get(url, headers=bearer(secret)).get_json()["code"] == "token_revoked"
    assert "Revoked" in client.get("/accounts/api-tokens").get_data(as_text=True)


def test_no_one_revokes_another_accounts_token_but_an_admin(app, client, session, users):
    theirs, _secret = tokens.create_token(session, users["staff"], ["read"], actor_id=None)
    assert login(client, users["broker"].email).status_code == 302
    assert client.post(f"/accounts/api-tokens/{theirs.id}/revoke").status_code == 404
    admin = app.test_client()
    assert login(admin, users["admin"].email).status_code == 302
    page = admin.get(f"/accounts/{users['staff'].id}").get_data(as_text=True)
    assert theirs.prefix in page
    reply = admin.post(f"/accounts/api-tokens/{theirs.id}/revoke")
    assert reply.status_code == 302
    session.expire_all()
    assert session.get(ApiToken, theirs.id).revoked_at is not None


def test_cli_creates_lists_and_revokes_tokens(app, runner, session, users):
    made = runner.invoke(
        args=[
            "api-tokens",
            "create",
            users["staff"].email,
            "--scope",
            "read,export",
            "--expires",
            "7",
        ]
    )
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert TOKEN.fullmatch(secret)
    token = tokens.find_token(session, secret)
    assert token.scopes == ["read", "export"]
    listed = runner.invoke(args=["api-tokens", "list"])
    assert listed.exit_code == 0
    assert users["staff"].email in listed.output and "read,export" in listed.output
    assert secret not in listed.output
    revoked = runner.invoke(args=["api-tokens", "revoke", str(token.id)])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in runner.invoke(args=["api-tokens", "list"]).output
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["api_token.create", "api_token.revoke"]


def test_cli_refuses_an_unknown_scope_account_or_token(runner, users):
    bad_scope = runner.invoke(args=["api-tokens", "create", users["staff"].email, "--scope", "all"])
    assert bad_scope.exit_code != 0
    assert "unknown scope" in bad_scope.output
    nobody = runner.invoke(args=["api-tokens", "create", "no@example.ca", "--scope", "read"])
    assert nobody.exit_code != 0
    assert "no account" in nobody.output
    assert runner.invoke(args=["api-tokens", "revoke", "99"]).exit_code != 0

"""Single sign-on against a real OpenID Provider on loopback (tests/oidc: oidc-provider).

The provider runs in Node.js; the test plays the browser with ``requests`` on its pages
(the sign-in form, its redirects) and with Flask's test client on Engage's, so that every
message between the two is the real one: discovery, the authorization request with state,
nonce and PKCE, the code exchange, the signed ID token and the userinfo call.
"""

import json
import re
import selectors
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from sqlmodel import select
from support import PASSWORD, login, make_app

from engage.accounts import rules, sso
from engage.auth import create_user
from surveys.models import AuditEvent, User

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID = "engage-test"
CLIENT_SECRET = "a-test-client-secret-of-some-length"
# Flask's test client serves "localhost": the provider sends the browser back here.
REDIRECT_URI = "http://localhost/auth/sso/callback"
ROLE_MAP = "engage-admins=admin,engage-staff=staff,engage-brokers=broker"
SSO_METHOD = {"method": "sso"}


def install_provider() -> None:
    """Install the provider's locked packages into tests/oidc/node_modules once."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("the single sign-on tests need Node.js and npm (Debian: nodejs npm)")
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    for offline in (["--offline"], []):  # the npm cache first, then the registry
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", *offline],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode == 0:
            return
    pytest.fail(f"npm ci in tests/oidc failed:\n{done.stdout}\n{done.stderr}")


class Provider:
    """The running provider: its issuer and the accounts file it reads on every request."""

    def __init__(self, issuer: str, accounts_file: Path):
        self.issuer = issuer
        self.accounts_file = accounts_file

    def set_accounts(self, accounts: dict) -> None:
        """Replace the provider's accounts (the next sign-in sees them)."""
        self.accounts_file.write_text(json.dumps(accounts))


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Start oidc-provider on 127.0.0.1 (a port the system picks); stop it by its pid."""
    install_provider()
    folder = tmp_path_factory.mktemp("oidc")
    accounts = folder / "accounts.json"
    accounts.write_text("{}")
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        ["node", "provider.mjs", str(accounts), CLIENT_ID, CLIENT_SECRET, REDIRECT_URI],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=30) and process.stdout.readline()
        if not ready or not ready.startswith("ready "):
            pytest.fail(f"the provider did not start: {(folder / 'provider.log').read_text()}")
        issuer = ready.split()[1]
        discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        assert discovery.json()["issuer"] == issuer
        yield Provider(issuer, accounts)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def person(login: str, groups: list[str], *, verified: bool = True, **claims) -> dict:
    """Return one account of the provider."""
    return {
        login: {
            "email": f"{login}@example.ca",
            "email_verified": verified,
            "name": login.title(),
            "groups": groups,
            **claims,
        }
    }


def sso_app(database_url, tmp_path, provider, **settings):
    """An app that signs staff in with the test provider."""
    config = {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_SCOPE": "openid email profile groups",
        "OIDC_ROLE_MAP": ROLE_MAP,
        "OIDC_CREATE_ACCOUNTS": True,
        "OIDC_LABEL": "Test ID",
    }
    config.update(settings)
    return make_app(database_url, tmp_path / "instance", **config)


@pytest.fixture
def app(database_url, tmp_path, provider):
    """An Engage app with single sign-on on (the suite's ``app`` has none)."""
    app = sso_app(database_url, tmp_path, provider)
    yield app
    app.extensions["engage.engine"].dispose()


def through_provider(start: str, login: str) -> str:
    """Follow the provider's pages as a browser would, signing in as ``login``.

    Return the address the provider sends the browser back to (Engage's callback).
    """
    browser = requests.Session()
    url = start
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _step in range(12):
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(REDIRECT_URI):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        elif response.status_code == 200 and "/interaction/" in url:
            url = urljoin(url, re.search(r'action="([^"]+)"', response.text).group(1))
            response = browser.post(url, data={"login": login}, allow_redirects=False, timeout=10)
        else:
            raise AssertionError(f"the provider answered {response.status_code} at {url}")
    raise AssertionError("the provider never sent the browser back")


def start_sso(client, next_path: str | None = None) -> str:
    """Press "Sign in with Test ID"; return where Engage sends the browser."""
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    response = client.get(f"/auth/sso/login{query}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def callback_path(url: str) -> str:
    """Return the callback address as the test client requests it."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sso_sign_in(client, login: str, next_path: str | None = None):
    """Sign in through the provider as ``login``; return Engage's answer to the callback."""
    return client.get(callback_path(through_provider(start_sso(client, next_path), login)))


def account(session, email: str) -> User | None:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).first()


def events(session, action: str) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.exec(statement))


def refusal_page(client, response) -> str:
    """Return the text of the sign-in page a refused single sign-on sends the browser to."""
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    return text_of(client.get("/auth/login"))


def refused(client, response) -> bool:
    """Return whether single sign-on was refused (the sign-in page, and no one signed in)."""
    refusal_page(client, response)
    return client.get("/reports/").status_code == 302


def text_of(response) -> str:
    """Return a page's text with its markup's whitespace folded."""
    return " ".join(response.get_data(as_text=True).split())


# --- Signing in ------------------------------------------------------------------------------


def test_first_sign_in_creates_an_sso_only_account_with_the_mapped_role(client, session, provider):
    provider.set_accounts(person("alice", ["engage-staff", "unrelated-group"]))
    response = sso_sign_in(client, "alice")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/"
    alice = account(session, "alice@example.ca")
    assert (alice.role, alice.sso_only, alice.name) == ("staff", True, "Alice")
    assert alice.sso_subject == f"{provider.issuer} alice"
    assert alice.last_sign_in_at is not None
    assert client.get("/reports/").status_code == 200
    assert client.get("/accounts/").status_code == 403


def test_sign_in_is_audited_with_its_method_and_the_created_account(client, session, provider):
    provider.set_accounts(person("alice", ["engage-brokers"]))
    sso_sign_in(client, "alice")
    alice = account(session, "alice@example.ca")
    (created,) = events(session, "user.create")
    assert (created.entity_id, created.user_id, created.reason) == (
        str(alice.id),
        None,
        "single sign-on",
    )
    assert created.new == {"email": "alice@example.ca", "role": "broker", "sso_only": True}
    (signed_in,) = events(session, "sign_in")
    assert signed_in.user_id == alice.id
    assert signed_in.new == {"address": "127.0.0.1", **SSO_METHOD}


def test_role_follows_the_providers_groups_at_every_sign_in(app, session, provider):
    first_browser, second_browser = app.test_client(), app.test_client()
    provider.set_accounts(person("alice", ["engage-staff"]))
    sso_sign_in(first_browser, "alice")
    assert first_browser.get("/accounts/").status_code == 403

    provider.set_accounts(person("alice", ["engage-staff", "engage-admins"]))
    assert sso_sign_in(second_browser, "alice").status_code == 302
    assert account(session, "alice@example.ca").role == "admin"
    assert second_browser.get("/accounts/").status_code == 200
    # The change of role ended the session signed in with the old one.
    assert first_browser.get("/reports/").headers["Location"].startswith("/auth/login")
    (changed,) = events(session, "user.set_role")
    assert (changed.old, changed.new, changed.reason) == (
        {"role": "staff"},
        {"role": "admin"},
        "single sign-on",
    )

    create_user(session, "admin@example.ca", "admin", PASSWORD)  # alice is not the last one
    provider.set_accounts(person("alice", ["engage-brokers"]))
    sso_sign_in(second_browser, "alice")
    assert account(session, "alice@example.ca").role == "broker"
    assert second_browser.get("/reports/").status_code == 403


def test_the_role_claim_can_be_roles(database_url, tmp_path, provider, session):
    app = sso_app(
        database_url,
        tmp_path,
        provider,
        OIDC_ROLE_CLAIM="roles",
        OIDC_ROLE_MAP="Engage.Admin=admin",
    )
    provider.set_accounts(person("alice", ["engage-staff"], roles=["Engage.Admin"]))
    assert sso_sign_in(app.test_client(), "alice").status_code == 302
    assert account(session, "alice@example.ca").role == "admin"
    app.extensions["engage.engine"].dispose()


def test_the_authorization_request_carries_state_nonce_and_pkce(client, provider):
    query = parse_qs(urlsplit(start_sso(client)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["scope"] == ["openid email profile groups"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["state"][0] and query["nonce"][0]


def test_an_unreachable_provider_is_a_clear_message_not_a_500(database_url, tmp_path):
    with socket.socket() as closed:  # a loopback port with nothing listening on it
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app = sso_app(database_url, tmp_path, Provider(f"http://127.0.0.1:{port}", None))
    response = app.test_client().get("/auth/sso/login")
    assert response.status_code == 502
    assert "The sign-in service could not be reached" in text_of(response)
    app.extensions["engage.engine"].dispose()


def test_next_is_followed_only_to_a_path_on_this_site(client, provider):
    provider.set_accounts(person("alice", ["engage-staff"]))
    assert sso_sign_in(client, "alice", "/reports/").headers["Location"] == "/reports/"
    assert sso_sign_in(client, "alice", "//evil.example/").headers["Location"] == "/auth/"


# --- Refusals --------------------------------------------------------------------------------


def test_a_person_whose_groups_map_to_no_role_is_refused_and_audited(client, session, provider):
    provider.set_accounts(person("bob", ["finance"]))
    response = sso_sign_in(client, "bob")
    assert "not in a group that may use Engage" in refusal_page(client, response)
    assert account(session, "bob@example.ca") is None
    assert client.get("/reports/").status_code == 302  # not signed in
    assert "not in a group" not in text_of(client.get("/auth/login"))  # said once
    (failed,) = events(session, "sign_in_failed")
    assert failed.new == {
        "address": "127.0.0.1",
        "method": "sso",
        "reason": "no_role",
        "email": "bob@example.ca",
    }
    assert failed.user_id is None


def test_an_existing_account_whose_groups_map_to_no_role_is_refused_and_keeps_its_role(
    client, session, provider
):
    staff = create_user(session, "bob@example.ca", "staff", PASSWORD)
    provider.set_accounts(person("bob", []))
    assert refused(client, sso_sign_in(client, "bob"))
    assert account(session, "bob@example.ca").role == "staff"
    (failed,) = events(session, "sign_in_failed")
    assert (failed.entity_id, failed.new["reason"]) == (str(staff.id), "no_role")


def test_a_deactivated_account_is_refused(client, session, provider):
    provider.set_accounts(person("alice", ["engage-staff"]))
    sso_sign_in(client, "alice")
    alice = account(session, "alice@example.ca")
    rules.set_active(session, alice, False, actor_id=None)
    response = sso_sign_in(client, "alice")
    assert "This Engage account is deactivated" in refusal_page(client, response)
    assert client.get("/reports/").status_code == 302
    assert events(session, "sign_in_failed")[-1].new["reason"] == "deactivated"


def test_without_account_creation_an_unknown_person_is_refused(
    database_url, tmp_path, provider, session
):
    app = sso_app(database_url, tmp_path, provider, OIDC_CREATE_ACCOUNTS=False)
    provider.set_accounts(person("carol", ["engage-staff"]))
    browser = app.test_client()
    response = sso_sign_in(browser, "carol")
    assert "There is no Engage account for carol@example.ca" in refusal_page(browser, response)
    app.extensions["engage.engine"].dispose()


def test_the_last_administrator_losing_the_admin_group_is_refused(client, session, provider):
    provider.set_accounts(person("alice", ["engage-admins"]))
    sso_sign_in(client, "alice")
    provider.set_accounts(person("alice", ["engage-staff"]))
    response = sso_sign_in(client, "alice")
    assert "is the last active administrator" in refusal_page(client, response)
    assert account(session, "alice@example.ca").role == "admin"
    assert events(session, "sign_in_failed")[-1].new["reason"] == "role_refused"


# --- Linking an account an administrator made -------------------------------------------------


def test_an_account_made_ahead_is_linked_by_its_verified_email(client, session, provider):
    made = rules.create_sso_account(session, "carol@example.ca", "broker", "", actor_id=None)
    provider.set_accounts(person("carol", ["engage-staff"]))
    assert sso_sign_in(client, "carol").status_code == 302
    carol = account(session, "carol@example.ca")
    assert carol.id == made.id
    assert carol.sso_subject == f"{provider.issuer} carol"
    assert carol.role == "staff"
    (linked,) = events(session, "user.link_sso")
    assert linked.new == {"sso_subject": f"{provider.issuer} carol"}


def test_an_unverified_email_links_no_account(client, session, provider):
    create_user(session, "dave@example.ca", "staff", PASSWORD)
    provider.set_accounts(person("dave", ["engage-staff"], verified=False))
    response = sso_sign_in(client, "dave")
    assert "did not confirm" in refusal_page(client, response)
    assert account(session, "dave@example.ca").sso_subject is None
    assert events(session, "sign_in_failed")[-1].new["reason"] == "email_not_verified"


def test_an_account_linked_to_another_person_is_not_taken_over(app, session, provider):
    provider.set_accounts(person("erin", ["engage-staff"]))
    sso_sign_in(app.test_client(), "erin")
    # The directory gives erin's address to someone new: a different subject, same email.
    provider.set_accounts({"erin2": person("erin", ["engage-admins"])["erin"]})
    newcomer = app.test_client()
    assert refused(newcomer, sso_sign_in(newcomer, "erin2"))
    assert account(session, "erin@example.ca").sso_subject == f"{provider.issuer} erin"
    assert events(session, "sign_in_failed")[-1].new["reason"] == "other_subject"


# --- Forged, replayed and failed answers ---------------------------------------------------------


def test_a_replayed_callback_is_refused(client, session, provider):
    provider.set_accounts(person("alice", ["engage-staff"]))
    callback = callback_path(through_provider(start_sso(client), "alice"))
    assert client.get(callback).status_code == 302
    replayed = client.get(callback)
    assert "Single sign-on did not complete" in refusal_page(client, replayed)
    assert events(session, "sign_in_failed")[-1].new["reason"] == "state"


def test_a_callback_from_another_browser_or_with_a_changed_state_is_refused(app, provider):
    provider.set_accounts(person("alice", ["engage-staff"]))
    victim, attacker = app.test_client(), app.test_client()
    callback = callback_path(through_provider(start_sso(attacker), "alice"))
    # Login CSRF: the attacker's code, delivered to the victim's browser, signs no one in.
    assert refused(victim, victim.get(callback))
    changed = re.sub(r"state=[^&]+", "state=forged", callback)
    assert refused(attacker, attacker.get(changed))
    assert refused(attacker, attacker.get("/auth/sso/callback"))


def test_a_code_used_twice_is_refused_by_the_provider(app, session, provider):
    provider.set_accounts(person("alice", ["engage-staff"]))
    browser = app.test_client()
    callback = callback_path(through_provider(start_sso(browser), "alice"))
    with browser.session_transaction() as kept:
        waiting = dict(kept)
    assert browser.get(callback).status_code == 302
    with browser.session_transaction() as restored:
        restored.clear()
        restored.update(waiting)  # the state again, as if the browser were copied before
    assert refused(browser, browser.get(callback))
    assert events(session, "sign_in_failed")[-1].new["reason"] == "provider:invalid_grant"


def test_an_error_from_the_provider_is_shown_not_a_500(client, session, provider):
    start = start_sso(client)
    state = re.search(r"state=([^&]+)", start).group(1)
    response = client.get(f"/auth/sso/callback?error=access_denied&state={state}")
    assert "Single sign-on did not complete" in refusal_page(client, response)
    assert events(session, "sign_in_failed")[-1].new["reason"] == "provider:access_denied"


# --- The sign-in page and SSO-only accounts ------------------------------------------------------


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_configured(
    client, database_url, tmp_path
):
    page = text_of(client.get("/auth/login?next=/reports/"))
    assert "Sign in with Test ID" in page
    assert 'href="/auth/sso/login?next=/reports/"' in page
    plain = make_app(database_url, tmp_path / "plain")
    plain_client = plain.test_client()
    assert "Sign in with" not in text_of(plain_client.get("/auth/login"))
    assert plain_client.get("/auth/sso/login").status_code == 404
    assert plain_client.get("/auth/sso/callback").status_code == 404
    plain.extensions["engage.engine"].dispose()


def test_an_sso_only_account_cannot_sign_in_with_a_password(client, session):
    user = create_user(session, "frank@example.ca", "staff", PASSWORD)
    rules.set_sso_only(session, user, True, actor_id=None)
    response = login(client, "frank@example.ca", PASSWORD)
    assert response.status_code == 200
    page = text_of(response)
    assert "The email or password is not right." in page
    assert "use the “Sign in with Test ID” button" in page
    assert client.get("/reports/").status_code == 302
    assert events(session, "sign_in_failed")[-1].new["reason"] == "sso_only"
    # An unknown email gets the same answer: the page does not tell which accounts exist.
    assert "use the “Sign in with Test ID” button" in text_of(login(client, "nobody@example.ca"))


def test_an_sso_only_account_has_no_password_to_reset_or_change(client, session, provider):
    admin = create_user(session, "admin@example.ca", "admin", PASSWORD)
    user = rules.create_sso_account(session, "gina@example.ca", "staff", "", actor_id=admin.id)
    with pytest.raises(rules.AccountError, match="single sign-on only"):
        rules.reset_password(session, user, actor_id=admin.id, hours=1)
    login(client, "admin@example.ca")
    page = text_of(client.get(f"/accounts/{user.id}"))
    assert "Active, single sign-on only" in page
    assert "Reset the password" not in page
    assert client.post(f"/accounts/{user.id}/reset-password").status_code == 400

    provider.set_accounts(person("gina", ["engage-staff"]))
    gina = client.application.test_client()
    sso_sign_in(gina, "gina")
    assert "Change password" not in text_of(gina.get("/auth/"))
    assert "has no password here" in text_of(gina.get("/accounts/password"))


def test_an_admin_makes_an_account_sso_only_and_back(client, session):
    admin = create_user(session, "admin@example.ca", "admin", PASSWORD)
    staff = create_user(session, "staff@example.ca", "staff", PASSWORD)
    login(client, admin.email)
    response = client.post(f"/accounts/{staff.id}/sso-only", data={"sso_only": "y"})
    assert response.status_code == 302
    staff = account(session, "staff@example.ca")
    assert (staff.sso_only, staff.password_hash) == (True, "")
    assert login(client.application.test_client(), staff.email).status_code == 200  # refused
    client.post(f"/accounts/{staff.id}/sso-only", data={})
    assert account(session, "staff@example.ca").sso_only is False
    changes = [(e.old, e.new) for e in events(session, "user.set_sso_only")]
    assert changes == [
        ({"sso_only": False}, {"sso_only": True}),
        ({"sso_only": True}, {"sso_only": False}),
    ]


def test_an_admin_creates_an_sso_only_account_without_a_link(client, session):
    create_user(session, "admin@example.ca", "admin", PASSWORD)
    login(client, "admin@example.ca")
    assert "Signs in only with single sign-on" in text_of(client.get("/accounts/new"))
    response = client.post(
        "/accounts/new", data={"email": "hana@example.ca", "role": "broker", "sso_only": "y"}
    )
    assert response.status_code == 302
    hana = account(session, "hana@example.ca")
    assert (hana.role, hana.sso_only, hana.password_token_hash) == ("broker", True, None)


def test_engage_users_sets_and_clears_sso_only(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "ivan@example.ca", "--role", "staff", "--sso-only"]
    )
    assert result.exit_code == 0, result.output
    assert "signs in only with single sign-on" in result.output
    assert "set-password" not in result.output
    listing = [line.split() for line in runner.invoke(args=["users", "list"]).output.splitlines()]
    assert ["ivan@example.ca", "staff", "yes", "never", "yes", "all"] in listing
    result = runner.invoke(args=["users", "reset-password", "ivan@example.ca"])
    assert result.exit_code == 1 and "single sign-on only" in result.output
    assert runner.invoke(args=["users", "sso-only", "ivan@example.ca", "--off"]).exit_code == 0
    assert account(session, "ivan@example.ca").sso_only is False
    assert runner.invoke(args=["users", "sso-only", "ivan@example.ca"]).exit_code == 0
    assert account(session, "ivan@example.ca").sso_only is True


# --- Settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ({"OIDC_ISSUER": "https://id.example.ca"}, "ENGAGE_OIDC_CLIENT_ID"),
        ({"OIDC_CLIENT_SECRET": "s"}, "ENGAGE_OIDC_ISSUER"),
        (
            {
                "OIDC_ISSUER": "http://id.example.ca",
                "OIDC_CLIENT_ID": "c",
                "OIDC_CLIENT_SECRET": "s",
            },
            "https://",
        ),
        (
            {
                "OIDC_ISSUER": "http://localhost.evil.example",
                "OIDC_CLIENT_ID": "c",
                "OIDC_CLIENT_SECRET": "s",
            },
            "https://",
        ),
        (
            {
                "OIDC_ISSUER": "https://id.example.ca",
                "OIDC_CLIENT_ID": "c",
                "OIDC_CLIENT_SECRET": "s",
                "OIDC_ROLE_MAP": "engage-staff=boss",
            },
            "unknown role 'boss'",
        ),
        (
            {
                "OIDC_ISSUER": "https://id.example.ca",
                "OIDC_CLIENT_ID": "c",
                "OIDC_CLIENT_SECRET": "s",
                "OIDC_ROLE_MAP": "engage-staff",
            },
            "is not VALUE=ROLE",
        ),
    ],
)
def test_incomplete_or_wrong_settings_stop_the_app_with_a_clear_error(
    database_url, tmp_path, settings, complaint
):
    with pytest.raises(sso.SsoSettingError, match=re.escape(complaint)):
        make_app(database_url, tmp_path / "instance", **settings)


def test_the_role_map_reads_the_widest_role_and_json_objects():
    settings = sso.settings_from(
        {
            "OIDC_ISSUER": "https://id.example.ca/",
            "OIDC_CLIENT_ID": "c",
            "OIDC_CLIENT_SECRET": "s",
            "OIDC_ROLE_MAP": {"a=b": "broker", "admins": "admin"},
        }
    )
    assert settings.issuer == "https://id.example.ca"
    assert sso.role_from_claims({"groups": ["a=b", "admins"]}, settings) == "admin"
    assert sso.role_from_claims({"groups": "a=b"}, settings) == "broker"
    assert sso.role_from_claims({"groups": 7}, settings) is None
    assert sso.parse_role_map("x=y=staff, b = broker") == {"x=y": "staff", "b": "broker"}

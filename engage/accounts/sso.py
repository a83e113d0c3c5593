"""Single sign-on with OpenID Connect: staff sign in with their organisation's account.

A municipality's identity provider (Microsoft Entra ID, Google Workspace, or any OpenID
Provider) signs staff in. Authlib's Flask client does the protocol: discovery from the
issuer (OpenID Connect Discovery 1.0), the authorization code flow with PKCE (RFC 7636,
S256), ``state`` against cross-site request forgery, and the ID token's signature,
issuer, audience, expiry and ``nonce`` (OpenID Connect Core 1.0, section 3.1.3.7).

This module decides who that person is in Engage. The account is found by its subject
(issuer and ``sub``), else by an email the provider verified (and linked to the subject);
a new one is created only when the settings allow it and the person's claims map to a
role. With a role map set, the role follows the provider's claims at every sign-in. The
sign-in itself is ``engage.auth.complete_sign_in``, as for a password; refusals are
audited as failed sign-ins with their reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from sqlmodel import Session, select

from engage import auth, db
from engage.accounts import rules
from engage.accounts.links import site_url
from engage.limits import limiter
from surveys.messages import N_
from surveys.models import ROLES, User

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")

CLIENT_NAME = "engage_sso"
# Where to go after signing in (a path on this site), kept from /login to /callback.
NEXT_KEY = "sso_next"
# Why the last single sign-on was refused, shown once by the sign-in page.
REFUSAL_KEY = "sso_refused"
# The audit's reason for changes single sign-on makes to an account.
SSO_REASON = "single sign-on"
DEFAULT_ROLE_CLAIM = "groups"
# Plain http is accepted for an issuer on this machine only (a provider run for tests).
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DID_NOT_COMPLETE = N_("Single sign-on did not complete. Please try again.")
UNREACHABLE = N_("The sign-in service could not be reached. Please try again later.")


class SsoSettingError(ValueError):
    """The single sign-on settings are incomplete or wrong; the app does not start."""


@dataclass(frozen=True)
class SsoSettings:
    """The ``ENGAGE_OIDC_*`` settings, checked."""

    issuer: str
    client_id: str
    client_secret: str
    scope: str
    role_claim: str
    role_map: dict[str, str]
    create_accounts: bool
    trust_email: bool
    label: str
    timeout_seconds: float

    @property
    def metadata_url(self) -> str:
        """Return the provider's discovery document address."""
        return self.issuer + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class SsoIdentity:
    """Who the provider says signed in, as Engage reads it."""

    subject: str
    email: str
    email_verified: bool
    name: str
    role: str | None


class SignInRefusedError(Exception):
    """A single sign-on that must not sign anyone in.

    ``reason`` is recorded in the audit; ``message`` (an ``N_`` string with ``params``, and
    ``email`` as a param too) is shown; ``user`` is the account concerned, when there is one.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        user: User | None = None,
        email: str = "",
        **params: object,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.user = user
        self.email = email
        self.params = params


def parse_role_map(value: Any) -> dict[str, str]:
    """Return {claim value: role} from ``"group=role,group=role"`` or a JSON object."""
    if not value:
        return {}
    if isinstance(value, dict):
        pairs = [(str(claim), str(role)) for claim, role in value.items()]
    elif isinstance(value, str):
        pairs = []
        for item in value.split(","):
            if not item.strip():
                continue
            claim, equals, role = item.rpartition("=")
            if not equals or not claim.strip():
                raise SsoSettingError(
                    f"ENGAGE_OIDC_ROLE_MAP: {item.strip()!r} is not VALUE=ROLE "
                    "(e.g. engage-staff=staff)"
                )
            pairs.append((claim.strip(), role.strip()))
    else:
        raise SsoSettingError("ENGAGE_OIDC_ROLE_MAP must be VALUE=ROLE,VALUE=ROLE or an object")
    for claim, role in pairs:
        if role not in ROLES:
            raise SsoSettingError(
                f"ENGAGE_OIDC_ROLE_MAP: {claim!r} maps to unknown role {role!r} "
                f"(one of {', '.join(ROLES)})"
            )
    return dict(pairs)


def settings_from(config: dict) -> SsoSettings | None:
    """Return the single sign-on settings, None when they are not set; refuse a partial set."""
    required = {
        "ENGAGE_OIDC_ISSUER": str(config.get("OIDC_ISSUER") or "").strip(),
        "ENGAGE_OIDC_CLIENT_ID": str(config.get("OIDC_CLIENT_ID") or "").strip(),
        "ENGAGE_OIDC_CLIENT_SECRET": str(config.get("OIDC_CLIENT_SECRET") or ""),
    }
    if not any(required.values()):
        return None
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise SsoSettingError(f"single sign-on needs {', '.join(missing)} as well")
    issuer = required["ENGAGE_OIDC_ISSUER"].rstrip("/")
    address = urlsplit(issuer)
    loopback = address.scheme == "http" and address.hostname in LOOPBACK
    if not (address.scheme == "https" or loopback) or not address.hostname:
        raise SsoSettingError("ENGAGE_OIDC_ISSUER must be an https:// address")
    scope = str(config.get("OIDC_SCOPE") or "openid email profile")
    if "openid" not in scope.split():
        raise SsoSettingError("ENGAGE_OIDC_SCOPE must include openid")
    return SsoSettings(
        issuer=issuer,
        client_id=required["ENGAGE_OIDC_CLIENT_ID"],
        client_secret=required["ENGAGE_OIDC_CLIENT_SECRET"],
        scope=scope,
        role_claim=str(config.get("OIDC_ROLE_CLAIM") or DEFAULT_ROLE_CLAIM),
        role_map=parse_role_map(config.get("OIDC_ROLE_MAP")),
        create_accounts=bool(config.get("OIDC_CREATE_ACCOUNTS")),
        trust_email=bool(config.get("OIDC_TRUST_EMAIL")),
        label=str(config.get("OIDC_LABEL") or "").strip(),
        timeout_seconds=float(config.get("OIDC_TIMEOUT_SECONDS") or 10),
    )


def claim_values(value: Any) -> list[str]:
    """Return a claim's values as strings (providers send one string or a list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def role_from_claims(claims: dict, settings: SsoSettings) -> str | None:
    """Return the role the claims map to: the widest when several do, None when none does."""
    mapped = {
        settings.role_map.get(value) for value in claim_values(claims.get(settings.role_claim))
    }
    return next((role for role in ROLES if role in mapped), None)


def identity_from_claims(claims: dict, settings: SsoSettings) -> SsoIdentity:
    """Read the person from the ID token's (and userinfo's) claims."""
    verified = claims.get("email_verified")
    if verified is None:
        email_verified = settings.trust_email
    else:
        email_verified = verified is True or verified == "true"
    email = claims.get("email")
    name = claims.get("name")
    return SsoIdentity(
        subject=f"{claims['iss']} {claims['sub']}",
        email=email.strip().lower() if isinstance(email, str) else "",
        email_verified=email_verified,
        name=name.strip() if isinstance(name, str) else "",
        role=role_from_claims(claims, settings),
    )


def account_for(session: Session, identity: SsoIdentity, settings: SsoSettings) -> User:
    """Return the account this person signs in to, linking, creating or updating it.

    Everything is checked before anything is written; refusals raise ``SignInRefusedError``.
    """
    if len(identity.subject) > 500:
        raise SignInRefusedError(
            "subject_too_long",
            N_(
                "Your sign-in service sent an identity that Engage cannot store. "
                "Ask your administrator."
            ),
        )
    user = session.exec(select(User).where(User.sso_subject == identity.subject)).first()
    link = False
    if user is None and identity.email:
        user = auth.find_user(session, identity.email)
        link = user is not None
    email = identity.email
    if settings.role_map and identity.role is None:
        raise SignInRefusedError(
            "no_role",
            N_(
                "Your organisation's account is not in a group that may use Engage. "
                "Ask your administrator for access."
            ),
            user=user,
            email=email,
        )
    if user is not None and not user.active:
        raise SignInRefusedError(
            "deactivated",
            N_("This Engage account is deactivated. Ask an administrator to reactivate it."),
            user=user,
        )
    if link:
        if not identity.email_verified:
            raise SignInRefusedError(
                "email_not_verified",
                N_(
                    "An Engage account for %(email)s exists, but your sign-in service did not "
                    "confirm that this address is yours. Ask an administrator."
                ),
                user=user,
                email=email,
            )
        if user.sso_subject and user.sso_subject.split(" ", 1)[0] == settings.issuer:
            # Another person of the same provider: an address given to someone new.
            raise SignInRefusedError(
                "other_subject",
                N_(
                    "The Engage account for %(email)s belongs to another person of your "
                    "organisation. Ask an administrator."
                ),
                user=user,
                email=email,
            )
    if user is None:
        return new_account(session, identity, settings)
    if link:
        rules.link_sso_subject(session, user, identity.subject, reason=SSO_REASON)
    if settings.role_map and identity.role != user.role:
        try:
            rules.set_role(session, user, identity.role, actor_id=None, reason=SSO_REASON)
        except rules.AccountError as error:
            session.rollback()
            raise SignInRefusedError(
                "role_refused", error.message, user=user, **error.params
            ) from None
    return user


def new_account(session: Session, identity: SsoIdentity, settings: SsoSettings) -> User:
    """Create the SSO-only account of a first sign-in, when the settings allow it."""
    if not identity.email:
        raise SignInRefusedError(
            "no_email",
            N_(
                "Your sign-in service did not send an email address, which Engage needs. "
                "Ask your administrator."
            ),
        )
    if not (settings.create_accounts and identity.role):
        raise SignInRefusedError(
            "no_account",
            N_("There is no Engage account for %(email)s. Ask an administrator to create one."),
            email=identity.email,
        )
    if not identity.email_verified:
        raise SignInRefusedError(
            "email_not_verified",
            N_(
                "Your sign-in service did not confirm the address %(email)s, so Engage cannot "
                "open an account for it. Ask your administrator."
            ),
            email=identity.email,
        )
    try:
        return rules.create_sso_account(
            session,
            identity.email,
            identity.role,
            identity.name,
            actor_id=None,
            subject=identity.subject,
            reason=SSO_REASON,
        )
    except rules.AccountError as error:
        session.rollback()
        raise SignInRefusedError(
            "account_refused", error.message, email=identity.email, **error.params
        ) from None


def current_settings() -> SsoSettings | None:
    """Return this app's single sign-on settings, or None when it has none."""
    return current_app.extensions.get("engage.sso")


def settings_or_404() -> SsoSettings:
    """Return the settings; without single sign-on its addresses do not exist."""
    settings = current_settings()
    if settings is None:
        abort(404)
    return settings


def sso_button_text() -> str | None:
    """Return the sign-in button's text, or None when single sign-on is off."""
    settings = current_settings()
    if settings is None:
        return None
    if settings.label:
        return _("Sign in with %(provider)s", provider=settings.label)
    return _("Sign in with your organisation's account")


def oidc_client():
    """Return Authlib's client for the configured provider."""
    return current_app.extensions["authlib.integrations.flask_client"].create_client(CLIENT_NAME)


def discovered(client, settings: SsoSettings) -> dict:
    """Return the provider's discovery document, refusing one that names another issuer.

    OpenID Connect Discovery 1.0, section 4.3: the issuer it gives must be the one asked.
    """
    from authlib.integrations.base_client import OAuthError

    metadata = client.load_server_metadata()
    if str(metadata.get("issuer", "")).rstrip("/") != settings.issuer:
        raise OAuthError(error="issuer_mismatch", description="discovery names another issuer")
    return metadata


def claims_of(client, token: dict, settings: SsoSettings) -> dict:
    """Return the validated ID token's claims, completed from userinfo when they lack some.

    Entra ID puts groups and roles in the ID token; other providers (and the tests'
    provider) give them only from the userinfo endpoint (OpenID Connect Core 5.3).
    """
    from authlib.integrations.base_client import OAuthError

    claims = token.get("userinfo")
    if not claims:  # Authlib validates an ID token only when there is one: insist on it
        raise OAuthError(error="no_id_token", description="the token response has no ID token")
    claims = dict(claims)
    wanted = ["email", *([settings.role_claim] if settings.role_map else [])]
    endpoint = discovered(client, settings).get("userinfo_endpoint")
    if endpoint and any(name not in claims for name in wanted):
        more = client.userinfo(token=token)
        if more.get("sub") != claims["sub"]:  # Core 5.3.2: the same person, or nothing
            raise OAuthError(error="userinfo_sub", description="userinfo names another subject")
        for name, value in more.items():
            claims.setdefault(name, value)
    return claims


def login_page(errors: list[str]) -> str:
    """Return the sign-in page with single sign-on's errors above it."""
    return render_template("auth/login.html", form=auth.LoginForm(), sso_errors=errors)


def refuse(refusal: SignInRefusedError):
    """Audit a refused single sign-on and send the browser to the sign-in page, which says why.

    A redirect, so that the provider's one-time code leaves the address bar and a reload
    does not try it again.
    """
    g.sign_in_failed = True
    details = {"method": "sso", "reason": refusal.reason}
    auth.audit_sign_in(auth.AUDIT_SIGN_IN_FAILED, refusal.user, refusal.email, details)
    session[REFUSAL_KEY] = [refusal.message, {"email": refusal.email, **refusal.params}]
    return redirect(url_for("auth.login"))


def sso_refusals() -> list[str]:
    """Return, once, why the last single sign-on was refused, in the reader's language."""
    if REFUSAL_KEY not in session:
        return []
    message, params = session.pop(REFUSAL_KEY)
    text = _(message, **params)
    return [text[:1].upper() + text[1:]]


@bp.get("/login")
def login():
    """Send the browser to the identity provider (state, nonce and PKCE kept by Authlib)."""
    import requests
    from authlib.common.errors import AuthlibBaseError

    settings = settings_or_404()
    session[NEXT_KEY] = auth.safe_next(request.args.get("next")) or ""
    client = oidc_client()
    try:
        discovered(client, settings)
        return client.authorize_redirect(site_url("sso.callback"))
    except (requests.RequestException, AuthlibBaseError, ValueError):
        current_app.logger.exception("The identity provider's discovery document failed")
        return login_page([_(UNREACHABLE)]), 502


@bp.get("/callback")
@limiter.limit(auth.failed_sign_ins_per_address, deduct_when=auth.sign_in_failed)
def callback():
    """Finish the sign-in the provider sent back: check it, find the account, sign in."""
    import requests
    from authlib.common.errors import AuthlibBaseError
    from authlib.integrations.base_client import MismatchingStateError
    from joserfc.errors import JoseError

    settings = settings_or_404()
    client = oidc_client()
    try:
        token = client.authorize_access_token()
        claims = claims_of(client, token, settings)
        identity = identity_from_claims(claims, settings)
        user = account_for(db.get_session(), identity, settings)
    except SignInRefusedError as refusal:
        return refuse(refusal)
    except MismatchingStateError:
        # No sign-in of this browser is waiting: forged, replayed or from another browser.
        return refuse(SignInRefusedError("state", DID_NOT_COMPLETE))
    except requests.RequestException:
        current_app.logger.exception("The identity provider could not be reached")
        return refuse(SignInRefusedError("unreachable", UNREACHABLE))
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        current_app.logger.warning("Single sign-on refused: %s", error)
        reason = getattr(error, "error", None) or type(error).__name__
        return refuse(SignInRefusedError(f"provider:{reason}", DID_NOT_COMPLETE))
    auth.complete_sign_in(user, {"method": "sso"})
    return redirect(session.pop(NEXT_KEY, "") or url_for("auth.home"))


@bp.errorhandler(RateLimitExceeded)
def too_many_failed_sign_ins(_error):
    """Stop answering sign-ins from an address that failed too often (as the password form)."""
    auth.audit_sign_in(auth.AUDIT_SIGN_IN_LIMITED, None, "", {"method": "sso"})
    message = auth.too_many_failures_message()
    return login_page([message]), 429


def init_app(app: Flask) -> None:
    """Read the settings (a wrong one stops the app) and register the provider with Authlib."""
    settings = settings_from(app.config)
    app.add_template_global(sso_button_text)
    app.add_template_global(sso_refusals)
    if settings is None:
        return
    app.extensions["engage.sso"] = settings
    # Authlib (with requests and cryptography) only where single sign-on is configured:
    # a worker without it starts about 0.1 s sooner.
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.metadata_url,
        client_kwargs={
            "scope": settings.scope,
            "code_challenge_method": "S256",
            "default_timeout": settings.timeout_seconds,
        },
    )

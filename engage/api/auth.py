"""Who is calling: the bearer token, its scopes, and the web app's roles and assignments.

Only ``Authorization: Bearer engage_...`` signs a request in: the session cookie is never
read, so a page's cookie cannot act through the API (and the API needs no CSRF token).
A token acts as its account: a deactivated account's tokens stop, a role change applies
at the next request, and survey assignments are those of ``engage.accounts.access``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from engage import db
from engage.accounts import tokens
from engage.accounts.access import can_use_survey
from engage.api.errors import ApiError
from engage.loading import load_survey
from surveys.models import ROLE_REVIEWER, Survey, User, utcnow

# How often a token's last use is written: not on every request.
LAST_USED_STEP = timedelta(minutes=1)

BEARER_SCHEME = "token"
# The OpenAPI security requirements: a token, or (public addresses) a token or nothing.
TOKEN_REQUIRED = [{BEARER_SCHEME: []}]
TOKEN_OPTIONAL = [{}, {BEARER_SCHEME: []}]


@dataclass(frozen=True)
class Caller:
    """The token of this request and its account."""

    token_id: int
    scopes: tuple[str, ...]
    user: User


def bearer_secret() -> str | None:
    """Return the token of the ``Authorization: Bearer`` header, if there is one."""
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def rate_limit_key() -> str:
    """Count requests per token (by a digest of it), else per address."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]
    return "api-address:" + get_remote_address()


def unauthorized(code: str, detail: str) -> ApiError:
    """Return a 401 refusal naming why the token does not sign in."""
    return ApiError(
        401,
        code,
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="engage", error="invalid_token"'},
    )


def caller() -> Caller | None:
    """Return this request's token and account, None without a token; 401 for a bad one."""
    if "api_caller" in g:
        return g.api_caller
    secret = bearer_secret()
    if secret is None:
        if request.headers.get("Authorization"):
            raise unauthorized("invalid_token", _("Use the Bearer scheme with an API token."))
        g.api_caller = None
        return None
    session = db.get_session()
    token = tokens.find_token(session, secret)
    now = utcnow()
    if token is None:
        raise unauthorized("invalid_token", _("This API token is not known."))
    if token.revoked_at is not None:
        raise unauthorized("token_revoked", _("This API token was revoked."))
    if not tokens.is_usable(token, now):
        raise unauthorized("token_expired", _("This API token has expired."))
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise unauthorized("account_inactive", _("The account of this API token is deactivated."))
    last_used = tokens.as_utc(token.last_used_at)
    if last_used is None or now - last_used >= LAST_USED_STEP:
        token.last_used_at = now
        session.add(token)
        session.commit()
    g.api_caller = Caller(token.id, tuple(token.scopes or ()), user)
    return g.api_caller


def require_token(scope: str | None = None, roles: tuple[str, ...] = ()) -> Caller:
    """Return the caller; 401 without a valid token, 403 without the scope or a role."""
    found = caller()
    if found is None:
        raise ApiError(401, "token_required", _("This address needs an API token."))
    if scope and scope not in found.scopes:
        raise ApiError(
            403,
            "insufficient_scope",
            _("This API token lacks the “%(scope)s” scope.", scope=scope),
        )
    # A community reviewer only labels comments, on the review page; never through the API.
    if (roles and found.user.role not in roles) or found.user.role == ROLE_REVIEWER:
        raise ApiError(403, "role_forbidden", _("Your account's role may not do this."))
    return found


def survey_or_404(slug: str) -> Survey:
    """Return the survey with its questions and choices loaded, or answer 404."""
    survey = load_survey(slug)
    if survey is None:
        raise ApiError(404, "survey_not_found", _("There is no survey at this address."))
    return survey


def require_survey_access(found: Caller, survey: Survey) -> None:
    """Answer 403 when the token's account may not use this survey (as the pages do)."""
    if not can_use_survey(db.get_session(), found.user, survey):
        raise ApiError(
            403,
            "survey_not_assigned",
            _(
                "This survey is not assigned to your account. "
                "Ask an administrator to assign it to you."
            ),
        )


def assigned_survey(slug: str, scope: str, roles: tuple[str, ...]) -> tuple[Caller, Survey]:
    """Return the caller and survey: a token with ``scope`` and a role, the survey assigned."""
    found = require_token(scope, roles)
    survey = survey_or_404(slug)
    require_survey_access(found, survey)
    return found, survey

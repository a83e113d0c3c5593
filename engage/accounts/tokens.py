"""Personal API tokens: the rules the account page, ``engage api-tokens`` and the API share.

A token is ``engage_`` and 32 random bytes (URL-safe base64): the prefix lets secret
scanners and people recognise one. Only its SHA-256 is stored (a random 256-bit secret
needs no slow hash: there is nothing to guess from a dictionary), and it is shown once,
when it is made. A token acts as its account, within its scopes, until it expires or is
revoked; creating and revoking are audited (entity ``api_token``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from engage.accounts.rules import AccountError
from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import API_SCOPES, ROLE_REVIEWER, ApiToken, User, utcnow

TOKEN_PREFIX = "engage_"
TOKEN_BYTES = 32
# Characters of the token kept in clear to recognise it in a list: the prefix and four more.
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 4
MAX_DAYS = 3650
MAX_NAME_LENGTH = 100

AUDIT_CREATE = "api_token.create"
AUDIT_REVOKE = "api_token.revoke"


def token_hash(secret: str) -> str:
    """Return the SHA-256 of a token: the only form of it that is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def as_utc(moment: datetime | None) -> datetime | None:
    """Return ``moment`` timezone-aware in UTC (SQLite gives naive datetimes back)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=utcnow().tzinfo)


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """Return the scopes in their usual order, or refuse an unknown or missing one."""
    chosen = {scope.strip() for scope in scopes if scope.strip()}
    unknown = sorted(chosen - set(API_SCOPES))
    if unknown:
        raise AccountError(
            N_("unknown scope %(scope)s; choose among %(scopes)s"),
            scope=repr(unknown[0]),
            scopes=", ".join(API_SCOPES),
        )
    if not chosen:
        raise AccountError(N_("choose at least one scope"))
    return [scope for scope in API_SCOPES if scope in chosen]


def create_token(
    session: Session,
    user: User,
    scopes: Iterable[str],
    *,
    actor_id: int | None,
    name: str = "",
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it and its secret (shown once, never stored). Commits."""
    chosen = check_scopes(scopes)
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise AccountError(
            N_("a token lasts from 1 to %(days)s days"),
            days=MAX_DAYS,
        )
    if not user.active:
        raise AccountError(N_("%(email)s is deactivated"), email=user.email)
    if user.role == ROLE_REVIEWER:
        # A community reviewer labels comments on the review page, and does nothing else.
        raise AccountError(
            N_("%(email)s is a community reviewer; reviewers have no API tokens"), email=user.email
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:MAX_NAME_LENGTH],
        prefix=secret[:SHOWN_CHARACTERS],
        token_hash=token_hash(secret),
        scopes=chosen,
        created_at=now,
        created_by_id=actor_id,
        expires_at=now + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    new = {
        "token": token.id,
        "prefix": token.prefix,
        "name": token.name,
        "scopes": chosen,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }
    write_audit(session, actor_id, AUDIT_CREATE, "api_token", str(token.id), None, {}, new)
    session.commit()
    return token, secret


def revoke_token(session: Session, token: ApiToken, *, actor_id: int | None) -> None:
    """Stop a token at once (revoking it twice changes nothing); audited, commits."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    session.add(token)
    write_audit(
        session,
        actor_id,
        AUDIT_REVOKE,
        "api_token",
        str(token.id),
        None,
        {},
        {"token": token.id, "prefix": token.prefix, "user": token.user_id},
    )
    session.commit()


def is_usable(token: ApiToken, now: datetime | None = None) -> bool:
    """Return whether the token is neither revoked nor expired."""
    now = now or utcnow()
    expires = as_utc(token.expires_at)
    return token.revoked_at is None and (expires is None or expires > now)


def find_token(session: Session, secret: str) -> ApiToken | None:
    """Return the stored token whose secret this is, usable or not, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).first()


def tokens_of(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Return the tokens of one account (or of every account), newest first."""
    statement = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user_id is not None:
        statement = statement.where(ApiToken.user_id == user_id)
    return list(session.exec(statement))

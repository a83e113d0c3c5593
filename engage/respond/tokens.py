"""Form tokens: random, signed with a nonce kept in the session; one per walk through a survey."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app, session

NONCE_KEY = "respond_nonce"
SIGNATURE_BYTES = 16


def _signature(nonce: str, slug: str, random_part: str) -> str:
    """Return the token's signature: HMAC-SHA256 of nonce, survey and random part."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{nonce}|{slug}|{random_part}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode().rstrip("=")


def new_form_token(slug: str) -> str:
    """Mint a token for one walk through survey ``slug``, bound to this browser session."""
    nonce = session.setdefault(NONCE_KEY, secrets.token_urlsafe(16))
    random_part = secrets.token_urlsafe(18)
    return f"{random_part}.{_signature(nonce, slug, random_part)}"


def form_token_is_valid(token: str, slug: str) -> bool:
    """Return whether ``token`` was minted for ``slug`` in this browser session."""
    nonce = session.get(NONCE_KEY)
    random_part, _dot, signature = token.partition(".")
    if not nonce or not random_part or not signature:
        return False
    return hmac.compare_digest(signature, _signature(nonce, slug, random_part))

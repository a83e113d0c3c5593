"""Signing deliveries the Standard Webhooks way (standardwebhooks.com, "Signature scheme").

Each delivery carries ``webhook-id`` (the message's id: the same on every retry, so a
receiver drops repeats), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``:
``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body`` under the secret's key. The
secret is ``whsec_`` and 24 random bytes in base64, as the convention's libraries expect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """Return a new signing secret (``whsec_...``)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``webhook-signature`` of ``body`` sent as ``message_id`` at ``timestamp``."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the three Standard Webhooks headers of a delivery."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
        "Content-Type": "application/json",
    }


def verify(secret: str, message_id: str, timestamp: str, body: bytes, header: str) -> bool:
    """Return whether ``header`` holds a valid signature (what a receiver checks)."""
    expected = signature(secret, message_id, int(timestamp), body)
    return any(hmac.compare_digest(expected, given) for given in header.split())

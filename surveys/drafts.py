"""Answers saved to finish later ("save and continue later"), encrypted so staff never read them.

A draft holds what a resident's walk through a multi-page survey carries between pages
(answers, contact details, page, language and form token) as JSON encrypted with Fernet
(AES-128-CBC with HMAC-SHA256). Its key is derived with HKDF-SHA256 from the app's secret
key, a random per-draft salt and the resume code itself, and the code is stored only as
an HMAC: the database, a backup or a staff member holding the secret key alone cannot
decrypt a draft; only the resident with the code can. Drafts expire (``expires_at``) and
``purge_expired`` removes them. References: RFC 5869 (HKDF); the Fernet specification,
https://github.com/fernet/spec/blob/master/Spec.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from surveys.models import SurveyDraft, utcnow

# Resume codes: 12 characters of Crockford's Base32 (60 bits), shown in three groups of four.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2212\t\u00a0")
SALT_BYTES = 16


def new_code() -> str:
    """Return a new random resume code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def formatted(code: str) -> str:
    """Return a code as shown: three groups of four (``7KQ2-M9XD-4HTP``)."""
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def read_code(typed: str) -> str | None:
    """Return the code a person typed, or None if it cannot be one."""
    code = typed.upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def code_hash(secret: bytes, survey_id: int, code: str) -> str:
    """Return what is stored of a code: its HMAC-SHA256 under the app's secret."""
    return hmac.new(secret, f"draft|{survey_id}|{code}".encode(), hashlib.sha256).hexdigest()


def _fernet(secret: bytes, salt: bytes, code: str):
    """Return the draft's cipher: HKDF-SHA256 of the secret and code, with the draft's salt.

    ``cryptography`` is imported here, at the first draft, not when the app starts.
    """
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"engage draft|" + code.encode()
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def save_draft(
    session: Session,
    survey_id: int,
    payload: dict,
    secret: bytes,
    days: int,
    code: str | None = None,
) -> str:
    """Store (or replace, for a known ``code``) a draft; commit and return its code."""
    if code is not None:
        found = _find(session, survey_id, code, secret)
        if found is not None:
            session.delete(found)
            session.flush()
    code = code or new_code()
    salt = secrets.token_bytes(SALT_BYTES)
    token = _fernet(secret, salt, code).encrypt(json.dumps(payload).encode())
    session.add(
        SurveyDraft(
            survey_id=survey_id,
            code_hash=code_hash(secret, survey_id, code),
            salt=salt,
            ciphertext=token,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    session.commit()
    return code


def _find(session: Session, survey_id: int, code: str, secret: bytes) -> SurveyDraft | None:
    return session.exec(
        select(SurveyDraft).where(SurveyDraft.code_hash == code_hash(secret, survey_id, code))
    ).first()


def load_draft(session: Session, survey_id: int, code: str, secret: bytes) -> dict | None:
    """Return the draft's answers, or None when there is none or it has expired."""
    found = _find(session, survey_id, code, secret)
    if found is None or found.expires_at <= utcnow():
        return None
    from cryptography.fernet import InvalidToken

    try:
        return json.loads(_fernet(secret, found.salt, code).decrypt(found.ciphertext))
    except InvalidToken:  # the secret key changed since
        return None


def delete_draft(session: Session, survey_id: int, code: str, secret: bytes) -> None:
    """Remove a draft once its answers are sent (commits)."""
    found = _find(session, survey_id, code, secret)
    if found is not None:
        session.delete(found)
        session.commit()


def purge_expired(session: Session) -> int:
    """Remove expired drafts; return how many (the caller commits)."""
    return session.execute(delete(SurveyDraft).where(SurveyDraft.expires_at <= utcnow())).rowcount

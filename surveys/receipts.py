"""Receipt codes: what a resident keeps after answering, to withdraw the answers later.

A code is eight characters of Crockford's Base32 (digits and capital letters
without I, L, O and U; https://www.crockford.com/base32.html), shown as two groups
of four, ``7KQ2-M9XD``: short enough to read aloud over the phone and to copy onto
a paper form's tear-off slip. Typed back, case, spaces and dashes do not matter,
and the letters people confuse with digits are read as those digits (O as 0; I and
L as 1), as Crockford's decoding does. It holds nothing about the resident.

Only its SHA-256 (with the survey's id) is stored, in ``Response.receipt_hash``.
The code itself is worked out from the response's idempotency key with the app's
secret (HMAC-SHA256), so that a double tap or a refresh, which lands on the response
already stored, shows the same code again rather than one that was never kept.
Forty bits leave 2^40 (about 1.1 trillion) codes; if a survey already has the
code worked out, the next one is tried (``ATTEMPTS``), so a code names one response.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Sequence

from sqlmodel import Session, select

from surveys.models import Response

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
GROUP = 4
# Codes tried for one response when the first is already taken in its survey.
ATTEMPTS = 4
# Crockford's decoding of the characters people write for others.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# What people put between the groups, or around the code.
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2212\t\u00a0")


def derive_code(secret: bytes, survey_id: int, idempotency_key: str, attempt: int = 0) -> str:
    """Return the receipt code of a response: HMAC-SHA256 of its key, 40 bits in Base32."""
    message = f"receipt|{survey_id}|{idempotency_key}|{attempt}".encode()
    bits = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:5], "big")
    return "".join(ALPHABET[(bits >> (5 * (LENGTH - 1 - i))) & 31] for i in range(LENGTH))


def receipt_hash(survey_id: int, code: str) -> str:
    """Return what is stored of a code: the SHA-256 of the survey's id and the code."""
    return hashlib.sha256(f"{survey_id}:{code}".encode()).hexdigest()


def formatted(code: str) -> str:
    """Return a code as shown: two groups of four (``7KQ2-M9XD``)."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


def read_code(typed: str) -> str | None:
    """Return the code a person typed or read out, or None if it cannot be one."""
    code = typed.upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def receipt_candidates(secret: bytes, survey_id: int, idempotency_key: str) -> list[str]:
    """Return the hashes a new response's receipt may take, in the order they are tried."""
    return [
        receipt_hash(survey_id, derive_code(secret, survey_id, idempotency_key, attempt))
        for attempt in range(ATTEMPTS)
    ]


def assign_receipt(response: Response, candidates: Sequence[str], taken: Collection[str]) -> None:
    """Give a new response its receipt: the first candidate its survey has not used.

    ``taken`` is which of ``candidates`` the survey's responses hold (the caller asks
    the database in the statement it runs anyway). All four taken (with a million
    responses, odds of 1 in 10^24): no receipt.
    """
    response.receipt_hash = next((hashed for hashed in candidates if hashed not in taken), None)


def receipt_code(response: Response, secret: bytes) -> str | None:
    """Return the code a stored response's receipt was made from, or None when it has none."""
    if response.receipt_hash is None:
        return None
    for attempt in range(ATTEMPTS):
        code = derive_code(secret, response.survey_id, response.idempotency_key, attempt)
        if hmac.compare_digest(receipt_hash(response.survey_id, code), response.receipt_hash):
            return code
    return None  # made with another secret: the code shown then still works


def response_by_receipt(session: Session, survey_id: int, code: str) -> Response | None:
    """Return the survey's response whose receipt is ``code`` (as ``read_code`` gives it)."""
    return session.exec(
        select(Response).where(
            Response.survey_id == survey_id, Response.receipt_hash == receipt_hash(survey_id, code)
        )
    ).first()

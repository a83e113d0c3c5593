"""The receipt code on the thank-you page: kept in the resident's session for a short while.

The code is worked out again from the stored response (``surveys.receipts``) when the
answers are sent, and kept in the session cookie (signed) only so that the thank-you
page, reached by a redirect, can show it: for ``SHOWN_SECONDS``, long enough to
switch the page's language and write it down. Starting the survey again (the next
person at a shared computer) forgets it, so nobody else sees it there.
"""

from __future__ import annotations

import time

from flask import current_app, session

from surveys import receipts
from surveys.models import Response

SESSION_KEY = "receipts"
SHOWN_SECONDS = 30 * 60


def receipt_secret() -> bytes:
    """Return the secret receipt codes are worked out with (the app's secret key)."""
    return current_app.config["SECRET_KEY"].encode()


def remember_receipt(slug: str, response: Response) -> None:
    """Keep the response's receipt code for the thank-you page of survey ``slug``."""
    code = receipts.receipt_code(response, receipt_secret())
    if code is None:
        return
    kept = {
        other: value
        for other, value in session.get(SESSION_KEY, {}).items()
        if time.time() - value[1] < SHOWN_SECONDS
    }
    kept[slug] = [code, time.time()]
    session[SESSION_KEY] = kept


def shown_receipt(slug: str) -> str | None:
    """Return the receipt code to show on survey ``slug``'s thank-you page, formatted."""
    code, at = session.get(SESSION_KEY, {}).get(slug, (None, 0))
    if code is None or time.time() - at >= SHOWN_SECONDS:
        return None
    return receipts.formatted(code)


def forget_receipt(slug: str) -> None:
    """Forget the receipt code kept for survey ``slug`` (its survey is being started again)."""
    kept = session.get(SESSION_KEY)
    if kept and slug in kept:
        session[SESSION_KEY] = {other: value for other, value in kept.items() if other != slug}

"""Uploads (XLSForms, translation files): a larger body limit, then the CSRF check."""

from __future__ import annotations

from flask import current_app, request

from engage.auth import csrf

# Uploads (XLSForms, translation files) may be larger than a survey page's post.
UPLOAD_LIMIT = 10 * 1024 * 1024


def accept_upload() -> None:
    """Allow a larger body for an upload, then check CSRF (the view is exempt from the early check).

    The app-wide CSRF check reads the form before any view runs, under the small
    limit meant for survey pages; upload views raise the limit first, then check.
    """
    request.max_content_length = UPLOAD_LIMIT
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()

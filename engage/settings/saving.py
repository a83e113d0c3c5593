"""Storing a checked change of a survey's settings: one transaction, one audit event."""

from __future__ import annotations

from collections.abc import Mapping

from flask_login import current_user

from engage import db, report_cache
from surveys.audit import write_audit
from surveys.models import Survey, utcnow


def save_settings(survey: Survey, action: str, changes: Mapping[str, object]) -> bool:
    """Store ``changes`` in ``survey.settings`` (None or empty removes a key) and commit.

    Writes an audit event with the old and new values of the keys that changed,
    bumps ``updated_at`` and drops the survey's kept reports, so the next dashboard
    follows the change. Returns False, writing nothing, when nothing changed.
    """
    settings = dict(survey.settings or {})
    old, new = {}, {}
    for key, value in changes.items():
        empty = value is None or value == [] or value == {}
        if settings.get(key) == (None if empty else value):
            continue
        old[key], new[key] = settings.get(key), None if empty else value
        if empty:
            settings.pop(key, None)
        else:
            settings[key] = value
    if not new:
        return False
    session = db.get_session()
    survey.settings = settings
    survey.updated_at = utcnow()
    session.add(survey)
    write_audit(session, current_user.id, action, "survey", str(survey.id), survey.id, old, new)
    session.commit()
    report_cache.forget_survey(session, survey.id)
    return True

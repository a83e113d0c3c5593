"""The builder's audit trail: who changed what, with old and new values."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlmodel import Session

from surveys import store
from surveys.audit import write_audit
from surveys.models import Question, Survey


def snapshot(question: Question) -> dict:
    """Return a question's structure for the audit trail."""
    return {
        "name": question.name,
        "kind": question.kind,
        "position": question.position,
        "required": question.required,
        "allow_prefer_not": question.allow_prefer_not,
        "dimension": question.dimension,
        "settings": dict(question.settings or {}),
        "relevant": question.relevant,
        "choices": [choice.name for choice in question.choices],
    }


def audit(
    session: Session,
    survey: Survey,
    action: str,
    entity: str,
    entity_id: Any,
    old: dict | None = None,
    new: dict | None = None,
) -> None:
    """Record who changed what, with old and new values; the caller commits."""
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    write_audit(session, user_id, action, entity, str(entity_id), survey.id, old or {}, new or {})
    store.mark_changed(survey)

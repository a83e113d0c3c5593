"""The audit trail: who changed what, with the old and new values.

Every correction, review and override adds one ``AuditEvent`` in the transaction
of the change it records, so the trail never says more or less than was stored.
``write_audit`` is the one writer.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from surveys.models import AuditEvent, utcnow


def write_audit(
    session: Session,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    survey_id: int | None,
    old: dict,
    new: dict,
    *,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit event for ``user_id`` (committed with the change it records)."""
    event = AuditEvent(
        at=at or utcnow(),
        user_id=user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        survey_id=survey_id,
        old=old,
        new=new,
        reason=reason,
    )
    session.add(event)
    return event


def snapshot_changes(old: dict, new: dict) -> tuple[dict, dict]:
    """Return only what changed between two snapshots; answers compared per question."""
    old_changed: dict = {}
    new_changed: dict = {}
    for key in old.keys() | new.keys():
        if key == "answers":
            continue
        if old.get(key) != new.get(key):
            old_changed[key] = old.get(key)
            new_changed[key] = new.get(key)
    old_answers = old.get("answers", {})
    new_answers = new.get("answers", {})
    changed = sorted(
        name
        for name in old_answers.keys() | new_answers.keys()
        if old_answers.get(name, []) != new_answers.get(name, [])
    )
    if changed:
        old_changed["answers"] = {name: old_answers.get(name, []) for name in changed}
        new_changed["answers"] = {name: new_answers.get(name, []) for name in changed}
    return old_changed, new_changed

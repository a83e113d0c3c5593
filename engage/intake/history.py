"""An entry's or session's audit trail as the page shows it: one row per changed value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from engage import db
from engage.intake.shared import user_names
from surveys.intake import NumberedQuestion
from surveys.models import AuditEvent

AUDIT_FIELD_NAMES = {
    "channel": _l("How it was collected"),
    "language": _l("Language of the form"),
    "collected_on": _l("Date collected"),
    "place": _l("Place or community"),
    "paper_id": _l("Paper form ID"),
    "status": _l("Review"),
    "review_note": _l("Review note"),
    "kind": _l("Kind of session"),
    "facilitator": _l("Facilitator"),
    "held_on": _l("Date held"),
    "languages": _l("Languages spoken"),
    "participants": _l("Participants"),
    "consent": _l("Consent"),
    "attribution": _l("Quotes"),
    "demographics": _l("Who took part"),
    "tallies": _l("Show of hands"),
    "feedback": _l("Notes and quotes"),
}


@dataclass(frozen=True)
class HistoryRow:
    """One changed value in an entity's history, ready to show."""

    at: str
    who: str
    what: str
    before: str
    after: str


def format_audit_value(value: Any) -> str:
    """Spell a stored audit value for people: lists joined, counts as "group: n"."""
    if value is None or value == [] or value == {} or value == "":
        return "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{key or _('unknown')}: {format_audit_value(item)}" for key, item in value.items()
        )
    if isinstance(value, list):
        return " | ".join(format_audit_value(item) for item in value)
    return str(value)


def history(entity: str, entity_id: str, numbering: Sequence[NumberedQuestion]) -> list[HistoryRow]:
    """Return an entity's corrections and reviews, oldest first, one row per changed value."""
    events = (
        db.get_session()
        .exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
        .all()
    )
    names = user_names({event.user_id for event in events})
    numbers = {item.name: item.number for item in numbering}
    rows = []
    for event in events:
        at = event.at.strftime("%Y-%m-%d %H:%M")
        who = names.get(event.user_id, "")
        for key in dict.fromkeys([*event.old, *event.new]):
            if key != "answers":
                what = str(AUDIT_FIELD_NAMES.get(key, key))
                before, after = event.old.get(key), event.new.get(key)
                rows.append(
                    HistoryRow(at, who, what, format_audit_value(before), format_audit_value(after))
                )
                continue
            old_answers, new_answers = event.old.get(key, {}), event.new.get(key, {})
            for name in dict.fromkeys([*old_answers, *new_answers]):
                what = _("Question %(number)s (%(name)s)", number=numbers.get(name, "?"), name=name)
                rows.append(
                    HistoryRow(
                        at,
                        who,
                        what,
                        format_audit_value(old_answers.get(name)),
                        format_audit_value(new_answers.get(name)),
                    )
                )
    return rows

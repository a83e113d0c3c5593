"""Updates on a survey's results page ("what we are doing"): dated, with a status, translated.

An update is a ``SurveyUpdate`` row (its date and status) and two survey texts, its
title and its text (``store.update_title_key``, ``store.update_body_key``), stored
per language like every other survey text: the builder edits them language by
language, and the translators' files carry them (``store.text_keys``). Every change
is audited with its old and new values, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from surveys import store
from surveys.audit import write_audit
from surveys.models import UPDATE_STATUSES, Survey, SurveyUpdate, utcnow
from surveys.store import update_body_key, update_title_key

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 5000


@dataclass(frozen=True)
class UpdateText:
    """An update's title and text in one language."""

    title: str
    body: str


def survey_updates(session: Session, survey_id: int) -> list[SurveyUpdate]:
    """Return the survey's updates, newest first."""
    return list(
        session.exec(
            select(SurveyUpdate)
            .where(SurveyUpdate.survey_id == survey_id)
            .order_by(SurveyUpdate.posted_on.desc(), SurveyUpdate.id.desc())
        )
    )


def _snapshot(update: SurveyUpdate) -> dict:
    return {"posted_on": update.posted_on.isoformat(), "status": update.status}


def _texts(update_id: int, texts: Mapping[str, UpdateText]) -> dict[str, dict[str, str]]:
    return {
        update_title_key(update_id): {language: text.title for language, text in texts.items()},
        update_body_key(update_id): {language: text.body for language, text in texts.items()},
    }


def add_update(
    session: Session,
    survey: Survey,
    posted_on: date,
    status: str,
    texts: Mapping[str, UpdateText],
    *,
    user_id: int | None,
) -> SurveyUpdate:
    """Add an update with its texts (by language); the caller commits."""
    if status not in UPDATE_STATUSES:
        raise ValueError(f"unknown update status: {status!r}")
    update = SurveyUpdate(
        survey_id=survey.id, posted_on=posted_on, status=status, created_by_id=user_id
    )
    session.add(update)
    session.flush()
    store.set_texts(session, survey, _texts(update.id, texts))
    write_audit(
        session,
        user_id,
        "survey.update_add",
        "survey_update",
        str(update.id),
        survey.id,
        {},
        {**_snapshot(update), "texts": {lang: text.title for lang, text in texts.items()}},
    )
    return update


def change_update(
    session: Session,
    survey: Survey,
    update: SurveyUpdate,
    posted_on: date,
    status: str,
    texts: Mapping[str, UpdateText],
    *,
    user_id: int | None,
) -> bool:
    """Change an update's date, status and its texts in the given languages; False if unchanged.

    An empty title or text removes that language's translation.
    """
    if status not in UPDATE_STATUSES:
        raise ValueError(f"unknown update status: {status!r}")
    stored = store.load_texts(session, survey.id)
    old = _snapshot(update)
    old_texts = {
        language: [
            stored.get(update_title_key(update.id), {}).get(language, ""),
            stored.get(update_body_key(update.id), {}).get(language, ""),
        ]
        for language in texts
    }
    new_texts = {language: [text.title, text.body] for language, text in texts.items()}
    update.posted_on, update.status = posted_on, status
    new = _snapshot(update)
    if old == new and old_texts == new_texts:
        return False
    update.updated_at = utcnow()
    session.add(update)
    store.set_texts(session, survey, _texts(update.id, texts))
    changed = [language for language in texts if old_texts[language] != new_texts[language]]
    write_audit(
        session,
        user_id,
        "survey.update_change",
        "survey_update",
        str(update.id),
        survey.id,
        {**old, "texts": {language: old_texts[language] for language in changed}},
        {**new, "texts": {language: new_texts[language] for language in changed}},
    )
    return True


def delete_update(
    session: Session, survey: Survey, update: SurveyUpdate, *, user_id: int | None
) -> None:
    """Delete an update and its texts in every language; the caller commits."""
    store.delete_texts(session, survey, [update_title_key(update.id), update_body_key(update.id)])
    write_audit(
        session,
        user_id,
        "survey.update_delete",
        "survey_update",
        str(update.id),
        survey.id,
        _snapshot(update),
        {},
    )
    session.delete(update)
    session.flush()

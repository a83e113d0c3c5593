"""Each worker keeps the surveys residents open, loaded once per change of the survey.

A resident's page needs the survey, its questions and choices, and its texts: three
queries and some 44 objects, plus every text in every language, on every request.
Here they are loaded once per process and kept under the survey's id and
``updated_at``, which every write of a survey, its questions, choices or texts bumps
(``surveys.store.mark_changed``). Each request still reads the survey's
``updated_at`` (one small query), so a change made by any worker shows on the next page.

Kept surveys are detached from every session and only read: never add one to a
session (staff pages load their own with ``engage.loading.load_survey``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, select

from engage import db
from engage.loading import load_survey
from surveys.languages import base_language, normalize_tag
from surveys.models import Survey
from surveys.store import Texts, load_texts

EXTENSION = "engage.survey_cache"


@dataclass
class KeptSurvey:
    """A loaded survey, all its texts, and its texts narrowed to each page language asked."""

    updated_at: datetime
    survey: Survey
    texts: Texts
    by_language: dict[tuple[str, str], Texts] = field(default_factory=dict)


def kept_surveys() -> dict[int, KeptSurvey]:
    """Return this app's kept surveys (one dictionary per app and process)."""
    return current_app.extensions.setdefault(EXTENSION, {})


# The one query a kept survey's page makes: a Core statement built once (the ORM's
# handling of a two-column row costs more than the query itself).
CHANGED_AT = select(Survey.id, Survey.updated_at).where(Survey.slug == bindparam("slug"))


def resident_survey(slug: str) -> Survey | None:
    """Return the survey with this slug, questions and choices loaded, kept while unchanged."""
    found = db.get_session().connection().execute(CHANGED_AT, {"slug": slug}).first()
    if found is None:
        return None
    survey_id, updated_at = found
    kept = kept_surveys().get(survey_id)
    if kept is not None and kept.updated_at == updated_at:
        return kept.survey
    return _keep(slug, updated_at)


def _keep(slug: str, updated_at: datetime) -> Survey | None:
    """Load the survey and its texts, detach them from the session and keep them."""
    session = db.get_session()
    survey = load_survey(slug)
    if survey is None:
        return None
    texts = load_texts(session, survey.id)
    for question in survey.questions:
        for choice in question.choices:
            session.expunge(choice)
        session.expunge(question)
    session.expunge(survey)
    if survey.updated_at == updated_at:  # else changed in between: keep it next time
        kept_surveys()[survey.id] = KeptSurvey(updated_at, survey, texts)
    return survey


def resident_texts(survey: Survey, language: str) -> Texts:
    """Return the survey's texts a page in ``language`` can show (``resolve_text``'s picks).

    Per key: the texts in ``language``'s base language (any region) and in the default
    language; a key with none of those keeps all its texts (shown in any language).
    """
    kept = kept_surveys().get(survey.id)
    if kept is None or kept.survey is not survey:
        return load_texts(db.get_session(), survey.id)
    wanted = (normalize_tag(language), normalize_tag(survey.default_language))
    narrowed = kept.by_language.get(wanted)
    if narrowed is None:
        narrowed = kept.by_language[wanted] = narrow_texts(kept.texts, *wanted)
    return narrowed


def narrow_texts(texts: Texts, language: str, default_language: str) -> Texts:
    """Return ``texts`` without the languages ``resolve_text`` cannot pick for ``language``."""
    bases = {base_language(language)}
    default = normalize_tag(default_language)
    narrowed = {}
    for key, by_language in texts.items():
        kept = {
            tag: text
            for tag, text in by_language.items()
            if text
            and text.strip()
            and (normalize_tag(tag) == default or base_language(normalize_tag(tag)) in bases)
        }
        narrowed[key] = kept or by_language
    return narrowed

"""What the intake pages share: the survey or 404, its texts, who may see what, dates typed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.loading import load_survey, require_access
from surveys.intake import NumberedQuestion, option_label, today
from surveys.languages import ResolvedText, resolve_text
from surveys.models import ROLE_ADMIN, ROLE_STAFF, SURVEY_DRAFT, Survey, User
from surveys.store import hint_key, label_key, load_texts


def sentiment_cutoffs() -> SentimentCutoffs:
    """Return the sentiment cut-offs this instance is configured with."""
    return SentimentCutoffs.from_config(current_app.config)


def error_text(error: Any) -> str:
    """Translate an ``N_`` message carried by an error (``message`` and ``params``)."""
    return _(error.message, **error.params)


def is_staff() -> bool:
    """Return whether the signed-in user sees everyone's entries."""
    return current_user.is_authenticated and current_user.has_role(ROLE_ADMIN, ROLE_STAFF)


class SurveyTexts:
    """A survey's content resolved for one reader's language."""

    def __init__(self, survey: Survey, texts: dict, language: str) -> None:
        self.survey = survey
        self.texts = texts
        self.language = language

    def text(self, key: str) -> ResolvedText:
        """Return the text under ``key`` in the reader's language, or its fallback."""
        return resolve_text(self.texts.get(key, {}), self.language, self.survey.default_language)

    def title(self) -> ResolvedText:
        """Return the survey's title (its slug when it has none)."""
        title = self.text("title")
        return title if title.text else ResolvedText(self.survey.slug, self.language, True)

    def label(self, question: Any) -> ResolvedText:
        """Return a question's label."""
        return self.text(label_key(question.name))

    def hint(self, question: Any) -> ResolvedText:
        """Return a question's hint (empty text when it has none)."""
        return self.text(hint_key(question.name))

    def option(self, question: Any, name: str) -> ResolvedText:
        """Return an option's label."""
        return option_label(question, name, self.texts, self.language, self.survey.default_language)


def survey_texts(survey: Survey, language: str) -> SurveyTexts:
    """Load a survey's texts for ``language`` (one query)."""
    return SurveyTexts(survey, load_texts(db.get_session(), survey.id), language)


def find_survey(slug: str, *, for_entry: bool = False) -> Survey:
    """Return the survey, or 404; drafts are shown to staff only and never take entries.

    The draft rule comes before the assignment rule, so that a broker learns nothing
    of a draft (404) whether or not it is assigned (``engage.loading.require_access``).
    """
    survey = load_survey(slug)
    if survey is None or (survey.status == SURVEY_DRAFT and (for_entry or not is_staff())):
        abort(404)
    require_access(survey)
    return survey


def answerable(numbering: Sequence[NumberedQuestion]) -> list[NumberedQuestion]:
    """Return the numbered questions (notes and sections left out)."""
    return [item for item in numbering if item.number is not None]


def user_names(user_ids: set[int | None]) -> dict[int, str]:
    """Return the display names of users by id."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    users = db.get_session().exec(select(User).where(User.id.in_(ids))).all()
    return {user.id: user.name or user.email for user in users}


def parse_day(text: str, errors: dict[str, list[str]], key: str, *, required: bool) -> date | None:
    """Parse an ISO date typed in a form; record an error and return None if it is wrong."""
    value = text.strip()
    if not value:
        if required:
            errors[key].append(_("Enter the date."))
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        errors[key].append(_("Enter a date as year-month-day, for example 2025-06-30."))
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[key].append(_("Enter a date as year-month-day, for example 2025-06-30."))
        return None
    if day > today():
        errors[key].append(_("The date cannot be in the future."))
        return None
    return day

"""Load a survey by its web address for any blueprint: the one "survey or 404" helper."""

from __future__ import annotations

from flask import abort
from sqlalchemy.orm import selectinload
from sqlmodel import select

from engage import db
from surveys.models import Question, Survey


def load_survey(slug: str) -> Survey | None:
    """Return the survey with its questions and choices loaded in three queries, or None."""
    statement = (
        select(Survey)
        .where(Survey.slug == slug)
        .options(selectinload(Survey.questions).selectinload(Question.choices))
    )
    return db.get_session().exec(statement).first()


def survey_or_404(slug: str) -> Survey:
    """Return the survey with this slug (questions and choices loaded), or answer 404."""
    survey = load_survey(slug)
    if survey is None:
        abort(404)
    return survey

"""Load a survey by its web address for any blueprint: the one "survey or 404" helper."""

from __future__ import annotations

from flask import abort, make_response
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlmodel import select

from engage import db
from engage.accounts.access import can_use_survey
from engage.errors import render_error
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
    """Return the survey with this slug (questions and choices loaded), or answer 404.

    A signed-in account the survey is not assigned to (a broker, restricted staff) is
    answered 403 (``engage.accounts.access``): every staff and broker page loads here.
    """
    survey = load_survey(slug)
    if survey is None:
        abort(404)
    require_access(survey)
    return survey


def require_access(survey: Survey) -> None:
    """Answer 403 to a signed-in account that may not use this survey."""
    if current_user.is_authenticated and not can_use_survey(db.get_session(), current_user, survey):
        message = _(
            "This survey is not assigned to your account. Ask an administrator to assign it to you."
        )
        abort(make_response(render_error(403, message)))

"""Load a survey for a resident: unknown or draft 404, closed 410, staff preview in any state."""

from __future__ import annotations

from flask import abort, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from engage.errors import render_error
from engage.respond.cache import resident_survey, resident_texts
from engage.respond.content import Shown, SurveyContent, survey_language
from surveys.models import ROLE_ADMIN, ROLE_STAFF, SURVEY_CLOSED, SURVEY_DRAFT, Survey


def wants_preview() -> bool:
    """Return whether a signed-in staff member asked to preview (nothing is stored)."""
    return (
        request.args.get("preview") == "1"
        and current_user.is_authenticated
        and current_user.has_role(ROLE_ADMIN, ROLE_STAFF)
    )


def survey_for_resident(slug: str) -> tuple[Survey, bool]:
    """Return (survey, preview), or stop with the unknown (404) or closed (410) page."""
    survey = resident_survey(slug)
    preview = wants_preview()
    if survey is None or (survey.status == SURVEY_DRAFT and not preview):
        abort(
            make_response(
                render_error(
                    404,
                    _(
                        "We could not find that survey. The address may be mistyped, "
                        "or the survey may not be published yet."
                    ),
                )
            )
        )
    language = survey_language(survey)
    g.page_language = language
    if survey.status == SURVEY_CLOSED and not preview:
        content = SurveyContent(resident_texts(survey, language), language, survey.default_language)
        page = render_template(
            "respond/closed.html",
            survey=survey,
            title=content.get("title") or Shown(survey.slug),
        )
        abort(make_response(page, 410))
    return survey, preview

"""Load a survey for a resident: unknown or draft 404, closed 410, staff preview in any state."""

from __future__ import annotations

from flask import abort, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from engage import db
from engage.accounts.access import can_use_survey
from engage.errors import render_error
from engage.respond.cache import resident_survey, resident_texts
from engage.respond.content import Shown, SurveyContent, survey_language
from surveys.models import ROLE_ADMIN, ROLE_STAFF, SURVEY_CLOSED, SURVEY_DRAFT, Survey


def wants_preview(survey: Survey | None) -> bool:
    """Return whether a signed-in staff member who may use the survey asked to preview it.

    Nothing is stored in a preview. Restricted staff preview only surveys assigned to them
    (``engage.accounts.access``); anyone else sees what a resident sees (a draft is 404).
    """
    return (
        survey is not None
        and request.args.get("preview") == "1"
        and current_user.is_authenticated
        and current_user.has_role(ROLE_ADMIN, ROLE_STAFF)
        and can_use_survey(db.get_session(), current_user, survey)
    )


def published_survey(slug: str) -> tuple[Survey, bool]:
    """Return (survey, preview) of an open or closed survey, or stop with the 404 page.

    For the pages a survey keeps after it closes (its results, withdrawing answers);
    sets the page's language to the survey's closest to the resident's.
    """
    survey = resident_survey(slug)
    preview = wants_preview(survey)
    if survey is None or (survey.status == SURVEY_DRAFT and not preview):
        not_found()
    g.page_language = survey_language(survey)
    return survey, preview


def not_found() -> None:
    """Stop with the "survey not found" page (404), in the resident's language."""
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


def survey_for_resident(slug: str) -> tuple[Survey, bool]:
    """Return (survey, preview), or stop with the unknown (404) or closed (410) page."""
    survey, preview = published_survey(slug)
    language = g.page_language
    if survey.status == SURVEY_CLOSED and not preview:
        content = SurveyContent(resident_texts(survey, language), language, survey.default_language)
        page = render_template(
            "respond/closed.html",
            survey=survey,
            title=content.get("title") or Shown(survey.slug),
        )
        abort(make_response(page, 410))
    return survey, preview

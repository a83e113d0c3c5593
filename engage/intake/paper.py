"""The start page and the printable paper form of a survey, in any of its languages."""

from __future__ import annotations

from flask import abort, g, render_template, request
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func
from sqlmodel import select

from engage import db
from engage.accounts.access import usable_surveys
from engage.accounts.links import site_url
from engage.auth import role_required
from engage.i18n import babel_locale_id, interface_language
from engage.intake.blueprint import bp
from engage.intake.shared import SurveyTexts, find_survey, is_staff, survey_texts
from surveys.intake import condition_note, paper_numbering
from surveys.languages import is_valid_tag, normalize_tag, text_direction
from surveys.models import (
    ROLE_ADMIN,
    ROLE_BROKER,
    ROLE_STAFF,
    SURVEY_CLOSED,
    SURVEY_DRAFT,
    SURVEY_OPEN,
    Response,
    Survey,
)
from surveys.store import load_titles


@bp.get("/")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def index():
    """List the surveys a broker can key in, print or hold sessions for."""
    session = db.get_session()
    statuses = [SURVEY_OPEN, SURVEY_CLOSED] + ([SURVEY_DRAFT] if is_staff() else [])
    surveys = session.exec(
        usable_surveys(select(Survey), current_user)
        .where(Survey.status.in_(statuses))
        .order_by(Survey.created_at.desc())
    ).all()
    mine = dict(
        session.exec(
            select(Response.survey_id, func.count())
            .where(Response.entered_by_id == current_user.id)
            .group_by(Response.survey_id)
        ).all()
    )
    language = interface_language()
    titles = load_titles(session, [survey.id for survey in surveys])
    rows = [
        (
            survey,
            SurveyTexts(survey, {"title": titles.get(survey.id, {})}, language).title(),
            mine.get(survey.id, 0),
        )
        for survey in surveys
    ]
    return render_template("intake/index.html", rows=rows)


@bp.get("/<slug>/paper/<language>")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def paper_form(slug: str, language: str):
    """Show the printable paper form of a survey in one of its languages."""
    survey = find_survey(slug)
    if not is_valid_tag(language) or normalize_tag(language) not in {
        normalize_tag(tag) for tag in survey.languages
    }:
        abort(404)
    language = normalize_tag(language)
    size = "a4" if request.args.get("size") == "a4" else "letter"
    texts = survey_texts(survey, language)
    numbering = paper_numbering(survey.questions)
    g.page_language = language
    # Instructions print in the form's language when the interface has it.
    ui_language = interface_language(language)
    with force_locale(babel_locale_id(ui_language)):
        return render_template(
            "intake/paper.html",
            survey=survey,
            t=texts,
            numbering=numbering,
            notes={item.name: condition_note(item, numbering) for item in numbering},
            by_number={item.number: item for item in numbering if item.number},
            language=language,
            ui=instruction_attrs(ui_language, language),
            size=size,
            results_url=site_url("respond.results", slug=survey.slug),
        )


def instruction_attrs(ui_language: str, language: str) -> Markup:
    """Return ``lang``/``dir`` for printed instructions not in the form's own language."""
    if normalize_tag(ui_language) == normalize_tag(language):
        return Markup("")
    return Markup(f' lang="{escape(ui_language)}" dir="{text_direction(ui_language)}"')

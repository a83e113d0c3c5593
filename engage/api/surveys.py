"""Surveys: the list (open ones to anyone, every usable one to a token) and one definition.

A survey's definition is ``surveys.store.to_definition``, the same content the XLSForm
export writes: questions, choices, skip logic, settings and every text in every language.
"""

from __future__ import annotations

from dataclasses import asdict

import marshmallow as ma
from flask_babel import gettext as _
from sqlmodel import col, or_, select

from engage import db
from engage.accounts.access import usable_surveys
from engage.api.auth import TOKEN_OPTIONAL, caller, require_survey_access, survey_or_404
from engage.api.blueprint import bp, documented
from engage.api.errors import ApiError
from surveys import store
from surveys.definition import KINDS, OPERATORS
from surveys.models import SURVEY_OPEN, SURVEY_STATUSES, Survey


class SurveyBaseSchema(ma.Schema):
    """What the list and a survey's definition both show of it."""

    slug = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(SURVEY_STATUSES))
    default_language = ma.fields.String(required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    title = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class SurveySummarySchema(SurveyBaseSchema):
    """A survey in the list."""

    opened_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class SurveyListSchema(ma.Schema):
    """The surveys a caller may see."""

    items = ma.fields.List(ma.fields.Nested(SurveySummarySchema), required=True)


class ChoiceSchema(ma.Schema):
    """One option of a closed question; ``name`` is the value an answer sends."""

    name = ma.fields.String(required=True)
    label = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class ConditionSchema(ma.Schema):
    """Skip logic: the question is shown only when an earlier answer matches."""

    question = ma.fields.String(required=True)
    op = ma.fields.String(required=True, validate=ma.validate.OneOf(OPERATORS))
    values = ma.fields.List(ma.fields.String(), required=True)


class QuestionSchema(ma.Schema):
    """One question (or note, or section heading) in every language."""

    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    label = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    hint = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    required = ma.fields.Boolean(required=True)
    choices = ma.fields.List(ma.fields.Nested(ChoiceSchema), required=True)
    settings = ma.fields.Dict(
        required=True, metadata={"description": "min, max, max_length, min_choices..."}
    )
    relevant = ma.fields.Nested(ConditionSchema, allow_none=True, required=True)
    allow_prefer_not = ma.fields.Boolean(required=True)
    dimension = ma.fields.String(allow_none=True, required=True)


class SurveyDefinitionSchema(SurveyBaseSchema):
    """A whole survey: its languages, texts and questions in order (as its XLSForm)."""

    description = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema), required=True)


def summary(survey: Survey, titles: dict[int, dict[str, str]]) -> dict:
    """Return a survey as listed."""
    return {
        "slug": survey.slug,
        "status": survey.status,
        "default_language": survey.default_language,
        "languages": list(survey.languages),
        "title": titles.get(survey.id, {}),
        "opened_at": survey.opened_at,
        "closed_at": survey.closed_at,
    }


@bp.route("/surveys", methods=["GET"])
@documented("listSurveys", "surveys", 200, SurveyListSchema, security=TOKEN_OPTIONAL)
def list_surveys():
    """List the open surveys; with a token, also every survey its account may use."""
    session = db.get_session()
    found = caller()
    statement = select(Survey).order_by(Survey.id)
    if found is None:
        statement = statement.where(Survey.status == SURVEY_OPEN)
    else:
        usable = usable_surveys(select(Survey.id), found.user)
        statement = statement.where(or_(Survey.status == SURVEY_OPEN, col(Survey.id).in_(usable)))
    surveys = session.exec(statement).all()
    titles = store.load_titles(session, [survey.id for survey in surveys])
    return {"items": [summary(survey, titles) for survey in surveys]}


@bp.route("/surveys/<slug>", methods=["GET"])
@documented(
    "getSurvey",
    "surveys",
    200,
    SurveyDefinitionSchema,
    problems=(403, 404),
    security=TOKEN_OPTIONAL,
)
def get_survey(slug: str):
    """One survey's whole definition in all its languages (the XLSForm export's content).

    An open survey is public; a draft or closed one needs a token whose account may use it.
    """
    found = caller()
    survey = survey_or_404(slug)
    if survey.status != SURVEY_OPEN:
        if found is None:
            raise ApiError(404, "survey_not_found", _("There is no survey at this address."))
        require_survey_access(found, survey)
    definition = asdict(store.to_definition(db.get_session(), survey))
    definition["status"] = survey.status
    return in_languages(definition, {*survey.languages, survey.default_language})


def in_languages(definition: dict, languages: set[str]) -> dict:
    """Keep the texts in the survey's languages, as its XLSForm does (bank entries hold more)."""

    def kept(texts: dict) -> dict:
        return {tag: text for tag, text in texts.items() if tag in languages}

    definition["title"] = kept(definition["title"])
    definition["description"] = kept(definition["description"])
    for question in definition["questions"]:
        question["label"] = kept(question["label"])
        question["hint"] = kept(question["hint"])
        for choice in question["choices"]:
            choice["label"] = kept(choice["label"])
    return definition

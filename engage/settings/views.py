"""The survey's analysis settings page and the forms posted from it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from analysis.disclosure import DEFAULT_POLICY, POLICIES, RANDOM_ROUNDING_DESCRIPTION
from engage import db
from engage.loading import survey_or_404
from engage.manage.forms import add_error, has_errors
from engage.settings.blueprint import bp
from engage.settings.context import SurveyContext, survey_context
from engage.settings.forms import (
    MIN_CELL_RANGE,
    QUOTE_CONSENT,
    AreaForm,
    DisclosureForm,
    QuotingForm,
    WeightingForm,
    disclosure_settings,
    quoting_settings,
    reference_form_class,
    reference_groups,
    weighting_dimensions,
)
from engage.settings.retention import retention_form, retention_rows, retention_settings
from engage.settings.saving import save_settings
from surveys.benchmarks import benchmark_areas, benchmark_sources
from surveys.models import Survey
from surveys.report_records import QuoteConsent

SAVED = "saved"


def area_name(area: str) -> str:
    """Return an area's name as the pages show it ("" is the whole jurisdiction)."""
    return area or _("The whole jurisdiction")


def area_form(context: SurveyContext, formdata=None) -> AreaForm:
    """Return the geography form, offering every area that has figures."""
    form = AreaForm(prefix="area", formdata=formdata, data={"area": context.area})
    areas = dict.fromkeys(["", *benchmark_areas(db.get_session()), context.area])
    form.area.choices = [SelectChoice(area, area_name(area)) for area in areas]
    return form


def reference_form(context: SurveyContext, formdata=None):
    """Return the reference groups form with the stored choices."""
    stored = (context.survey.settings or {}).get("reference_groups") or {}
    data = {f"ref_{key}": stored.get(key, "") for key in context.dimensions}
    return reference_form_class(context)(prefix="ref", formdata=formdata, data=data)


def weighting_form(context: SurveyContext, formdata=None) -> WeightingForm:
    """Return the weighting form with the stored dimensions."""
    stored = (context.survey.settings or {}).get("weighting_dimensions") or []
    form = WeightingForm(prefix="weighting", formdata=formdata, data={"dimensions": stored})
    form.dimensions.choices = [SelectChoice(key, d.label) for key, d in context.dimensions.items()]
    return form


def disclosure_form(context: SurveyContext, formdata=None) -> DisclosureForm:
    """Return the disclosure form with the stored policy and cell size."""
    settings = context.survey.settings or {}
    data = {
        "policy": settings.get("disclosure_policy") or DEFAULT_POLICY,
        "min_cell": str(settings.get("min_cell") or ""),
        "random_rounding": bool(settings.get("random_rounding")),
    }
    form = DisclosureForm(prefix="disclosure", formdata=formdata, data=data)
    form.policy.choices = [SelectChoice(name, _(policy.title)) for name, policy in POLICIES.items()]
    return form


def quoting_form(context: SurveyContext, formdata=None) -> QuotingForm:
    """Return the quoting form with the stored rule."""
    consent = QuoteConsent.from_settings(context.survey.settings or {})
    data = {
        "policy": consent.policy,
        "question": consent.question or "",
        "choices": [f"{consent.question}.{choice}" for choice in consent.choices],
    }
    form = QuotingForm(prefix="quoting", formdata=formdata, data=data)
    questions = context.consent_questions
    form.question.choices = [SelectChoice("", _("Choose a question"))] + [
        SelectChoice(info.name, context.question_label(info.name)) for info in questions
    ]
    form.choices.choices = [
        SelectChoice(f"{info.name}.{choice}", context.choice_label(info.name, choice))
        for info in questions
        for choice in info.choices
    ]
    return form


def render_settings(survey: Survey, status: int = 200, **failed):
    """Render the settings page; ``failed`` replaces a default form by one with errors."""
    context = survey_context(survey)
    forms = {
        "area_form": area_form(context),
        "reference_form": reference_form(context),
        "weighting_form": weighting_form(context),
        "disclosure_form": disclosure_form(context),
        "quoting_form": quoting_form(context),
        "retention_form": retention_form(survey),
    }
    forms.update({name: form for name, form in failed.items() if form is not None})
    sources = benchmark_sources(db.get_session(), context.area)
    return (
        render_template(
            "settings/index.html",
            context=context,
            survey=survey,
            area_label=area_name(context.area),
            sources=sources,
            default_min_cell=current_app.config["MIN_CELL"],
            min_cell_range=MIN_CELL_RANGE,
            quote_consent=QUOTE_CONSENT,
            policy_hints={name: _(policy.description) for name, policy in POLICIES.items()},
            rounding_hint=_(RANDOM_ROUNDING_DESCRIPTION),
            retention=retention_rows(survey),
            error_forms=[form for form in failed.values() if form is not None],
            **forms,
        ),
        status,
    )


def saved(survey: Survey, changed: bool, anchor: str):
    """Say whether anything changed and go back to the section."""
    flash(_("Saved. The dashboard follows the new settings.") if changed else _("Nothing changed."))
    return redirect(url_for(".survey_settings", slug=survey.slug) + "#" + anchor)


@bp.get("/<slug>/")
def survey_settings(slug: str):
    """Show a survey's analysis settings."""
    return render_settings(survey_or_404(slug))


@bp.post("/<slug>/area")
def save_area(slug: str):
    """Choose the area whose population figures the survey is compared with."""
    survey = survey_or_404(slug)
    context = survey_context(survey)
    form = area_form(context, request.form)
    form.validate_on_submit()
    area = form.area.data or ""
    if area and area not in benchmark_areas(db.get_session()):
        add_error(form.area, _("Choose an area that has population figures."))
    if has_errors(form):
        return render_settings(survey, 400, area_form=form)
    changed = save_settings(survey, "settings.benchmark_area", {"benchmark_area": area or None})
    return saved(survey, changed, "population")


@bp.post("/<slug>/reference-groups")
def save_reference_groups(slug: str):
    """Choose the reference group of each dimension."""
    survey = survey_or_404(slug)
    context = survey_context(survey)
    form = reference_form(context, request.form)
    form.validate_on_submit()
    chosen = reference_groups(form, context)
    if has_errors(form):
        return render_settings(survey, 400, reference_form=form)
    changed = save_settings(survey, "settings.reference_groups", {"reference_groups": chosen})
    return saved(survey, changed, "reference-groups")


@bp.post("/<slug>/weighting")
def save_weighting(slug: str):
    """Choose the dimensions weighting rakes to."""
    survey = survey_or_404(slug)
    context = survey_context(survey)
    form = weighting_form(context, request.form)
    form.validate_on_submit()
    chosen = weighting_dimensions(form, context)
    if has_errors(form):
        return render_settings(survey, 400, weighting_form=form)
    changed = save_settings(survey, "settings.weighting", {"weighting_dimensions": chosen})
    return saved(survey, changed, "weighting")


@bp.post("/<slug>/disclosure")
def save_disclosure(slug: str):
    """Choose the disclosure policy, the minimum cell size and random rounding."""
    survey = survey_or_404(slug)
    form = disclosure_form(survey_context(survey), request.form)
    form.validate_on_submit()
    changes = disclosure_settings(form)
    if has_errors(form):
        return render_settings(survey, 400, disclosure_form=form)
    changed = save_settings(survey, "settings.disclosure", changes)
    return saved(survey, changed, "small-numbers")


@bp.post("/<slug>/quoting")
def save_quoting(slug: str):
    """Choose whose comments may be quoted."""
    survey = survey_or_404(slug)
    context = survey_context(survey)
    form = quoting_form(context, request.form)
    form.validate_on_submit()
    changes = quoting_settings(form, context)
    if has_errors(form):
        return render_settings(survey, 400, quoting_form=form)
    changed = save_settings(survey, "settings.quoting", changes)
    return saved(survey, changed, "quoting")


@bp.post("/<slug>/retention")
def save_retention(slug: str):
    """Set how long the survey keeps contact details, free text and session notes."""
    survey = survey_or_404(slug)
    form = retention_form(survey, request.form)
    form.validate_on_submit()
    changes = retention_settings(form)
    if has_errors(form):
        return render_settings(survey, 400, retention_form=form)
    changed = save_settings(survey, "settings.retention", changes)
    return saved(survey, changed, "retention")

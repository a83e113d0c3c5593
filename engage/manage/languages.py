"""A survey's languages (add, make default, remove) and its own texts in each language."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from engage import db
from engage.loading import survey_or_404
from engage.manage.audit import audit
from engage.manage.blueprint import bp
from engage.manage.display import (
    SURVEY_TEXT_FIELDS,
    SURVEY_TEXTS,
    editing_language,
    language_label,
    shown_text,
    text_in,
)
from engage.manage.forms import AddLanguageForm, SurveyTextsForm, add_error, has_errors
from engage.manage.survey_page import render_survey
from surveys import store
from surveys.languages import text_direction
from surveys.models import Survey


def change_languages(survey: Survey, languages: list[str]) -> None:
    """Set the survey's languages and record the change in the audit trail."""
    session = db.get_session()
    old = list(survey.languages)
    survey.languages = languages
    audit(
        session,
        survey,
        "survey.languages",
        "survey",
        survey.id,
        {"languages": old},
        {"languages": survey.languages},
    )
    session.commit()


@bp.post("/<slug>/languages")
def add_language(slug: str):
    """Add a language (any BCP 47 tag) to the survey."""
    survey = survey_or_404(slug)
    form = AddLanguageForm(prefix="language")
    if form.validate_on_submit() and form.tag.data in survey.languages:
        add_error(form.tag, _("The survey already has this language."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, language_form=form)
    change_languages(survey, [*survey.languages, form.tag.data])
    flash(_("Added %(language)s.", language=language_label(form.tag.data)))
    return redirect(url_for(".survey_texts", slug=survey.slug, language=form.tag.data))


@bp.post("/<slug>/languages/<tag>/default")
def set_default_language(slug: str, tag: str):
    """Make one of the survey's languages its default (the fallback and translation source)."""
    survey = survey_or_404(slug)
    if tag not in survey.languages:
        abort(404)
    session = db.get_session()
    old = survey.default_language
    survey.default_language = tag
    audit(
        session,
        survey,
        "survey.default_language",
        "survey",
        survey.id,
        {"default_language": old},
        {"default_language": tag},
    )
    session.commit()
    flash(_("%(language)s is now the default language.", language=language_label(tag)))
    return redirect(url_for(".survey", slug=survey.slug))


@bp.post("/<slug>/languages/<tag>/remove")
def remove_language(slug: str, tag: str):
    """Stop offering a language; its texts are kept in case it is added again."""
    survey = survey_or_404(slug)
    if tag not in survey.languages:
        abort(404)
    if tag == survey.default_language:
        return render_survey(
            survey,
            400,
            [_("The default language cannot be removed; make another language the default first.")],
        )
    change_languages(survey, [language for language in survey.languages if language != tag])
    flash(_("Removed %(language)s.", language=language_label(tag)))
    return redirect(url_for(".survey", slug=survey.slug))


def render_survey_texts(
    survey: Survey, language: str, form: SurveyTextsForm | None = None, status: int = 200
):
    """Render the survey's own texts in one language, with the default-language source."""
    texts = store.load_texts(db.get_session(), survey.id)
    if form is None:
        data = {field: text_in(texts, key, language) for key, field in SURVEY_TEXT_FIELDS.items()}
        form = SurveyTextsForm(prefix="texts", formdata=None, data={"language": language, **data})
    fields = [
        {
            "field": form[field],
            "hint": SURVEY_TEXTS[key][1],
            "source": text_in(texts, key, survey.default_language),
        }
        for key, field in SURVEY_TEXT_FIELDS.items()
    ]
    return render_template(
        "manage/texts.html",
        survey=survey,
        title=shown_text(texts, "title", survey),
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        source_direction=text_direction(survey.default_language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        form=form,
        fields=fields,
        error_forms=[form] if has_errors(form) else [],
    ), status


@bp.get("/<slug>/texts")
def survey_texts(slug: str):
    """Edit the title, description, notice of collection and thanks in one language."""
    survey = survey_or_404(slug)
    return render_survey_texts(survey, editing_language(survey))


@bp.post("/<slug>/texts")
def save_survey_texts(slug: str):
    """Save the survey's own texts in one language."""
    survey = survey_or_404(slug)
    form = SurveyTextsForm(prefix="texts")
    language = editing_language(survey, form.language.data or "")
    if form.language.data != language:
        abort(400)
    if form.validate_on_submit() and language == survey.default_language and not form.title.data:
        add_error(form.title, _("Enter a title: the default language needs one."))
    if not form.is_submitted() or has_errors(form):
        return render_survey_texts(survey, language, form, 400)
    session = db.get_session()
    store.set_texts(
        session,
        survey,
        {key: {language: form[field].data or ""} for key, field in SURVEY_TEXT_FIELDS.items()},
    )
    store.mark_changed(survey)
    session.commit()
    flash(_("Saved the texts in %(language)s.", language=language_label(language)))
    return redirect(url_for(".survey_texts", slug=survey.slug, language=language))

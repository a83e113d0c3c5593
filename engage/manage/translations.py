"""Downloads for outside tools: the XLSForm, translators' files (XLSX/PO) and their upload."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _

from engage import db
from engage.auth import csrf
from engage.labels import reader_language
from engage.loading import survey_or_404
from engage.manage.audit import audit
from engage.manage.blueprint import bp
from engage.manage.display import language_label
from engage.manage.forms import add_error, has_errors, translation_upload_form
from engage.manage.survey_page import render_survey, survey_text_keys
from engage.manage.uploads import accept_upload
from surveys import store, translation_io
from surveys.models import Survey
from surveys.xlsform import write_xlsform

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<slug>/xlsform.xlsx")
def export_xlsform(slug: str):
    """Download the survey as an XLSForm workbook."""
    survey = survey_or_404(slug)
    buffer = io.BytesIO()
    write_xlsform(store.to_definition(db.get_session(), survey), buffer)
    buffer.seek(0)
    return send_file(
        buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{survey.slug}.xlsx"
    )


def expected_translation(survey: Survey, language: str) -> translation_io.TranslationFile:
    """Return the translation file of ``language`` as the survey stands now."""
    return translation_io.build_translation_file(
        survey.slug,
        store.load_texts(db.get_session(), survey.id),
        survey_text_keys(survey),
        survey.default_language,
        language,
    )


@bp.get("/<slug>/translations/<language>.<fmt>")
def export_translation(slug: str, language: str, fmt: str):
    """Download one language's texts for a translator, as XLSX or PO."""
    survey = survey_or_404(slug)
    if language not in survey.languages or language == survey.default_language:
        abort(404)
    translation = expected_translation(survey, language)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        translation_io.write_xlsx(translation, buffer)
        mimetype = XLSX_MIMETYPE
    elif fmt == "po":
        translation_io.write_po(translation, buffer)
        mimetype = "text/x-gettext-translation; charset=utf-8"
    else:
        abort(404)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{survey.slug}-{language}.{fmt}",
    )


@bp.post("/<slug>/translations")
@csrf.exempt
def import_translation(slug: str):
    """Import a translator's file into one language, all of it or nothing."""
    accept_upload()
    survey = survey_or_404(slug)
    form = translation_upload_form(survey, bind=True)
    form.validate_on_submit()
    language = form.language.data or ""
    if language not in {choice.value for choice in form.language.choices}:
        add_error(form.language, _("Choose one of the survey's other languages."))
    translations: dict[str, str] = {}
    if not has_errors(form):
        try:
            uploaded = translation_io.read_translation_file(form.file.data.read())
            translations = translation_io.check_translation_file(
                uploaded, expected_translation(survey, language), reader_language=reader_language()
            )
        except translation_io.TranslationImportError as error:
            for problem in error.problems:
                add_error(form.file, _(problem.message, **problem.params))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, translation_form=form)
    session = db.get_session()
    store.set_texts(session, survey, {key: {language: text} for key, text in translations.items()})
    audit(
        session,
        survey,
        "survey.translation_import",
        "survey",
        survey.id,
        new={"language": language, "texts": len(translations)},
    )
    session.commit()
    flash(
        _(
            "Imported %(count)s translations into %(language)s.",
            count=len(translations),
            language=language_label(language),
        )
    )
    return redirect(url_for(".survey", slug=survey.slug) + "#translations")

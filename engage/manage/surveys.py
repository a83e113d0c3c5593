"""Survey list, creation, XLSForm upload, the survey page, life cycle, duplication, preview."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from engage import db
from engage.accounts.access import usable_surveys
from engage.auth import csrf
from engage.loading import survey_or_404
from engage.manage.audit import audit
from engage.manage.blueprint import bp
from engage.manage.display import (
    KIND_LABELS,
    STATUS_LABELS,
    SURVEY_TEXTS,
    describe_condition,
    editing_language,
    language_label,
    text_in,
)
from engage.manage.forms import (
    CreateSurveyForm,
    DuplicateForm,
    XLSFormUploadForm,
    add_error,
    has_errors,
)
from engage.manage.survey_page import SUGGESTED_LANGUAGES, render_survey, respond_preview_url
from engage.manage.uploads import accept_upload
from engage.manage.xlsform_import import ImportRefusedError, import_xlsform
from surveys import store
from surveys.languages import resolve_text, text_direction
from surveys.models import SURVEY_CLOSED, SURVEY_DRAFT, SURVEY_OPEN, Survey, utcnow
from surveys.questions import question_type


@bp.get("/")
def index():
    """List the surveys and offer to create or import one."""
    return render_index()


def render_index(
    status: int = 200,
    create_form: CreateSurveyForm | None = None,
    xlsform_form: XLSFormUploadForm | None = None,
):
    """Render the survey list with its two forms (a failed one keeps its errors)."""
    session = db.get_session()
    surveys = session.exec(
        usable_surveys(select(Survey), current_user).order_by(
            Survey.created_at.desc(), Survey.id.desc()
        )
    )
    surveys = surveys.all()
    titles = store.load_titles(session, [survey.id for survey in surveys])
    counts = store.response_counts(session)
    rows = [
        {
            "survey": survey,
            "title": resolve_text(
                titles.get(survey.id, {}), survey.default_language, survey.default_language
            ).text,
            "status": STATUS_LABELS.get(survey.status, survey.status),
            "languages": [language_label(tag) for tag in survey.languages],
            "responses": counts.get(survey.id, 0),
        }
        for survey in surveys
    ]
    return render_template(
        "manage/index.html",
        rows=rows,
        create_form=create_form or CreateSurveyForm(prefix="create", formdata=None),
        xlsform_form=xlsform_form or XLSFormUploadForm(prefix="xlsform", formdata=None),
        suggested_languages=[(tag, language_label(tag)) for tag in SUGGESTED_LANGUAGES],
        error_forms=[form for form in (create_form, xlsform_form) if form is not None],
    ), status


@bp.post("/")
def create_survey():
    """Create a draft survey with its title in the default language."""
    form = CreateSurveyForm(prefix="create")
    session = db.get_session()
    if form.validate_on_submit() and store.survey_by_slug(session, form.slug.data):
        add_error(form.slug, _("A survey with this web address name already exists."))
    if not form.is_submitted() or has_errors(form):
        return render_index(400, create_form=form)
    language = form.default_language.data
    survey = Survey(
        slug=form.slug.data,
        default_language=language,
        languages=[language],
        created_by_id=current_user.id,
    )
    try:
        session.add(survey)
        session.flush()
        store.set_texts(session, survey, {"title": {language: form.title.data}})
        audit(session, survey, "survey.create", "survey", survey.id, new={"slug": survey.slug})
        session.commit()
    except IntegrityError:
        # Another request took the slug between the check and the write.
        session.rollback()
        add_error(form.slug, _("A survey with this web address name already exists."))
        return render_index(400, create_form=form)
    flash(_("Survey created. Add its questions below."))
    return redirect(url_for(".survey", slug=survey.slug))


@bp.post("/import")
@csrf.exempt
def upload_xlsform():
    """Import an uploaded XLSForm as a draft survey and show the import's warnings."""
    accept_upload()
    form = XLSFormUploadForm(prefix="xlsform")
    if not form.validate_on_submit():
        return render_index(400, xlsform_form=form)
    upload = form.file.data
    source = io.BytesIO(upload.read())
    source.name = upload.filename or ""
    try:
        survey, warnings = import_xlsform(
            db.get_session(), source, form.slug.data or None, current_user.id
        )
    except ImportRefusedError as error:
        db.get_session().rollback()
        add_error(form.file, _(error.message, **error.params))
        return render_index(400, xlsform_form=form)
    return render_template("manage/imported.html", survey=survey, warnings=warnings)


@bp.get("/<slug>/")
def survey(slug: str):
    """Show a survey: life cycle, languages, questions, translations."""
    return render_survey(survey_or_404(slug))


def publish_problems(survey: Survey) -> list[str]:
    """Return why the survey cannot be published yet (empty when it can)."""
    problems = []
    if not any(question_type(q.kind).takes_answer for q in survey.questions):
        problems.append(_("Add at least one question before publishing."))
    title = text_in(store.load_texts(db.get_session(), survey.id), "title", survey.default_language)
    if not title.strip():
        problems.append(
            _(
                "Write the title in the default language (%(language)s) before publishing.",
                language=language_label(survey.default_language),
            )
        )
    return problems


# action -> (statuses it starts from, status it leads to, audit action)
TRANSITIONS = {
    "publish": ((SURVEY_DRAFT,), SURVEY_OPEN),
    "close": ((SURVEY_OPEN,), SURVEY_CLOSED),
    "reopen": ((SURVEY_CLOSED,), SURVEY_OPEN),
}


@bp.post("/<slug>/status")
def change_status(slug: str):
    """Publish a draft, close an open survey or reopen a closed one."""
    survey = survey_or_404(slug)
    action = request.form.get("action", "")
    if action not in TRANSITIONS:
        return render_survey(survey, 400, [_("Choose publish, close or reopen.")])
    starts, target = TRANSITIONS[action]
    if survey.status not in starts:
        return render_survey(
            survey,
            409,
            [
                _(
                    "This survey is %(status)s, so it cannot be changed that way.",
                    status=STATUS_LABELS.get(survey.status, survey.status),
                )
            ],
        )
    if action == "publish" and (problems := publish_problems(survey)):
        return render_survey(survey, 400, problems)
    session = db.get_session()
    old = survey.status
    survey.status = target
    if target == SURVEY_OPEN:
        survey.opened_at = survey.opened_at if action == "reopen" else utcnow()
        survey.closed_at = None
    else:
        survey.closed_at = utcnow()
    audit(
        session,
        survey,
        f"survey.{action}",
        "survey",
        survey.id,
        {"status": old},
        {"status": target},
    )
    session.commit()
    flash(
        {
            "publish": _("The survey is open: residents can answer it."),
            "close": _("The survey is closed: it no longer takes answers."),
            "reopen": _("The survey is open again."),
        }[action]
    )
    return redirect(url_for(".survey", slug=survey.slug))


@bp.post("/<slug>/duplicate")
def duplicate(slug: str):
    """Copy the survey (questions, texts, settings) into a new draft."""
    survey = survey_or_404(slug)
    form = DuplicateForm(prefix="duplicate")
    session = db.get_session()
    if form.validate_on_submit() and store.survey_by_slug(session, form.slug.data):
        add_error(form.slug, _("A survey with this web address name already exists."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, duplicate_form=form)
    try:
        copy = store.copy_survey(session, survey, form.slug.data)
        copy.created_by_id = current_user.id
        audit(
            session,
            copy,
            "survey.duplicate",
            "survey",
            copy.id,
            {"from": slug},
            {"slug": copy.slug},
        )
        session.commit()
    except IntegrityError:
        # Another request took the slug between the check and the write.
        session.rollback()
        add_error(form.slug, _("A survey with this web address name already exists."))
        return render_survey(survey_or_404(slug), 400, duplicate_form=form)
    flash(_("This is a draft copy of “%(slug)s”.", slug=survey.slug))
    return redirect(url_for(".survey", slug=copy.slug))


@bp.get("/<slug>/preview")
def preview(slug: str):
    """Show every text of the survey in one language, marking what falls back untranslated."""
    survey = survey_or_404(slug)
    language = editing_language(survey)
    texts = store.load_texts(db.get_session(), survey.id)

    def resolved(key: str):
        return resolve_text(texts.get(key, {}), language, survey.default_language)

    items = []
    for question in survey.questions:
        kind = question_type(question.kind)
        items.append(
            {
                "question": question,
                "kind": KIND_LABELS.get(question.kind, question.kind),
                "label": resolved(store.label_key(question.name)),
                "hint": resolved(store.hint_key(question.name)),
                "choices": [
                    resolved(store.choice_key(question.name, choice.name))
                    for choice in question.choices
                ],
                "prefer_not": kind.accepts_prefer_not(question),
                "condition": describe_condition(question, survey, texts),
            }
        )
    return render_template(
        "manage/preview.html",
        survey=survey,
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        survey_texts=[(SURVEY_TEXTS[key][0], resolved(key)) for key in SURVEY_TEXTS],
        items=items,
        respond_url=respond_preview_url(survey, language),
        direction_of=text_direction,
    )

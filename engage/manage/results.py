"""The builder's results page: publish the survey's public results, and post its updates.

Staff choose whether ``/s/<slug>/results`` is public (off until they publish it), which
closed questions it shows and whether it shows quotable comments; each change is
checked, stored in ``Survey.settings`` and audited (``engage.settings.saving``). Updates
("what we are doing") are written in the default language first and translated on
their own page, language by language, like the survey's other texts
(``surveys.updates``).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from engage import db
from engage.loading import survey_or_404
from engage.manage.blueprint import bp
from engage.manage.display import editing_language, language_label, shown_text, text_in
from engage.manage.forms import add_error, has_errors
from engage.respond.notices import send_soon
from engage.respond.results import UPDATE_STATUS_NAMES
from engage.settings.saving import save_settings
from surveys import notices, store
from surveys.languages import text_direction
from surveys.models import UPDATE_STATUSES, Survey, SurveyUpdate
from surveys.publication import (
    RESULTS_PUBLISHED,
    RESULTS_QUESTIONS,
    RESULTS_QUOTES,
    headline_candidates,
    headline_questions,
    results_published,
    shows_quotes,
)
from surveys.updates import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UpdateText,
    add_update,
    change_update,
    delete_update,
    survey_updates,
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ResultsForm(FlaskForm):
    """Whether the results page is public, and what it shows."""

    published = BooleanField(_l("Publish the results page"))
    questions = SelectMultipleField(
        _l("Questions whose answers the page shows"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    quotes = BooleanField(
        _l("Show comments that may be quoted (the survey's quoting rule applies)")
    )


class UpdateForm(FlaskForm):
    """An update's date and status, and its title and text in one language."""

    language = HiddenField()
    posted_on = DateField(_l("Date"))
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(status, UPDATE_STATUS_NAMES[status]) for status in UPDATE_STATUSES],
        validate_choice=False,
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            Length(max=TITLE_MAX_LENGTH, message=_l("Use %(max)d characters at most.")),
        ],
    )
    body = TextAreaField(
        _l("What is being done"),
        filters=[_strip],
        validators=[
            Length(max=BODY_MAX_LENGTH, message=_l("Use %(max)d characters at most.")),
        ],
    )


def results_form(survey: Survey, formdata=None) -> ResultsForm:
    """Return the results settings form, offering the survey's closed questions.

    ``formdata`` is the posted form, even empty: an unticked box is not posted at all.
    """
    form = ResultsForm(
        prefix="results",
        formdata=formdata,
        data={
            "published": results_published(survey),
            "questions": headline_questions(survey),
            "quotes": shows_quotes(survey),
        },
    )
    texts = store.load_texts(db.get_session(), survey.id)
    form.questions.choices = [
        SelectChoice(name, shown_text(texts, store.label_key(name), survey) or name)
        for name in headline_candidates(survey)
    ]
    return form


def new_update_form(survey: Survey) -> UpdateForm:
    """Return the form of a new update, in the survey's default language, dated today."""
    return UpdateForm(
        prefix="update",
        formdata=None,
        data={"language": survey.default_language, "posted_on": date.today()},
    )


def render_results(survey: Survey, status: int = 200, **forms):
    """Render the builder's results page; ``forms`` replaces default forms by failed ones."""
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    settings = forms.get("settings_form") or results_form(survey)
    update = forms.get("update_form") or new_update_form(survey)
    updates = [
        {
            "entry": item,
            "title": shown_text(texts, store.update_title_key(item.id), survey),
            "status": UPDATE_STATUS_NAMES.get(item.status, item.status),
            "missing": [
                language_label(tag)
                for tag in survey.languages
                if not text_in(texts, store.update_title_key(item.id), tag)
            ],
        }
        for item in survey_updates(session, survey.id)
    ]
    return render_template(
        "manage/results.html",
        survey=survey,
        title=shown_text(texts, "title", survey),
        settings_form=settings,
        update_form=update,
        updates=updates,
        default_label=language_label(survey.default_language),
        direction=text_direction(survey.default_language),
        public_url=url_for("respond.results", slug=survey.slug),
        preview_url=url_for("respond.results", slug=survey.slug, preview=1),
        error_forms=[form for form in (settings, update) if has_errors(form)],
    ), status


@bp.get("/<slug>/results")
def results(slug: str):
    """Show the results page's settings and the survey's updates."""
    return render_results(survey_or_404(slug))


@bp.post("/<slug>/results")
def save_results(slug: str):
    """Publish or unpublish the results page, and choose what it shows."""
    survey = survey_or_404(slug)
    form = results_form(survey, request.form)
    offered = {choice.value for choice in form.questions.choices}
    chosen = form.questions.data or []
    if not form.validate_on_submit():
        return render_results(survey, 400, settings_form=form)
    if any(name not in offered for name in chosen):
        add_error(form.questions, _("Choose among the survey's closed questions."))
        return render_results(survey, 400, settings_form=form)
    was_published = results_published(survey)
    changed = save_settings(
        survey,
        "survey.results_settings",
        {
            RESULTS_PUBLISHED: True if form.published.data else None,
            RESULTS_QUESTIONS: [name for name in headline_candidates(survey) if name in chosen],
            RESULTS_QUOTES: True if form.quotes.data else None,
        },
    )
    if not changed:
        flash(_("Nothing was changed."))
    elif form.published.data and not was_published:
        tell_residents(survey, notices.RESULTS_SUBJECT)
        flash(_("The results page is public now."))
    elif was_published and not form.published.data:
        flash(_("The results page is no longer public."))
    else:
        flash(_("Saved what the results page shows."))
    return redirect(url_for(".results", slug=survey.slug))


def tell_residents(survey: Survey, subject: str) -> None:
    """Queue the e-mails to residents who asked to be told, and send them on a thread.

    Queued once per contact and subject (``surveys.notices``); a failed send stays
    pending for ``engage notices send``.
    """
    session = db.get_session()
    if notices.queue_notices(session, survey.id, subject):
        session.commit()
        send_soon()


def update_texts(form: UpdateForm, language: str) -> dict[str, UpdateText]:
    """Return the form's title and text, in its language."""
    return {language: UpdateText(form.title.data or "", form.body.data or "")}


def check_update(form: UpdateForm, survey: Survey, language: str) -> None:
    """Add the errors the form's own validators do not catch."""
    if form.posted_on.data is None:
        form.posted_on.errors = [_("Enter the date as year-month-day, for example 2026-06-30.")]
    if form.status.data not in UPDATE_STATUSES:
        add_error(form.status, _("Choose a status."))
    if language == survey.default_language and not form.title.data:
        add_error(form.title, _("Enter a title: the default language needs one."))


@bp.post("/<slug>/results/updates")
def add_survey_update(slug: str):
    """Post a new update, written in the survey's default language."""
    survey = survey_or_404(slug)
    form = UpdateForm(prefix="update")
    form.validate_on_submit()
    check_update(form, survey, survey.default_language)
    if not form.is_submitted() or has_errors(form):
        return render_results(survey, 400, update_form=form)
    session = db.get_session()
    update = add_update(
        session,
        survey,
        form.posted_on.data,
        form.status.data,
        update_texts(form, survey.default_language),
        user_id=current_user.id,
    )
    session.commit()
    if results_published(survey):  # the update is shown on the results page
        tell_residents(survey, notices.update_subject(update.id))
    flash(_("The update is posted. Translate it into the survey's other languages below."))
    return redirect(url_for(".results", slug=survey.slug) + "#updates")


def load_update(survey: Survey, update_id: int) -> SurveyUpdate:
    """Return the survey's update with this id, or answer 404."""
    update = db.get_session().get(SurveyUpdate, update_id)
    if update is None or update.survey_id != survey.id:
        abort(404)
    return update


def render_update(survey: Survey, update: SurveyUpdate, language: str, form=None, status=200):
    """Render one update's page: its date, status and texts in one language."""
    texts = store.load_texts(db.get_session(), survey.id)
    title_key, body_key = store.update_title_key(update.id), store.update_body_key(update.id)
    if form is None:
        form = UpdateForm(
            prefix="update",
            formdata=None,
            data={
                "language": language,
                "posted_on": update.posted_on,
                "status": update.status,
                "title": text_in(texts, title_key, language),
                "body": text_in(texts, body_key, language),
            },
        )
    return render_template(
        "manage/update.html",
        survey=survey,
        update=update,
        title=shown_text(texts, "title", survey),
        form=form,
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        source_title=text_in(texts, title_key, survey.default_language),
        source_body=text_in(texts, body_key, survey.default_language),
        source_direction=text_direction(survey.default_language),
        error_forms=[form] if has_errors(form) else [],
    ), status


@bp.get("/<slug>/results/updates/<int:update_id>")
def survey_update(slug: str, update_id: int):
    """Edit an update: its date and status, and its texts in one of the survey's languages."""
    survey = survey_or_404(slug)
    return render_update(survey, load_update(survey, update_id), editing_language(survey))


@bp.post("/<slug>/results/updates/<int:update_id>")
def save_survey_update(slug: str, update_id: int):
    """Save an update's date, status and its texts in one language."""
    survey = survey_or_404(slug)
    update = load_update(survey, update_id)
    form = UpdateForm(prefix="update")
    language = editing_language(survey, form.language.data or "")
    if form.language.data != language:
        abort(400)
    form.validate_on_submit()
    check_update(form, survey, language)
    if not form.is_submitted() or has_errors(form):
        return render_update(survey, update, language, form, 400)
    session = db.get_session()
    changed = change_update(
        session,
        survey,
        update,
        form.posted_on.data,
        form.status.data,
        update_texts(form, language),
        user_id=current_user.id,
    )
    session.commit()
    flash(
        _("Saved the update in %(language)s.", language=language_label(language))
        if changed
        else _("Nothing was changed.")
    )
    return redirect(url_for(".survey_update", slug=slug, update_id=update.id, language=language))


@bp.post("/<slug>/results/updates/<int:update_id>/delete")
def delete_survey_update(slug: str, update_id: int):
    """Delete an update in every language."""
    survey = survey_or_404(slug)
    update = load_update(survey, update_id)
    session = db.get_session()
    delete_update(session, survey, update, user_id=current_user.id)
    session.commit()
    flash(_("The update is deleted."))
    return redirect(url_for(".results", slug=survey.slug) + "#updates")

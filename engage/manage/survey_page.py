"""The survey page (re-rendered by several views with a failed form) and language completeness."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from engage import db
from engage.labels import SUGGESTED_LANGUAGES
from engage.manage.display import (
    KIND_LABELS,
    STATUS_LABELS,
    SURVEY_TEXTS,
    describe_condition,
    language_label,
    shown_text,
    text_in,
)
from engage.manage.forms import (
    AddLanguageForm,
    AddQuestionForm,
    DuplicateForm,
    translation_upload_form,
)
from engage.manage.loading import answered_ids, is_locked
from surveys import store
from surveys.demographics import bank_entries
from surveys.languages import completeness, display_name, text_direction
from surveys.models import Survey
from surveys.questions import question_type

# Untranslated texts listed per language on the survey page.
MISSING_SHOWN = 25


def survey_text_keys(survey: Survey) -> list[str]:
    """Return the survey's current text keys (orphans of deleted questions left out)."""
    return store.text_keys(survey)


def key_owners(survey: Survey) -> dict[str, tuple[str, str | None]]:
    """Return, for each question text key, its question name and choice name (None if none)."""
    owners: dict[str, tuple[str, str | None]] = {}
    for question in survey.questions:
        owners[store.label_key(question.name)] = (question.name, None)
        owners[store.hint_key(question.name)] = (question.name, None)
        for choice in question.choices:
            owners[store.choice_key(question.name, choice.name)] = (question.name, choice.name)
    return owners


def describe_key(key: str, owners: dict[str, tuple[str, str | None]]) -> str:
    """Return a readable name for a text key, in the interface language."""
    if key in SURVEY_TEXTS:
        return str(SURVEY_TEXTS[key][0])
    if key not in owners:
        return key
    name, choice = owners[key]
    if choice is not None:
        return _("Question “%(name)s”: option “%(choice)s”", name=name, choice=choice)
    if key == store.hint_key(name):
        return _("Question “%(name)s”: hint", name=name)
    return _("Question “%(name)s”: text", name=name)


@dataclass(frozen=True)
class LanguageStatus:
    """How complete one of a survey's languages is."""

    tag: str
    label: str
    name: str
    direction: str
    is_default: bool
    translated: int
    total: int
    # The first MISSING_SHOWN untranslated texts, described; the export lists them all.
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Return the share translated, rounded down so that 100 means complete."""
        return 100 * self.translated // self.total if self.total else 100


def language_statuses(survey: Survey, texts: dict) -> list[LanguageStatus]:
    """Return completeness and the untranslated texts of each of the survey's languages."""
    keys = survey_text_keys(survey)
    current = {key: texts[key] for key in keys if key in texts}
    owners = key_owners(survey)
    statuses = []
    for tag in survey.languages:
        translated, total = completeness(current, tag)
        missing = [
            key
            for key in keys
            if key in current
            and any(text.strip() for text in current[key].values())
            and not current[key].get(tag, "").strip()
        ]
        statuses.append(
            LanguageStatus(
                tag=tag,
                label=language_label(tag),
                name=display_name(tag),
                direction=text_direction(tag),
                is_default=tag == survey.default_language,
                translated=translated,
                total=total,
                missing=tuple(describe_key(key, owners) for key in missing[:MISSING_SHOWN]),
            )
        )
    return statuses


def respond_preview_url(survey: Survey, language: str) -> str | None:
    """Return the resident page's preview address, when the resident pages exist."""
    if "respond.survey" not in current_app.view_functions:
        return None
    return url_for("respond.survey", slug=survey.slug, lang=language, preview=1)


def render_survey(survey: Survey, status: int = 200, errors: Sequence[str] = (), **forms):
    """Render the survey page; ``forms`` replaces default forms by failed ones."""
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    answered = answered_ids(survey)
    defaults = {
        "language_form": AddLanguageForm(prefix="language", formdata=None),
        "question_form": AddQuestionForm(prefix="question", formdata=None),
        "duplicate_form": DuplicateForm(prefix="duplicate", formdata=None),
        "translation_form": translation_upload_form(survey),
    }
    failed = [form for form in forms.values() if form is not None]
    defaults.update({name: form for name, form in forms.items() if form is not None})
    questions = [
        {
            "question": question,
            "label": shown_text(texts, store.label_key(question.name), survey),
            "kind": KIND_LABELS.get(question.kind, question.kind),
            "section": question_type(question.kind).starts_section,
            "condition": describe_condition(question, survey, texts),
            "locked": is_locked(question, answered),
        }
        for question in survey.questions
    ]
    notice_missing = [
        SURVEY_TEXTS[key][0]
        for key in ("notice.purpose", "notice.authority", "notice.contact")
        if not text_in(texts, key, survey.default_language).strip()
    ]
    statuses = language_statuses(survey, texts)
    return render_template(
        "manage/survey.html",
        survey=survey,
        title=shown_text(texts, "title", survey),
        status_label=STATUS_LABELS.get(survey.status, survey.status),
        questions=questions,
        languages=statuses,
        translatable=[s for s in statuses if not s.is_default],
        default_label=language_label(survey.default_language),
        bank=bank_entries(),
        taken_names={question.name for question in survey.questions},
        notice_missing=notice_missing,
        preview_urls={tag: respond_preview_url(survey, tag) for tag in survey.languages},
        suggested_languages=[
            (tag, language_label(tag)) for tag in SUGGESTED_LANGUAGES if tag not in survey.languages
        ],
        page_errors=errors,
        error_forms=failed,
        **defaults,
    ), status

"""The question page, re-rendered by the question, choice and skip-logic views on a refusal."""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template

from engage import db
from engage.manage.display import (
    KIND_LABELS,
    describe_condition,
    editing_language,
    language_label,
    shown_text,
    text_in,
)
from engage.manage.forms import (
    AddChoiceForm,
    FavourableForm,
    QuestionSettingsForm,
    question_texts_form,
    settings_form_data,
)
from engage.manage.loading import answered_ids, is_locked
from engage.manage.skip_logic import answer_groups, condition_form
from surveys import store
from surveys.languages import resolve_text, text_direction
from surveys.models import Question, Survey
from surveys.questions import question_type


def render_question(
    survey: Survey,
    question: Question,
    language: str | None = None,
    status: int = 200,
    errors: Sequence[str] = (),
    **forms,
):
    """Render a question's page; ``forms`` replaces default forms by failed ones."""
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    language = language or editing_language(survey)
    locked = is_locked(question, answered_ids(survey))
    defaults = {
        "texts_form": question_texts_form(question, survey, language, texts),
        "settings_form": QuestionSettingsForm(
            prefix="settings", formdata=None, data=settings_form_data(question)
        ),
        "choice_form": AddChoiceForm(prefix="choice", formdata=None),
        "favourable_form": FavourableForm(
            prefix="favourable",
            formdata=None,
            data={"favourable": sorted(question_type(question.kind).favourable_choices(question))},
        ),
        "condition_form": condition_form(survey, question),
    }
    failed = [form for form in forms.values() if form is not None]
    defaults.update({name: form for name, form in forms.items() if form is not None})
    kind = question_type(question.kind)
    texts_form = defaults["texts_form"]
    text_fields = [
        {
            "field": texts_form.label,
            "source": text_in(texts, store.label_key(question.name), survey.default_language),
        },
        {
            "field": texts_form.hint,
            "source": text_in(texts, store.hint_key(question.name), survey.default_language),
        },
    ] + [
        {
            "field": texts_form[f"choice_{choice.id}"],
            "source": text_in(
                texts, store.choice_key(question.name, choice.name), survey.default_language
            ),
        }
        for choice in question.choices
    ]
    return render_template(
        "manage/question.html",
        survey=survey,
        question=question,
        label=shown_text(texts, store.label_key(question.name), survey),
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        locked=locked,
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        source_direction=text_direction(survey.default_language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        text_fields=text_fields,
        choices=[
            {
                "choice": choice,
                "label": shown_text(texts, store.choice_key(question.name, choice.name), survey),
            }
            for choice in question.choices
        ],
        editable_choices=kind.editable_choices,
        favourable_options=favourable_options(question, texts, survey, defaults["favourable_form"]),
        favourable_default=bool(kind.default_favourable(question)),
        constraints=kind.constraints,
        default_max_length=kind.default_max_length,
        supports_prefer_not=kind.supports_prefer_not,
        is_closed=kind.is_closed,
        analysable=kind.analysable,
        takes_answer=kind.takes_answer,
        condition=describe_condition(question, survey, texts),
        answer_groups=answer_groups(
            survey, question, texts, defaults["condition_form"], "condition_form" in forms
        ),
        page_errors=errors,
        error_forms=failed,
        **defaults,
    ), status


def favourable_options(
    question: Question, texts: dict, survey: Survey, form: FavourableForm
) -> list[dict]:
    """Return a closed question's options as favourable checkboxes, ticked as the form has them."""
    kind = question_type(question.kind)
    if not kind.is_closed:
        return []
    ticked = set(form.favourable.data or ())
    return [
        {
            "id": form.favourable.id if index == 0 else f"{form.favourable.id}-{index}",
            "value": name,
            "label": shown_text(texts, store.choice_key(question.name, name), survey)
            or resolve_text(kind.built_in_choice_labels(name), survey.default_language, "en").text
            or name,
            "checked": name in ticked,
        }
        for index, name in enumerate(kind.choice_names(question))
    ]

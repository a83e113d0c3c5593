"""Adding questions (own or from the demographic bank), ordering, deleting, their texts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engage import db
from engage.loading import survey_or_404
from engage.manage.audit import audit, snapshot
from engage.manage.blueprint import bp
from engage.manage.display import editing_language, language_label, shown_text
from engage.manage.forms import (
    AddQuestionForm,
    add_error,
    has_errors,
    question_texts_form,
)
from engage.manage.loading import answered_ids, is_locked, load_question
from engage.manage.question_page import render_question
from engage.manage.skip_logic import dependents, order_problems
from engage.manage.survey_page import render_survey
from surveys import store
from surveys.definition import KINDS, PREFER_NOT_TO_ANSWER
from surveys.demographics import DEMOGRAPHIC_BANK
from surveys.models import Choice, Question, Survey
from surveys.questions import QuestionType, question_type

RESERVED_NAMES = frozenset({"csrf_token", "lang", "preview"})


def derive_name(text: str, taken: Iterable[str], fallback: str) -> str:
    """Return an unused name made from the first words of ``text`` (ASCII letters and digits)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:5]
    base = "_".join(words)[:40].strip("_") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    taken = set(taken)
    name, number = base, 2
    while name in taken or name in RESERVED_NAMES:
        name, number = f"{base}_{number}", number + 1
    return name


def fixed_choice_texts(
    question_name: str, kind: QuestionType, languages: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Return the built-in labels of a kind's fixed choices (the agreement scale) as texts."""
    texts: dict[str, dict[str, str]] = {}
    for choice in kind.fixed_choices:
        labels = kind.built_in_choice_labels(choice)
        key = store.choice_key(question_name, choice)
        texts[key] = {tag: labels[tag] for tag in languages if tag in labels}
    return texts


def check_name(name: str, survey: Survey, field, current: Question | None = None) -> None:
    """Refuse a question name that is reserved or taken by another question."""
    if name in RESERVED_NAMES:
        add_error(field, _("“%(name)s” is reserved; choose another name.", name=name))
    elif any(q.name == name and q is not current for q in survey.questions):
        add_error(field, _("Another question is already called “%(name)s”.", name=name))


@bp.post("/<slug>/questions")
def add_question(slug: str):
    """Add a question at the end, with its text (and options) in the default language."""
    survey = survey_or_404(slug)
    form = AddQuestionForm(prefix="question")
    form.validate_on_submit()
    kind = form.kind.data
    if kind not in KINDS:
        add_error(form.kind, _("Choose a question type."))
    name = form.name.data or derive_name(
        form.label.data or "", (q.name for q in survey.questions), "question"
    )
    check_name(name, survey, form.name)
    options = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
    editable_choices = kind in KINDS and question_type(kind).editable_choices
    if editable_choices and not options:
        add_error(form.options, _("Write at least one option, one per line."))
    if len(options) != len(set(options)):
        add_error(form.options, _("Each option must be different."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, question_form=form)

    language = survey.default_language
    choices, texts = [], {}
    if editable_choices:
        taken: list[str] = []
        for option in options:
            choice_name = derive_name(option, taken + [PREFER_NOT_TO_ANSWER], "option")
            taken.append(choice_name)
            choices.append(Choice(position=len(choices), name=choice_name))
            texts[store.choice_key(name, choice_name)] = {language: option}
    else:
        fixed = question_type(kind)
        choices = [Choice(position=i, name=c) for i, c in enumerate(fixed.fixed_choices)]
        texts.update(fixed_choice_texts(name, fixed, survey.languages))
    texts[store.label_key(name)] = {language: form.label.data}
    session = db.get_session()
    question = Question(
        survey_id=survey.id,
        position=len(survey.questions),
        name=name,
        kind=kind,
        choices=choices,
    )
    survey.questions.append(question)
    session.flush()
    store.set_texts(session, survey, texts)
    audit(session, survey, "question.add", "question", question.id, new=snapshot(question))
    session.commit()
    flash(_("Added the question “%(name)s”. Set its details below.", name=name))
    return redirect(url_for(".question", slug=survey.slug, name=name))


@bp.post("/<slug>/bank/<entry_id>")
def add_bank_entry(slug: str, entry_id: str):
    """Add a demographic bank entry's questions (texts in every built-in language)."""
    survey = survey_or_404(slug)
    definitions = DEMOGRAPHIC_BANK.get(entry_id)
    if definitions is None:
        abort(404)
    taken = {question.name for question in survey.questions}
    clashes = [d.name for d in definitions if d.name in taken]
    if clashes:
        return render_survey(
            survey,
            409,
            [
                _(
                    "The survey already has a question called %(names)s, so this entry "
                    "cannot be added again.",
                    names=", ".join(f"“{name}”" for name in clashes),
                )
            ],
        )
    session = db.get_session()
    for definition in definitions:
        question = store.add_question(session, survey, definition)
        audit(session, survey, "question.add", "question", question.id, new=snapshot(question))
    session.commit()
    flash(_("Added %(count)s question(s) from the demographic bank.", count=len(definitions)))
    return redirect(url_for(".survey", slug=survey.slug) + "#questions")


@bp.post("/<slug>/questions/<name>/move")
def move_question(slug: str, name: str):
    """Move a question one place up or down."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    direction = request.form.get("direction")
    order = list(survey.questions)
    index = order.index(question)
    target = {"up": index - 1, "down": index + 1}.get(direction or "")
    if target is None or not 0 <= target < len(order):
        return redirect(url_for(".survey", slug=survey.slug) + "#questions")
    order[index], order[target] = order[target], order[index]
    if problems := order_problems(order):
        return render_survey(survey, 409, problems)
    session = db.get_session()
    old = question.position
    for position, item in enumerate(order):
        item.position = position
    audit(
        session,
        survey,
        "question.move",
        "question",
        question.id,
        {"position": old},
        {"position": question.position},
    )
    session.commit()
    return redirect(url_for(".survey", slug=survey.slug) + f"#question-{question.id}")


def delete_problems(survey: Survey, question: Question) -> list[str]:
    """Return why the question cannot be deleted (empty when it can)."""
    problems = []
    if is_locked(question, answered_ids(survey)):
        problems.append(_("“%(name)s” has answers, so it cannot be deleted.", name=question.name))
    for dependent in dependents(survey, question.name):
        problems.append(
            _(
                "“%(dependent)s” is shown depending on the answer to “%(name)s”; change its "
                "skip logic first.",
                dependent=dependent.name,
                name=question.name,
            )
        )
    return problems


@bp.route("/<slug>/questions/<name>/delete", methods=["GET", "POST"])
def delete_question(slug: str, name: str):
    """Ask for confirmation, then delete a question with its choices and texts."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    problems = delete_problems(survey, question)
    if request.method == "GET" or problems:
        texts = store.load_texts(db.get_session(), survey.id)
        return render_template(
            "manage/delete_question.html",
            survey=survey,
            question=question,
            label=shown_text(texts, store.label_key(question.name), survey),
            page_errors=problems,
            error_forms=[],
        ), (409 if problems and request.method == "POST" else 200)
    session = db.get_session()
    old = snapshot(question)
    keys = store.question_text_keys(question)
    survey.questions.remove(question)
    session.flush()
    for position, item in enumerate(survey.questions):
        item.position = position
    store.delete_texts(session, survey, keys)
    audit(session, survey, "question.delete", "question", old["name"], old=old)
    session.commit()
    flash(_("Deleted the question “%(name)s”.", name=old["name"]))
    return redirect(url_for(".survey", slug=survey.slug) + "#questions")


@bp.get("/<slug>/questions/<name>")
def question(slug: str, name: str):
    """Show a question's texts (in the chosen language), settings, options and skip logic."""
    survey = survey_or_404(slug)
    return render_question(survey, load_question(survey, name))


@bp.post("/<slug>/questions/<name>/texts")
def save_question_texts(slug: str, name: str):
    """Save a question's label, hint and option labels in one language."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    form = question_texts_form(question, survey, "", texts, bind=True)
    language = editing_language(survey, form.language.data or "")
    if form.language.data != language:
        abort(400)
    form.validate_on_submit()
    if language == survey.default_language:
        if not form.label.data:
            add_error(form.label, _("Enter the question text: the default language needs it."))
        for choice in question.choices:
            field = form[f"choice_{choice.id}"]
            if not field.data:
                add_error(field, _("Enter the option text: the default language needs it."))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, language, 400, texts_form=form)
    updates = {
        store.label_key(question.name): {language: form.label.data or ""},
        store.hint_key(question.name): {language: form.hint.data or ""},
    }
    for choice in question.choices:
        key = store.choice_key(question.name, choice.name)
        updates[key] = {language: form[f"choice_{choice.id}"].data or ""}
    store.set_texts(session, survey, updates)
    store.mark_changed(survey)
    session.commit()
    flash(_("Saved the texts in %(language)s.", language=language_label(language)))
    return redirect(url_for(".question", slug=survey.slug, name=question.name, language=language))

"""The options of a choice question: add, move, remove; which answers are favourable."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from engage import db
from engage.loading import survey_or_404
from engage.manage.audit import audit, snapshot
from engage.manage.blueprint import bp
from engage.manage.forms import AddChoiceForm, FavourableForm, add_error, has_errors
from engage.manage.loading import answered_ids, is_locked, load_choice, load_question
from engage.manage.question_page import render_question
from engage.manage.questions import derive_name
from engage.manage.skip_logic import dependents
from surveys import store
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.logic import condition_of
from surveys.models import Choice, Question
from surveys.questions import FAVOURABLE_SETTING, question_type


@bp.post("/<slug>/questions/<name>/choices")
def add_choice(slug: str, name: str):
    """Add an option to a single or multiple choice question (allowed even with answers)."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    if not question_type(question.kind).editable_choices:
        abort(404)
    form = AddChoiceForm(prefix="choice")
    form.validate_on_submit()
    taken = [choice.name for choice in question.choices]
    choice_name = form.name.data or derive_name(
        form.label.data or "", taken + [PREFER_NOT_TO_ANSWER], "option"
    )
    if choice_name == PREFER_NOT_TO_ANSWER:
        add_error(form.name, _("Use the “Prefer not to answer” setting instead of this name."))
    elif choice_name in taken:
        add_error(form.name, _("Another option is already called “%(name)s”.", name=choice_name))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, choice_form=form)
    session = db.get_session()
    old = snapshot(question)
    question.choices.append(Choice(position=len(question.choices), name=choice_name))
    session.flush()
    store.set_texts(
        session,
        survey,
        {store.choice_key(question.name, choice_name): {survey.default_language: form.label.data}},
    )
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Added the option “%(label)s”.", label=form.label.data))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


@bp.post("/<slug>/questions/<name>/choices/<int:choice_id>/move")
def move_choice(slug: str, name: str, choice_id: int):
    """Move an option one place up or down."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    choice = load_choice(question, choice_id)
    order = list(question.choices)
    index = order.index(choice)
    target = {"up": index - 1, "down": index + 1}.get(request.form.get("direction", ""))
    if target is not None and 0 <= target < len(order):
        session = db.get_session()
        old = snapshot(question)
        order[index], order[target] = order[target], order[index]
        for position, item in enumerate(order):
            item.position = position
        session.flush()
        session.expire(question, ["choices"])
        audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
        session.commit()
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


@bp.post("/<slug>/questions/<name>/choices/<int:choice_id>/remove")
def remove_choice(slug: str, name: str, choice_id: int):
    """Remove an option, unless the question has answers or skip logic uses the option."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    choice = load_choice(question, choice_id)
    problems = []
    if not question_type(question.kind).editable_choices:
        problems.append(_("The options of this question type are fixed."))
    if is_locked(question, answered_ids(survey)):
        problems.append(_("This question has answers, so its options cannot be removed."))
    if len(question.choices) == 1:
        problems.append(_("A choice question needs at least one option."))
    for dependent in dependents(survey, question.name):
        if choice.name in condition_of(dependent).values:
            problems.append(
                _(
                    "“%(dependent)s” is shown depending on this option; change its skip logic "
                    "first.",
                    dependent=dependent.name,
                )
            )
    if problems:
        return render_question(survey, question, status=409, errors=problems)
    session = db.get_session()
    old = snapshot(question)
    question.choices.remove(choice)
    for position, item in enumerate(question.choices):
        item.position = position
    _forget_favourable(question, choice.name)
    store.delete_texts(session, survey, [store.choice_key(question.name, choice.name)])
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Removed the option “%(name)s”.", name=choice.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


def _forget_favourable(question: Question, choice_name: str) -> None:
    """Take a removed option out of the question's favourable choices."""
    stored = (question.settings or {}).get(FAVOURABLE_SETTING)
    if stored and choice_name in stored:
        kept = [name for name in stored if name != choice_name]
        question.settings = {**question.settings, FAVOURABLE_SETTING: kept}


@bp.post("/<slug>/questions/<name>/favourable")
def save_favourable(slug: str, name: str):
    """Save which answers reports count as favourable (allowed even with answers)."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    kind = question_type(question.kind)
    if not kind.is_closed:
        abort(404)
    form = FavourableForm(prefix="favourable")
    form.validate_on_submit()
    chosen = form.favourable.data or []
    offered = kind.choice_names(question)
    for value in chosen:
        if value not in offered:
            add_error(
                form.favourable,
                _("“%(name)s” is not one of this question's options.", name=value),
            )
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, favourable_form=form)
    stored = kind.favourable_setting(question, chosen)
    if stored != (question.settings or {}).get(FAVOURABLE_SETTING):
        session = db.get_session()
        old = snapshot(question)
        settings = {k: v for k, v in (question.settings or {}).items() if k != FAVOURABLE_SETTING}
        if stored is not None:
            settings[FAVOURABLE_SETTING] = stored
        question.settings = settings
        session.flush()
        audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
        session.commit()
    flash(_("Saved the favourable answers of “%(name)s”.", name=question.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#favourable")

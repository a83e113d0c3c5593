"""A question's structure: name, kind, required, prefer-not, dimension, constraints."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from sqlmodel import Session

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.comments import score_answers
from engage.loading import survey_or_404
from engage.manage.audit import audit, snapshot
from engage.manage.blueprint import bp
from engage.manage.forms import QuestionSettingsForm, add_error, has_errors
from engage.manage.loading import answered_ids, is_locked, load_question
from engage.manage.question_page import render_question
from engage.manage.questions import check_name, fixed_choice_texts
from engage.manage.skip_logic import dependents
from surveys import store
from surveys.definition import KINDS, ChoiceDefinition, Condition, QuestionDefinition
from surveys.logic import condition_of, validate_condition
from surveys.models import Choice, Question, Survey
from surveys.questions import (
    ANALYSE_SETTING,
    CHOICE_COUNT,
    DATE_RANGE,
    FAVOURABLE_SETTING,
    NUMBER_RANGE,
    SCALE,
    TEXT_LENGTH,
    QuestionType,
    parse_number,
    question_type,
)

MAX_RATING_POINTS = 101
MAX_TEXT_LENGTH = 10000
# Settings the builder manages; others (from an XLSForm import) are kept as they are.
CONSTRAINT_KEYS = ("min", "max", "step", "integer", "max_length", "min_choices", "max_choices")


def _parse_setting(
    field, *, integer: bool = False, minimum: float | None = None
) -> float | int | None:
    """Parse a constraint field ("" is None); attach an error and return None when invalid."""
    if not field.data:
        return None
    number = parse_number(field.data)
    if number is None:
        add_error(field, _("Enter a number."))
        return None
    if integer and not number.is_integer():
        add_error(field, _("Enter a whole number."))
        return None
    if minimum is not None and number < minimum:
        add_error(field, _("Enter a number of at least %(min)s.", min=int(minimum)))
        return None
    return int(number) if number.is_integer() else number


def _parse_date_setting(field) -> str | None:
    """Parse a date constraint (ISO year-month-day); attach an error when invalid."""
    if not field.data:
        return None
    try:
        return date.fromisoformat(field.data).isoformat()
    except ValueError:
        add_error(field, _("Enter a date as year-month-day, for example 2025-06-30."))
        return None


def read_constraints(form: QuestionSettingsForm, kind: QuestionType, choice_count: int) -> dict:
    """Return the constraint settings ``kind`` has from the form, attaching errors to fields."""
    settings: dict[str, Any] = {}
    if kind.constraints == NUMBER_RANGE:
        low, high = _parse_setting(form.minimum), _parse_setting(form.maximum)
        if low is not None and high is not None and low > high:
            add_error(form.maximum, _("The highest value must not be below the lowest."))
        settings.update(min=low, max=high, integer=bool(form.integer.data) or None)
    elif kind.constraints == SCALE:
        low = _parse_setting(form.minimum)
        high = _parse_setting(form.maximum)
        step = _parse_setting(form.step)
        low = 0 if low is None and not form.minimum.errors else low
        high = 10 if high is None and not form.maximum.errors else high
        step = 1 if step is None and not form.step.errors else step
        if None not in (low, high, step):
            if step <= 0:
                add_error(form.step, _("The step must be more than zero."))
            elif high <= low:
                add_error(form.maximum, _("The highest point must be above the lowest."))
            else:
                points = (high - low) / step
                if abs(points - round(points)) > 1e-9:
                    add_error(form.step, _("The steps must reach the highest point exactly."))
                elif points + 1 > MAX_RATING_POINTS:
                    add_error(
                        form.step,
                        _("Use %(count)s points at most.", count=MAX_RATING_POINTS),
                    )
        settings.update(min=low, max=high, step=step)
    elif kind.constraints == TEXT_LENGTH:
        length = _parse_setting(form.max_length, integer=True, minimum=1)
        if length is not None and length > MAX_TEXT_LENGTH:
            add_error(form.max_length, _("Allow %(max)s characters at most.", max=MAX_TEXT_LENGTH))
        settings["max_length"] = length
    elif kind.constraints == CHOICE_COUNT:
        fewest = _parse_setting(form.min_choices, integer=True, minimum=1)
        most = _parse_setting(form.max_choices, integer=True, minimum=1)
        if fewest is not None and most is not None and fewest > most:
            add_error(form.max_choices, _("The most must not be below the fewest."))
        for value, field in ((fewest, form.min_choices), (most, form.max_choices)):
            if value is not None and choice_count and value > choice_count:
                add_error(field, _("The question has only %(count)s options.", count=choice_count))
        settings.update(min_choices=fewest, max_choices=most)
    elif kind.constraints == DATE_RANGE:
        earliest, latest = _parse_date_setting(form.minimum), _parse_date_setting(form.maximum)
        if earliest and latest and earliest > latest:
            add_error(form.maximum, _("The latest date must not be before the earliest."))
        settings.update(min=earliest, max=latest)
    return {key: value for key, value in settings.items() if value is not None}


@bp.post("/<slug>/questions/<name>/settings")
def save_question_settings(slug: str, name: str):
    """Save a question's structure; refuse locked changes on a question with answers."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    form = QuestionSettingsForm(prefix="settings")
    form.validate_on_submit()
    locked = is_locked(question, answered_ids(survey))
    new_name = form.name.data or question.name
    new_kind = form.kind.data or question.kind
    if new_kind not in KINDS:
        add_error(form.kind, _("Choose a question type."))
        new_kind = question.kind
    if locked and new_name != question.name:
        add_error(form.name, _("This question has answers, so its name cannot change."))
    if locked and new_kind != question.kind:
        add_error(form.kind, _("This question has answers, so its type cannot change."))
    if new_name != question.name:
        check_name(new_name, survey, form.name, current=question)
    kind = question_type(new_kind)
    old_kind = question_type(question.kind)
    kind_changed = new_kind != question.kind
    choice_names = [choice.name for choice in question.choices]
    if kind_changed:
        # Options carry over only between kinds answered from choice rows.
        if kind.fixed_choices:
            choice_names = list(kind.fixed_choices)
        elif not kind.editable_choices or not old_kind.has_choices:
            choice_names = []
        if kind.editable_choices and not choice_names:
            add_error(form.kind, _("Add options after changing the type: this keeps none."))
    # A kind change clears what the new kind cannot have (the form showed the old kind).
    dimension = form.dimension.data or None
    if kind_changed and not kind.is_closed:
        dimension = None
    if dimension and not kind.is_closed:
        add_error(
            form.dimension, _("Only a question with fixed answers can be an equity dimension.")
        )
    settings = {k: v for k, v in (question.settings or {}).items() if k not in CONSTRAINT_KEYS}
    if not kind_changed:
        settings.update(read_constraints(form, kind, len(choice_names)))
        settings.pop(ANALYSE_SETTING, None)
        if kind.analysable and not form.analyse.data:
            settings[ANALYSE_SETTING] = False
    elif not kind.analysable:
        settings.pop(ANALYSE_SETTING, None)
    # The question as it would be after the edit, to check the skip logic that uses it.
    stand = QuestionDefinition(
        name=new_name,
        kind=new_kind,
        choices=tuple(ChoiceDefinition(choice) for choice in choice_names),
        allow_prefer_not=bool(form.allow_prefer_not.data) and kind.supports_prefer_not,
        settings=settings,
    )
    options_change = kind.choice_names(stand) != old_kind.choice_names(question)
    if locked and options_change and not has_errors(form):
        # Stored answers must stay options (a rating's points), or summaries would drop them.
        add_error(form.minimum, _("This question has answers, so its scale cannot change."))
    if options_change:
        # Favourable choices name options: new options start from the kind's default.
        settings.pop(FAVOURABLE_SETTING, None)
    if not has_errors(form):
        for dependent in dependents(survey, question.name):
            condition = condition_of(dependent)
            renamed = Condition(new_name, condition.op, condition.values)
            if (message := validate_condition(renamed, [stand])) is not None:
                field = form.kind if kind_changed else form.allow_prefer_not
                add_error(
                    field,
                    _(
                        "“%(dependent)s” is shown depending on this answer and would no longer "
                        "work (%(reason)s) Change its skip logic first.",
                        dependent=dependent.name,
                        reason=_(message),
                    ),
                )
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, settings_form=form)

    session = db.get_session()
    old = snapshot(question)
    analysed_before = old_kind.analyses(question)
    if new_name != question.name:
        rename_question(session, survey, question, new_name)
    if kind_changed:
        change_kind(session, survey, question, new_kind, choice_names)
    question.required = bool(form.required.data) and kind.takes_answer
    question.allow_prefer_not = stand.allow_prefer_not
    question.dimension = dimension
    question.settings = settings
    session.flush()
    if kind.analyses(question) and not analysed_before:
        # Answers stored while it was off have no score yet; kept counts follow the new shape.
        cutoffs = SentimentCutoffs.from_config(current_app.config)
        score_answers(session, survey, [question.id], cutoffs)
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Saved the question “%(name)s”.", name=question.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name))


def rename_question(session: Session, survey: Survey, question: Question, new_name: str) -> None:
    """Rename a question, its text keys and the skip logic that names it."""
    renames = {
        old: new
        for old, new in zip(
            store.question_text_keys(question),
            [store.label_key(new_name), store.hint_key(new_name)]
            + [store.choice_key(new_name, choice.name) for choice in question.choices],
            strict=True,
        )
    }
    for dependent in dependents(survey, question.name):
        relevant = dict(dependent.relevant)
        relevant["question"] = new_name
        dependent.relevant = relevant
    store.rename_texts(session, survey, renames)
    question.name = new_name
    session.flush()


def change_kind(
    session: Session, survey: Survey, question: Question, kind: str, choice_names: list[str]
) -> None:
    """Change an unanswered question's kind, keeping, replacing or dropping its choices."""
    # The agreement scale always gets its own five options, with their built-in texts.
    new_kind = question_type(kind)
    kept = (
        set() if new_kind.fixed_choices else {c.name for c in question.choices} & set(choice_names)
    )
    dropped = [c for c in question.choices if c.name not in kept]
    store.delete_texts(session, survey, [store.choice_key(question.name, c.name) for c in dropped])
    for choice in dropped:
        question.choices.remove(choice)
    # Delete before inserting: a new option may reuse a dropped option's name.
    session.flush()
    if new_kind.fixed_choices:
        question.choices = [
            Choice(position=i, name=c) for i, c in enumerate(new_kind.fixed_choices)
        ]
        session.flush()
        store.set_texts(
            session, survey, fixed_choice_texts(question.name, new_kind, survey.languages)
        )
    question.kind = kind
    session.flush()

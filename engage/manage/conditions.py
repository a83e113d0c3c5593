"""Setting or removing a question's skip logic (the helpers are in ``skip_logic``)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from engage import db
from engage.loading import survey_or_404
from engage.manage.audit import audit, snapshot
from engage.manage.blueprint import bp
from engage.manage.forms import add_error, has_errors
from engage.manage.loading import load_question
from engage.manage.question_page import render_question
from engage.manage.skip_logic import condition_form, condition_values
from surveys.definition import Condition
from surveys.logic import validate_condition
from surveys.messages import N_


@bp.post("/<slug>/questions/<name>/condition")
def save_condition(slug: str, name: str):
    """Set or remove a question's skip logic, checked against the earlier questions."""
    survey = survey_or_404(slug)
    question = load_question(survey, name)
    form = condition_form(survey, question, bind=True)
    form.validate_on_submit()
    source = form.depends_on.data or ""
    condition = None
    if source:
        values = condition_values(source)
        condition = Condition(source, form.operator.data or "", tuple(values))
        earlier = survey.questions[: survey.questions.index(question)]
        if (message := validate_condition(condition, earlier)) is not None:
            operator_message = N_("Choose how the earlier answer should be compared.")
            field = form.operator if message == operator_message else form.depends_on
            add_error(field, _(message))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, condition_form=form)
    session = db.get_session()
    old = snapshot(question)
    question.relevant = condition.to_dict() if condition else None
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Saved the skip logic of “%(name)s”.", name=question.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#skip-logic")

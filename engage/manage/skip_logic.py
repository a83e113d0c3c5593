"""Skip logic on the builder's pages: order and delete checks, the form, the answers offered."""

from __future__ import annotations

from collections.abc import Sequence

from flask import request
from flask_babel import gettext as _
from wtforms import SelectChoice

from engage.manage.display import shown_text
from engage.manage.forms import ConditionForm
from surveys import store
from surveys.definition import OP_EQUALS, PREFER_NOT_TO_ANSWER
from surveys.logic import condition_of
from surveys.models import Question, Survey
from surveys.questions import question_type


def order_problems(questions: Sequence[Question]) -> list[str]:
    """Return a message for each question whose skip logic would depend on a later one."""
    seen: set[str] = set()
    problems = []
    for question in questions:
        condition = condition_of(question)
        if condition is not None and condition.question not in seen:
            problems.append(
                _(
                    "“%(name)s” depends on the answer to “%(source)s”, so it must come after it.",
                    name=question.name,
                    source=condition.question,
                )
            )
        seen.add(question.name)
    return problems


def dependents(survey: Survey, name: str) -> list[Question]:
    """Return the questions whose skip logic depends on the question called ``name``."""
    return [
        q for q in survey.questions if (c := condition_of(q)) is not None and c.question == name
    ]


def condition_sources(survey: Survey, question: Question) -> list[Question]:
    """Return the earlier questions skip logic may depend on (closed kinds and numbers)."""
    earlier = survey.questions[: survey.questions.index(question)]
    return [q for q in earlier if question_type(q.kind).skip_logic_source]


def condition_form(survey: Survey, question: Question, bind: bool = False) -> ConditionForm:
    """Return the skip-logic form, offering the earlier questions it may depend on."""
    if bind:
        form = ConditionForm(prefix="condition")
    else:
        condition = condition_of(question)
        data = {
            "depends_on": condition.question if condition else "",
            "operator": condition.op if condition else OP_EQUALS,
        }
        form = ConditionForm(prefix="condition", formdata=None, data=data)
    form.depends_on.choices = [SelectChoice("", _("— Always show this question —"))] + [
        SelectChoice(q.name, q.name) for q in condition_sources(survey, question)
    ]
    return form


def answer_field_name(source_name: str) -> str:
    """Return the form name of the answers compared with when depending on ``source_name``."""
    return f"condition-answers-{source_name}"


def condition_values(source_name: str) -> list[str]:
    """Return the submitted answers for a condition: ticked boxes or comma-separated numbers."""
    raw = request.form.getlist(answer_field_name(source_name))
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def answer_groups(
    survey: Survey, question: Question, texts: dict, form: ConditionForm, bind: bool
) -> list[dict]:
    """Return, per possible source question, the answers skip logic can compare with."""
    condition = condition_of(question)
    groups = []
    for index, source in enumerate(condition_sources(survey, question)):
        if bind:
            chosen = condition_values(source.name)
        elif condition is not None and condition.question == source.name:
            chosen = list(condition.values)
        else:
            chosen = []
        kind = question_type(source.kind)
        options = []
        if not kind.typed_number:
            for value in kind.choice_names(source):
                key = store.choice_key(source.name, value)
                options.append((value, shown_text(texts, key, survey) or value))
            if kind.accepts_prefer_not(source):
                options.append((PREFER_NOT_TO_ANSWER, _("Prefer not to answer")))
        groups.append(
            {
                "source": source,
                "id": f"condition-answers-{index}",
                "name": answer_field_name(source.name),
                "label": shown_text(texts, store.label_key(source.name), survey),
                "number": kind.typed_number,
                "options": options,
                "chosen": chosen,
                "open": form.depends_on.data == source.name,
            }
        )
    return groups

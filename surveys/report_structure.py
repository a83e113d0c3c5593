"""A survey's structure as reports see it: its outcome, comment and dimension questions.

Also which responses a report covers (``filter_conditions``). No counting here:
how a response counts is ``surveys.counting``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, false, func, not_
from sqlalchemy.sql import ColumnElement

from surveys.demographics import (
    DERIVED_DIMENSIONS,
    DISABILITY_DIMENSION,
    DISABILITY_STATUS_CHOICES,
)
from surveys.models import Question, Response, Survey
from surveys.questions import question_type
from surveys.report_records import DimensionInfo, Filters, QuestionInfo

# The groups of each derived dimension (``surveys.counting`` derives them).
DERIVED_GROUPS = {
    DISABILITY_DIMENSION: tuple(choice.name for choice in DISABILITY_STATUS_CHOICES),
}

responses = Response.__table__


def question_infos(survey: Survey) -> dict[str, QuestionInfo]:
    """Return the closed and comment questions of a survey, in survey order.

    ``favourable`` is staff's choice where they made one, else the kind's default
    (``QuestionType.favourable_choices``).
    """
    infos = {}
    for question in survey.questions:
        kind = question_type(question.kind)
        comment = kind.analyses(question)
        if not (kind.is_closed or comment):
            continue
        infos[question.name] = QuestionInfo(
            name=question.name,
            kind=question.kind,
            choices=tuple(kind.choice_names(question)),
            favourable=kind.favourable_choices(question),
            dimension=question.dimension,
            multi_select=kind.multi_select,
            scores=kind.choice_scores(question),
            is_comment=comment,
        )
    return infos


def dimension_infos(survey: Survey) -> dict[str, DimensionInfo]:
    """Return the survey's equity dimensions, keyed by dimension, in survey order."""
    by_dimension: dict[str, list[Question]] = defaultdict(list)
    for question in survey.questions:
        if question.dimension and question_type(question.kind).dimension_capable:
            by_dimension[question.dimension].append(question)
    dimensions = {}
    for key, questions in by_dimension.items():
        names = tuple(question.name for question in questions)
        if key in DERIVED_DIMENSIONS and len(questions) > 1:
            groups = DERIVED_GROUPS[key]
            dimensions[key] = DimensionInfo(key, names, groups, multi_select=False, derived=True)
            continue
        groups = tuple(
            dict.fromkeys(
                name
                for question in questions
                for name in question_type(question.kind).choice_names(question)
            )
        )
        multi = len(questions) > 1 or question_type(questions[0].kind).multi_select
        dimensions[key] = DimensionInfo(key, names, groups, multi_select=multi)
    return dimensions


def outcome_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the questions whose answers are compared across groups (dimensions are not)."""
    return [name for name, info in questions.items() if not info.is_comment and not info.dimension]


def comment_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the comment questions: free text whose analysis staff left on."""
    return [name for name, info in questions.items() if info.is_comment]


def question_ids(survey: Survey) -> dict[str, int]:
    """Return the survey's question ids by name."""
    return {question.name: question.id for question in survey.questions}


def filter_conditions(survey_id: int, filters: Filters) -> list[ColumnElement]:
    """Return the WHERE conditions on ``responses`` for a survey and filters."""
    conditions = [responses.c.survey_id == survey_id]
    if filters.start:
        conditions.append(responses.c.collected_at >= day_start(filters.start))
    if filters.end:
        conditions.append(responses.c.collected_at < day_start(filters.end + timedelta(days=1)))
    if filters.channels:
        conditions.append(responses.c.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(responses.c.language.in_(filters.languages))
    if filters.areas:
        conditions.append(responses.c.area.in_(filters.areas))
    return conditions


def outside_conditions(survey_id: int, filters: Filters) -> list[ColumnElement]:
    """Return the WHERE conditions on ``responses`` for the responses the filters leave out.

    The complement of ``filter_conditions``, by construction: a condition that is
    unknown for a response (no area, against an area filter) leaves it out of the
    filter, so it counts here.
    """
    survey, *chosen = filter_conditions(survey_id, filters)
    return [survey, not_(func.coalesce(and_(*chosen), false()))]


def day_start(day: date) -> datetime:
    """Return midnight UTC at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)

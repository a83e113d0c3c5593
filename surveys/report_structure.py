"""A survey's structure as reports see it: its outcome, comment and dimension questions.

Also which responses a report covers (``filter_conditions``). No counting here:
how a response counts is ``surveys.counting``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.sql import ColumnElement

from surveys.definition import LIKERT, LONG_TEXT, MULTIPLE_CHOICE, RATING, SINGLE_CHOICE
from surveys.demographics import (
    DERIVED_DIMENSIONS,
    DISABILITY_DIMENSION,
    DISABILITY_STATUS_CHOICES,
)
from surveys.models import Question, Response, Survey
from surveys.questions import favourable_choices, question_type
from surveys.report_records import DimensionInfo, Filters, QuestionInfo

# Kinds whose answers are choices a respondent can be grouped by.
DIMENSION_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT)
# Kinds whose answers have a distribution to compare across groups.
OUTCOME_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT, RATING)
COMMENT_KINDS = (LONG_TEXT,)
# The groups of each derived dimension (``surveys.counting`` derives them).
DERIVED_GROUPS = {
    DISABILITY_DIMENSION: tuple(choice.name for choice in DISABILITY_STATUS_CHOICES),
}

responses = Response.__table__


def question_infos(survey: Survey) -> dict[str, QuestionInfo]:
    """Return the closed and comment questions of a survey, in survey order."""
    infos = {}
    for question in survey.questions:
        if question.kind not in OUTCOME_KINDS + COMMENT_KINDS:
            continue
        kind = question_type(question.kind)
        choices = kind.choice_names(question)
        favourable = favourable_choices(question) or frozenset(
            str(name) for name in (question.settings or {}).get("favourable_choices", ())
        )
        scores: dict[str, float] = {}
        if question.kind == LIKERT:
            scores = {name: float(index + 1) for index, name in enumerate(choices)}
        elif question.kind == RATING:
            scores = {name: float(name) for name in choices}
        infos[question.name] = QuestionInfo(
            name=question.name,
            kind=question.kind,
            choices=tuple(choices),
            favourable=frozenset(favourable),
            dimension=question.dimension,
            multi_select=question.kind == MULTIPLE_CHOICE,
            scores=scores,
        )
    return infos


def dimension_infos(survey: Survey) -> dict[str, DimensionInfo]:
    """Return the survey's equity dimensions, keyed by dimension, in survey order."""
    by_dimension: dict[str, list[Question]] = defaultdict(list)
    for question in survey.questions:
        if question.dimension and question.kind in DIMENSION_KINDS:
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
        multi = len(questions) > 1 or questions[0].kind == MULTIPLE_CHOICE
        dimensions[key] = DimensionInfo(key, names, groups, multi_select=multi)
    return dimensions


def outcome_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the questions whose answers are compared across groups (dimensions are not)."""
    return [
        name
        for name, info in questions.items()
        if info.kind in OUTCOME_KINDS and not info.dimension
    ]


def comment_names(questions: dict[str, QuestionInfo]) -> list[str]:
    """Return the comment (long text) questions."""
    return [name for name, info in questions.items() if info.kind in COMMENT_KINDS]


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


def day_start(day: date) -> datetime:
    """Return midnight UTC at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)

"""Load a survey, question or choice for a builder page (or answer 404), and what holds data."""

from __future__ import annotations

from flask import abort

from engage import db
from surveys import store
from surveys.models import Choice, Question, Survey


def load_question(survey: Survey, name: str) -> Question:
    """Return the survey's question called ``name`` or answer 404."""
    for question in survey.questions:
        if question.name == name:
            return question
    abort(404)


def load_choice(question: Question, choice_id: int) -> Choice:
    """Return the question's choice with this id or answer 404."""
    for choice in question.choices:
        if choice.id == choice_id:
            return choice
    abort(404)


def answered_ids(survey: Survey) -> set[int]:
    """Return the ids of the survey's questions that hold data."""
    return store.answered_question_ids(db.get_session(), survey.id)


def is_locked(question: Question, answered: set[int]) -> bool:
    """Return whether the question holds data, so its structure must not change."""
    return question.id in answered

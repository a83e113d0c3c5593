"""Validate a whole submission: skip logic first, then each visible question's type.

The resident pages, the broker entry screen and the CSV importer all go through
``validate_submission`` so that one rule set decides what is stored.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.logic import visible_questions
from surveys.questions import AnswerError, AnswerValue, question_type


@dataclass(frozen=True)
class FieldError:
    """Why one question's answer was refused; ``message`` is an ``N_`` string."""

    question: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ValidatedSubmission:
    """The clean answers of the visible questions, or the errors to show."""

    answers: dict[str, list[AnswerValue]]
    errors: tuple[FieldError, ...]

    @property
    def is_valid(self) -> bool:
        """Return True when there is nothing to correct."""
        return not self.errors


def validate_submission(
    questions: Iterable[Any], raw: Mapping[str, Sequence[str]]
) -> ValidatedSubmission:
    """Validate ``raw`` form values against ``questions`` (in survey order).

    Hidden questions (skip logic) are neither validated nor kept, so a hidden
    question's answer is never stored even when the browser sent one.
    """
    answers: dict[str, list[AnswerValue]] = {}
    errors: list[FieldError] = []
    for question in visible_questions(list(questions), raw):
        kind = question_type(question.kind)
        if not kind.takes_answer:
            continue
        try:
            values = kind.validate(question, list(raw.get(question.name, ())))
        except AnswerError as error:
            errors.append(FieldError(question.name, error.message, error.params))
            continue
        if values:
            answers[question.name] = values
    return ValidatedSubmission(answers, tuple(errors))


def raw_values(answers: Mapping[str, Sequence[AnswerValue]]) -> dict[str, list[str]]:
    """Turn stored answer values back into form values (to refill a form for correction)."""
    raw: dict[str, list[str]] = {}
    for name, values in answers.items():
        raw[name] = [value_as_text(value) for value in values]
    return raw


def value_as_text(value: AnswerValue) -> str:
    """Return the form value that ``value`` was parsed from (numbers without a trailing .0)."""
    if value.choice is not None:
        return value.choice
    if value.number is not None:
        number = value.number
        return str(int(number)) if float(number).is_integer() else str(number)
    return value.text or ""

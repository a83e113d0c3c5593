"""Disability: the Washington Group Short Set (WG-SS) and the one status derived from it.

Six questions, one per domain, all answered on the same four-point difficulty
scale; ``washington_group_disability_status`` combines them with the
Washington Group's recommended cut-off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from surveys.definition import (
    PREFER_NOT_TO_ANSWER,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
)
from surveys.demographics.bank_files import bank_file, bank_question, choices_of, texts

WG_NO_DIFFICULTY = "no_difficulty"
WG_SOME_DIFFICULTY = "some_difficulty"
WG_A_LOT_OF_DIFFICULTY = "a_lot_of_difficulty"
WG_CANNOT_DO_AT_ALL = "cannot_do_at_all"

DISABILITY_DIMENSION = "disability"
WITH_DISABILITY = "with_disability"
WITHOUT_DISABILITY = "without_disability"

_ANSWER_NAMES = [WG_NO_DIFFICULTY, WG_SOME_DIFFICULTY, WG_A_LOT_OF_DIFFICULTY, WG_CANNOT_DO_AT_ALL]


def washington_group_questions(content: Mapping[str, Any]) -> tuple[QuestionDefinition, ...]:
    """Return the six Washington Group questions written in the disability file ``content``.

    The six share the ``disability`` dimension: the analysis must not break results
    down by each domain but by the one status ``washington_group_disability_status``
    derives from all six (see ``DERIVED_DIMENSIONS``).
    """
    answers = choices_of(content["answers"])
    if [name for name, _ in answers] != _ANSWER_NAMES:
        raise ValueError("the disability file must list the four Washington Group answers in order")
    return tuple(
        bank_question(
            domain["name"],
            SINGLE_CHOICE,
            texts(domain["label"]),
            answers,
            dimension=DISABILITY_DIMENSION,
            hint=texts(content["introduction"]) if index == 0 else None,
        )
        for index, domain in enumerate(content["domains"])
    )


WASHINGTON_GROUP_QUESTIONS = washington_group_questions(bank_file("disability"))

# Choices of the derived disability dimension, for reports.
DISABILITY_STATUS_CHOICES = tuple(
    ChoiceDefinition(name, labels)
    for name, labels in choices_of(bank_file("disability")["status_choices"])
)


def washington_group_disability_status(answers: Mapping[str, str]) -> str | None:
    """Derive one disability status from a respondent's six Washington Group answers.

    ``answers`` maps question names (``wg_seeing`` ...) to the chosen choice name.
    This is the Washington Group's recommended cut-off for comparing people with and
    without disabilities: ``with_disability`` when at least one domain is "a lot of
    difficulty" or "cannot do at all"; otherwise ``without_disability`` when at least
    one domain was answered ("some difficulty" does not reach the cut-off). A
    respondent who answered no domain gets None (missing), or
    ``prefer_not_to_answer`` if they chose that for every domain they were shown.
    """
    return disability_status_of_choices(
        answers.get(question.name) for question in WASHINGTON_GROUP_QUESTIONS
    )


def disability_status_of_choices(chosen: Iterable[str | None]) -> str | None:
    """Derive the Washington Group status from the choices given in any of the domains."""
    chosen = set(chosen)
    if chosen & {WG_A_LOT_OF_DIFFICULTY, WG_CANNOT_DO_AT_ALL}:
        return WITH_DISABILITY
    if chosen & {WG_NO_DIFFICULTY, WG_SOME_DIFFICULTY}:
        return WITHOUT_DISABILITY
    if PREFER_NOT_TO_ANSWER in chosen:
        return PREFER_NOT_TO_ANSWER
    return None


# Dimensions computed from several questions rather than read from one answer.
# The function takes a respondent's answers (question name -> choice name).
DERIVED_DIMENSIONS: dict[str, Callable[[Mapping[str, str]], str | None]] = {
    DISABILITY_DIMENSION: washington_group_disability_status,
}

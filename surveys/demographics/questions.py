"""The bank's questions, built from its text files: identity, gender, age, language, area, income.

- Indigenous identity and race follow Ontario's Data Standards for the
  Identification and Monitoring of Systemic Racism (the Anti-Racism Data
  Standards): Indigenous identity is asked before, and separately from, race
  (Standard 16 categories, select all that apply). The Standards also let people
  choose more than one Indigenous identity; here it is a single choice so that
  every respondent falls in one group of the equity analysis.
- Sex at birth and gender follow Statistics Canada's two-step question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.definition import QuestionDefinition, Texts
from surveys.demographics.bank_files import (
    bank_file,
    bank_question,
    filled,
    question_from_file,
    texts,
)
from surveys.languages import BUILT_IN_LANGUAGES

PLACEHOLDER_WARD_COUNT = 10


def questions_written_out(content: Mapping[str, Any]) -> tuple[QuestionDefinition, ...]:
    """Return a file's questions, each written out whole (identity, race, gender, language)."""
    return tuple(question_from_file(question) for question in content["questions"])


(INDIGENOUS_IDENTITY,) = questions_written_out(bank_file("indigenous"))
(RACE,) = questions_written_out(bank_file("race"))
SEX_AT_BIRTH, GENDER = questions_written_out(bank_file("gender"))
(HOME_LANGUAGE,) = questions_written_out(bank_file("home_language"))


def _band_label(templates: dict, low: object, high: object) -> Texts:
    """Return a band's label: under ``high``, ``low`` to ``high``, or ``low`` and over."""
    shape = "under" if low is None else "over" if high is None else "between"
    return filled(templates[shape], dict.fromkeys(BUILT_IN_LANGUAGES, {"low": low, "high": high}))


def age_band_questions(content: Mapping[str, Any]) -> tuple[QuestionDefinition]:
    """Return the age group question; its choices are ``age_under_18``, ``age_18_24``..."""
    found = content["questions"][0]
    question = bank_question(
        found["name"],
        found["kind"],
        texts(found["label"]),
        [
            (
                "age_under_18"
                if low is None
                else f"age_{low}_plus"
                if high is None
                else f"age_{low}_{high}",
                _band_label(found["band_labels"], low, high),
            )
            for low, high in found["bands"]
        ],
    )
    return (question,)


(AGE_BAND,) = age_band_questions(bank_file("age_band"))


def _dollars(language: str, amount: int) -> str:
    """Return a whole-dollar amount as written in ``language``."""
    if language in ("fr", "pt"):
        return f"{amount:,}".replace(",", "\u00a0") + "\u00a0$"
    if language == "ar":
        return f"{amount:,} دولار"
    if language == "ur":
        return f"{amount:,} ڈالر"
    if language == "zh-Hans":
        return f"{amount:,}加元"
    return f"${amount:,}"


def _income_band_label(templates: dict, low: int | None, high: int | None) -> Texts:
    """Return an income band's label, each amount written as its language writes dollars."""
    shape = "under" if low is None else "over" if high is None else "between"
    amounts = {
        language: {"low": _dollars(language, low or 0), "high": _dollars(language, high or 0)}
        for language in BUILT_IN_LANGUAGES
    }
    return filled(templates[shape], amounts)


def income_questions(content: Mapping[str, Any]) -> tuple[QuestionDefinition]:
    """Return the household income question; choices ``income_under_20000``..."""
    found = content["questions"][0]
    question = bank_question(
        found["name"],
        found["kind"],
        texts(found["label"]),
        [
            (
                "income_under_20000"
                if low is None
                else f"income_{low}_plus"
                if high is None
                else f"income_{low}_{high}",
                _income_band_label(found["band_labels"], low, high),
            )
            for low, high in found["bands"]
        ],
    )
    return (question,)


(HOUSEHOLD_INCOME,) = income_questions(bank_file("household_income"))


def area_questions(content: Mapping[str, Any]) -> tuple[QuestionDefinition]:
    """Return the ward-or-area question with placeholder wards, from the area file."""
    return (area_question(content=content),)


def area_question(
    areas: Sequence[str] | None = None, *, content: Mapping[str, Any] | None = None
) -> QuestionDefinition:
    """Return the ward-or-area question for a municipality's own ``areas``.

    Without ``areas`` the choices are placeholders, "Ward 1" to "Ward 10"
    (``ward_1`` ... ``ward_10``), which staff edit to match their municipality.
    Given names (place names, shown as written in every language) are stored as
    ``area_1``, ``area_2`` ... in the order given. ``content`` is the area
    file to read (by default the one shipped with Engage).
    """
    found = (content or bank_file("area"))["questions"][0]
    if areas is None:
        choices = [
            (
                f"ward_{number}",
                filled(found["ward_label"], dict.fromkeys(BUILT_IN_LANGUAGES, {"number": number})),
            )
            for number in range(1, PLACEHOLDER_WARD_COUNT + 1)
        ]
    else:
        choices = [
            (f"area_{index}", dict.fromkeys(BUILT_IN_LANGUAGES, area))
            for index, area in enumerate(areas, start=1)
        ]
    return bank_question(found["name"], found["kind"], texts(found["label"]), choices)

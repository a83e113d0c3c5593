"""The bank's entries as staff see them: a translated title (``N_``) and the questions it adds."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.definition import QuestionDefinition
from surveys.demographics.disability import WASHINGTON_GROUP_QUESTIONS
from surveys.demographics.questions import (
    AGE_BAND,
    GENDER,
    HOME_LANGUAGE,
    HOUSEHOLD_INCOME,
    INDIGENOUS_IDENTITY,
    RACE,
    SEX_AT_BIRTH,
    area_question,
)
from surveys.messages import N_


@dataclass(frozen=True)
class BankEntry:
    """One item staff can add: a title (an ``N_`` string) and its questions."""

    id: str
    title: str
    questions: tuple[QuestionDefinition, ...]


_BANK_ENTRIES = (
    BankEntry("indigenous", N_("Indigenous identity"), (INDIGENOUS_IDENTITY,)),
    BankEntry("race", N_("Race (Ontario Anti-Racism Data Standards)"), (RACE,)),
    BankEntry("gender", N_("Sex at birth and gender (two questions)"), (SEX_AT_BIRTH, GENDER)),
    BankEntry("age_band", N_("Age group"), (AGE_BAND,)),
    BankEntry(
        "disability",
        N_("Disability (Washington Group Short Set, six questions)"),
        WASHINGTON_GROUP_QUESTIONS,
    ),
    BankEntry("home_language", N_("Language spoken most often at home"), (HOME_LANGUAGE,)),
    BankEntry("area", N_("Ward or area"), (area_question(),)),
    BankEntry("household_income", N_("Household income"), (HOUSEHOLD_INCOME,)),
)

# Bank entry id -> the questions it adds, in the order they are asked (Indigenous
# identity comes before race, as the Anti-Racism Data Standards require).
DEMOGRAPHIC_BANK: dict[str, tuple[QuestionDefinition, ...]] = {
    entry.id: entry.questions for entry in _BANK_ENTRIES
}


def bank_entries() -> tuple[BankEntry, ...]:
    """Return the bank's entries in the order the builder lists them."""
    return _BANK_ENTRIES

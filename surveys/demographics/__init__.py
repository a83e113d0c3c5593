"""The bank of standard demographic questions staff add to a survey in one click.

Every question is a closed equity dimension (``dimension`` set), voluntary, and
offers "Prefer not to answer". Labels and choice labels come in every language of
``BUILT_IN_LANGUAGES``, in the text files under ``bank/`` (one per entry), where
translators review them. The translations were written for this bank and still
need review by a speaker from each community before a survey relies on them; the
Portuguese follows European usage, as most Portuguese-speaking Ontarians have
roots in Portugal and the Azores. The entries' titles are interface strings
(``N_``, in ``entries``), translated with the rest of the interface.

Sources: Ontario's Anti-Racism Data Standards (Indigenous identity, race),
Statistics Canada's two-step sex and gender question (``questions``), and the
Washington Group Short Set on disability (``disability``).
"""

from surveys.demographics.disability import (
    DERIVED_DIMENSIONS,
    DISABILITY_DIMENSION,
    DISABILITY_STATUS_CHOICES,
    WASHINGTON_GROUP_QUESTIONS,
    WG_A_LOT_OF_DIFFICULTY,
    WG_CANNOT_DO_AT_ALL,
    WG_NO_DIFFICULTY,
    WG_SOME_DIFFICULTY,
    WITH_DISABILITY,
    WITHOUT_DISABILITY,
    disability_status_of_choices,
    washington_group_disability_status,
)
from surveys.demographics.entries import DEMOGRAPHIC_BANK, BankEntry, bank_entries
from surveys.demographics.questions import (
    AGE_BAND,
    GENDER,
    HOME_LANGUAGE,
    HOUSEHOLD_INCOME,
    INDIGENOUS_IDENTITY,
    PLACEHOLDER_WARD_COUNT,
    RACE,
    SEX_AT_BIRTH,
    area_question,
)

__all__ = [
    "AGE_BAND",
    "DEMOGRAPHIC_BANK",
    "DERIVED_DIMENSIONS",
    "DISABILITY_DIMENSION",
    "DISABILITY_STATUS_CHOICES",
    "GENDER",
    "HOME_LANGUAGE",
    "HOUSEHOLD_INCOME",
    "INDIGENOUS_IDENTITY",
    "PLACEHOLDER_WARD_COUNT",
    "RACE",
    "SEX_AT_BIRTH",
    "WASHINGTON_GROUP_QUESTIONS",
    "WG_A_LOT_OF_DIFFICULTY",
    "WG_CANNOT_DO_AT_ALL",
    "WG_NO_DIFFICULTY",
    "WG_SOME_DIFFICULTY",
    "WITHOUT_DISABILITY",
    "WITH_DISABILITY",
    "BankEntry",
    "area_question",
    "bank_entries",
    "disability_status_of_choices",
    "washington_group_disability_status",
]

"""The bank's entries as staff see them: a translated title (``N_``) and the questions it adds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Any

from surveys.definition import QuestionDefinition
from surveys.demographics.bank_files import bank_file, read_bank_file
from surveys.demographics.disability import washington_group_questions
from surveys.demographics.questions import (
    age_band_questions,
    area_questions,
    income_questions,
    questions_written_out,
)
from surveys.messages import N_

QuestionsOfFile = Callable[[Mapping[str, Any]], tuple[QuestionDefinition, ...]]


@dataclass(frozen=True)
class BankEntry:
    """One item staff can add: a title (an ``N_`` string) and its questions."""

    id: str
    title: str
    questions: tuple[QuestionDefinition, ...]


# Each entry: its id (its text file is ``bank/<id>.json``), its title, and how its
# file becomes its questions; in the order the builder lists them (Indigenous
# identity comes before race, as the Anti-Racism Data Standards require).
_ENTRY_FILES: tuple[tuple[str, str, QuestionsOfFile], ...] = (
    ("indigenous", N_("Indigenous identity"), questions_written_out),
    ("race", N_("Race (Ontario Anti-Racism Data Standards)"), questions_written_out),
    ("gender", N_("Sex at birth and gender (two questions)"), questions_written_out),
    ("age_band", N_("Age group"), age_band_questions),
    (
        "disability",
        N_("Disability (Washington Group Short Set, six questions)"),
        washington_group_questions,
    ),
    ("home_language", N_("Language spoken most often at home"), questions_written_out),
    ("area", N_("Ward or area"), area_questions),
    ("household_income", N_("Household income"), income_questions),
)
BANK_ENTRY_IDS = tuple(entry_id for entry_id, _, _ in _ENTRY_FILES)


def build_bank(
    contents: Mapping[str, Mapping[str, Any]],
) -> dict[str, tuple[QuestionDefinition, ...]]:
    """Return the bank (entry id -> questions) that text files with these ``contents`` make.

    A file that cannot make its questions (a text missing a language, a broken
    placeholder) raises here.
    """
    return {entry_id: build(contents[entry_id]) for entry_id, _, build in _ENTRY_FILES}


def read_bank_contents(directory: Traversable | None = None) -> dict[str, dict[str, Any]]:
    """Return every entry's parsed text file (entry id -> content), in the builder's order."""
    return {entry_id: read_bank_file(entry_id, directory) for entry_id in BANK_ENTRY_IDS}


def load_bank(directory: Traversable | None = None) -> dict[str, tuple[QuestionDefinition, ...]]:
    """Return the bank built from the text files in ``directory`` (by default Engage's own)."""
    return build_bank(read_bank_contents(directory))


# Bank entry id -> the questions it adds, in the order they are asked.
DEMOGRAPHIC_BANK: dict[str, tuple[QuestionDefinition, ...]] = build_bank(
    {entry_id: bank_file(entry_id) for entry_id in BANK_ENTRY_IDS}
)

_BANK_ENTRIES = tuple(
    BankEntry(entry_id, title, DEMOGRAPHIC_BANK[entry_id]) for entry_id, title, _ in _ENTRY_FILES
)


def bank_entries() -> tuple[BankEntry, ...]:
    """Return the bank's entries in the order the builder lists them."""
    return _BANK_ENTRIES

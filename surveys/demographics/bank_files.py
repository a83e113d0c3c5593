"""Reading the bank's text files (``bank/<entry>.json``): survey content in every built-in language.

Each file holds its questions' names, kinds, labels, hints and choices, every
text in each language of ``BUILT_IN_LANGUAGES`` side by side, so a reviewer
reads each one whole. A text missing a language is an error when the module
loads, not a blank label in a survey.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from surveys.definition import ChoiceDefinition, QuestionDefinition, Texts
from surveys.languages import BUILT_IN_LANGUAGES


@cache
def bank_file(entry: str) -> dict[str, Any]:
    """Return the parsed text file of one bank entry."""
    text = files("surveys.demographics").joinpath("bank", f"{entry}.json").read_text("utf-8")
    return json.loads(text)


def texts(found: Mapping[str, str]) -> Texts:
    """Return a text in every built-in language, in their order; a missing one is an error."""
    missing = [language for language in BUILT_IN_LANGUAGES if not found.get(language)]
    if missing:
        raise ValueError(f"bank text {found.get('en')!r} lacks {', '.join(missing)}")
    return {language: found[language] for language in BUILT_IN_LANGUAGES}


def filled(templates: Mapping[str, str], values: Mapping[str, Mapping[str, object]]) -> Texts:
    """Return a text whose ``{placeholders}`` take each language's own ``values``."""
    return {
        language: template.format(**values[language])
        for language, template in texts(templates).items()
    }


def bank_question(
    name: str,
    kind: str,
    label: Texts,
    choices: Sequence[tuple[str, Texts]],
    *,
    dimension: str | None = None,
    hint: Texts | None = None,
) -> QuestionDefinition:
    """Return a voluntary dimension question that offers "Prefer not to answer"."""
    return QuestionDefinition(
        name=name,
        kind=kind,
        label=label,
        hint=hint or {},
        choices=tuple(ChoiceDefinition(choice, labels) for choice, labels in choices),
        allow_prefer_not=True,
        dimension=dimension or name,
    )


def choices_of(found: Sequence[Mapping[str, Any]]) -> list[tuple[str, Texts]]:
    """Return a file's choices as (name, labels)."""
    return [(choice["name"], texts(choice["label"])) for choice in found]


def question_from_file(found: Mapping[str, Any]) -> QuestionDefinition:
    """Return a question written out whole in a file (name, kind, label, hint, choices)."""
    return bank_question(
        found["name"],
        found["kind"],
        texts(found["label"]),
        choices_of(found["choices"]),
        hint=texts(found["hint"]) if "hint" in found else None,
    )

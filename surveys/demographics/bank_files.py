"""The bank's text files (``bank/<entry>.json``): survey content in every built-in language.

Each file holds its questions' names, kinds, labels, hints and choices, every
text in each language of ``BUILT_IN_LANGUAGES`` side by side, so a reviewer
reads each one whole. A text missing a language is an error when the module
loads, not a blank label in a survey. ``bank_file_text`` writes a file back in
the same layout, so a corrected translation changes only its own line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from surveys.definition import ChoiceDefinition, QuestionDefinition, Texts
from surveys.languages import BUILT_IN_LANGUAGES
from surveys.questions import ANALYSE_SETTING, question_type


def bank_directory() -> Traversable:
    """Return the folder of the bank's text files shipped with Engage."""
    return files("surveys.demographics").joinpath("bank")


def read_bank_file(entry: str, directory: Traversable | None = None) -> dict[str, Any]:
    """Return the parsed text file of one bank entry, from ``directory`` or Engage's own."""
    folder = directory if directory is not None else bank_directory()
    return json.loads(folder.joinpath(f"{entry}.json").read_text("utf-8"))


@cache
def bank_file(entry: str) -> dict[str, Any]:
    """Return the parsed text file of one bank entry shipped with Engage (read once)."""
    return read_bank_file(entry)


def bank_file_text(content: Any, depth: int = 0) -> str:
    """Return ``content`` laid out as the bank's files are: two-space indent, short lists inline.

    UTF-8 text stays as written (no escaped characters) and keys keep their order,
    so writing back an unchanged file gives the same bytes.
    """
    inner = "  " * (depth + 1)
    if isinstance(content, dict) and content:
        members = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {bank_file_text(value, depth + 1)}"
            for key, value in content.items()
        ]
        text = "{\n" + ",\n".join(members) + "\n" + "  " * depth + "}"
    elif isinstance(content, list) and any(isinstance(item, dict | list) for item in content):
        items = [f"{inner}{bank_file_text(item, depth + 1)}" for item in content]
        text = "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    elif isinstance(content, list):
        text = "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in content) + "]"
    else:
        text = json.dumps(content, ensure_ascii=False)
    return text + "\n" if depth == 0 else text


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
    """Return a voluntary dimension question that offers "Prefer not to answer".

    A free-text field of the bank (a self-described identity, a postal code) starts
    with its analysis switched off: it describes the person, it is not a comment.
    """
    analysable = question_type(kind).analysable
    return QuestionDefinition(
        name=name,
        kind=kind,
        label=label,
        hint=hint or {},
        choices=tuple(ChoiceDefinition(choice, labels) for choice, labels in choices),
        allow_prefer_not=True,
        dimension=None if analysable else dimension or name,
        settings={ANALYSE_SETTING: False} if analysable else {},
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

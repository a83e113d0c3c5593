"""The bank's texts for translators: one language out as XLSX or PO, corrections back in its files.

The bank's text files go through the survey texts' round trip
(``surveys.translation_io``): the source is English, the target one other
built-in language, one row per text with its key, its current translation and a
note. A key is the entry and the path to the text in its file, list items named
by their ``name``: ``gender.questions.gender.choices.man.label``,
``age_band.questions.age_band.band_labels.under``, ``disability.introduction``.

An import is checked whole before anything is written: the file must be the
bank's, in one of its languages, with keys the bank has and English texts as
they are now, every text translated and keeping the English text's
placeholders (``{low}``, ``{high}``, ``{number}``, filled in when the questions
are built). The corrected files must still build the bank. Only files whose
texts changed are rewritten, in the layout they had (``bank_file_text``).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any

from surveys.demographics.bank_files import bank_file_text
from surveys.demographics.entries import bank_entries, build_bank, read_bank_contents
from surveys.languages import BUILT_IN_LANGUAGES, normalize_tag
from surveys.messages import N_
from surveys.translation_io import (
    ImportProblem,
    TextRule,
    TranslationFile,
    TranslationImportError,
    build_translation_file,
    check_translation_file,
    read_translation_file,
)

# What a bank translation file names as its "survey" (the ``engage`` sheet, the PO version).
BANK_FILE_ID = "demographic-bank"
BANK_DESCRIPTION = "the demographic question bank of Engage"
SOURCE_LANGUAGE = "en"
TRANSLATION_LANGUAGES = tuple(tag for tag in BUILT_IN_LANGUAGES if tag != SOURCE_LANGUAGE)

Contents = Mapping[str, Mapping[str, Any]]


def placeholders(text: str) -> frozenset[str] | None:
    """Return the ``{name}`` fields ``str.format`` fills in ``text``; None if it cannot."""
    try:
        return frozenset(name for _, name, _, _ in Formatter().parse(text) if name is not None)
    except ValueError:
        return None


BANK_RULES = (
    TextRule(
        N_(
            "These texts are empty: %(keys)s. Every text of the demographic bank needs a "
            "translation (a PO message marked fuzzy counts as empty)."
        ),
        lambda source, translation: not translation,
    ),
    TextRule(
        N_(
            "These translations do not keep the placeholders of the English text (such as "
            "{low}, {high} or {number}) exactly as written: %(keys)s."
        ),
        lambda source, translation: (
            bool(translation) and placeholders(translation) != placeholders(source)
        ),
    ),
)


@dataclass(frozen=True)
class BankText:
    """One text of the bank: its key, its entry, its texts by language (the file's own dict)."""

    key: str
    entry: str
    texts: dict[str, str]
    note: str


def _is_text(value: Any) -> bool:
    """Return whether a file's value is a text: ``{"en": ..., "fr": ...}``."""
    return (
        isinstance(value, dict)
        and SOURCE_LANGUAGE in value
        and all(isinstance(text, str) for text in value.values())
    )


def _note(title: str, question: str | None, source: str) -> str:
    """Return what a translator should know about a text: its entry, question and placeholders."""
    parts = [title]
    if question:
        parts.append(f"Question: “{question}”")
    fields = placeholders(source) or ()
    if fields:
        # In the order the English text has them: "{low} to {high}".
        named = sorted("{" + name + "}" for name in fields)
        named.sort(key=source.index)
        them = "them" if len(named) > 1 else "it"
        parts.append(
            f"Keep {' and '.join(named)} unchanged: Engage puts a number or an amount in place "
            f"of {them}."
        )
    return "; ".join(parts)


def _walk(value: Any, path: tuple[str, ...], question: str | None) -> Iterator[tuple]:
    """Yield (path, texts, question label) for every text under ``value``."""
    if _is_text(value):
        yield path, value, question
    elif isinstance(value, dict):
        own_label = value.get("label")
        inner = own_label[SOURCE_LANGUAGE] if _is_text(own_label) else question
        for name, item in value.items():
            yield from _walk(item, (*path, name), question if name == "label" else inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            name = item.get("name") if isinstance(item, dict) else None
            yield from _walk(item, (*path, str(name or index)), question)


def bank_texts(contents: Contents) -> list[BankText]:
    """Return every text of the bank files ``contents`` (entry -> parsed file), in file order."""
    titles = {entry.id: entry.title for entry in bank_entries()}
    found = [
        BankText(
            ".".join(path),
            entry_id,
            texts,
            _note(titles.get(entry_id, entry_id), question, texts[SOURCE_LANGUAGE]),
        )
        for entry_id, content in contents.items()
        for path, texts, question in _walk(content, (entry_id,), None)
    ]
    keys = [text.key for text in found]
    if len(keys) != len(set(keys)):
        raise ValueError("two texts of the bank files have the same key")
    return found


def bank_translation(language: str, contents: Contents | None = None) -> TranslationFile:
    """Return the bank's texts for a translator into ``language`` (English as the source)."""
    found = bank_texts(contents if contents is not None else read_bank_contents())
    return build_translation_file(
        BANK_FILE_ID,
        {text.key: text.texts for text in found},
        [text.key for text in found],
        SOURCE_LANGUAGE,
        language,
        notes={text.key: text.note for text in found},
        description=BANK_DESCRIPTION,
    )


@dataclass(frozen=True)
class BankCorrection:
    """A checked import: every entry's file content after it, and the keys it changed by entry."""

    language: str
    contents: dict[str, dict[str, Any]]
    changed: dict[str, tuple[str, ...]]

    @property
    def changed_texts(self) -> int:
        """Return how many texts the import changes."""
        return sum(len(keys) for keys in self.changed.values())


def _refusal(message: str, **params: Any) -> TranslationImportError:
    """Return an import error with one problem."""
    return TranslationImportError(ImportProblem(message, params))


def check_bank_translation(
    data: bytes, contents: Contents, language: str | None = None, reader_language: str = "en"
) -> BankCorrection:
    """Check a translator's file against the bank files ``contents``; raise if anything is wrong.

    ``language``, when given, is the language the file must be for; otherwise the
    file's own language must be one of the bank's. Refusals name languages for a
    reader of ``reader_language``. Nothing is written here.
    """
    uploaded = read_translation_file(data)
    if uploaded.survey != BANK_FILE_ID:
        raise _refusal(
            N_("This file is not the demographic bank's: it holds the texts of “%(survey)s”."),
            survey=uploaded.survey,
        )
    wanted = normalize_tag(language or uploaded.language)
    if wanted not in TRANSLATION_LANGUAGES:
        raise _refusal(
            N_(
                "The demographic bank is translated into %(languages)s; there are no texts "
                "in “%(language)s” to correct."
            ),
            languages=", ".join(TRANSLATION_LANGUAGES),
            language=wanted,
        )
    translations = check_translation_file(
        uploaded,
        bank_translation(wanted, contents),
        rules=BANK_RULES,
        unknown_keys_message=N_("The demographic bank has no texts with these keys: %(keys)s."),
        reader_language=reader_language,
    )
    corrected = copy.deepcopy({entry: dict(content) for entry, content in contents.items()})
    changed: dict[str, list[str]] = {}
    for text in bank_texts(corrected):
        new = translations.get(text.key)
        if new is not None and new != text.texts.get(wanted):
            text.texts[wanted] = new
            changed.setdefault(text.entry, []).append(text.key)
    # The rules above keep every file buildable; this is the proof, before anything is written.
    build_bank(corrected)
    return BankCorrection(
        wanted, corrected, {entry: tuple(keys) for entry, keys in changed.items()}
    )


def write_bank_files(directory: Path, correction: BankCorrection) -> list[Path]:
    """Rewrite the files whose texts ``correction`` changed; return their paths.

    Each file is written whole to a temporary file beside it (with the file's
    permissions), then moved over it, so a reader never sees half a file.
    """
    written = []
    for entry in correction.changed:
        path = directory / f"{entry}.json"
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{entry}.", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(bank_file_text(correction.contents[entry]))
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
        written.append(path)
    return written

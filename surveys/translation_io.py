"""The translators' round trip: one language of a survey's texts out as XLSX or PO, and back.

A translator gets a file with one row (or PO message) per text: its key, the
source text in the survey's default language, and the translation, pre-filled
with what the survey already has. The file names the survey and the language it
is for (a hidden ``engage`` sheet in XLSX; ``Project-Id-Version`` and
``Language`` headers in PO), so that an import can refuse a file meant for
another survey or language, keys the survey does not have, and sources that were
reworded after the export (the translation would no longer match them).

Empty translations are skipped on import: they leave the survey's text as it is
(a translator who did not get to a text must not erase an earlier translation).
Fuzzy PO messages count as empty, as ``msgfmt`` treats them.

The same files carry the demographic bank's texts (``surveys.demographics.bank_texts``),
whose rows also have a note for the translator and whose import adds its own
rules (``TextRule``). Every text cell of a workbook passes the one formula guard
(``surveys.formula_guard``), undone when the workbook is read back.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import write_po as babel_write_po

from surveys.formula_guard import neutralise, restore
from surveys.languages import language_name, normalize_tag, text_direction
from surveys.messages import N_

FORMAT = "engage-translations"
FORMAT_VERSION = "1"
PO_PROJECT = "Engage survey"
METADATA_SHEET = "engage"
TEXTS_SHEET = "translations"
KEY_HEADER = "key"
SOURCE_HEADER = "source"
TARGET_HEADER = "translation"
NOTE_HEADER = "note"
# Spreadsheets often claim far more rows than they hold; a run this long ends the sheet.
BLANK_ROWS_ENDING_A_SHEET = 50
# How many keys a refusal names before "and N more".
KEYS_SHOWN = 10


@dataclass(frozen=True)
class TranslationEntry:
    """One text: its key, the source in the default language, its translation and a note."""

    key: str
    source: str
    target: str = ""
    note: str = ""


@dataclass(frozen=True)
class TranslationFile:
    """A survey's texts in one language, as exported for (or returned by) a translator.

    ``survey`` names whose texts they are (a survey's slug, or the demographic
    bank's name); ``description`` says so to a reader of the PO file's header.
    """

    survey: str
    source_language: str
    language: str
    entries: tuple[TranslationEntry, ...]
    description: str = ""


@dataclass(frozen=True)
class TextRule:
    """A rule each translation in a file must keep; ``message`` (``N_``) names those breaking it."""

    message: str
    breaks: Callable[[str, str], bool]  # (source, translation) -> True when broken


@dataclass(frozen=True)
class ImportProblem:
    """Why a file was refused: an ``N_`` message and its parameters."""

    message: str
    params: dict[str, Any]

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


class TranslationImportError(Exception):
    """The file cannot be imported; ``problems`` says why (nothing was changed)."""

    def __init__(self, *problems: ImportProblem) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _refuse(message: str, **params: Any) -> TranslationImportError:
    """Return an import error with one problem."""
    return TranslationImportError(ImportProblem(message, params))


def _clean(text: Any) -> str:
    """Return cell or message text with plain newlines and no surrounding blanks."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def build_translation_file(
    survey: str,
    texts: Mapping[str, Mapping[str, str]],
    key_order: Sequence[str],
    source_language: str,
    language: str,
    *,
    notes: Mapping[str, str] | None = None,
    description: str = "",
) -> TranslationFile:
    """Return the texts to translate into ``language``: every key with a source text.

    ``texts`` is ``{key: {language: text}}`` (``surveys.store.load_texts``);
    ``key_order`` lists keys in the order a reader meets them. Keys with a source
    text that ``key_order`` does not name come last, sorted. ``notes`` gives a
    key's note for the translator.
    """
    notes = notes or {}
    source_language = normalize_tag(source_language)
    language = normalize_tag(language)

    def text_in(by_language: Mapping[str, str], tag: str) -> str:
        for candidate, text in by_language.items():
            if normalize_tag(candidate) == tag:
                return _clean(text)
        return ""

    ordered = list(dict.fromkeys(key for key in key_order if key in texts))
    ordered += sorted(set(texts) - set(ordered))
    entries = []
    for key in ordered:
        source = text_in(texts[key], source_language)
        if source:
            entries.append(
                TranslationEntry(key, source, text_in(texts[key], language), notes.get(key, ""))
            )
    return TranslationFile(survey, source_language, language, tuple(entries), description)


def write_xlsx(translation: TranslationFile, target: str | IO[bytes]) -> None:
    """Write an XLSX workbook: key, source, translation (and note) columns, and a metadata sheet.

    Every text passes ``neutralise``: a text starting with ``=`` must not become a formula.
    """
    import openpyxl  # here, not at import: only a download or an upload needs it
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TEXTS_SHEET
    with_notes = any(entry.note for entry in translation.entries)
    header = [
        KEY_HEADER,
        f"{SOURCE_HEADER} ({translation.source_language})",
        f"{TARGET_HEADER} ({translation.language})",
    ]
    sheet.append(header + [NOTE_HEADER] if with_notes else header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Excel's reading order 2 is right to left, so Arabic or Urdu cells read naturally.
    source_order = 2 if text_direction(translation.source_language) == "rtl" else 1
    target_order = 2 if text_direction(translation.language) == "rtl" else 1
    for entry in translation.entries:
        cells = [entry.key, entry.source, entry.target] + ([entry.note] if with_notes else [])
        sheet.append([neutralise(cell) for cell in cells])
        row = sheet.max_row
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, readingOrder=source_order)
        sheet.cell(row, 3).alignment = Alignment(wrap_text=True, readingOrder=target_order)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    if with_notes:
        sheet.column_dimensions["D"].width = 60

    metadata = workbook.create_sheet(METADATA_SHEET)
    for name, value in (
        ("format", FORMAT),
        ("version", FORMAT_VERSION),
        ("survey", translation.survey),
        ("source_language", translation.source_language),
        ("language", translation.language),
    ):
        metadata.append([name, value])
    metadata.sheet_state = "hidden"
    workbook.save(target)


def write_po(translation: TranslationFile, target: IO[bytes]) -> None:
    """Write a PO file: ``msgctxt`` is the key, ``msgid`` the source, ``msgstr`` the translation."""
    catalog = Catalog(
        locale=translation.language.replace("-", "_"),
        project=PO_PROJECT,
        version=translation.survey,
        charset="utf-8",
        fuzzy=False,
    )
    catalog.header_comment = (
        f"# Translation of {translation.description or 'the Engage survey ' + translation.survey}\n"
        f"# from {_language_name(translation.source_language, 'en')}"
        f" into {_language_name(translation.language, 'en')}.\n"
        "# Leave msgctxt and msgid as they are; write the translation in msgstr."
    )
    for entry in translation.entries:
        notes = [entry.note] if entry.note else []
        catalog.add(entry.source, entry.target, context=entry.key, auto_comments=notes)
    babel_write_po(target, catalog, width=0, omit_header=False, sort_output=False)


def read_translation_file(source: bytes | IO[bytes]) -> TranslationFile:
    """Read an XLSX or PO translation file, telling them apart by content."""
    data = source if isinstance(source, bytes) else source.read()
    if data.startswith(b"PK"):
        return read_xlsx(io.BytesIO(data))
    return read_po(io.BytesIO(data))


def _unreadable() -> TranslationImportError:
    """Return the refusal for a file that is neither a readable XLSX nor PO file."""
    return _refuse(
        N_(
            "This file could not be read. Upload the XLSX or PO file exported from this "
            "page, saved in the same format."
        )
    )


def _not_engage_file() -> TranslationImportError:
    """Return the refusal for a readable file that Engage did not export."""
    return _refuse(
        N_(
            "This file is not a translation file exported from Engage: it does not say "
            "which survey and language it is for."
        )
    )


def read_xlsx(source: str | IO[bytes]) -> TranslationFile:
    """Read a workbook written by ``write_xlsx`` (columns may have been moved)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _unreadable() from None
    try:
        if METADATA_SHEET not in workbook.sheetnames or TEXTS_SHEET not in workbook.sheetnames:
            raise _not_engage_file()
        metadata = {
            _clean(row[0]): _clean(row[1])
            for row in workbook[METADATA_SHEET].iter_rows(max_col=2, values_only=True)
            if row and len(row) >= 2 and row[0] is not None
        }
        if metadata.get("format") != FORMAT or not metadata.get("survey"):
            raise _not_engage_file()
        entries = _read_texts_sheet(workbook[TEXTS_SHEET])
    finally:
        workbook.close()
    return TranslationFile(
        metadata["survey"],
        normalize_tag(metadata.get("source_language", "")),
        normalize_tag(metadata.get("language", "")),
        entries,
    )


def _read_texts_sheet(sheet) -> tuple[TranslationEntry, ...]:
    """Read the key, source and translation columns, found by their headers."""
    sheet.reset_dimensions()
    header = [_clean(value).lower() for value in next(sheet.iter_rows(max_row=1, values_only=True))]

    def column(prefix: str) -> int:
        for index, name in enumerate(header):
            if name.startswith(prefix):
                return index
        raise _not_engage_file()

    key_at, source_at, target_at = column(KEY_HEADER), column(SOURCE_HEADER), column(TARGET_HEADER)
    entries = []
    blank_run = 0
    for row in sheet.iter_rows(min_row=2, max_col=len(header), values_only=True):
        cells = [
            _clean(restore(row[i])) if i < len(row) else "" for i in (key_at, source_at, target_at)
        ]
        if not any(cells):
            blank_run += 1
            if blank_run >= BLANK_ROWS_ENDING_A_SHEET:
                break
            continue
        blank_run = 0
        entries.append(TranslationEntry(*cells))
    return tuple(entries)


def read_po(source: IO[bytes]) -> TranslationFile:
    """Read a PO file written by ``write_po`` (or by a translator's PO editor from it)."""
    try:
        catalog = babel_read_po(source, ignore_obsolete=True, abort_invalid=True, charset="utf-8")
    except Exception:
        # Babel reports broken files as PoFileError, UnicodeDecodeError, ValueError...
        raise _unreadable() from None
    if catalog.project != PO_PROJECT or not catalog.version or not catalog.locale_identifier:
        raise _not_engage_file()
    entries = tuple(
        TranslationEntry(
            _clean(message.context),
            _clean(message.id),
            "" if message.fuzzy else _clean(message.string),
        )
        for message in catalog
        if message.id and isinstance(message.id, str)
    )
    language = normalize_tag(catalog.locale_identifier)
    return TranslationFile(catalog.version, "", language, entries)


def _key_list(keys: Iterable[str]) -> str:
    """Return keys for a message, the first ``KEYS_SHOWN`` of them and how many more."""
    keys = list(keys)
    shown = ", ".join(keys[:KEYS_SHOWN])
    if len(keys) > KEYS_SHOWN:
        shown += f" (+{len(keys) - KEYS_SHOWN})"
    return shown


def _language_name(tag: str, reader_language: str) -> str:
    """Return ``French (fr)``: the language's name for the reader (``language_name``), its tag."""
    name = language_name(tag, reader_language)
    return f"{name} ({tag})" if name != tag else tag


def check_translation_file(
    uploaded: TranslationFile,
    expected: TranslationFile,
    *,
    rules: Sequence[TextRule] = (),
    unknown_keys_message: str = N_("This survey has no texts with these keys: %(keys)s."),
    reader_language: str = "en",
) -> dict[str, str]:
    """Return the translations to store (key -> text), or raise ``TranslationImportError``.

    ``expected`` is ``build_translation_file`` for the survey and language now.
    A file for another survey or language is refused outright (naming languages
    for a reader of ``reader_language``); otherwise every unknown key, changed
    source text, repeated key and broken rule is reported together.
    """
    if uploaded.survey != expected.survey:
        raise _refuse(
            N_("This file is for the survey “%(file_survey)s”, not “%(survey)s”."),
            file_survey=uploaded.survey,
            survey=expected.survey,
        )
    if normalize_tag(uploaded.language) != normalize_tag(expected.language):
        raise _refuse(
            N_("This file holds translations into %(file_language)s, not %(language)s."),
            file_language=_language_name(uploaded.language, reader_language),
            language=_language_name(expected.language, reader_language),
        )
    sources = {entry.key: entry.source for entry in expected.entries}
    seen: set[str] = set()
    repeated, unknown, changed = [], [], []
    broken: list[list[str]] = [[] for _ in rules]
    translations: dict[str, str] = {}
    for entry in uploaded.entries:
        if entry.key in seen:
            repeated.append(entry.key)
            continue
        seen.add(entry.key)
        if entry.key not in sources:
            unknown.append(entry.key or "?")
        elif entry.source != sources[entry.key]:
            changed.append(entry.key)
        else:
            for keys, rule in zip(broken, rules, strict=True):
                if rule.breaks(entry.source, entry.target):
                    keys.append(entry.key)
            if entry.target:
                translations[entry.key] = entry.target
    problems = []
    if unknown:
        problems.append(ImportProblem(unknown_keys_message, {"keys": _key_list(unknown)}))
    if changed:
        problems.append(
            ImportProblem(
                N_(
                    "The source text changed since the file was exported, for: %(keys)s. "
                    "Export a new file and translate the changed texts."
                ),
                {"keys": _key_list(changed)},
            )
        )
    if repeated:
        problems.append(
            ImportProblem(
                N_("These keys appear more than once: %(keys)s."), {"keys": _key_list(repeated)}
            )
        )
    for keys, rule in zip(broken, rules, strict=True):
        if keys:
            problems.append(ImportProblem(rule.message, {"keys": _key_list(keys)}))
    if problems:
        raise TranslationImportError(*problems)
    return translations

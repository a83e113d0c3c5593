"""Importing a workbook's sheets as a ``SurveyDefinition``, with a warning for each thing skipped.

This module reads the workbook-wide parts (languages, settings, choice lists);
``question_rows`` reads the survey sheet's rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from surveys.definition import PREFER_NOT_TO_ANSWER, ChoiceDefinition, SurveyDefinition, Texts
from surveys.messages import N_
from surveys.xlsform.language_columns import language_tag
from surveys.xlsform.question_rows import QuestionReader
from surveys.xlsform.question_types import FAVOURABLE_COLUMN
from surveys.xlsform.reader import (
    Row,
    Sheet,
    WorkbookLimits,
    XLSFormError,
    read_workbook,
    workbook_name,
    yes_no,
)

FALLBACK_LANGUAGE = "en"
# Settings columns holding the form title; the later ones are Engage's or aliases.
_TITLE_COLUMNS = ("form_title", "translated_title", "set_form_title")


@dataclass(frozen=True)
class ImportWarning:
    """Something in the workbook that was skipped or changed on import."""

    sheet: str
    row: int | None
    construct: str
    message: str

    def __str__(self) -> str:
        where = self.sheet if self.row is None else f"{self.sheet} row {self.row}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    """The imported survey and what could not be carried over."""

    definition: SurveyDefinition
    warnings: tuple[ImportWarning, ...] = ()


def read_xlsform(
    source: str | Path | IO[bytes], slug: str | None = None, limits: WorkbookLimits | None = None
) -> ImportResult:
    """Import an XLSForm workbook (path or binary file); ``slug`` overrides the form's own."""
    file_name = workbook_name(source)
    sheets = read_workbook(source, file_name, limits)
    return Importer(sheets, file_name, slug).run()


def slugify(text: str) -> str:
    """Lower-case ``text`` and keep runs of a-z and 0-9 joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


class Importer:
    """Turn the sheets of one workbook into a ``SurveyDefinition`` and warnings."""

    def __init__(self, sheets: dict[str, Sheet], file_name: str, slug: str | None):
        self.sheets = sheets
        self.file_name = file_name
        self.slug_override = slug
        self.warnings: list[ImportWarning] = []
        survey = sheets.get("survey")
        shown_name = f"'{file_name}'" if file_name else "The file"
        if survey is None:
            found = ", ".join(sheet.title for sheet in sheets.values()) or "none"
            raise XLSFormError(
                f"{shown_name} is not an XLSForm: it has no 'survey' sheet (sheets: {found})"
            )
        missing = [base for base in ("type", "name") if not survey.has_column(base)]
        if missing:
            raise XLSFormError(
                f"{shown_name} is not an XLSForm: its survey sheet has no "
                + " or ".join(f"'{base}'" for base in missing)
                + " column"
            )
        self.survey = survey
        self.choices = sheets.get("choices")
        if self.choices is not None and self.choices.rows:
            for base in ("list_name", "name"):
                if not self.choices.has_column(base):
                    raise XLSFormError(
                        f"{shown_name} is not an XLSForm: its choices sheet has no '{base}' column"
                    )
        settings_sheet = sheets.get("settings")
        self.settings = settings_sheet.rows[0] if settings_sheet and settings_sheet.rows else None
        # Each choice list whose favourable choices are marked: the names marked yes.
        self.favourable: dict[str, list[str]] = {}

    def warn(self, sheet: str, row: int | None, construct: str, message: str) -> None:
        """Record one warning."""
        self.warnings.append(ImportWarning(sheet, row, construct, message))

    def run(self) -> ImportResult:
        """Build the definition."""
        self.read_languages()
        rows = QuestionReader(
            self.read_choice_lists(), self.texts, self.languages, self.warn, self.favourable
        )
        questions = rows.drop_invalid_conditions(rows.read_questions(self.survey.rows))
        if self.entities_defined():
            self.warn("entities", None, "entities", "entities are not supported (ignored)")
        definition = SurveyDefinition(
            slug=self.slug(),
            default_language=self.default_language,
            languages=tuple(self.languages),
            title=self.title(),
            description=self.settings_texts("description"),
            questions=tuple(questions),
        )
        return ImportResult(definition, tuple(self.warnings))

    # Settings and languages

    def setting(self, *names: str) -> str:
        """Return the first non-empty untranslated setting among ``names``."""
        if self.settings is None:
            return ""
        return next((self.settings.get(name) for name in names if self.settings.get(name)), "")

    def read_languages(self) -> None:
        """Decide the default language and the languages in order of first column."""
        translated = [
            (sheet.title, column)
            for sheet, bases in (
                (self.survey, ("label", "hint")),
                (self.choices, ("label",)),
                (self.sheets.get("settings"), _TITLE_COLUMNS + ("description",)),
            )
            if sheet is not None
            for column in sheet.columns
            if column.base in bases
        ]
        self.tags: dict[str, str] = {}
        for sheet_title, column in translated:
            if column.language is not None and column.language not in self.tags:
                self.tags[column.language] = self.tag_for(sheet_title, column.language)
        declared = self.setting("default_language")
        has_plain_column = any(column.language is None for _, column in translated)
        if declared:
            default = self.tag_for("settings", declared)
        elif has_plain_column or not self.tags:
            default = FALLBACK_LANGUAGE
        else:
            default = next(iter(self.tags.values()))
        languages = list(
            dict.fromkeys(
                default if column.language is None else self.tags[column.language]
                for _, column in translated
            )
        )
        if not languages:
            languages = [default]
        if default not in languages:
            self.warn(
                "settings",
                self.settings.number if self.settings else None,
                "default_language",
                f"default_language '{declared}' has no label column; using '{languages[0]}'",
            )
            default = languages[0]
        self.default_language = default
        self.languages = languages

    def tag_for(self, sheet: str, language: str) -> str:
        """Return the tag for a column's language, warning when it is not recognised."""
        tag = language_tag(language)
        if tag is None:
            tag = slugify(language) or FALLBACK_LANGUAGE
            self.warn(
                sheet,
                1,
                "language",
                f"language '{language}' is not recognised; using '{tag}' as its tag",
            )
        return tag

    def texts(self, row: Row | None, base: str) -> Texts:
        """Return a row's translated cells for ``base`` as language tag -> text."""
        texts: Texts = {}
        if row is None:
            return texts
        for column, value in row.cells.items():
            if column.base != base:
                continue
            if column.language is None:
                texts.setdefault(self.default_language, value)
            else:
                texts[self.tags[column.language]] = value
        return texts

    def settings_texts(self, base: str) -> Texts:
        """Return a translated setting (``form_title``, ``description``)."""
        return self.texts(self.settings, base)

    def slug(self) -> str:
        """Return the override, else ``form_id``, else the file name, as a slug."""
        candidates = (self.slug_override, self.setting("form_id", "id_string", "set_form_id"))
        for candidate in (*candidates, Path(self.file_name).stem):
            if candidate and slugify(candidate):
                return slugify(candidate)
        return "survey"

    def title(self) -> Texts:
        """Return the form title by language; XLSForm falls back to the form id."""
        title: Texts = {}
        for column in _TITLE_COLUMNS:
            title = self.settings_texts(column) | title
        fallback = self.setting("form_id", "id_string") or Path(self.file_name).stem
        if not title and fallback:
            title = {self.default_language: fallback}
        return title

    def entities_defined(self) -> bool:
        """Return whether the workbook asks ODK to create or update entities."""
        entities = self.sheets.get("entities")
        return entities is not None and bool(entities.rows)

    # Choices

    def read_choice_lists(self) -> dict[str, tuple[ChoiceDefinition, ...]]:
        """Read every choice list, keeping the first of any repeated choice name."""
        lists: dict[str, dict[str, ChoiceDefinition]] = {}
        for row in self.choices.rows if self.choices else ():
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name or not name:
                self.warn(
                    "choices",
                    row.number,
                    "choice",
                    "choice without a list_name or name (skipped)",
                )
                continue
            choices = lists.setdefault(list_name, {})
            if name in choices:
                self.warn(
                    "choices",
                    row.number,
                    "duplicate choice",
                    f"choice '{name}' appears twice in list '{list_name}' (skipped)",
                )
                continue
            choices[name] = ChoiceDefinition(name, self.texts(row, "label"))
            self.read_favourable(row, list_name, name)
        return {list_name: tuple(choices.values()) for list_name, choices in lists.items()}

    def read_favourable(self, row: Row, list_name: str, name: str) -> None:
        """Read a choice's ``favourable`` cell: yes or no marks the list's favourable choices.

        A list with no marked choice keeps each question's default (the top two
        of a Likert scale); once one cell is filled, an empty cell means no.
        """
        cell = row.get(FAVOURABLE_COLUMN)
        if not cell:
            return
        marked = yes_no(cell)
        if marked is None:
            raise XLSFormError(
                N_(
                    "The file could not be imported: on the choices sheet, row %(row)s, "
                    "“favourable” must be yes, no or empty, not “%(value)s”."
                ),
                {"row": row.number, "value": cell},
            )
        if marked and name == PREFER_NOT_TO_ANSWER:
            raise XLSFormError(
                N_(
                    "The file could not be imported: on the choices sheet, row %(row)s, "
                    "“Prefer not to answer” is marked favourable, and only the question's "
                    "own options can be."
                ),
                {"row": row.number},
            )
        chosen = self.favourable.setdefault(list_name, [])
        if marked:
            chosen.append(name)

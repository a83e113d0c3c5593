"""Read and write XLSForm workbooks (the ODK/Kobo spreadsheet format) as ``SurveyDefinition``.

Import follows the XLSForm specification (https://xlsform.org) for the constructs
Engage supports and skips the rest with an ``ImportWarning`` naming sheet, row and
construct, so one odd row never blocks an import. Where the format has no place for
something Engage stores, export uses columns that ODK tools ignore and import reads
back, so that export then import gives an equal definition:

- survey sheet: ``dimension`` (an equity dimension key, or ``yes`` for the question
  name) and ``allow_prefer_not`` (for questions without a choice list);
- settings sheet: ``translated_title::<language>`` (pyxform fails on a translated
  ``form_title``, so the plain one holds the default language) and
  ``description::<language>``;
- ``appearance`` ``likert`` on a ``select_one`` marks a Likert question (ODK Collect
  draws the same appearance as a Likert scale);
- "Prefer not to answer" is the ordinary choice ``prefer_not_to_answer``.

Choices about meaning, made once here:

- ``select_one L or_other`` becomes the choice ``other`` plus a short-text question
  ``<name>_other`` shown when ``other`` is chosen, as ODK itself does.
- ``selected(${q}, 'x')`` and ``${q} = 'x'`` both become ``equals``; for a
  multiple-choice question ``equals`` means "x is among the answers".
- A group becomes a section heading; its ``relevant`` goes on the heading and on every
  question inside that has none of its own (in XLSForm it hides them all).
  Export writes a section's condition on the group, so it then hides the section's
  questions too.
- Settings with no XLSForm column (other than those above) are not exported.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import IO, Any

import openpyxl
from babel import Locale, localedata

from surveys.definition import (
    DATE,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    OP_EQUALS,
    OP_NOT,
    OP_ONE_OF,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
    Texts,
)
from surveys.languages import NATIVE_NAMES, base_language, display_name, normalize_tag
from surveys.logic import validate_condition
from surveys.questions import (
    LIKERT_CHOICES,
    LIKERT_LABELS,
    PREFER_NOT_LABELS,
    format_number,
    question_type,
)

# Spreadsheets often claim a million formatted rows; a run this long ends the sheet.
BLANK_ROWS_ENDING_A_SHEET = 50

# pyxform's defaults for a ``range`` question without parameters (Engage's start at 0).
RANGE_DEFAULT_START = 1
RANGE_DEFAULT_END = 10

OTHER_CHOICE = "other"
FALLBACK_LANGUAGE = "en"

# Labels for rows the importer or exporter adds itself; staff can edit them afterwards.
OTHER_LABELS = {"en": "Other", "fr": "Autre"}
SPECIFY_OTHER_LABELS = {"en": "Please specify", "fr": "Veuillez préciser"}

CHOICE_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT)
TEXT_KINDS = (SHORT_TEXT, LONG_TEXT)

_SELECT_KEYWORDS = {
    "add select one prompt using": "select_one",
    "add select multiple prompt using": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from file": "select_multiple_from_file",
    "select one from file": "select_one_from_file",
    "select multiple from": "select_multiple",
    "select one from": "select_one",
    "select all that apply": "select_multiple",
    "select_one_from_file": "select_one_from_file",
    "select_multiple_from_file": "select_multiple_from_file",
    "select_one_external": "select_one_external",
    "select one external": "select_one_external",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "rank": "rank",
    "osm": "osm",
}
_TYPE_ALIASES = {
    "string": "text",
    "int": "integer",
    "begin_group": "begin group",
    "end_group": "end group",
    "begin_repeat": "begin repeat",
    "end_repeat": "end repeat",
    "begin looped group": "begin repeat",
    "end looped group": "end repeat",
    "begin lgroup": "begin repeat",
    "end lgroup": "end repeat",
    "imei": "deviceid",
    "photo": "image",
}
_KIND_OF_TYPE = {
    "text": SHORT_TEXT,
    "integer": NUMBER,
    "decimal": NUMBER,
    "range": RATING,
    "date": DATE,
    "note": NOTE,
}
# Plural descriptions read naturally in "... are not supported".
_UNSUPPORTED_TYPES = {
    "calculate": "calculated fields",
    "hidden": "hidden fields",
    "select_one_external": "external choice lists (select_one_external)",
    "select_one_from_file": "choice lists from files",
    "select_multiple_from_file": "choice lists from files",
    "osm": "OpenStreetMap questions",
    "geopoint": "map location questions",
    "geotrace": "map line questions",
    "geoshape": "map area questions",
    "image": "image uploads",
    "audio": "audio recordings",
    "video": "video recordings",
    "file": "file uploads",
    "barcode": "barcode scans",
    "acknowledge": "acknowledge questions",
    "trigger": "trigger questions",
    "rank": "ranking questions",
    "time": "time questions",
    "datetime": "date-and-time questions",
    "xml-external": "external data files",
    "csv-external": "external data files",
    "background-geopoint": "background location fields",
}
_METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
# Settings columns holding the form title; the later ones are Engage's or aliases.
_TITLE_COLUMNS = ("form_title", "translated_title", "set_form_title")
_YES = {"yes", "true", "true()", "1"}
_NO = {"", "no", "false", "false()", "0"}

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_TRAILING_PARENTHESES = re.compile(r"\(([^()]*)\)\s*$")
_QUESTION_REFERENCE = r"\$\{\s*([^}\s]+)\s*\}"
_LITERAL = r"""(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?))"""
_COMPARISON = re.compile(rf"^{_QUESTION_REFERENCE}\s*(=|!=)\s*{_LITERAL}$")
_SELECTED = re.compile(rf"^selected\(\s*{_QUESTION_REFERENCE}\s*,\s*{_LITERAL}\s*\)$")
_NOT_SELECTED = re.compile(
    rf"^not\(\s*selected\(\s*{_QUESTION_REFERENCE}\s*,\s*{_LITERAL}\s*\)\s*\)$"
)
_CONNECTIVE = re.compile(r"\s+(and|or)\s+")
_BOUND = re.compile(
    r"^(\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)$"
)
_PARAMETER = re.compile(r"([A-Za-z_]+)\s*=\s*(\S+)")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


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


class XLSFormError(Exception):
    """The file is not a readable XLSForm; nothing should be created from it."""


def read_xlsform(source: str | Path | IO[bytes], slug: str | None = None) -> ImportResult:
    """Import an XLSForm workbook (path or binary file); ``slug`` overrides the form's own."""
    file_name = _file_name(source)
    sheets = _read_workbook(source, file_name)
    return _Importer(sheets, file_name, slug).run()


def write_xlsform(definition: SurveyDefinition, target: str | Path | IO[bytes]) -> None:
    """Write ``definition`` as an XLSForm workbook with survey, choices and settings sheets."""
    workbook = openpyxl.Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    choices_sheet = workbook.create_sheet("choices")
    settings_sheet = workbook.create_sheet("settings")
    headers = {tag: language_header(tag) for tag in definition.languages}
    kinds = {question.name: question.kind for question in definition.questions}

    survey_sheet.append(
        ["type", "name"]
        + [f"label::{header}" for header in headers.values()]
        + [f"hint::{header}" for header in headers.values()]
        + [
            "required",
            "relevant",
            "constraint",
            "appearance",
            "parameters",
            "dimension",
            "allow_prefer_not",
        ]
    )
    choices_sheet.append(["list_name", "name"] + [f"label::{h}" for h in headers.values()])
    in_section = False
    for question in definition.questions:
        if question.kind == SECTION and in_section:
            survey_sheet.append(["end group"])
        in_section = in_section or question.kind == SECTION
        survey_sheet.append(
            [_xlsform_type(question), question.name]
            + [question.label.get(tag, "") for tag in headers]
            + [question.hint.get(tag, "") for tag in headers]
            + [
                "yes" if question.required else "",
                _relevant_expression(question.relevant, kinds) if question.relevant else "",
                _constraint_expression(question),
                _appearance(question),
                _range_parameters(question) if question.kind == RATING else "",
                question.dimension or "",
                "yes" if question.allow_prefer_not and question.kind not in CHOICE_KINDS else "",
            ]
        )
        if question.kind in CHOICE_KINDS:
            for choice in _exported_choices(question, definition.languages):
                choices_sheet.append(
                    [question.name, choice.name] + [choice.label.get(tag, "") for tag in headers]
                )
    if in_section:
        survey_sheet.append(["end group"])

    default_title = definition.title.get(definition.default_language, "")
    other_titles = [tag for tag in headers if tag != definition.default_language]
    settings_columns = (
        [("form_title", default_title)]
        + [
            (f"translated_title::{headers[tag]}", definition.title.get(tag, ""))
            for tag in other_titles
        ]
        + [(f"description::{headers[tag]}", definition.description.get(tag, "")) for tag in headers]
        + [
            ("form_id", definition.slug),
            ("default_language", language_header(definition.default_language)),
        ]
    )
    settings_sheet.append([name for name, _ in settings_columns])
    settings_sheet.append([value for _, value in settings_columns])
    workbook.save(target)


def slugify(text: str) -> str:
    """Lower-case ``text`` and keep runs of a-z and 0-9 joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def language_tag(text: str) -> str | None:
    """Return the BCP 47 tag for an XLSForm language ("English (en)", "fr", "Español")."""
    text = text.strip()
    in_parentheses = _TRAILING_PARENTHESES.search(text)
    if in_parentheses and _TAG_SHAPE.match(in_parentheses[1].strip()):
        return normalize_tag(in_parentheses[1])
    if _TAG_SHAPE.match(text) and base_language(text) in _english_language_names():
        return normalize_tag(text)
    by_name = _tag_for_language_name(text)
    if by_name is None and in_parentheses:
        by_name = _tag_for_language_name(text[: in_parentheses.start()])
    if by_name is not None:
        return by_name
    return normalize_tag(text) if _TAG_SHAPE.match(text) else None


def language_header(tag: str) -> str:
    """Return the XLSForm column suffix for a tag: ``English (en)``, ``Ojibwa (oj)``."""
    # ODK tools expect "Name (tag)" with the name in English.
    name = display_name(tag, in_language="en")
    return f"{name} ({tag})" if name != tag else tag


# Reading the workbook


@dataclass(frozen=True)
class _Column:
    """A header split into its base name and its raw language suffix, if any."""

    base: str
    language: str | None = None


@dataclass(frozen=True)
class _Row:
    """One non-blank row: its spreadsheet row number and its non-empty cells by column."""

    number: int
    cells: dict[_Column, str]

    def get(self, base: str) -> str:
        """Return the untranslated cell for column ``base``, or ``""``."""
        return self.cells.get(_Column(base), "")


@dataclass(frozen=True)
class _Sheet:
    """A sheet as plain data: its columns and its non-blank rows."""

    title: str
    columns: tuple[_Column, ...]
    rows: tuple[_Row, ...]

    def has_column(self, base: str) -> bool:
        """Return whether any column has base name ``base``."""
        return any(column.base == base for column in self.columns)


def _file_name(source: str | Path | IO[bytes]) -> str:
    """Return a name for the file to use in messages and as a fallback slug."""
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "filename", None) or getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) else ""


def _read_workbook(source: str | Path | IO[bytes], file_name: str) -> dict[str, _Sheet]:
    """Read every sheet into plain data, keyed by lower-case sheet name."""
    shown_name = f"'{file_name}'" if file_name else "the file"
    if file_name.lower().endswith(".xls"):
        raise XLSFormError(
            f"{shown_name} is an old-style .xls workbook; save it as .xlsx and try again"
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it ignores (data validation, etc.).
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                sheets = [_read_sheet(worksheet) for worksheet in workbook.worksheets]
            finally:
                workbook.close()
    except FileNotFoundError:
        raise XLSFormError(f"{shown_name} was not found") from None
    except Exception as error:
        # A damaged file surfaces as any of a dozen zipfile, XML and openpyxl errors.
        detail = str(error) or type(error).__name__
        raise XLSFormError(
            f"{shown_name} could not be read as an Excel .xlsx workbook ({detail})"
        ) from error
    return {sheet.title.strip().lower(): sheet for sheet in reversed(sheets)}


def _read_sheet(worksheet) -> _Sheet:
    """Read one read-only worksheet, stopping after a long run of blank rows."""
    # The stored dimensions are often wrong (a million rows), so read what is there.
    worksheet.reset_dimensions()
    header_row = next(worksheet.iter_rows(max_row=1, values_only=True), ())
    headers = [_cell_text(value) for value in header_row]
    while headers and not headers[-1]:
        headers.pop()
    columns = tuple(_parse_header(header) for header in headers)
    rows = []
    blank_run = 0
    if columns:
        data_rows = worksheet.iter_rows(min_row=2, max_col=len(columns), values_only=True)
        for number, values in enumerate(data_rows, start=2):
            cells: dict[_Column, str] = {}
            for column, value in zip(columns, values, strict=False):
                text = _cell_text(value)
                if text and column.base:
                    cells.setdefault(column, text)
            if not cells:
                blank_run += 1
                if blank_run >= BLANK_ROWS_ENDING_A_SHEET:
                    break
                continue
            blank_run = 0
            rows.append(_Row(number, cells))
    return _Sheet(worksheet.title, columns, tuple(rows))


def _cell_text(value: object) -> str:
    """Return a cell as stripped text; whole-number floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_header(header: str) -> _Column:
    """Split ``Label::English (en)`` or the older ``label:english`` into base and language."""
    base, separator, language = header.partition("::")
    if not separator:
        base, separator, language = header.partition(":")
    base = "_".join(base.lower().split())
    return _Column(base, language.strip() or None)


# Languages


@cache
def _english_language_names() -> dict[str, str]:
    """Babel's English names of languages, keyed by its identifiers (``fr_CA``)."""
    return dict(Locale("en").languages)


@cache
def _language_names_in(locale: str) -> dict[str, str]:
    """Map lower-case language names written in ``locale`` to BCP 47 tags."""
    names: dict[str, str] = {}
    for identifier, name in Locale(locale).languages.items():
        names.setdefault(name.lower(), normalize_tag(identifier))
    return names


@cache
def _autonyms() -> dict[str, str]:
    """Map each language's name for itself ("español") to its tag; slow, built once."""
    names: dict[str, str] = {}
    for identifier in localedata.locale_identifiers():
        if "_" not in identifier:
            name = Locale.parse(identifier).languages.get(identifier)
            if name:
                names.setdefault(name.lower(), normalize_tag(identifier))
    return names


def _tag_for_language_name(name: str) -> str | None:
    """Find a tag for a language named in English, French or in the language itself."""
    key = name.strip().lower()
    if not key:
        return None
    own_names = {own.lower(): tag for tag, own in NATIVE_NAMES.items()}
    return (
        own_names.get(key)
        or _language_names_in("en").get(key)
        or _language_names_in("fr").get(key)
        or _autonyms().get(key)
    )


# Types and expressions


@dataclass(frozen=True)
class _QuestionType:
    """A parsed ``type`` cell: canonical keyword, choice list and ``or_other``."""

    keyword: str
    list_name: str = ""
    or_other: bool = False


def _parse_type(text: str) -> _QuestionType:
    """Parse a ``type`` cell, accepting the spec's aliases and any letter case."""
    words = text.split()
    lowered = " ".join(words).lower()
    for prefix in sorted(_SELECT_KEYWORDS, key=len, reverse=True):
        if lowered == prefix or lowered.startswith(prefix + " "):
            rest = words[len(prefix.split()) :]
            tail = " ".join(rest[1:]).lower()
            return _QuestionType(
                _SELECT_KEYWORDS[prefix],
                rest[0] if rest else "",
                tail in ("or_other", "or specify other"),
            )
    return _QuestionType(_TYPE_ALIASES.get(lowered, lowered))


def _split_top_level(expression: str) -> tuple[list[str], set[str]]:
    """Split an XPath expression on ``and``/``or`` outside quotes and parentheses."""
    parts: list[str] = []
    connectives: set[str] = set()
    depth, quote, start, index = 0, "", 0, 0
    while index < len(expression):
        character = expression[index]
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif depth == 0 and (match := _CONNECTIVE.match(expression, index)):
            parts.append(_without_outer_parentheses(expression[start:index]))
            connectives.add(match[1])
            index = start = match.end()
            continue
        index += 1
    parts.append(_without_outer_parentheses(expression[start:]))
    return parts, connectives


def _without_outer_parentheses(expression: str) -> str:
    """Strip parentheses that wrap the whole expression, ``(a = b)`` -> ``a = b``."""
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")"):
        depth = 0
        for index, character in enumerate(expression):
            depth += {"(": 1, ")": -1}.get(character, 0)
            if depth == 0 and index < len(expression) - 1:
                return expression
        expression = expression[1:-1].strip()
    return expression


def _literal(groups: Iterable[str | None]) -> str:
    """Return the value of whichever literal alternative matched."""
    return next(group for group in groups if group is not None)


def _parse_relevant(expression: str) -> Condition | None:
    """Map the common XLSForm ``relevant`` forms to a ``Condition``; ``None`` if it cannot."""
    parts, connectives = _split_top_level(_without_outer_parentheses(expression))
    atoms = []
    for part in parts:
        if match := _COMPARISON.match(part):
            atoms.append((match[1], match[2] == "=", _literal(match.groups()[2:])))
        elif match := _SELECTED.match(part):
            atoms.append((match[1], True, _literal(match.groups()[1:])))
        elif match := _NOT_SELECTED.match(part):
            atoms.append((match[1], False, _literal(match.groups()[1:])))
        else:
            return None
    questions = {question for question, _, _ in atoms}
    positive = {is_positive for _, is_positive, _ in atoms}
    if len(questions) != 1 or len(positive) != 1 or len(connectives) > 1:
        return None
    values = tuple(dict.fromkeys(value for _, _, value in atoms))
    if positive == {True} and connectives <= {"or"}:
        return Condition(questions.pop(), OP_EQUALS if len(values) == 1 else OP_ONE_OF, values)
    if positive == {False} and connectives <= {"and"}:
        return Condition(questions.pop(), OP_NOT, values)
    return None


def _xpath_literal(value: str) -> str:
    """Quote a value for XPath, using double quotes when it holds an apostrophe."""
    return f'"{value}"' if "'" in value else f"'{value}'"


def _relevant_expression(condition: Condition, kinds: dict[str, str]) -> str:
    """Write a condition the way XLSForm authors do, ``selected()`` for multiple choice."""
    reference = f"${{{condition.question}}}"
    multiple = kinds.get(condition.question) == MULTIPLE_CHOICE
    literals = [_xpath_literal(value) for value in condition.values]
    if condition.op == OP_NOT:
        if multiple:
            return " and ".join(f"not(selected({reference}, {lit}))" for lit in literals)
        return " and ".join(f"{reference} != {lit}" for lit in literals)
    if multiple:
        return " or ".join(f"selected({reference}, {lit})" for lit in literals)
    return " or ".join(f"{reference} = {lit}" for lit in literals)


def _number(text: str) -> int | float | None:
    """Parse ``5`` as int and ``2.5`` as float; anything else is ``None``."""
    if not _NUMBER.match(text.strip()):
        return None
    return float(text) if "." in text else int(text)


@dataclass(frozen=True)
class _ConstraintReading:
    """Settings read from a ``constraint``, and the parts that did not map."""

    settings: dict = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _parse_constraint(expression: str, kind: str, integer: bool = False) -> _ConstraintReading:
    """Map ``. >= N``, ``string-length(.) <= N`` and ``count-selected(.)`` bounds to settings."""
    parts, connectives = _split_top_level(_without_outer_parentheses(expression))
    if "or" in connectives:
        return _ConstraintReading(unmapped=(expression,))
    settings: dict = {}
    unmapped: list[str] = []
    notes: list[str] = []
    for part in parts:
        match = _BOUND.match(part)
        subject = match[1].split("(")[0] if match else ""
        target = {
            ".": NUMBER,
            "string-length": SHORT_TEXT,
            "count-selected": MULTIPLE_CHOICE,
        }.get(subject)
        if target is None or (kind != target and not (target == SHORT_TEXT and kind in TEXT_KINDS)):
            unmapped.append(part)
            continue
        operator, bound = match[2], _number(match[3])
        whole_numbers = subject != "." or integer
        if operator in ("<", ">") and whole_numbers and float(bound).is_integer():
            bound = int(bound) + (1 if operator == ">" else -1)
        elif operator in ("<", ">"):
            notes.append(f"'{part}' was imported as '{part.replace(operator, operator + '=')}'")
        lower = operator.startswith(">")
        key = {
            ".": "min" if lower else "max",
            "string-length": None if lower else "max_length",
            "count-selected": "min_choices" if lower else "max_choices",
        }[subject]
        if key is None:
            unmapped.append(part)
        else:
            settings[key] = bound
    return _ConstraintReading(settings, tuple(unmapped), tuple(notes))


def _constraint_expression(question: QuestionDefinition) -> str:
    """Write the settings XLSForm expresses as a ``constraint``."""
    bounds = {
        NUMBER: [(".", ">=", "min"), (".", "<=", "max")],
        SHORT_TEXT: [("string-length(.)", "<=", "max_length")],
        LONG_TEXT: [("string-length(.)", "<=", "max_length")],
        MULTIPLE_CHOICE: [
            ("count-selected(.)", ">=", "min_choices"),
            ("count-selected(.)", "<=", "max_choices"),
        ],
    }.get(question.kind, [])
    return " and ".join(
        f"{subject} {operator} {format_number(question.settings[key])}"
        for subject, operator, key in bounds
        if question.settings.get(key) is not None
    )


def _range_parameters(question: QuestionDefinition) -> str:
    """Write a rating's scale as ``range`` parameters, ``start=0 end=10 step=1``."""
    low, high, _ = question_type(RATING).scale(question)
    # Engage's scale starts at 0 and XLSForm's at 1, so start and end are always written.
    parameters = [f"start={format_number(low)}", f"end={format_number(high)}"]
    if question.settings.get("step") is not None:
        parameters.append(f"step={format_number(question.settings['step'])}")
    return " ".join(parameters)


def _xlsform_type(question: QuestionDefinition) -> str:
    """Return the XLSForm ``type`` cell for a question."""
    if question.kind == MULTIPLE_CHOICE:
        return f"select_multiple {question.name}"
    if question.kind in CHOICE_KINDS:
        return f"select_one {question.name}"
    if question.kind == NUMBER:
        return "integer" if question.settings.get("integer") else "decimal"
    return {
        SHORT_TEXT: "text",
        LONG_TEXT: "text",
        RATING: "range",
        DATE: "date",
        NOTE: "note",
        SECTION: "begin group",
    }[question.kind]


def _appearance(question: QuestionDefinition) -> str:
    """Return the ``appearance`` that carries a kind XLSForm has no type for."""
    return {LONG_TEXT: "multiline", LIKERT: "likert"}.get(question.kind, "")


def _exported_choices(
    question: QuestionDefinition, languages: tuple[str, ...]
) -> tuple[ChoiceDefinition, ...]:
    """Return a question's choices, with "Prefer not to answer" as an ordinary choice."""
    choices = question.choices
    if question.kind == LIKERT and not choices:
        # A Likert question may rely on the built-in scale labels.
        labels = _default_labels(LIKERT_LABELS, languages)
        choices = tuple(
            ChoiceDefinition(name, {tag: labels[tag][name] for tag in languages})
            for name in LIKERT_CHOICES
        )
    if question.allow_prefer_not and PREFER_NOT_TO_ANSWER not in {c.name for c in choices}:
        choices += (
            ChoiceDefinition(PREFER_NOT_TO_ANSWER, _default_labels(PREFER_NOT_LABELS, languages)),
        )
    return choices


def _default_labels(labels: dict[str, Any], languages: Iterable[str]) -> dict[str, Any]:
    """Return built-in labels for each language, English where there is no translation."""
    return {
        tag: labels.get(tag) or labels.get(base_language(tag)) or labels["en"] for tag in languages
    }


def _yes_no(text: str) -> bool | None:
    """Read an XLSForm yes/no cell; ``None`` when it is an expression."""
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


# Import


@dataclass
class _OpenGroup:
    """A ``begin group`` waiting for its ``end group``."""

    condition: Condition | None


class _Importer:
    """Turn the sheets of one workbook into a ``SurveyDefinition`` and warnings."""

    def __init__(self, sheets: dict[str, _Sheet], file_name: str, slug: str | None):
        self.sheets = sheets
        self.file_name = file_name
        self.slug_override = slug
        self.warnings: list[ImportWarning] = []
        # Where each imported question came from, for warnings found after the walk.
        self.row_of: dict[str, int] = {}
        self.relevant_of: dict[str, str] = {}
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

    def warn(self, sheet: str, row: int | None, construct: str, message: str) -> None:
        """Record one warning."""
        self.warnings.append(ImportWarning(sheet, row, construct, message))

    def run(self) -> ImportResult:
        """Build the definition."""
        self.read_languages()
        self.lists = self.read_choice_lists()
        questions = self.read_questions()
        questions = self.drop_invalid_conditions(questions)
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

    def texts(self, row: _Row | None, base: str) -> Texts:
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
        return {list_name: tuple(choices.values()) for list_name, choices in lists.items()}

    # Questions

    def read_questions(self) -> list[QuestionDefinition]:
        """Walk the survey sheet: groups become sections, repeats are skipped whole."""
        questions: list[QuestionDefinition] = []
        names: set[str] = set()
        groups: list[_OpenGroup] = []
        metadata: list[str] = []
        rows = iter(self.survey.rows)
        for row in rows:
            parsed = _parse_type(row.get("type"))
            name = row.get("name")
            keyword = parsed.keyword
            if not keyword:
                self.warn("survey", row.number, "type", f"row without a type (skipped {name!r})")
                continue
            if keyword == "begin repeat":
                skipped = self.skip_repeat(rows)
                self.warn(
                    "survey",
                    row.number,
                    "begin repeat",
                    f"repeat groups are not supported (skipped {name!r}"
                    f" and the {skipped} rows inside it)",
                )
                continue
            if keyword == "end group":
                if groups:
                    groups.pop()
                continue
            if keyword == "end repeat":
                continue
            if keyword in _METADATA_TYPES:
                metadata.append(name or keyword)
                continue
            if keyword in _UNSUPPORTED_TYPES:
                self.warn(
                    "survey",
                    row.number,
                    keyword,
                    f"{_UNSUPPORTED_TYPES[keyword]} are not supported (skipped {name!r})",
                )
                continue
            if not name:
                if keyword == "begin group":
                    groups.append(_OpenGroup(self.condition(row, None, groups)))
                else:
                    self.warn("survey", row.number, "name", f"'{keyword}' row without a name")
                continue
            if name in names:
                self.warn(
                    "survey",
                    row.number,
                    "duplicate name",
                    f"a question named '{name}' already exists (skipped)",
                )
                if keyword == "begin group":
                    groups.append(_OpenGroup(None))
                continue
            question = self.question(row, parsed, groups)
            if keyword == "begin group":
                if groups:
                    self.warn(
                        "survey",
                        row.number,
                        "nested group",
                        f"group '{name}' inside another group became a section of its own",
                    )
                groups.append(_OpenGroup(question.relevant if question else None))
            if question is None:
                continue
            added = [question]
            if parsed.or_other and question.kind in CHOICE_KINDS:
                added = self.with_specify_other(row, question, names)
            for question in added:
                questions.append(question)
                names.add(question.name)
                self.row_of[question.name] = row.number
                self.relevant_of[question.name] = (
                    row.get("relevant") if question is added[0] else ""
                )
        if metadata:
            self.warn(
                "survey",
                None,
                "metadata",
                "device metadata is not collected (skipped " + ", ".join(metadata) + ")",
            )
        return questions

    def skip_repeat(self, rows: Iterable[_Row]) -> int:
        """Consume rows up to the matching ``end repeat``; return how many were skipped."""
        depth, skipped = 1, 0
        for row in rows:
            keyword = _parse_type(row.get("type")).keyword
            depth += keyword in ("begin repeat", "begin group")
            depth -= keyword in ("end repeat", "end group")
            if depth == 0:
                break
            skipped += 1
        return skipped

    def question(
        self, row: _Row, parsed: _QuestionType, groups: list[_OpenGroup]
    ) -> QuestionDefinition | None:
        """Build the question for one supported row, or warn and return ``None``."""
        keyword = parsed.keyword
        name = row.get("name")
        appearance = row.get("appearance").lower().split()
        settings: dict = {}
        choices: tuple[ChoiceDefinition, ...] = ()
        if keyword in ("select_one", "select_multiple"):
            choices = self.lists.get(parsed.list_name, ())
            if not choices:
                self.warn(
                    "survey",
                    row.number,
                    "choice list",
                    f"choice list '{parsed.list_name}' is missing or empty (skipped {name!r})",
                )
                return None
            if keyword == "select_multiple":
                kind = MULTIPLE_CHOICE
            elif "likert" in appearance:
                kind = self.likert_or_single_choice(row, choices)
            else:
                kind = SINGLE_CHOICE
            if row.get("choice_filter"):
                self.warn(
                    "survey",
                    row.number,
                    "choice_filter",
                    f"choice_filter '{row.get('choice_filter')}' is ignored;"
                    f" '{name}' offers every choice of '{parsed.list_name}'",
                )
        elif keyword == "begin group":
            kind = SECTION
        elif keyword in _KIND_OF_TYPE:
            kind = _KIND_OF_TYPE[keyword]
            if keyword == "text" and "multiline" in appearance:
                kind = LONG_TEXT
            if keyword == "integer":
                settings["integer"] = True
            if keyword == "range":
                settings.update(self.range_settings(row))
        else:
            self.warn(
                "survey",
                row.number,
                keyword,
                f"question type '{row.get('type')}' is not recognised (skipped {name!r})",
            )
            return None
        if row.get("constraint"):
            settings.update(self.constraint_settings(row, kind, keyword == "integer"))
        allow_prefer_not = _yes_no(row.get("allow_prefer_not")) is True
        if any(choice.name == PREFER_NOT_TO_ANSWER for choice in choices):
            allow_prefer_not = True
            choices = tuple(choice for choice in choices if choice.name != PREFER_NOT_TO_ANSWER)
        return QuestionDefinition(
            name=name,
            kind=kind,
            label=self.texts(row, "label"),
            hint=self.texts(row, "hint"),
            required=kind not in (NOTE, SECTION) and self.required(row),
            choices=choices,
            settings=settings,
            relevant=self.condition(row, name, groups),
            allow_prefer_not=allow_prefer_not,
            dimension=self.dimension(row),
        )

    def likert_or_single_choice(self, row: _Row, choices: tuple[ChoiceDefinition, ...]) -> str:
        """Return Likert when the choices are Engage's fixed agreement scale."""
        names = {choice.name for choice in choices} - {PREFER_NOT_TO_ANSWER}
        if names == set(LIKERT_CHOICES):
            return LIKERT
        self.warn(
            "survey",
            row.number,
            "likert",
            f"'{row.get('name')}' has the likert appearance but not the choices "
            + ", ".join(LIKERT_CHOICES)
            + "; imported as a single choice question",
        )
        return SINGLE_CHOICE

    def required(self, row: _Row) -> bool:
        """Read ``required``; a conditional expression is dropped with a warning."""
        required = _yes_no(row.get("required"))
        if required is None:
            self.warn(
                "survey",
                row.number,
                "required",
                f"required '{row.get('required')}' is not a yes/no value;"
                f" '{row.get('name')}' is optional",
            )
        return bool(required)

    def condition(self, row: _Row, name: str | None, groups: list[_OpenGroup]) -> Condition | None:
        """Read ``relevant``, inheriting the enclosing group's condition when it has none."""
        own = None
        expression = row.get("relevant")
        shown = f"'{name}'" if name else "the group"
        if expression:
            own = _parse_relevant(expression)
            if own is None:
                self.warn(
                    "survey",
                    row.number,
                    "relevant",
                    f"relevant '{expression}' cannot be converted; {shown} will always be shown",
                )
        inherited = [group.condition for group in groups if group.condition is not None]
        if own is not None:
            if any(condition != own for condition in inherited):
                self.warn(
                    "survey",
                    row.number,
                    "relevant",
                    f"{shown} keeps its own condition; its group's condition is not combined",
                )
            return own
        if len(set(inherited)) > 1:
            self.warn(
                "survey",
                row.number,
                "relevant",
                f"{shown} takes the condition of its innermost group only",
            )
        return inherited[-1] if inherited else None

    def constraint_settings(self, row: _Row, kind: str, integer: bool) -> dict:
        """Turn a ``constraint`` into settings, warning about the parts that do not map."""
        reading = _parse_constraint(row.get("constraint"), kind, integer)
        for part in reading.unmapped:
            self.warn(
                "survey",
                row.number,
                "constraint",
                f"constraint '{part}' is not supported (ignored)",
            )
        for note in reading.notes:
            self.warn("survey", row.number, "constraint", note)
        return reading.settings

    def range_settings(self, row: _Row) -> dict:
        """Read ``range`` parameters into min, max and step, with XLSForm's defaults."""
        settings: dict = {"min": RANGE_DEFAULT_START, "max": RANGE_DEFAULT_END}
        keys = {"start": "min", "end": "max", "step": "step"}
        for parameter, value in _PARAMETER.findall(row.get("parameters")):
            key = keys.get(parameter.lower())
            number = _number(value)
            if key is None or number is None:
                self.warn(
                    "survey",
                    row.number,
                    "parameters",
                    f"parameter '{parameter}={value}' is not supported (ignored)",
                )
            else:
                settings[key] = number
        return settings

    def dimension(self, row: _Row) -> str | None:
        """Read ``dimension``: a key, or yes/true meaning the question's own name."""
        value = row.get("dimension")
        flag = _yes_no(value)
        if flag is None:
            return value
        return row.get("name") if flag else None

    def with_specify_other(
        self, row: _Row, question: QuestionDefinition, names: set[str]
    ) -> list[QuestionDefinition]:
        """Expand ``or_other`` into the ``other`` choice and a text question shown for it."""
        specify_name = f"{question.name}_other"
        if specify_name in names:
            self.warn(
                "survey",
                row.number,
                "or_other",
                f"'{specify_name}' already exists, so 'or_other' was ignored",
            )
            return [question]
        self.warn(
            "survey",
            row.number,
            "or_other",
            f"or_other became the choice '{OTHER_CHOICE}' and the text question"
            f" '{specify_name}'; check their labels",
        )
        if all(choice.name != OTHER_CHOICE for choice in question.choices):
            other = ChoiceDefinition(OTHER_CHOICE, _default_labels(OTHER_LABELS, self.languages))
            question = replace(question, choices=question.choices + (other,))
        specify = QuestionDefinition(
            name=specify_name,
            kind=SHORT_TEXT,
            label=_default_labels(SPECIFY_OTHER_LABELS, self.languages),
            relevant=Condition(question.name, OP_EQUALS, (OTHER_CHOICE,)),
        )
        return [question, specify]

    def drop_invalid_conditions(
        self, questions: list[QuestionDefinition]
    ) -> list[QuestionDefinition]:
        """Drop conditions Engage's skip logic cannot evaluate (see ``surveys.logic``)."""
        names = {question.name for question in questions}
        kept: list[QuestionDefinition] = []
        for question in questions:
            condition = question.relevant
            if condition is not None:
                if condition.question not in names:
                    reason = f"'{condition.question}' was not imported"
                else:
                    reason = validate_condition(condition, kept)
                if reason:
                    expression = self.relevant_of.get(question.name)
                    source = f"relevant '{expression}'" if expression else "the group's relevant"
                    self.warn(
                        "survey",
                        self.row_of[question.name],
                        "relevant",
                        f"{source} was dropped ({reason.rstrip('.')});"
                        f" '{question.name}' will always be shown",
                    )
                    question = replace(question, relevant=None)
            kept.append(question)
        return kept

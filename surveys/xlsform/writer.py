"""Writing a ``SurveyDefinition`` as an XLSForm workbook (survey, choices, settings sheets)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from surveys.definition import (
    PREFER_NOT_TO_ANSWER,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.formula_guard import neutralise
from surveys.questions import (
    ANALYSE_SETTING,
    FAVOURABLE_SETTING,
    PREFER_NOT_LABELS,
    question_type,
)
from surveys.xlsform.expressions import constraint_expression, relevant_expression
from surveys.xlsform.language_columns import language_header
from surveys.xlsform.question_types import (
    ANALYSE_COLUMN,
    FAVOURABLE_COLUMN,
    NO_FAVOURABLE,
    default_labels,
)


class _GuardedSheet:
    """A worksheet whose every appended cell passes the formula guard (labels are staff text)."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet

    def append(self, row: list) -> None:
        """Append ``row`` with formula-like text neutralised."""
        self.worksheet.append([neutralise(value) for value in row])


def write_xlsform(definition: SurveyDefinition, target: str | Path | IO[bytes]) -> None:
    """Write ``definition`` as an XLSForm workbook with survey, choices and settings sheets.

    Every cell passes ``surveys.formula_guard.neutralise`` (a label "=HYPERLINK(...)" would
    otherwise be a live formula); the reader restores them.
    """
    import openpyxl  # here, not at import: only a download needs it

    workbook = openpyxl.Workbook()
    workbook.active.title = "survey"
    survey_sheet = _GuardedSheet(workbook.active)
    choices_sheet = _GuardedSheet(workbook.create_sheet("choices"))
    settings_sheet = _GuardedSheet(workbook.create_sheet("settings"))
    headers = {tag: language_header(tag) for tag in definition.languages}
    kinds = {question.name: question.kind for question in definition.questions}
    # Staff's favourable choices: on the choices sheet for a choice list, else on the
    # survey sheet; each column only when some question has them.
    favourable = {
        question.name: question.settings[FAVOURABLE_SETTING]
        for question in definition.questions
        if question.settings.get(FAVOURABLE_SETTING) is not None
        and question_type(question.kind).is_closed
    }
    listed = {name for name in favourable if question_type(kinds[name]).has_choices}
    survey_favourable = [FAVOURABLE_COLUMN] if set(favourable) - listed else []
    choices_favourable = [FAVOURABLE_COLUMN] if listed else []
    # Free text whose analysis staff switched off: "no" in an ``analyse`` column.
    not_analysed = {
        question.name
        for question in definition.questions
        if question_type(question.kind).analysable
        and question.settings.get(ANALYSE_SETTING) is False
    }
    analyse_column = [ANALYSE_COLUMN] if not_analysed else []

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
        + survey_favourable
        + analyse_column
    )
    choices_sheet.append(
        ["list_name", "name"] + [f"label::{h}" for h in headers.values()] + choices_favourable
    )
    in_section = False
    for question in definition.questions:
        kind = question_type(question.kind)
        if kind.starts_section and in_section:
            survey_sheet.append(["end group"])
        in_section = in_section or kind.starts_section
        survey_sheet.append(
            [kind.xlsform_type(question), question.name]
            + [question.label.get(tag, "") for tag in headers]
            + [question.hint.get(tag, "") for tag in headers]
            + [
                "yes" if question.required else "",
                relevant_expression(question.relevant, kinds) if question.relevant else "",
                constraint_expression(question),
                kind.xlsform_appearance,
                kind.xlsform_parameters(question),
                question.dimension or "",
                "yes" if question.allow_prefer_not and not kind.has_choices else "",
            ]
            + (
                [_favourable_points(None if kind.has_choices else favourable.get(question.name))]
                if survey_favourable
                else []
            )
            + (["no" if question.name in not_analysed else ""] if analyse_column else [])
        )
        if kind.has_choices:
            marked = favourable.get(question.name)
            for choice in _exported_choices(question, definition.languages):
                choices_sheet.append(
                    [question.name, choice.name]
                    + [choice.label.get(tag, "") for tag in headers]
                    + ([_favourable_mark(marked, choice.name)] if choices_favourable else [])
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


def _favourable_mark(marked: list | None, name: str) -> str:
    """Return a choice's ``favourable`` cell: yes or no when staff chose, else empty."""
    if marked is None:
        return ""
    return "yes" if name in marked else "no"


def _favourable_points(marked: list | None) -> str:
    """Return a survey row's ``favourable`` cell: its points, ``no`` for none, else empty."""
    if marked is None:
        return ""
    return " ".join(str(name) for name in marked) or NO_FAVOURABLE


def _exported_choices(
    question: QuestionDefinition, languages: tuple[str, ...]
) -> tuple[ChoiceDefinition, ...]:
    """Return a question's choices, with "Prefer not to answer" as an ordinary choice."""
    kind = question_type(question.kind)
    choices = question.choices
    if kind.fixed_choices and not choices:
        # A Likert question may rely on the built-in scale labels.
        choices = tuple(
            ChoiceDefinition(name, default_labels(kind.built_in_choice_labels(name), languages))
            for name in kind.fixed_choices
        )
    if question.allow_prefer_not and PREFER_NOT_TO_ANSWER not in {c.name for c in choices}:
        choices += (
            ChoiceDefinition(PREFER_NOT_TO_ANSWER, default_labels(PREFER_NOT_LABELS, languages)),
        )
    return choices

"""Writing a ``SurveyDefinition`` as an XLSForm workbook (survey, choices, settings sheets)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import openpyxl

from surveys.definition import (
    DATE,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
    SHORT_TEXT,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.questions import (
    LIKERT_CHOICES,
    LIKERT_LABELS,
    PREFER_NOT_LABELS,
    format_number,
    question_type,
)
from surveys.xlsform.expressions import constraint_expression, relevant_expression
from surveys.xlsform.language_columns import language_header
from surveys.xlsform.question_types import CHOICE_KINDS, default_labels


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
                relevant_expression(question.relevant, kinds) if question.relevant else "",
                constraint_expression(question),
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
        labels = default_labels(LIKERT_LABELS, languages)
        choices = tuple(
            ChoiceDefinition(name, {tag: labels[tag][name] for tag in languages})
            for name in LIKERT_CHOICES
        )
    if question.allow_prefer_not and PREFER_NOT_TO_ANSWER not in {c.name for c in choices}:
        choices += (
            ChoiceDefinition(PREFER_NOT_TO_ANSWER, default_labels(PREFER_NOT_LABELS, languages)),
        )
    return choices

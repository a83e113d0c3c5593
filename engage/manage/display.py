"""How the builder names things for staff: kinds, statuses, languages, texts, skip logic."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.labels import language_label as language_label  # used by the builder's pages
from surveys import store
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
)
from surveys.languages import is_valid_tag, normalize_tag, resolve_text
from surveys.logic import condition_of
from surveys.models import SURVEY_CLOSED, SURVEY_DRAFT, SURVEY_OPEN, Question, Survey

KIND_LABELS = {
    SINGLE_CHOICE: _l("Single choice"),
    MULTIPLE_CHOICE: _l("Multiple choice (select all that apply)"),
    LIKERT: _l("Agreement scale (5 points)"),
    RATING: _l("Rating scale"),
    SHORT_TEXT: _l("Short text"),
    LONG_TEXT: _l("Long text (comment)"),
    NUMBER: _l("Number"),
    DATE: _l("Date"),
    NOTE: _l("Note (takes no answer)"),
    SECTION: _l("Section heading"),
}
OPERATOR_LABELS = {OP_EQUALS: _l("equals"), OP_ONE_OF: _l("is one of"), OP_NOT: _l("is not")}
STATUS_LABELS = {SURVEY_DRAFT: _l("Draft"), SURVEY_OPEN: _l("Open"), SURVEY_CLOSED: _l("Closed")}
SURVEY_TEXTS = {
    "title": (_l("Title"), None),
    "description": (
        _l("Description"),
        _l("Shown under the title: what the survey is about and how long it takes."),
    ),
    "notice.purpose": (
        _l("Notice of collection: purpose"),
        _l("Why the information is collected and how it will be used (MFIPPA, s. 29(2))."),
    ),
    "notice.authority": (
        _l("Notice of collection: legal authority"),
        _l("The law that authorizes the collection, for example the Municipal Act, 2001."),
    ),
    "notice.contact": (
        _l("Notice of collection: contact"),
        _l(
            "Title, business address and telephone number of an official who can answer "
            "questions about the collection."
        ),
    ),
    "thanks": (_l("Thank-you message"), _l("Shown after a resident sends their answers.")),
}
SURVEY_TEXT_FIELDS = {key: key.replace(".", "_") for key in SURVEY_TEXTS}


def editing_language(survey: Survey, asked: str | None = None) -> str:
    """Return the survey language asked for (``?language=``), else the default language."""
    asked = asked if asked is not None else request.args.get("language", "")
    if asked and is_valid_tag(asked) and normalize_tag(asked) in survey.languages:
        return normalize_tag(asked)
    return survey.default_language


def text_in(texts: dict, key: str, language: str) -> str:
    """Return the text of ``key`` written in exactly ``language`` ("" when there is none)."""
    return texts.get(key, {}).get(language, "")


def shown_text(texts: dict, key: str, survey: Survey, language: str | None = None) -> str:
    """Return a text in ``language`` (default: the default language), with the usual fallback."""
    return resolve_text(
        texts.get(key, {}), language or survey.default_language, survey.default_language
    ).text


def describe_condition(question: Question, survey: Survey, texts: dict) -> str | None:
    """Return "Shown when …" for a question with skip logic, in the interface language."""
    condition = condition_of(question)
    if condition is None:
        return None
    source = next((q for q in survey.questions if q.name == condition.question), None)
    choice_labels = {}
    if source is not None:
        for choice in source.choices:
            key = store.choice_key(source.name, choice.name)
            choice_labels[choice.name] = shown_text(texts, key, survey) or choice.name
    choice_labels[PREFER_NOT_TO_ANSWER] = _("Prefer not to answer")
    values = ", ".join(f"“{choice_labels.get(value, value)}”" for value in condition.values)
    return _(
        "Shown when “%(question)s” %(operator)s %(values)s",
        question=condition.question,
        operator=OPERATOR_LABELS.get(condition.op, condition.op),
        values=values,
    )

"""What the template shows of one question: its texts, options, answers kept and error."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from engage.respond.content import Shown, SurveyContent
from engage.respond.forms import ANSWER_PREFIX
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
)
from surveys.models import Question
from surveys.questions import LIKERT_LABELS, PREFER_NOT_LABELS, question_type
from surveys.responses import FieldError
from surveys.store import choice_key, hint_key, label_key

# Question kinds answered by ticking options, and the input each uses.
OPTION_INPUTS = {MULTIPLE_CHOICE: "checkbox"}
TEXT_WIDGETS = {LONG_TEXT: "textarea", NUMBER: "number", DATE: "date"}


@dataclass(frozen=True)
class OptionView:
    """One radio button or checkbox."""

    id: str
    value: str
    label: Shown
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    """A question as the template renders it."""

    name: str
    kind: str
    widget: str
    label: Shown
    hint: Shown | None
    required: bool
    options: list[OptionView]
    value: str
    error: str | None
    relevant: dict | None

    @property
    def field(self) -> str:
        """Return the form field name."""
        return ANSWER_PREFIX + self.name

    @property
    def input_id(self) -> str:
        """Return the id of the first control, which the error summary links to."""
        return self.options[0].id if self.options else f"a-{self.name}"

    @property
    def described_by(self) -> str:
        """Return the ids of the hint and error, for ``aria-describedby``."""
        ids = [f"h-{self.name}"] if self.hint else []
        if self.error:
            ids.append(f"e-{self.name}")
        return " ".join(ids)


def question_view(
    question: Question, content: SurveyContent, raw: dict[str, list[str]], error: str | None
) -> QuestionView:
    """Build the template's view of one question: texts in the page language, answers kept."""
    kind = question_type(question.kind)
    values = raw.get(question.name, [])
    label = content.get(label_key(question.name)) or Shown(question.name)
    options: list[OptionView] = []
    if kind.is_closed:
        names = list(kind.choice_names(question))
        if kind.accepts_prefer_not(question):
            names.append(PREFER_NOT_TO_ANSWER)
        for index, name in enumerate(names):
            if question.kind == RATING:
                option_label = Shown(name)
            else:
                option_label = content.get(
                    choice_key(question.name, name), built_in_choice_label(question.kind, name)
                ) or Shown(name)
            options.append(
                OptionView(f"a-{question.name}-{index}", name, option_label, name in values)
            )
        widget = OPTION_INPUTS.get(question.kind, "radio")
    elif question.kind in (NOTE, SECTION):
        widget = question.kind
    else:
        widget = TEXT_WIDGETS.get(question.kind, "text")
    return QuestionView(
        name=question.name,
        kind=question.kind,
        widget=widget,
        label=label,
        hint=content.get(hint_key(question.name)),
        required=question.required,
        options=options,
        value=values[0] if values and not options else "",
        error=error,
        relevant=question.relevant if question.relevant else None,
    )


def built_in_choice_label(kind: str, name: str) -> dict[str, str]:
    """Return the standard labels of Likert points and "Prefer not to answer"."""
    if name == PREFER_NOT_TO_ANSWER:
        return PREFER_NOT_LABELS
    if kind == LIKERT:
        return {language: labels[name] for language, labels in LIKERT_LABELS.items()}
    return {}


def error_text(error: FieldError) -> str:
    """Translate a domain error into the interface language."""
    return _(error.message, **error.params)

"""What the template shows of one question: its texts, options, answers kept and error."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from engage.respond.content import Shown, SurveyContent
from engage.respond.forms import ANSWER_PREFIX
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.models import Question
from surveys.questions import question_type
from surveys.responses import FieldError
from surveys.store import choice_key, hint_key, label_key


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
    # The options are the points of a numeric scale (drawn in a row).
    scale: bool
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
            if kind.choices_are_numbers and name != PREFER_NOT_TO_ANSWER:
                option_label = Shown(name)
            else:
                option_label = content.get(
                    choice_key(question.name, name), kind.built_in_choice_labels(name)
                ) or Shown(name)
            options.append(
                OptionView(f"a-{question.name}-{index}", name, option_label, name in values)
            )
    return QuestionView(
        name=question.name,
        kind=question.kind,
        widget=kind.widget,
        scale=kind.choices_are_numbers,
        label=label,
        hint=content.get(hint_key(question.name)),
        required=question.required,
        options=options,
        value=values[0] if values and not options else "",
        error=error,
        relevant=question.relevant if question.relevant else None,
    )


def error_text(error: FieldError) -> str:
    """Translate a domain error into the interface language."""
    return _(error.message, **error.params)

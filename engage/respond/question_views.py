"""What the template shows of one question: its texts, options, answers kept and error."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _

from engage.formatting import format_decimal, reader_locale
from engage.respond.content import Shown, SurveyContent
from engage.respond.forms import ANSWER_PREFIX
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.models import Question
from surveys.questions import Instruction, question_type
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
    # How to answer ("Choose one."), in the interface language.
    instruction: str | None = None
    # The limits the page's script checks as the resident types (data- attributes).
    limits: dict[str, str] = field(default_factory=dict)

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
        """Return the ids of the hint, instruction and error, for ``aria-describedby``."""
        ids = [f"h-{self.name}"] if self.hint else []
        if self.instruction:
            ids.append(f"i-{self.name}")
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
        instruction=instruction_text(kind.instruction(question)),
        limits=kind.answer_limits(question),
    )


def instruction_text(instruction: Instruction | None) -> str | None:
    """Translate a kind's instruction, writing its numbers as the reader does."""
    if instruction is None:
        return None
    params = tuple(instruction.params.items())
    return _instruction_in(str(reader_locale()), instruction.message, params)


@lru_cache(maxsize=2048)
def _instruction_in(locale: str, message: str, params: tuple) -> str:
    """Return an instruction in the request's locale (``locale``, its cache key).

    The same few instructions come back on every page, so each is translated and its
    numbers formatted once per locale and process.
    """
    formatted = {
        key: format_decimal(value) if isinstance(value, int | float) else value
        for key, value in params
    }
    return _(message, **formatted)


# Marks that end a label in the scripts residents read: Latin, Arabic, Urdu, Chinese, and
# the danda of Gurmukhi and Devanagari. The error summary adds no colon after one.
LABEL_END_MARKS = frozenset("?!:.…؟۔。？！：।")


def ends_with_punctuation(label: str) -> bool:
    """Return whether ``label`` ends with its own question mark, full stop or colon.

    Closing quotes and brackets after the mark are looked through (“Why?”).
    """
    text = label.rstrip()
    while text and (unicodedata.category(text[-1]) in ("Pe", "Pf") or text[-1] in "\"'"):
        text = text[:-1].rstrip()
    return bool(text) and text[-1] in LABEL_END_MARKS


def error_text(error: FieldError) -> str:
    """Translate a domain error into the interface language."""
    return _(error.message, **error.params)

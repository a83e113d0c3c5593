"""Question types: each kind is one class that validates its answers and summarises them.

Adding a kind means writing one ``QuestionType`` subclass and decorating it with
``@register``. The classes work on anything shaped like
``surveys.definition.QuestionDefinition`` (the SQLModel ``Question`` row too).

Submitted values are what the form posts (``request.form.getlist(name)``). Numbers
accept a decimal comma as well as a point (``3,5`` is 3.5, as French speakers
write it) and spaces as thousands separators (``1 500``). A comma followed by
exactly three digits (``1,500``) is rejected as ambiguous: it is 1.5 in French and
1500 in English, and guessing wrong would corrupt the data silently.
"""

from __future__ import annotations

from surveys.numbers import format_number, parse_number
from surveys.option_labels import LIKERT_LABELS, PREFER_NOT_LABELS
from surveys.questions.base import (
    ANALYSE_SETTING,
    CHOICE_COUNT,
    DATE_RANGE,
    FAVOURABLE_SETTING,
    LIKERT_CHOICES,
    NUMBER_RANGE,
    QUESTION_TYPES,
    SCALE,
    TEXT_LENGTH,
    AnswerError,
    AnswerValue,
    ChoiceLike,
    Instruction,
    QuestionLike,
    QuestionType,
    analysed,
    favourable_choices,
    kinds_where,
    question_type,
    register,
)
from surveys.questions.choices import ChoiceQuestion, Likert, MultipleChoice, Rating, SingleChoice
from surveys.questions.values import Date, LongText, Note, Number, Section, ShortText, TextQuestion

__all__ = [
    "ANALYSE_SETTING",
    "AnswerError",
    "AnswerValue",
    "CHOICE_COUNT",
    "ChoiceLike",
    "ChoiceQuestion",
    "DATE_RANGE",
    "Date",
    "FAVOURABLE_SETTING",
    "Instruction",
    "LIKERT_CHOICES",
    "LIKERT_LABELS",
    "Likert",
    "LongText",
    "MultipleChoice",
    "NUMBER_RANGE",
    "Note",
    "Number",
    "PREFER_NOT_LABELS",
    "QUESTION_TYPES",
    "QuestionLike",
    "QuestionType",
    "Rating",
    "SCALE",
    "Section",
    "ShortText",
    "SingleChoice",
    "TEXT_LENGTH",
    "TextQuestion",
    "analysed",
    "favourable_choices",
    "format_number",
    "parse_number",
    "kinds_where",
    "question_type",
    "register",
]

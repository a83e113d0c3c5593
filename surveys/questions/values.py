"""Open answers: numbers, free text and dates; and notes and sections, which take none."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from surveys.answer_summaries import (
    DateSummary,
    NumberSummary,
    TextSummary,
    number_summary,
)
from surveys.definition import (
    DATE,
    LONG_TEXT,
    NOTE,
    NUMBER,
    SECTION,
    SHORT_TEXT,
)
from surveys.messages import N_
from surveys.numbers import format_number, parse_number
from surveys.questions.base import (
    _AMBIGUOUS_THOUSANDS,
    _ISO_DATE_PATTERN,
    DATE_RANGE,
    NUMBER_RANGE,
    TEXT_LENGTH,
    AnswerError,
    AnswerValue,
    Instruction,
    QuestionLike,
    QuestionType,
    _number_setting,
    _setting,
    _single_value,
    register,
)


@register
class Number(QuestionType):
    """A typed number within settings ``min``/``max``; whole when ``integer`` is set."""

    kind = NUMBER
    widget = "number"
    supports_prefer_not = True
    typed_number = True
    constraints = NUMBER_RANGE

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``integer`` for whole numbers, else ``decimal``."""
        return "integer" if _setting(question, "integer") else "decimal"

    def instruction(self, question: QuestionLike) -> Instruction:
        """Return "Enter a whole number from 0 to 100." and the like, from the settings."""
        low = _number_setting(question, "min", None)
        high = _number_setting(question, "max", None)
        if _setting(question, "integer"):
            if low is not None and high is not None:
                return Instruction(
                    N_("Enter a whole number from %(low)s to %(high)s."),
                    {"low": low, "high": high},
                )
            if low is not None:
                return Instruction(N_("Enter a whole number of at least %(min)s."), {"min": low})
            if high is not None:
                return Instruction(N_("Enter a whole number of at most %(max)s."), {"max": high})
            return Instruction(N_("Enter a whole number."))
        if low is not None and high is not None:
            return Instruction(
                N_("Enter a number from %(min)s to %(max)s."), {"min": low, "max": high}
            )
        if low is not None:
            return Instruction(N_("Enter a number of at least %(min)s."), {"min": low})
        if high is not None:
            return Instruction(N_("Enter a number of at most %(max)s."), {"max": high})
        return Instruction(N_("Enter a number."))

    def answer_limits(self, question: QuestionLike) -> dict[str, str]:
        """Return ``min``, ``max`` and ``integer`` as set."""
        limits = {
            key: format_number(value)
            for key in ("min", "max")
            if (value := _number_setting(question, key, None)) is not None
        }
        if _setting(question, "integer"):
            limits["integer"] = ""
        return limits

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one number in range."""
        value = _single_value(values)
        if _AMBIGUOUS_THOUSANDS.fullmatch(value):
            raise AnswerError(
                N_("Write the number without a thousands separator, for example 1500 or 1.5.")
            )
        number = parse_number(value)
        if number is None:
            raise AnswerError(N_("Enter a number."))
        if _setting(question, "integer") and not number.is_integer():
            raise AnswerError(N_("Enter a whole number."))
        low = _number_setting(question, "min", None)
        high = _number_setting(question, "max", None)
        too_low = low is not None and number < low
        too_high = high is not None and number > high
        if (too_low or too_high) and low is not None and high is not None:
            raise AnswerError(
                N_("Enter a number from %(min)s to %(max)s."),
                {"min": format_number(low), "max": format_number(high)},
            )
        if too_low:
            raise AnswerError(
                N_("Enter a number of at least %(min)s."), {"min": format_number(low)}
            )
        if too_high:
            raise AnswerError(
                N_("Enter a number of at most %(max)s."), {"max": format_number(high)}
            )
        return [AnswerValue(number=number)]

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> NumberSummary:
        """Return descriptive statistics of the numbers given."""
        return number_summary(responses)


class TextQuestion(QuestionType):
    """Base for free text limited to settings ``max_length`` characters."""

    constraints = TEXT_LENGTH
    is_free_text = True
    analysable = True

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``text``."""
        return "text"

    def max_length(self, question: QuestionLike) -> float:
        """Return the most characters allowed: settings ``max_length``, else the kind's."""
        return _number_setting(question, "max_length", self.default_max_length)

    def instruction(self, question: QuestionLike) -> Instruction:
        """Return "Up to 2,000 characters." with the question's limit."""
        return Instruction(N_("Up to %(max)s characters."), {"max": self.max_length(question)})

    def answer_limits(self, question: QuestionLike) -> dict[str, str]:
        """Return ``max-length``."""
        return {"max-length": format_number(self.max_length(question))}

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one text without control characters, within the length limit."""
        # Browsers submit textarea line breaks as CRLF; store plain newlines.
        text = _single_value(values).replace("\r\n", "\n").replace("\r", "\n")
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
            raise AnswerError(N_("Remove the special characters from your answer."))
        max_length = self.max_length(question)
        if len(text) > max_length:
            raise AnswerError(
                N_("Write %(max)s characters at most (you wrote %(count)s)."),
                {"max": format_number(max_length), "count": len(text)},
            )
        return [AnswerValue(text=text)]

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> TextSummary:
        """Count the responses and those that wrote something."""
        responses = list(responses)
        non_empty = sum(1 for values in responses if any(v.text for v in values))
        return TextSummary(n=len(responses), non_empty=non_empty)


@register
class ShortText(TextQuestion):
    """A line of text (200 characters unless ``max_length`` says otherwise)."""

    kind = SHORT_TEXT
    default_max_length = 200


@register
class LongText(TextQuestion):
    """A paragraph of text (5000 characters unless ``max_length`` says otherwise)."""

    kind = LONG_TEXT
    widget = "textarea"
    default_max_length = 5000
    xlsform_appearance = "multiline"


def _parse_iso_date(value: Any) -> date | None:
    """Return the date in an ISO ``YYYY-MM-DD`` string (or a date), else None."""
    if isinstance(value, date):
        return value
    # fromisoformat alone also takes forms like 20240131 and 2024-W05-3.
    if not isinstance(value, str) or not _ISO_DATE_PATTERN.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


@register
class Date(QuestionType):
    """A calendar date, ISO ``YYYY-MM-DD``, within settings ``min``/``max`` dates."""

    kind = DATE
    widget = "date"
    constraints = DATE_RANGE

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``date``."""
        return "date"

    def instruction(self, question: QuestionLike) -> Instruction | None:
        """Return the dates allowed, when the question limits them."""
        earliest = _parse_iso_date(_setting(question, "min"))
        latest = _parse_iso_date(_setting(question, "max"))
        dates = {"min": earliest and earliest.isoformat(), "max": latest and latest.isoformat()}
        if earliest and latest:
            return Instruction(N_("Enter a date from %(min)s to %(max)s."), dates)
        if earliest:
            return Instruction(N_("Enter a date on or after %(min)s."), {"min": dates["min"]})
        if latest:
            return Instruction(N_("Enter a date on or before %(max)s."), {"max": dates["max"]})
        return None

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one valid date in range."""
        answer = _parse_iso_date(_single_value(values))
        if answer is None:
            raise AnswerError(N_("Enter a date as year-month-day, for example 2025-06-30."))
        earliest = _parse_iso_date(_setting(question, "min"))
        latest = _parse_iso_date(_setting(question, "max"))
        if earliest is not None and answer < earliest:
            raise AnswerError(
                N_("Enter a date on or after %(min)s."), {"min": earliest.isoformat()}
            )
        if latest is not None and answer > latest:
            raise AnswerError(N_("Enter a date on or before %(max)s."), {"max": latest.isoformat()})
        return [AnswerValue(text=answer.isoformat())]

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> DateSummary:
        """Count the dates given and return the earliest and latest."""
        dates = sorted(v.text for values in responses for v in values if v.text)
        return DateSummary(len(dates), dates[0] if dates else None, dates[-1] if dates else None)


@register
class Note(QuestionType):
    """Text shown to respondents between questions; takes no answer."""

    kind = NOTE
    widget = "note"
    takes_answer = False

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``note``."""
        return "note"


@register
class Section(QuestionType):
    """A section heading; takes no answer."""

    kind = SECTION
    widget = "section"
    takes_answer = False
    starts_section = True

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``begin group`` (the exporter closes it before the next section)."""
        return "begin group"

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

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Protocol

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
    SINGLE_CHOICE,
)
from surveys.messages import N_

LIKERT_CHOICES = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")

# Default Likert labels; the builder copies them into a survey's own texts, where
# staff may reword them. Keyed by BCP 47 tag, then choice name.
LIKERT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "strongly_disagree": "Strongly disagree",
        "disagree": "Disagree",
        "neutral": "Neither agree nor disagree",
        "agree": "Agree",
        "strongly_agree": "Strongly agree",
    },
    "fr": {
        "strongly_disagree": "Fortement en désaccord",
        "disagree": "En désaccord",
        "neutral": "Ni d’accord ni en désaccord",
        "agree": "D’accord",
        "strongly_agree": "Tout à fait d’accord",
    },
    "ar": {
        "strongly_disagree": "أعارض بشدة",
        "disagree": "أعارض",
        "neutral": "لا أوافق ولا أعارض",
        "agree": "أوافق",
        "strongly_agree": "أوافق بشدة",
    },
    "ur": {
        "strongly_disagree": "بالکل متفق نہیں",
        "disagree": "متفق نہیں",
        "neutral": "نہ متفق نہ غیر متفق",
        "agree": "متفق",
        "strongly_agree": "بالکل متفق",
    },
    "pa": {
        "strongly_disagree": "ਬਿਲਕੁਲ ਅਸਹਿਮਤ",
        "disagree": "ਅਸਹਿਮਤ",
        "neutral": "ਨਾ ਸਹਿਮਤ ਨਾ ਅਸਹਿਮਤ",
        "agree": "ਸਹਿਮਤ",
        "strongly_agree": "ਬਿਲਕੁਲ ਸਹਿਮਤ",
    },
    "zh-Hans": {
        "strongly_disagree": "非常不同意",
        "disagree": "不同意",
        "neutral": "既不同意也不反对",
        "agree": "同意",
        "strongly_agree": "非常同意",
    },
    "tl": {
        "strongly_disagree": "Lubos na hindi sumasang-ayon",
        "disagree": "Hindi sumasang-ayon",
        "neutral": "Hindi sumasang-ayon o tumututol",
        "agree": "Sumasang-ayon",
        "strongly_agree": "Lubos na sumasang-ayon",
    },
    "es": {
        "strongly_disagree": "Muy en desacuerdo",
        "disagree": "En desacuerdo",
        "neutral": "Ni de acuerdo ni en desacuerdo",
        "agree": "De acuerdo",
        "strongly_agree": "Muy de acuerdo",
    },
    "pt": {
        "strongly_disagree": "Discordo totalmente",
        "disagree": "Discordo",
        "neutral": "Não concordo nem discordo",
        "agree": "Concordo",
        "strongly_agree": "Concordo totalmente",
    },
    "ta": {
        "strongly_disagree": "முற்றிலும் உடன்படவில்லை",
        "disagree": "உடன்படவில்லை",
        "neutral": "உடன்படவும் இல்லை, மறுக்கவும் இல்லை",
        "agree": "உடன்படுகிறேன்",
        "strongly_agree": "முற்றிலும் உடன்படுகிறேன்",
    },
}

# Default label of the reserved "Prefer not to answer" option, offered when a
# question's ``allow_prefer_not`` is set; it is never one of ``question.choices``.
PREFER_NOT_LABELS: dict[str, str] = {
    "en": "Prefer not to answer",
    "fr": "Je préfère ne pas répondre",
    "ar": "أفضّل عدم الإجابة",
    "ur": "جواب نہیں دینا چاہتے",
    "pa": "ਜਵਾਬ ਨਹੀਂ ਦੇਣਾ ਚਾਹੁੰਦੇ",
    "zh-Hans": "不愿回答",
    "tl": "Mas gusto kong hindi sumagot",
    "es": "Prefiero no responder",
    "pt": "Prefiro não responder",
    "ta": "பதிலளிக்க விரும்பவில்லை",
}

TEXT_MAX_LENGTHS = {SHORT_TEXT: 200, LONG_TEXT: 5000}

_NUMBER_PATTERN = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_AMBIGUOUS_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")
_ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Spaces people type as thousands separators (French writes 1 500 or 1 500).
_GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f")


class ChoiceLike(Protocol):
    """Anything with a ``name``: a ``ChoiceDefinition`` or a choice row."""

    name: str


class QuestionLike(Protocol):
    """The attributes question types read from a question definition or row."""

    name: str
    kind: str
    required: bool
    settings: dict | None
    allow_prefer_not: bool
    dimension: str | None
    choices: Sequence[ChoiceLike]


@dataclass(frozen=True)
class AnswerValue:
    """One stored answer value; a multiple-choice answer has one per selected option."""

    choice: str | None = None
    number: float | None = None
    text: str | None = None


class AnswerError(ValueError):
    """An answer the respondent must correct; ``message`` is an ``N_`` string."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)


@dataclass(frozen=True)
class NumberSummary:
    """Descriptive statistics of numeric answers (None when nobody answered)."""

    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    prefer_not: int = 0


@dataclass(frozen=True)
class ChoiceSummary:
    """Counts per choice in choice order; ``answered`` counts prefer-not answers too."""

    answered: int
    counts: dict[str, int]
    prefer_not: int = 0
    # Top-two-box count for Likert and rating questions, else None.
    favourable: int | None = None
    # Rating questions also get descriptive statistics.
    stats: NumberSummary | None = None


@dataclass(frozen=True)
class TextSummary:
    """How many responses reached the question and how many wrote something."""

    n: int
    non_empty: int


@dataclass(frozen=True)
class DateSummary:
    """How many gave a date, and the earliest and latest (ISO strings)."""

    answered: int
    earliest: str | None
    latest: str | None


Summary = ChoiceSummary | NumberSummary | TextSummary | DateSummary


def format_number(value: float) -> str:
    """Return ``value`` as a form value would spell it: ``7`` not ``7.0``."""
    value = round(float(value), 10)  # absorbs float noise from scale arithmetic
    return str(int(value)) if value.is_integer() else repr(value)


def parse_number(value: str) -> float | None:
    """Parse a typed number with a decimal point or comma; None if it is not one."""
    compact = value.strip().translate(_GROUPING_SPACES)
    if not _NUMBER_PATTERN.fullmatch(compact):
        return None
    return float(compact.replace(",", "."))


def _setting(question: QuestionLike, key: str, default: Any = None) -> Any:
    """Return a question setting, tolerating rows whose settings are None."""
    return (question.settings or {}).get(key, default)


def _number_setting(question: QuestionLike, key: str, default: float | None) -> float | None:
    """Return a numeric setting, accepting numbers stored as text by an import."""
    value = _setting(question, key)
    if value is None or value == "":
        return default
    number = value if isinstance(value, int | float) else parse_number(str(value))
    return default if number is None else float(number)


QUESTION_TYPES: dict[str, type[QuestionType]] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator adding a question type to ``QUESTION_TYPES`` under its kind."""
    QUESTION_TYPES[cls.kind] = cls
    return cls


def question_type(kind: str) -> QuestionType:
    """Return the question type for ``kind``."""
    try:
        return QUESTION_TYPES[kind]()
    except KeyError:
        raise ValueError(f"Unknown question kind: {kind!r}") from None


class QuestionType:
    """Behaviour shared by all kinds: answer cleaning, required and prefer-not checks."""

    kind: ClassVar[str]
    takes_answer: ClassVar[bool] = True
    # Closed types have a fixed set of answers: a distribution, and can be dimensions.
    is_closed: ClassVar[bool] = False
    supports_prefer_not: ClassVar[bool] = False

    def validate(self, question: QuestionLike, raw: Sequence[str]) -> list[AnswerValue]:
        """Return the answer values for the submitted ``raw`` values, or raise AnswerError."""
        if not self.takes_answer:
            return []
        values = list(dict.fromkeys(value.strip() for value in raw if value.strip()))
        if not values:
            if question.required:
                raise AnswerError(N_("This question requires an answer."))
            return []
        if PREFER_NOT_TO_ANSWER in values and self.accepts_prefer_not(question):
            if len(values) > 1:
                raise AnswerError(
                    N_("“Prefer not to answer” cannot be combined with other answers.")
                )
            return [AnswerValue(choice=PREFER_NOT_TO_ANSWER)]
        return self.parse_answer(question, values)

    def accepts_prefer_not(self, question: QuestionLike) -> bool:
        """Return whether this question offers "Prefer not to answer"."""
        return self.supports_prefer_not and bool(question.allow_prefer_not)

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Turn non-empty, de-duplicated values into answer values, or raise AnswerError."""
        raise NotImplementedError

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the stored values a closed question allows, in display order."""
        return ()

    def favourable_choices(self, question: QuestionLike) -> frozenset[str]:
        """Return the "top two box" choices, for kinds that have a favourable end."""
        return frozenset()

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> Summary | None:
        """Summarise answers; ``responses`` holds one validated list per response."""
        return None


def _single_value(values: list[str], message: str = N_("Give only one answer.")) -> str:
    """Return the only value, or raise when the respondent sent several."""
    if len(values) > 1:
        raise AnswerError(message)
    return values[0]


class ChoiceQuestion(QuestionType):
    """Base for kinds answered by picking options."""

    is_closed = True
    supports_prefer_not = True

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the question's choice names, leaving out the reserved prefer-not name."""
        return tuple(c.name for c in question.choices if c.name != PREFER_NOT_TO_ANSWER)

    def _check_known(self, question: QuestionLike, values: list[str]) -> None:
        """Raise when a value is not one of the question's options."""
        allowed = set(self.choice_names(question))
        for value in values:
            if value not in allowed:
                raise AnswerError(N_("“%(value)s” is not one of the options."), {"value": value})

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> ChoiceSummary:
        """Count each option once per response, in choice order."""
        counts = dict.fromkeys(self.choice_names(question), 0)
        favourable_names = self.favourable_choices(question)
        answered = prefer_not = favourable = 0
        for values in responses:
            chosen = {value.choice for value in values if value.choice is not None}
            if not chosen:
                continue
            answered += 1
            if PREFER_NOT_TO_ANSWER in chosen:
                prefer_not += 1
            for name in chosen & counts.keys():
                counts[name] += 1
            favourable += bool(chosen & favourable_names)
        return ChoiceSummary(
            answered=answered,
            counts=counts,
            prefer_not=prefer_not,
            favourable=favourable if favourable_names else None,
        )


@register
class SingleChoice(ChoiceQuestion):
    """Pick exactly one option."""

    kind = SINGLE_CHOICE

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one known option."""
        value = _single_value(values, N_("Choose only one option."))
        self._check_known(question, [value])
        return [AnswerValue(choice=value)]


@register
class MultipleChoice(ChoiceQuestion):
    """Pick any number of options, within settings ``min_choices``/``max_choices``."""

    kind = MULTIPLE_CHOICE

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept known options, stored in choice order."""
        self._check_known(question, values)
        min_choices = _number_setting(question, "min_choices", None)
        max_choices = _number_setting(question, "max_choices", None)
        if min_choices is not None and len(values) < min_choices:
            raise AnswerError(
                N_("Choose at least %(min)s options."), {"min": format_number(min_choices)}
            )
        if max_choices is not None and len(values) > max_choices:
            raise AnswerError(
                N_("Choose %(max)s options at most."), {"max": format_number(max_choices)}
            )
        chosen = set(values)
        return [AnswerValue(choice=name) for name in self.choice_names(question) if name in chosen]


@register
class Likert(SingleChoice):
    """A five-point agreement scale with fixed choice names (``LIKERT_CHOICES``)."""

    kind = LIKERT

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the fixed scale, whatever choice rows the question carries."""
        return LIKERT_CHOICES

    def favourable_choices(self, question: QuestionLike) -> frozenset[str]:
        """Return agree and strongly agree."""
        return frozenset(LIKERT_CHOICES[-2:])


@register
class Rating(ChoiceQuestion):
    """A numeric scale from settings ``min`` (0) to ``max`` (10) in steps of ``step`` (1)."""

    kind = RATING

    def scale(self, question: QuestionLike) -> tuple[float, float, float]:
        """Return (min, max, step) with their defaults."""
        low = _number_setting(question, "min", 0.0)
        high = _number_setting(question, "max", 10.0)
        step = _number_setting(question, "step", 1.0)
        return low, high, step if step > 0 else 1.0

    def points(self, question: QuestionLike) -> list[float]:
        """Return every point on the scale, lowest first."""
        low, high, step = self.scale(question)
        count = int(round((high - low) / step, 9)) + 1
        return [round(low + index * step, 10) for index in range(max(count, 0))]

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the scale points spelled as the form submits them."""
        return tuple(format_number(point) for point in self.points(question))

    def favourable_choices(self, question: QuestionLike) -> frozenset[str]:
        """Return the top two points of the scale."""
        return frozenset(self.choice_names(question)[-2:])

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one point of the scale."""
        number = parse_number(_single_value(values, N_("Choose only one point on the scale.")))
        low, high, step = self.scale(question)
        params = {"min": format_number(low), "max": format_number(high)}
        if number is None or not low <= number <= high:
            raise AnswerError(N_("Choose a point on the scale from %(min)s to %(max)s."), params)
        steps = (number - low) / step
        if abs(steps - round(steps)) > 1e-9:
            raise AnswerError(N_("Choose a point on the scale from %(min)s to %(max)s."), params)
        return [AnswerValue(number=number)]

    def summarize(
        self, question: QuestionLike, responses: Iterable[Sequence[AnswerValue]]
    ) -> ChoiceSummary:
        """Count each scale point and add the descriptive statistics."""
        responses = list(responses)
        as_choices = [
            [
                AnswerValue(choice=v.choice if v.number is None else format_number(v.number))
                for v in values
            ]
            for values in responses
        ]
        counts = super().summarize(question, as_choices)
        return ChoiceSummary(
            answered=counts.answered,
            counts=counts.counts,
            prefer_not=counts.prefer_not,
            favourable=counts.favourable,
            stats=_number_summary(responses),
        )


def _number_summary(responses: Iterable[Sequence[AnswerValue]]) -> NumberSummary:
    """Return n, mean, median, minimum and maximum of the numeric answers."""
    numbers: list[float] = []
    prefer_not = 0
    for values in responses:
        for value in values:
            if value.number is not None:
                numbers.append(value.number)
            elif value.choice == PREFER_NOT_TO_ANSWER:
                prefer_not += 1
    if not numbers:
        return NumberSummary(0, None, None, None, None, prefer_not)
    return NumberSummary(
        n=len(numbers),
        mean=statistics.fmean(numbers),
        median=statistics.median(numbers),
        minimum=min(numbers),
        maximum=max(numbers),
        prefer_not=prefer_not,
    )


@register
class Number(QuestionType):
    """A typed number within settings ``min``/``max``; whole when ``integer`` is set."""

    kind = NUMBER
    supports_prefer_not = True

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
        return _number_summary(responses)


class TextQuestion(QuestionType):
    """Base for free text limited to settings ``max_length`` characters."""

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one text without control characters, within the length limit."""
        # Browsers submit textarea line breaks as CRLF; store plain newlines.
        text = _single_value(values).replace("\r\n", "\n").replace("\r", "\n")
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
            raise AnswerError(N_("Remove the special characters from your answer."))
        max_length = _number_setting(question, "max_length", TEXT_MAX_LENGTHS[self.kind])
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


@register
class LongText(TextQuestion):
    """A paragraph of text (5000 characters unless ``max_length`` says otherwise)."""

    kind = LONG_TEXT


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
    takes_answer = False


@register
class Section(QuestionType):
    """A section heading; takes no answer."""

    kind = SECTION
    takes_answer = False


def favourable_choices(question: QuestionLike) -> frozenset[str]:
    """Return the question's "top two box" choice names (empty for other kinds)."""
    return question_type(question.kind).favourable_choices(question)

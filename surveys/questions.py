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
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol

from surveys.answer_summaries import (
    ChoiceSummary,
    DateSummary,
    NumberSummary,
    Summary,
    TextSummary,
    number_summary,
)
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
from surveys.numbers import format_number, parse_number
from surveys.option_labels import LIKERT_LABELS, PREFER_NOT_LABELS

LIKERT_CHOICES = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")

# Staff's favourable choices of a closed question (a list of choice names; an empty
# list means none: the question is nominal). Unset, the kind's default applies.
FAVOURABLE_SETTING = "favourable_choices"

# Staff's switch for a free-text question's analysis (sentiment, the comment explorer):
# False for a name or a postal code field. Unset, an ``analysable`` kind is analysed.
ANALYSE_SETTING = "analyse"

# The limits staff can set on an answer (``QuestionType.constraints``): the builder
# shows the fields of each and XLSForm writes them as a ``constraint``.
NUMBER_RANGE = "number_range"  # settings min, max, integer
SCALE = "scale"  # settings min, max, step of a rating scale
TEXT_LENGTH = "text_length"  # setting max_length
CHOICE_COUNT = "choice_count"  # settings min_choices, max_choices
DATE_RANGE = "date_range"  # settings min, max as ISO dates

_AMBIGUOUS_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")
_ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


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


@dataclass(frozen=True)
class Instruction:
    """How to answer a question, shown under it: an ``N_`` message and its parameters.

    Numbers in ``params`` stay numbers, for the page to write them as its reader does
    (2,000 in English, 2 000 in French); dates stay ISO text.
    """

    message: str
    params: dict[str, Any] = field(default_factory=dict)


class AnswerError(ValueError):
    """An answer the respondent must correct; ``message`` is an ``N_`` string."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)


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


def kinds_where(test: Callable[[QuestionType], bool]) -> tuple[str, ...]:
    """Return the kinds whose type passes ``test``, e.g. ``kinds_where(lambda t: t.analysable)``.

    For database filters, which cannot ask a row's type.
    """
    return tuple(kind for kind, cls in QUESTION_TYPES.items() if test(cls()))


class QuestionType:
    """Behaviour shared by all kinds: answer cleaning, required and prefer-not checks.

    The class attributes say what a kind is, so that the builder, the resident page,
    the paper form, imports, exports and reports ask the type and never name a kind.
    """

    kind: ClassVar[str]
    # The control the resident page draws: radio, checkbox, text, textarea, number,
    # date; note and section for the items that take no answer.
    widget: ClassVar[str] = "text"
    takes_answer: ClassVar[bool] = True
    # A section heading: it starts a page of the resident form and a group in XLSForm.
    starts_section: ClassVar[bool] = False
    # Closed types have a fixed set of answers: a distribution to compare across groups.
    is_closed: ClassVar[bool] = False
    supports_prefer_not: ClassVar[bool] = False
    # Answered from the question's own choice rows (an XLSForm choice list).
    has_choices: ClassVar[bool] = False
    # The choices a kind always has; staff cannot add or remove them.
    fixed_choices: ClassVar[tuple[str, ...]] = ()
    # Several options may be chosen, each stored as an answer row of its own.
    multi_select: ClassVar[bool] = False
    # Its answers can put respondents in the groups of an equity dimension.
    dimension_capable: ClassVar[bool] = False
    # The options are the points of a numeric scale, shown, printed and keyed as numbers.
    choices_are_numbers: ClassVar[bool] = False
    # Answered by typing a number: skip logic compares it with numbers.
    typed_number: ClassVar[bool] = False
    # Free text analysed as comments (scored for sentiment, in reports, exports and the
    # explorer) unless staff switch it off for the question: see ``analyses``.
    analysable: ClassVar[bool] = False
    # Words a person wrote (not a date or a number): removed under the retention schedule.
    is_free_text: ClassVar[bool] = False
    # Which limits staff can set on the answer (NUMBER_RANGE, SCALE...), if any.
    constraints: ClassVar[str | None] = None
    # The XLSForm ``appearance`` that tells this kind apart from others of its type.
    xlsform_appearance: ClassVar[str] = ""
    # Free text: the most characters unless settings ``max_length`` says otherwise.
    default_max_length: ClassVar[int | None] = None

    @property
    def editable_choices(self) -> bool:
        """Return whether staff write the options (add, move, remove them)."""
        return self.has_choices and not self.fixed_choices

    @property
    def skip_logic_source(self) -> bool:
        """Return whether a later question's skip logic may depend on this one's answer."""
        return self.is_closed or self.typed_number

    def analyses(self, question: QuestionLike) -> bool:
        """Return whether the question's answers are comments: scored, counted and listed.

        Free text is, unless staff switched it off (settings ``analyse`` False).
        """
        return self.analysable and _setting(question, ANALYSE_SETTING) is not False

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return the XLSForm ``type`` cell of the question (its choice list has its name)."""
        raise NotImplementedError

    def xlsform_parameters(self, question: QuestionLike) -> str:
        """Return the XLSForm ``parameters`` cell (a range's scale), else empty."""
        return ""

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

    def instruction(self, question: QuestionLike) -> Instruction | None:
        """Return the short instruction under the question ("Choose one."), if it needs one."""
        return None

    def answer_limits(self, question: QuestionLike) -> dict[str, str]:
        """Return the limits the resident page checks as the answer is typed, by name.

        The page writes them as ``data-`` attributes of the field; the server still
        judges the answer with ``validate``.
        """
        return {}

    def accepts_prefer_not(self, question: QuestionLike) -> bool:
        """Return whether this question offers "Prefer not to answer"."""
        return self.supports_prefer_not and bool(question.allow_prefer_not)

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Turn non-empty, de-duplicated values into answer values, or raise AnswerError."""
        raise NotImplementedError

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the stored values a closed question allows, in display order."""
        return ()

    def choice_scores(self, question: QuestionLike) -> dict[str, float]:
        """Return each choice's score on its scale, for means (empty when not a scale)."""
        return {}

    def built_in_choice_labels(self, name: str) -> dict[str, str]:
        """Return the built-in labels of an option by language ("Prefer not to answer")."""
        return PREFER_NOT_LABELS if name == PREFER_NOT_TO_ANSWER else {}

    def default_favourable(self, question: QuestionLike) -> frozenset[str]:
        """Return the choices counted as favourable unless staff chose (none by default)."""
        return frozenset()

    def favourable_choices(self, question: QuestionLike) -> frozenset[str]:
        """Return the choices counted as favourable: staff's, else the kind's default.

        Staff's are ``settings["favourable_choices"]``; an empty list means none (a
        nominal question). Names the question no longer offers are left out.
        """
        stored = _setting(question, FAVOURABLE_SETTING)
        if stored is None:
            return self.default_favourable(question)
        return frozenset(str(name) for name in stored) & set(self.choice_names(question))

    def favourable_setting(self, question: QuestionLike, chosen: Iterable[str]) -> list | None:
        """Return what to store for staff's favourable choices: None when it is the default."""
        chosen = set(chosen)
        if chosen == self.default_favourable(question):
            return None
        return [name for name in self.choice_names(question) if name in chosen]

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

    widget = "radio"
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
    has_choices = True
    dimension_capable = True

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``select_one <name>``."""
        return f"select_one {question.name}"

    def instruction(self, question: QuestionLike) -> Instruction:
        """Return "Choose one."."""
        return Instruction(N_("Choose one."))

    def parse_answer(self, question: QuestionLike, values: list[str]) -> list[AnswerValue]:
        """Accept one known option."""
        value = _single_value(values, N_("Choose only one option."))
        self._check_known(question, [value])
        return [AnswerValue(choice=value)]


@register
class MultipleChoice(ChoiceQuestion):
    """Pick any number of options, within settings ``min_choices``/``max_choices``."""

    kind = MULTIPLE_CHOICE
    widget = "checkbox"
    has_choices = True
    multi_select = True
    dimension_capable = True
    constraints = CHOICE_COUNT

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``select_multiple <name>``."""
        return f"select_multiple {question.name}"

    def instruction(self, question: QuestionLike) -> Instruction:
        """Return "Choose all that apply." or the number of options to choose."""
        low = _number_setting(question, "min_choices", None) or None
        high = _number_setting(question, "max_choices", None)
        if low is not None and high is not None:
            if low == high:
                return Instruction(N_("Choose %(max)s."), {"max": high})
            return Instruction(N_("Choose from %(min)s to %(max)s."), {"min": low, "max": high})
        if low is not None:
            return Instruction(N_("Choose at least %(min)s."), {"min": low})
        if high is not None:
            return Instruction(N_("Choose up to %(max)s."), {"max": high})
        return Instruction(N_("Choose all that apply."))

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
    fixed_choices = LIKERT_CHOICES
    xlsform_appearance = "likert"

    def choice_names(self, question: QuestionLike) -> tuple[str, ...]:
        """Return the fixed scale, whatever choice rows the question carries."""
        return LIKERT_CHOICES

    def choice_scores(self, question: QuestionLike) -> dict[str, float]:
        """Score the scale 1 (strongly disagree) to 5 (strongly agree)."""
        return {name: float(index + 1) for index, name in enumerate(LIKERT_CHOICES)}

    def built_in_choice_labels(self, name: str) -> dict[str, str]:
        """Return the scale's built-in labels (and "Prefer not to answer")."""
        if name in LIKERT_CHOICES:
            return {language: labels[name] for language, labels in LIKERT_LABELS.items()}
        return super().built_in_choice_labels(name)

    def default_favourable(self, question: QuestionLike) -> frozenset[str]:
        """Return agree and strongly agree (the top two boxes)."""
        return frozenset(LIKERT_CHOICES[-2:])


@register
class Rating(ChoiceQuestion):
    """A numeric scale from settings ``min`` (0) to ``max`` (10) in steps of ``step`` (1)."""

    kind = RATING
    choices_are_numbers = True
    constraints = SCALE

    def xlsform_type(self, question: QuestionLike) -> str:
        """Return ``range``."""
        return "range"

    def xlsform_parameters(self, question: QuestionLike) -> str:
        """Write the scale as ``start=0 end=10 step=1``."""
        low, high, _ = self.scale(question)
        # Engage's scale starts at 0 and XLSForm's at 1, so start and end are always written.
        parameters = [f"start={format_number(low)}", f"end={format_number(high)}"]
        if _setting(question, "step") is not None:
            parameters.append(f"step={format_number(_setting(question, 'step'))}")
        return " ".join(parameters)

    def instruction(self, question: QuestionLike) -> Instruction:
        """Return "Choose one number from 0 to 10." with the scale's ends."""
        low, high, _ = self.scale(question)
        return Instruction(
            N_("Choose one number from %(min)s to %(max)s."), {"min": low, "max": high}
        )

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

    def choice_scores(self, question: QuestionLike) -> dict[str, float]:
        """Score each point by its value."""
        return {name: float(name) for name in self.choice_names(question)}

    def default_favourable(self, question: QuestionLike) -> frozenset[str]:
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
            stats=number_summary(responses),
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


def analysed(question: QuestionLike) -> bool:
    """Return whether the question's answers are analysed as comments (``analyses``)."""
    return question_type(question.kind).analyses(question)


def favourable_choices(question: QuestionLike) -> frozenset[str]:
    """Return the question's favourable choice names: staff's, else the kind's default."""
    return question_type(question.kind).favourable_choices(question)

"""The question-type registry and base class: what every kind answers to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from surveys.answer_summaries import (
    Summary,
)
from surveys.definition import (
    PREFER_NOT_TO_ANSWER,
)
from surveys.messages import N_
from surveys.numbers import parse_number
from surveys.option_labels import PREFER_NOT_LABELS

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


def analysed(question: QuestionLike) -> bool:
    """Return whether the question's answers are analysed as comments (``analyses``)."""
    return question_type(question.kind).analyses(question)


def favourable_choices(question: QuestionLike) -> frozenset[str]:
    """Return the question's favourable choice names: staff's, else the kind's default."""
    return question_type(question.kind).favourable_choices(question)

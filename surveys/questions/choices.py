"""Closed questions: single and multiple choice, Likert scales and rating scales."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from surveys.answer_summaries import (
    ChoiceSummary,
    number_summary,
)
from surveys.definition import (
    LIKERT,
    MULTIPLE_CHOICE,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SINGLE_CHOICE,
)
from surveys.messages import N_
from surveys.numbers import format_number, parse_number
from surveys.option_labels import LIKERT_LABELS
from surveys.questions.base import (
    CHOICE_COUNT,
    LIKERT_CHOICES,
    SCALE,
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

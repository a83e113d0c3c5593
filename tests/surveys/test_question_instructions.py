"""Each question kind says how to answer it, and which limits the page checks as one types."""

import pytest

from surveys.definition import (
    DATE,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    RATING,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
)
from surveys.questions import AnswerError, Instruction, question_type


def question(kind: str, **settings) -> QuestionDefinition:
    choices = (ChoiceDefinition("a", {"en": "A"}), ChoiceDefinition("b", {"en": "B"}))
    return QuestionDefinition("q", kind, label={"en": "Q"}, choices=choices, settings=settings)


def instruction(kind: str, **settings) -> Instruction | None:
    return question_type(kind).instruction(question(kind, **settings))


@pytest.mark.parametrize(
    ("kind", "settings", "expected"),
    [
        (SINGLE_CHOICE, {}, Instruction("Choose one.")),
        (LIKERT, {}, Instruction("Choose one.")),
        (MULTIPLE_CHOICE, {}, Instruction("Choose all that apply.")),
        (MULTIPLE_CHOICE, {"min_choices": 2}, Instruction("Choose at least %(min)s.", {"min": 2})),
        (MULTIPLE_CHOICE, {"max_choices": 3}, Instruction("Choose up to %(max)s.", {"max": 3})),
        (
            MULTIPLE_CHOICE,
            {"min_choices": 1, "max_choices": 3},
            Instruction("Choose from %(min)s to %(max)s.", {"min": 1, "max": 3}),
        ),
        (
            MULTIPLE_CHOICE,
            {"min_choices": 2, "max_choices": 2},
            Instruction("Choose %(max)s.", {"max": 2}),
        ),
        (
            RATING,
            {"min": 1, "max": 5},
            Instruction("Choose one number from %(min)s to %(max)s.", {"min": 1, "max": 5}),
        ),
        (
            RATING,
            {},
            Instruction("Choose one number from %(min)s to %(max)s.", {"min": 0, "max": 10}),
        ),
        (
            NUMBER,
            {"min": 0, "max": 100, "integer": True},
            Instruction("Enter a whole number from %(low)s to %(high)s.", {"low": 0, "high": 100}),
        ),
        (
            NUMBER,
            {"min": 18, "integer": True},
            Instruction("Enter a whole number of at least %(min)s.", {"min": 18}),
        ),
        (
            NUMBER,
            {"max": 9, "integer": True},
            Instruction("Enter a whole number of at most %(max)s.", {"max": 9}),
        ),
        (NUMBER, {"integer": True}, Instruction("Enter a whole number.")),
        (
            NUMBER,
            {"min": "0,5", "max": "2,5"},
            Instruction("Enter a number from %(min)s to %(max)s.", {"min": 0.5, "max": 2.5}),
        ),
        (NUMBER, {"min": 1}, Instruction("Enter a number of at least %(min)s.", {"min": 1})),
        (NUMBER, {"max": 1}, Instruction("Enter a number of at most %(max)s.", {"max": 1})),
        (NUMBER, {}, Instruction("Enter a number.")),
        (SHORT_TEXT, {}, Instruction("Up to %(max)s characters.", {"max": 200})),
        (LONG_TEXT, {}, Instruction("Up to %(max)s characters.", {"max": 5000})),
        (LONG_TEXT, {"max_length": 2000}, Instruction("Up to %(max)s characters.", {"max": 2000})),
        (
            DATE,
            {"min": "2025-01-01", "max": "2025-12-31"},
            Instruction(
                "Enter a date from %(min)s to %(max)s.", {"min": "2025-01-01", "max": "2025-12-31"}
            ),
        ),
        (
            DATE,
            {"min": "2025-01-01"},
            Instruction("Enter a date on or after %(min)s.", {"min": "2025-01-01"}),
        ),
        (
            DATE,
            {"max": "2025-12-31"},
            Instruction("Enter a date on or before %(max)s.", {"max": "2025-12-31"}),
        ),
        (DATE, {}, None),
        (NOTE, {}, None),
        (SECTION, {}, None),
    ],
)
def test_each_kind_says_how_to_answer_it(kind, settings, expected):
    assert instruction(kind, **settings) == expected


def test_the_instruction_of_a_limit_is_the_limit_validate_applies():
    # 2000 characters pass and 2001 fail, as "Up to 2,000 characters." says.
    long_text = question(LONG_TEXT, max_length=2000)
    kind = question_type(LONG_TEXT)
    assert kind.validate(long_text, ["x" * 2000])
    with pytest.raises(AnswerError):
        kind.validate(long_text, ["x" * 2001])
    number = question(NUMBER, min=0, max=100, integer=True)
    assert question_type(NUMBER).validate(number, ["100"])
    for wrong in ("101", "-1", "2.5"):
        with pytest.raises(AnswerError):
            question_type(NUMBER).validate(number, [wrong])


@pytest.mark.parametrize(
    ("kind", "settings", "limits"),
    [
        (
            NUMBER,
            {"min": 0, "max": 100, "integer": True},
            {"min": "0", "max": "100", "integer": ""},
        ),
        (NUMBER, {"min": "2,5"}, {"min": "2.5"}),
        (NUMBER, {}, {}),
        (SHORT_TEXT, {}, {"max-length": "200"}),
        (LONG_TEXT, {"max_length": 2000}, {"max-length": "2000"}),
        (SINGLE_CHOICE, {}, {}),
        (MULTIPLE_CHOICE, {"max_choices": 2}, {}),
        (DATE, {"min": "2025-01-01"}, {}),
    ],
)
def test_the_limits_the_page_checks_as_one_types(kind, settings, limits):
    assert question_type(kind).answer_limits(question(kind, **settings)) == limits

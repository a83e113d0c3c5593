"""Question types: what each kind accepts, what it refuses, and how it summarises."""

from dataclasses import dataclass, field

import pytest

from surveys.answer_summaries import ChoiceSummary
from surveys.definition import (
    DATE,
    KINDS,
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
    ChoiceDefinition,
    QuestionDefinition,
)
from surveys.languages import BUILT_IN_LANGUAGES
from surveys.questions import (
    ANALYSE_SETTING,
    LIKERT_CHOICES,
    LIKERT_LABELS,
    PREFER_NOT_LABELS,
    QUESTION_TYPES,
    AnswerError,
    AnswerValue,
    analysed,
    favourable_choices,
    kinds_where,
    question_type,
)


def make_question(kind, choices=(), **options):
    """Return a question of ``kind`` with choices named as given."""
    return QuestionDefinition(
        name="q", kind=kind, choices=tuple(ChoiceDefinition(name) for name in choices), **options
    )


def validate(question, *raw):
    """Validate submitted values against the question's own type."""
    return question_type(question.kind).validate(question, list(raw))


def refusal(question, *raw):
    """Return the AnswerError raised for the submitted values."""
    with pytest.raises(AnswerError) as caught:
        validate(question, *raw)
    return caught.value


COLOURS = make_question(SINGLE_CHOICE, ["red", "green", "blue"])


# Registry


def test_every_kind_has_a_registered_question_type():
    assert set(QUESTION_TYPES) == set(KINDS)
    assert all(question_type(kind).kind == kind for kind in KINDS)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        question_type("slider")


def test_only_choice_and_scale_kinds_are_closed():
    closed = {kind for kind in KINDS if question_type(kind).is_closed}
    assert closed == {SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT, RATING}


@pytest.mark.parametrize("kind", [NOTE, SECTION])
def test_notes_and_sections_take_no_answer_even_if_one_is_posted(kind):
    question = make_question(kind, required=True)
    assert not question_type(kind).takes_answer
    assert validate(question, "anything") == []


# Required and unanswered


def test_optional_question_left_blank_has_no_answer():
    assert validate(COLOURS) == []
    assert validate(COLOURS, "", "   ") == []


def test_required_question_left_blank_is_refused():
    error = refusal(make_question(SHORT_TEXT, required=True), "  ")
    assert error.message == "This question requires an answer."


def test_error_message_fills_its_placeholders_from_params():
    question = make_question(MULTIPLE_CHOICE, ["a", "b", "c"], settings={"max_choices": 2})
    error = refusal(question, "a", "b", "c")
    assert error.message == "Choose %(max)s options at most."
    assert error.message % error.params == "Choose 2 options at most."


# Single and multiple choice


def test_single_choice_stores_the_chosen_name_without_surrounding_spaces():
    assert validate(COLOURS, " green ") == [AnswerValue(choice="green")]


def test_single_choice_refuses_an_unknown_option():
    error = refusal(COLOURS, "purple")
    assert error.params == {"value": "purple"}


def test_single_choice_refuses_two_options():
    assert refusal(COLOURS, "red", "blue").message == "Choose only one option."


def test_multiple_choice_stores_one_value_per_option_in_choice_order():
    question = make_question(MULTIPLE_CHOICE, ["a", "b", "c"])
    assert validate(question, "c", "a", "a") == [AnswerValue(choice="a"), AnswerValue(choice="c")]


def test_multiple_choice_enforces_min_and_max_choices():
    question = make_question(
        MULTIPLE_CHOICE, ["a", "b", "c", "d"], settings={"min_choices": 2, "max_choices": 3}
    )
    assert refusal(question, "a").params == {"min": "2"}
    assert refusal(question, "a", "b", "c", "d").params == {"max": "3"}
    assert len(validate(question, "a", "b", "c")) == 3


def test_min_choices_does_not_force_an_answer_to_an_optional_question():
    question = make_question(MULTIPLE_CHOICE, ["a", "b"], settings={"min_choices": 2})
    assert validate(question) == []


# Prefer not to answer


def test_prefer_not_to_answer_is_refused_unless_the_question_offers_it():
    refusal(COLOURS, PREFER_NOT_TO_ANSWER)
    offering = make_question(SINGLE_CHOICE, ["red"], allow_prefer_not=True)
    assert validate(offering, PREFER_NOT_TO_ANSWER) == [AnswerValue(choice=PREFER_NOT_TO_ANSWER)]


def test_prefer_not_to_answer_satisfies_a_required_question():
    question = make_question(SINGLE_CHOICE, ["a"], required=True, allow_prefer_not=True)
    assert validate(question, PREFER_NOT_TO_ANSWER) == [AnswerValue(choice=PREFER_NOT_TO_ANSWER)]


def test_prefer_not_to_answer_must_be_the_only_selection_in_multiple_choice():
    question = make_question(MULTIPLE_CHOICE, ["a", "b"], allow_prefer_not=True)
    refusal(question, "a", PREFER_NOT_TO_ANSWER)


def test_prefer_not_to_answer_is_not_offered_for_free_text():
    question = make_question(SHORT_TEXT, allow_prefer_not=True)
    assert validate(question, PREFER_NOT_TO_ANSWER) == [AnswerValue(text=PREFER_NOT_TO_ANSWER)]


# Likert


def test_likert_accepts_its_fixed_scale_even_without_choice_rows():
    question = make_question(LIKERT)
    assert validate(question, "agree") == [AnswerValue(choice="agree")]
    refusal(question, "somewhat_agree")


def test_likert_default_labels_cover_every_built_in_language_and_point():
    assert set(LIKERT_LABELS) == set(BUILT_IN_LANGUAGES)
    for labels in LIKERT_LABELS.values():
        assert list(labels) == list(LIKERT_CHOICES)
        assert all(label.strip() for label in labels.values())
        assert len(set(labels.values())) == len(LIKERT_CHOICES)


def test_prefer_not_default_label_covers_every_built_in_language():
    assert set(PREFER_NOT_LABELS) == set(BUILT_IN_LANGUAGES)
    assert all(label.strip() for label in PREFER_NOT_LABELS.values())


# Rating


def test_rating_defaults_to_a_zero_to_ten_scale():
    question = make_question(RATING)
    assert validate(question, "10") == [AnswerValue(number=10.0)]
    assert validate(question, "0") == [AnswerValue(number=0.0)]
    error = refusal(question, "11")
    assert error.params == {"min": "0", "max": "10"}


def test_rating_refuses_values_between_the_steps():
    question = make_question(RATING, settings={"min": 1, "max": 5, "step": 0.5})
    assert validate(question, "3,5") == [AnswerValue(number=3.5)]
    refusal(question, "3.25")
    refusal(question, "0.5")


def test_rating_records_prefer_not_to_answer_as_a_choice():
    question = make_question(RATING, allow_prefer_not=True)
    assert validate(question, PREFER_NOT_TO_ANSWER) == [AnswerValue(choice=PREFER_NOT_TO_ANSWER)]


# Number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3.5", 3.5), ("3,5", 3.5), ("-2", -2.0), ("1 500", 1500.0), ("1\u00a0500,25", 1500.25)],
)
def test_number_accepts_decimal_point_or_comma_and_space_grouping(typed, expected):
    assert validate(make_question(NUMBER), typed) == [AnswerValue(number=expected)]


@pytest.mark.parametrize("typed", ["abc", "nan", "inf", "1e5", "3.5.1", "1,500.25"])
def test_number_refuses_text_that_is_not_a_plain_number(typed):
    assert refusal(make_question(NUMBER), typed).message == "Enter a number."


def test_number_refuses_a_comma_that_could_be_a_thousands_separator():
    error = refusal(make_question(NUMBER), "1,500")
    assert "thousands separator" in error.message


def test_number_with_integer_setting_refuses_fractions():
    question = make_question(NUMBER, settings={"integer": True})
    assert refusal(question, "2,5").message == "Enter a whole number."
    assert validate(question, "2") == [AnswerValue(number=2.0)]


def test_number_enforces_its_range():
    both = make_question(NUMBER, settings={"min": 0, "max": 120})
    assert refusal(both, "121").params == {"min": "0", "max": "120"}
    assert refusal(make_question(NUMBER, settings={"min": 18}), "17").params == {"min": "18"}
    assert refusal(make_question(NUMBER, settings={"max": 5}), "5.5").params == {"max": "5"}
    assert validate(both, "120") == [AnswerValue(number=120.0)]


def test_number_settings_stored_as_text_still_apply():
    question = make_question(NUMBER, settings={"min": "1", "max": "10"})
    refusal(question, "0")


# Text


def test_short_text_is_limited_to_200_characters_by_default():
    question = make_question(SHORT_TEXT)
    assert validate(question, "x" * 200) == [AnswerValue(text="x" * 200)]
    assert refusal(question, "x" * 201).params == {"max": "200", "count": 201}


def test_long_text_is_limited_to_5000_characters_by_default():
    question = make_question(LONG_TEXT)
    validate(question, "y" * 5000)
    refusal(question, "y" * 5001)


def test_text_max_length_setting_overrides_the_default():
    refusal(make_question(LONG_TEXT, settings={"max_length": 10}), "eleven char")


def test_long_text_keeps_line_breaks_and_tabs_but_normalises_crlf():
    question = make_question(LONG_TEXT)
    assert validate(question, "  first\r\nsecond\tpart  ") == [
        AnswerValue(text="first\nsecond\tpart")
    ]


def test_text_with_control_characters_is_refused():
    refusal(make_question(SHORT_TEXT), "bell\x07")
    refusal(make_question(LONG_TEXT), "nul\x00byte")


def test_text_in_any_script_is_counted_in_characters_not_bytes():
    question = make_question(SHORT_TEXT, settings={"max_length": 5})
    assert validate(question, "ᐃᓄᒃᑎᑐ") == [AnswerValue(text="ᐃᓄᒃᑎᑐ")]


# Date


def test_date_is_stored_in_iso_format():
    assert validate(make_question(DATE), "2025-06-30") == [AnswerValue(text="2025-06-30")]


@pytest.mark.parametrize("typed", ["2025-02-30", "30/06/2025", "20250630", "2025-W26-1"])
def test_date_refuses_anything_but_a_real_iso_date(typed):
    refusal(make_question(DATE), typed)


def test_date_enforces_min_and_max_dates():
    question = make_question(DATE, settings={"min": "2025-01-01", "max": "2025-12-31"})
    assert refusal(question, "2024-12-31").params == {"min": "2025-01-01"}
    assert refusal(question, "2026-01-01").params == {"max": "2025-12-31"}


# Works on database rows, not only definitions


@dataclass
class ChoiceRow:
    name: str


@dataclass
class QuestionRow:
    name: str
    kind: str
    required: bool = False
    settings: dict | None = None
    relevant: dict | None = None
    allow_prefer_not: bool = False
    dimension: str | None = None
    choices: list = field(default_factory=list)


def test_question_types_work_on_rows_shaped_like_questions():
    row = QuestionRow("ward", MULTIPLE_CHOICE, choices=[ChoiceRow("w1"), ChoiceRow("w2")])
    assert validate(row, "w2") == [AnswerValue(choice="w2")]
    assert validate(QuestionRow("age", NUMBER), "40") == [AnswerValue(number=40.0)]


# Summaries


def test_single_choice_summary_counts_in_choice_order_with_prefer_not():
    question = make_question(SINGLE_CHOICE, ["red", "green"], allow_prefer_not=True)
    responses = [
        [AnswerValue(choice="green")],
        [AnswerValue(choice="green")],
        [AnswerValue(choice=PREFER_NOT_TO_ANSWER)],
        [],
    ]
    summary = question_type(SINGLE_CHOICE).summarize(question, responses)
    assert summary == ChoiceSummary(answered=3, counts={"red": 0, "green": 2}, prefer_not=1)
    assert list(summary.counts) == ["red", "green"]


def test_multiple_choice_summary_counts_each_respondent_once_per_option():
    question = make_question(MULTIPLE_CHOICE, ["a", "b", "c"])
    responses = [
        [AnswerValue(choice="a"), AnswerValue(choice="b")],
        [AnswerValue(choice="a")],
    ]
    summary = question_type(MULTIPLE_CHOICE).summarize(question, responses)
    assert summary.answered == 2
    assert summary.counts == {"a": 2, "b": 1, "c": 0}


def test_likert_summary_counts_agree_and_strongly_agree_as_favourable():
    question = make_question(LIKERT)
    answers = ["strongly_agree", "agree", "neutral", "disagree"]
    responses = [[AnswerValue(choice=answer)] for answer in answers]
    summary = question_type(LIKERT).summarize(question, responses)
    assert summary.favourable == 2
    assert list(summary.counts) == list(LIKERT_CHOICES)


def test_rating_summary_has_counts_statistics_and_top_two_boxes():
    question = make_question(RATING, settings={"min": 1, "max": 5}, allow_prefer_not=True)
    responses = [[AnswerValue(number=n)] for n in (5, 4, 2, 1)]
    responses.append([AnswerValue(choice=PREFER_NOT_TO_ANSWER)])
    summary = question_type(RATING).summarize(question, responses)
    assert summary.counts == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 1}
    assert summary.favourable == 2
    assert summary.prefer_not == 1
    assert summary.answered == 5
    assert (summary.stats.n, summary.stats.mean, summary.stats.median) == (4, 3.0, 3.0)
    assert (summary.stats.minimum, summary.stats.maximum) == (1, 5)


def test_number_summary_with_no_answers_has_no_statistics():
    summary = question_type(NUMBER).summarize(make_question(NUMBER), [[], []])
    assert summary.n == 0
    assert summary.mean is None


def test_text_summary_counts_responses_and_written_answers():
    responses = [[AnswerValue(text="Fix the potholes")], [], [AnswerValue(text="More buses")]]
    summary = question_type(LONG_TEXT).summarize(make_question(LONG_TEXT), responses)
    assert (summary.n, summary.non_empty) == (3, 2)


def test_date_summary_gives_the_earliest_and_latest_dates():
    responses = [[AnswerValue(text="2025-03-01")], [AnswerValue(text="2024-12-31")], []]
    summary = question_type(DATE).summarize(make_question(DATE), responses)
    assert (summary.answered, summary.earliest, summary.latest) == (2, "2024-12-31", "2025-03-01")


# Favourable ("top two box") choices


def test_favourable_choices_are_the_top_two_boxes():
    assert favourable_choices(make_question(LIKERT)) == {"agree", "strongly_agree"}
    assert favourable_choices(make_question(RATING)) == {"9", "10"}
    assert favourable_choices(make_question(RATING, settings={"min": 1, "max": 5})) == {"4", "5"}
    assert favourable_choices(COLOURS) == set()


@pytest.mark.parametrize(
    ("question", "stored", "favourable"),
    [
        (COLOURS, ["red", "blue"], {"red", "blue"}),
        (make_question(LIKERT), ["strongly_agree"], {"strongly_agree"}),
        # An empty list: no answer is favourable (a nominal question), whatever the default.
        (make_question(LIKERT), [], set()),
        (make_question(RATING, settings={"max": 5}), ["3", "4", "5"], {"3", "4", "5"}),
        # A name the question no longer offers counts for nothing.
        (COLOURS, ["red", "purple"], {"red"}),
    ],
)
def test_staffs_favourable_choices_replace_the_kinds_default(question, stored, favourable):
    settings = {**(question.settings or {}), "favourable_choices": stored}
    chosen = make_question(question.kind, [c.name for c in question.choices], settings=settings)
    assert favourable_choices(chosen) == favourable


def test_summaries_count_staffs_favourable_choices():
    question = make_question(
        MULTIPLE_CHOICE, ["bus", "bike", "car"], settings={"favourable_choices": ["bus", "bike"]}
    )
    responses = [[AnswerValue(choice="bus"), AnswerValue(choice="bike")], [AnswerValue("car")]]
    summary = question_type(MULTIPLE_CHOICE).summarize(question, responses)
    assert summary.favourable == 1
    nominal = make_question(LIKERT, settings={"favourable_choices": []})
    assert question_type(LIKERT).summarize(nominal, [[AnswerValue("agree")]]).favourable is None


def test_only_a_departure_from_the_default_is_stored():
    likert = question_type(LIKERT)
    assert likert.favourable_setting(make_question(LIKERT), ["agree", "strongly_agree"]) is None
    assert likert.favourable_setting(make_question(LIKERT), []) == []
    # Kept in the question's order, whatever order the form sent.
    single = question_type(SINGLE_CHOICE)
    assert single.favourable_setting(COLOURS, ["blue", "red"]) == ["red", "blue"]
    assert single.favourable_setting(COLOURS, []) is None


# What the rest of the app asks of a kind


def test_every_kind_says_how_it_is_drawn_and_written_to_xlsform():
    for kind in KINDS:
        kind_type = question_type(kind)
        assert kind_type.widget in {
            "radio",
            "checkbox",
            "text",
            "textarea",
            "number",
            "date",
            "note",
            "section",
        }
        assert kind_type.xlsform_type(make_question(kind)).split()[0] in {
            "select_one",
            "select_multiple",
            "text",
            "integer",
            "decimal",
            "range",
            "date",
            "note",
            "begin",
        }
        if kind_type.has_choices:
            assert kind_type.is_closed and kind_type.xlsform_type(make_question(kind)) in {
                "select_one q",
                "select_multiple q",
            }


def test_free_text_is_analysed_unless_staff_switch_it_off():
    assert kinds_where(lambda kind: kind.analysable) == (SHORT_TEXT, LONG_TEXT)
    assert question_type(LONG_TEXT).widget == "textarea"
    for kind in (SHORT_TEXT, LONG_TEXT):
        assert analysed(make_question(kind))
        assert not analysed(make_question(kind, settings={ANALYSE_SETTING: False}))
    assert not analysed(make_question(NUMBER))


def test_ratings_group_no_one_and_only_multiple_choice_takes_several_answers():
    capable = {kind for kind in KINDS if question_type(kind).dimension_capable}
    assert capable == {SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT}
    assert {kind for kind in KINDS if question_type(kind).multi_select} == {MULTIPLE_CHOICE}

"""Skip logic: which questions a respondent sees, and which answers are kept."""

from surveys.definition import (
    LIKERT,
    MULTIPLE_CHOICE,
    NUMBER,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
)
from surveys.logic import drop_hidden_answers, is_relevant, validate_condition, visible_questions


def make_question(name, kind=SINGLE_CHOICE, choices=(), relevant=None, **options):
    """Return a question named ``name`` shown under ``relevant``."""
    return QuestionDefinition(
        name=name,
        kind=kind,
        choices=tuple(ChoiceDefinition(choice) for choice in choices),
        relevant=relevant,
        **options,
    )


def shown_when(op, *values, source="uses_transit"):
    """Return a follow-up question with a condition on ``source``."""
    return make_question("follow_up", SHORT_TEXT, relevant=Condition(source, op, values))


def test_question_without_condition_is_always_shown():
    assert is_relevant(make_question("q"), {})


def test_equals_shows_the_question_only_for_the_matching_answer():
    follow_up = shown_when("equals", "yes")
    assert is_relevant(follow_up, {"uses_transit": ["yes"]})
    assert not is_relevant(follow_up, {"uses_transit": ["no"]})


def test_equals_and_one_of_hide_the_question_when_unanswered():
    assert not is_relevant(shown_when("equals", "yes"), {})
    assert not is_relevant(shown_when("one_of", "yes", "sometimes"), {"uses_transit": ["  "]})


def test_equals_matches_any_selected_option_of_a_multiple_choice():
    follow_up = shown_when("equals", "bus", source="modes")
    assert is_relevant(follow_up, {"modes": ["car", "bus"]})


def test_one_of_shows_the_question_for_any_listed_answer():
    follow_up = shown_when("one_of", "daily", "weekly")
    assert is_relevant(follow_up, {"uses_transit": ["weekly"]})
    assert not is_relevant(follow_up, {"uses_transit": ["never"]})


def test_not_shows_the_question_unless_the_answer_matches():
    follow_up = shown_when("not", "never")
    assert not is_relevant(follow_up, {"uses_transit": ["never"]})
    assert is_relevant(follow_up, {"uses_transit": ["daily"]})


def test_not_shows_the_question_when_the_earlier_one_was_skipped():
    assert is_relevant(shown_when("not", "never"), {})


def test_not_hides_the_question_when_any_selected_option_matches():
    follow_up = shown_when("not", "car", source="modes")
    assert not is_relevant(follow_up, {"modes": ["bus", "car"]})


def test_prefer_not_to_answer_matches_only_itself():
    follow_up = shown_when("equals", "yes")
    assert not is_relevant(follow_up, {"uses_transit": [PREFER_NOT_TO_ANSWER]})
    assert is_relevant(shown_when("not", "yes"), {"uses_transit": [PREFER_NOT_TO_ANSWER]})


def test_condition_stored_as_a_dict_works_like_a_condition():
    follow_up = make_question(
        "follow_up", relevant={"question": "uses_transit", "op": "equals", "values": ["yes"]}
    )
    assert is_relevant(follow_up, {"uses_transit": ["yes"]})
    assert not is_relevant(follow_up, {"uses_transit": ["no"]})


def test_numbers_match_whatever_their_spelling():
    follow_up = shown_when("equals", "7", source="score")
    for typed in ("7", "7.0", "7,0", " 7 "):
        assert is_relevant(follow_up, {"score": [typed]}), typed
    assert not is_relevant(follow_up, {"score": ["70"]})


def test_unknown_operator_shows_the_question_rather_than_losing_answers():
    assert is_relevant(shown_when("greater_than", "3"), {})


CHAIN = [
    make_question("has_children", choices=["yes", "no"]),
    make_question(
        "school_age", choices=["yes", "no"], relevant=Condition("has_children", "equals", ("yes",))
    ),
    make_question("school_name", SHORT_TEXT, relevant=Condition("school_age", "equals", ("yes",))),
    make_question("comments", SHORT_TEXT),
]


def names(questions):
    return [question.name for question in questions]


def test_visible_questions_follow_survey_order():
    answers = {"has_children": ["yes"], "school_age": ["yes"]}
    assert names(visible_questions(CHAIN, answers)) == [
        "has_children",
        "school_age",
        "school_name",
        "comments",
    ]


def test_a_hidden_question_hides_the_questions_that_depend_on_it():
    # The respondent answered "yes" twice, then went back and changed the first answer.
    answers = {"has_children": ["no"], "school_age": ["yes"], "school_name": ["Central"]}
    assert names(visible_questions(CHAIN, answers)) == ["has_children", "comments"]


def test_answers_to_hidden_questions_are_dropped():
    answers = {
        "has_children": ["no"],
        "school_age": ["yes"],
        "school_name": ["Central"],
        "comments": ["Thanks"],
    }
    assert drop_hidden_answers(CHAIN, answers) == {
        "has_children": ["no"],
        "comments": ["Thanks"],
    }


def test_answers_to_questions_not_in_the_survey_are_dropped():
    assert drop_hidden_answers(CHAIN, {"injected": ["x"]}) == {}


def test_a_condition_on_a_later_question_sees_it_unanswered():
    questions = [
        make_question("early", SHORT_TEXT, relevant=Condition("late", "equals", ("a",))),
        make_question("late", choices=["a"]),
    ]
    assert names(visible_questions(questions, {"late": ["a"]})) == ["late"]


# validate_condition

TRANSIT = make_question("uses_transit", choices=["daily", "never"], allow_prefer_not=True)


def test_valid_condition_has_no_error():
    assert validate_condition(Condition("uses_transit", "equals", ("daily",)), [TRANSIT]) is None
    assert validate_condition(None, [TRANSIT]) is None


def test_condition_may_be_given_in_its_stored_dict_form():
    stored = {"question": "uses_transit", "op": "one_of", "values": ["daily", "never"]}
    assert validate_condition(stored, [TRANSIT]) is None


def test_condition_must_refer_to_an_earlier_question():
    error = validate_condition(Condition("later_question", "equals", ("x",)), [TRANSIT])
    assert error == "Skip logic can only depend on a question that comes before this one."


def test_condition_cannot_depend_on_free_text():
    comment = make_question("comment", SHORT_TEXT)
    assert validate_condition(Condition("comment", "equals", ("yes",)), [comment]) is not None


def test_condition_values_must_be_choices_of_the_earlier_question():
    assert validate_condition(Condition("uses_transit", "equals", ("weekly",)), [TRANSIT])


def test_prefer_not_to_answer_is_a_valid_value_only_when_offered():
    condition = Condition("uses_transit", "not", (PREFER_NOT_TO_ANSWER,))
    assert validate_condition(condition, [TRANSIT]) is None
    strict = make_question("uses_transit", choices=["daily", "never"])
    assert validate_condition(condition, [strict]) is not None


def test_condition_on_a_number_needs_numbers():
    age = make_question("age", NUMBER)
    assert validate_condition(Condition("age", "equals", ("18",)), [age]) is None
    assert validate_condition(Condition("age", "equals", ("adult",)), [age]) is not None


def test_condition_on_a_scale_uses_its_points():
    score = make_question("score", RATING, settings={"min": 1, "max": 5})
    assert validate_condition(Condition("score", "one_of", ("4", "5")), [score]) is None
    assert validate_condition(Condition("score", "equals", ("6",)), [score]) is not None
    agreement = make_question("agreement", LIKERT)
    assert validate_condition(Condition("agreement", "equals", ("agree",)), [agreement]) is None


def test_condition_operator_and_value_count_are_checked():
    assert validate_condition(Condition("uses_transit", "contains", ("daily",)), [TRANSIT])
    assert validate_condition(Condition("uses_transit", "equals", ()), [TRANSIT])
    assert validate_condition(Condition("uses_transit", "equals", ("daily", "never")), [TRANSIT])


def test_condition_on_multiple_choice_is_allowed():
    modes = make_question("modes", MULTIPLE_CHOICE, choices=["bus", "car"])
    assert validate_condition(Condition("modes", "not", ("car",)), [modes]) is None

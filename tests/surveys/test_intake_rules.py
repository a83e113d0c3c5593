"""Paper numbering, option codes, group counts and CSV rows: the rules both screens share."""

from datetime import UTC, date, datetime

import pytest

from surveys.csv_rows import (
    ColumnPlan,
    CsvFormatError,
    CsvRow,
    plan_columns,
    raw_answers,
    read_csv,
    row_keys,
)
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    OP_EQUALS,
    OP_NOT,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
)
from surveys.group_sessions import check_counts, complete_tally, parse_count
from surveys.intake import (
    codes_for_values,
    collected_at_from_date,
    condition_note,
    normalize_paper_id,
    option_codes,
    option_label,
    paper_numbering,
    parse_collected_at,
    prefer_not_code,
    values_from_codes,
)
from surveys.questions import AnswerError


def choice_question(name, kind=SINGLE_CHOICE, choices=("yes", "no"), **extra):
    return QuestionDefinition(
        name=name, kind=kind, choices=tuple(ChoiceDefinition(c) for c in choices), **extra
    )


QUESTIONS = (
    QuestionDefinition(name="intro", kind=SECTION, label={"en": "About services"}),
    choice_question("used", MULTIPLE_CHOICE, ("library", "transit", "parks")),
    QuestionDefinition(name="read_this", kind=NOTE, label={"en": "Please read"}),
    QuestionDefinition(name="satisfied", kind=LIKERT, allow_prefer_not=True),
    QuestionDefinition(name="recommend", kind=RATING, settings={"min": 0, "max": 10}),
    choice_question(
        "welcome",
        choices=("yes", "sometimes", "no"),
        relevant=Condition("used", OP_EQUALS, ("transit",)),
    ),
    QuestionDefinition(name="visits", kind=NUMBER),
    QuestionDefinition(name="comments", kind=LONG_TEXT),
)


def test_questions_are_numbered_in_survey_order_skipping_notes_and_sections():
    numbering = paper_numbering(QUESTIONS)
    assert [(item.name, item.number) for item in numbering] == [
        ("intro", None),
        ("used", 1),
        ("read_this", None),
        ("satisfied", 2),
        ("recommend", 3),
        ("welcome", 4),
        ("visits", 5),
        ("comments", 6),
    ]


def test_option_code_is_choice_position_plus_one():
    codes = option_codes(choice_question("used", MULTIPLE_CHOICE, ("library", "transit", "parks")))
    assert [(code.code, code.name) for code in codes] == [
        ("1", "library"),
        ("2", "transit"),
        ("3", "parks"),
    ]


def test_likert_is_coded_one_to_five_from_strongly_disagree():
    codes = option_codes(QuestionDefinition(name="s", kind=LIKERT))
    assert codes[0].code == "1" and codes[0].name == "strongly_disagree"
    assert codes[4].code == "5" and codes[4].name == "strongly_agree"


def test_rating_points_are_their_own_codes():
    codes = option_codes(QuestionDefinition(name="r", kind=RATING, settings={"min": 0, "max": 10}))
    assert [code.code for code in codes] == [str(point) for point in range(11)]
    assert all(code.code == code.name for code in codes)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["1", "2", "3"], "9"),
        ([str(n) for n in range(1, 10)], "99"),
        (["0", "10"], "99"),
        ([], "9"),
    ],
)
def test_prefer_not_to_answer_code_is_the_smallest_all_nines_above_every_code(codes, expected):
    assert prefer_not_code(codes) == expected


def test_prefer_not_to_answer_is_offered_last_with_its_nines_code():
    codes = option_codes(QuestionDefinition(name="s", kind=LIKERT, allow_prefer_not=True))
    assert (codes[-1].code, codes[-1].name) == ("9", PREFER_NOT_TO_ANSWER)


def test_open_questions_have_no_codes():
    assert option_codes(QuestionDefinition(name="v", kind=NUMBER)) == ()
    assert option_codes(QuestionDefinition(name="n", kind=NOTE)) == ()


def test_typed_codes_become_stored_values_and_back():
    item = paper_numbering(QUESTIONS)[1]
    assert values_from_codes(item, "1 3") == ["library", "parks"]
    assert values_from_codes(item, " 3,1 ") == ["parks", "library"]
    assert codes_for_values(item, ["library", "parks"]) == "1 3"


def test_a_code_the_question_does_not_have_is_refused_naming_the_codes_it_has():
    item = paper_numbering(QUESTIONS)[1]
    with pytest.raises(AnswerError) as error:
        values_from_codes(item, "1 7")
    assert error.value.params == {"code": "7", "codes": "1, 2, 3"}


def test_rating_values_match_codes_as_numbers():
    item = paper_numbering(QUESTIONS)[4]
    assert values_from_codes(item, "7") == ["7"]
    assert codes_for_values(item, ["7"]) == "7"


def test_skip_instruction_names_the_earlier_question_number_and_option_code():
    numbering = paper_numbering(QUESTIONS)
    note = condition_note(numbering[5], numbering)
    assert note.number == 1 and not note.skip
    assert [(option.code, option.name) for option in note.options] == [("2", "transit")]
    assert condition_note(numbering[1], numbering) is None


def test_not_condition_prints_as_a_skip_instruction():
    questions = (
        choice_question("a"),
        choice_question("b", relevant=Condition("a", OP_NOT, ("no",))),
    )
    numbering = paper_numbering(questions)
    note = condition_note(numbering[1], numbering)
    assert note.skip and note.options[0].code == "2"


def test_option_label_falls_back_to_built_in_likert_and_prefer_not_labels():
    likert = QuestionDefinition(name="s", kind=LIKERT, allow_prefer_not=True)
    assert option_label(likert, "agree", {}, "fr", "en").text == "D’accord"
    assert option_label(likert, PREFER_NOT_TO_ANSWER, {}, "ar", "en").text == "أفضّل عدم الإجابة"
    own = {"c.s.agree": {"fr": "Oui, d’accord"}}
    assert option_label(likert, "agree", own, "fr", "en").text == "Oui, d’accord"


def test_option_label_of_a_rating_point_is_the_number():
    rating = QuestionDefinition(name="r", kind=RATING)
    assert option_label(rating, "7", {}, "pa", "en").text == "7"


def test_paper_ids_are_compared_without_spaces_or_case():
    assert normalize_paper_id(" a 012 ") == "A012"
    assert normalize_paper_id("A012") == normalize_paper_id("a012")
    assert normalize_paper_id("   ") is None


def test_a_collection_day_is_stored_at_noon_utc():
    assert collected_at_from_date(date(2025, 6, 30)) == datetime(2025, 6, 30, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-30", datetime(2025, 6, 30, 12, tzinfo=UTC)),
        ("2025-06-30T14:22:11", datetime(2025, 6, 30, 14, 22, 11, tzinfo=UTC)),
        ("2025-06-30T14:22:11.123Z", datetime(2025, 6, 30, 14, 22, 11, 123000, tzinfo=UTC)),
        ("2025-06-30T10:00:00-04:00", datetime(2025, 6, 30, 14, tzinfo=UTC)),
    ],
)
def test_collection_dates_read_as_kobo_and_odk_write_them(text, expected):
    assert parse_collected_at(text) == expected


@pytest.mark.parametrize("text", ["30/06/2025", "2025-13-01", "yesterday"])
def test_a_collection_date_that_is_not_iso_is_refused(text):
    with pytest.raises(AnswerError):
        parse_collected_at(text)


def test_counts_are_whole_numbers_of_people():
    assert parse_count(" 7 ") == 7
    assert parse_count("") is None
    for bad in ("-1", "2.5", "seven"):
        with pytest.raises(AnswerError):
            parse_count(bad)


def test_single_choice_counts_may_not_add_up_to_more_than_the_participants():
    check_counts(12, {"agree": 7, "disagree": 3, None: 2}, multiple=False)
    with pytest.raises(AnswerError) as error:
        check_counts(12, {"agree": 7, "disagree": 6}, multiple=False)
    assert error.value.params == {"total": 13, "participants": 12}


def test_multiple_choice_counts_are_each_limited_by_the_participants():
    check_counts(12, {"library": 12, "transit": 12}, multiple=True)
    with pytest.raises(AnswerError):
        check_counts(12, {"library": 13}, multiple=True)


def test_a_blank_did_not_say_is_everyone_not_counted():
    assert complete_tally(12, {"agree": 7, "disagree": 3}, multiple=False) == {
        "agree": 7,
        "disagree": 3,
        None: 2,
    }
    assert complete_tally(12, {}, multiple=False) == {}
    assert complete_tally(12, {"library": 5}, multiple=True) == {"library": 5}


def test_csv_is_read_with_kobo_semicolons_and_a_byte_order_mark():
    table = read_csv('\ufeffused;visits\n"library transit";3\n\n;\n"parks";4\n')
    assert table.headers == ("used", "visits")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"used": "library transit", "visits": "3"}),
        (5, {"used": "parks", "visits": "4"}),
    ]


def test_csv_line_numbers_count_lines_inside_quoted_cells():
    table = read_csv('comments,visits\n"two\nlines",1\nthird,2\n')
    assert [row.line for row in table.rows] == [2, 4]


def test_csv_with_a_repeated_column_is_refused():
    with pytest.raises(CsvFormatError):
        read_csv("visits,visits\n1,2\n")


def test_csv_row_with_extra_cells_is_marked():
    table = read_csv("visits\n1,2\n")
    assert table.rows[0].extra_cells == 1


def test_columns_match_questions_by_name_with_group_prefixes_and_metadata():
    plan = plan_columns(
        ["start", "group/used", "used/library", "visits", "_channel", "_uuid", "_id"], QUESTIONS
    )
    assert plan.questions == {"group/used": "used", "visits": "visits"}
    assert plan.meta == {"_channel": "_channel"}
    assert plan.instance_id == "_uuid"
    assert plan.ignored == ("start", "used/library", "_id")


def test_multiple_choices_are_space_separated():
    plan = ColumnPlan({"used": "used", "visits": "visits"}, {}, None, ())
    row = CsvRow(2, {"used": "library  parks", "visits": "3"})
    assert raw_answers(row, plan, {q.name: q for q in QUESTIONS}) == {
        "used": ["library", "parks"],
        "visits": ["3"],
    }


def test_row_keys_are_stable_and_identical_rows_stay_distinct():
    plan = ColumnPlan({"visits": "visits"}, {}, None, ())
    rows = [CsvRow(2, {"visits": "3"}), CsvRow(3, {"visits": "3"}), CsvRow(4, {"visits": "4"})]
    keys = row_keys(rows, plan)
    assert len(set(keys)) == 3
    # The same rows in another order, or on other lines, keep their keys.
    moved = [CsvRow(9, {"visits": "4"}), CsvRow(10, {"visits": "3"}), CsvRow(11, {"visits": "3"})]
    assert set(row_keys(moved, plan)) == set(keys)


def test_a_submission_id_column_gives_the_key():
    plan = ColumnPlan({"visits": "visits"}, {}, "_uuid", ())
    keys = row_keys([CsvRow(2, {"visits": "3", "_uuid": "abc-123"})], plan)
    assert keys == ["import-id-abc-123"]

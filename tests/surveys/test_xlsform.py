"""XLSForm import and export: real public forms, every mapping rule, and round trips."""

import dataclasses
import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from support import FIXTURES

from surveys.definition import (
    DATE,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    OP_EQUALS,
    OP_NOT,
    OP_ONE_OF,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.questions import LIKERT_CHOICES
from surveys.xlsform import ImportWarning, XLSFormError, read_xlsform, write_xlsform
from surveys.xlsform.language_columns import language_header, language_tag

XLSFORMS = FIXTURES / "xlsform"

COLOURS = [
    ["list_name", "name", "label"],
    ["colours", "red", "Red"],
    ["colours", "blue", "Blue"],
]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Save a workbook with the given sheets and rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def import_form(tmp_path, survey, choices=None, settings=None, file_name="form.xlsx"):
    """Write an XLSForm from rows and import it."""
    sheets = {"survey": survey}
    if choices is not None:
        sheets["choices"] = choices
    if settings is not None:
        sheets["settings"] = settings
    return read_xlsform(write_workbook(tmp_path / file_name, sheets))


def question(result, name):
    """Return the imported question called ``name``."""
    return next(q for q in result.definition.questions if q.name == name)


def constructs(result):
    """Return the (row, construct) pairs of an import's warnings."""
    return {(warning.row, warning.construct) for warning in result.warnings}


# The public forms in tests/fixtures/xlsform


def test_upper_case_sheets_and_columns_import_and_unsupported_types_are_skipped():
    result = read_xlsform(XLSFORMS / "case_insensitivity.xlsx")
    definition = result.definition

    assert definition.slug == "yesno"
    assert definition.default_language == "en"
    assert definition.languages == ("en",)
    assert definition.title == {"en": "Yes or no"}
    assert [(q.name, q.kind) for q in definition.questions] == [("q1", SINGLE_CHOICE)]
    assert question(result, "q1").label == {"en": "Are you good?"}
    assert question(result, "q1").choices == (
        ChoiceDefinition("n1-c", {"en": "l1-c"}),
        ChoiceDefinition("n2-c", {"en": "l2-c"}),
    )
    assert {(3, "select_one_external"), (4, "osm")} <= constructs(result)
    assert "survey row 3: " in str(result.warnings[0])
    assert "'q2'" in str(result.warnings[0])


def test_cascading_selects_offer_every_choice_and_warn_that_filtering_is_ignored():
    result = read_xlsform(XLSFORMS / "choice_filter_test.xlsx")

    assert result.definition.slug == "cascading-selects1"
    assert result.definition.title == {"en": "cascading selects"}
    assert [q.name for q in result.definition.questions] == ["state", "county", "city"]
    assert [c.name for c in question(result, "county").choices] == ["king", "pierce", "cameron"]
    assert len(question(result, "city").choices) == 8
    assert question(result, "state").choices[0] == ChoiceDefinition("texas", {"en": "Texas"})
    # "king" is listed twice in "counties" (once per state); answers are stored by name.
    assert constructs(result) == {
        (3, "choice_filter"),
        (4, "choice_filter"),
        (6, "duplicate choice"),
    }


def test_or_other_adds_an_other_choice_and_a_text_question_shown_for_it():
    result = read_xlsform(XLSFORMS / "or_other.xlsx")
    colour = question(result, "fav_color")
    specify = question(result, "fav_color_other")

    assert [q.name for q in result.definition.questions] == [
        "fav_color",
        "fav_color_other",
        "fav_pastel",
    ]
    assert [c.name for c in colour.choices] == [
        "red",
        "green",
        "blue",
        "mauve",
        "apricot",
        "other",
    ]
    assert colour.choices[-1].label == {"en": "Other"}
    assert specify.kind == SHORT_TEXT
    assert specify.relevant == Condition("fav_color", OP_EQUALS, ("other",))
    assert "other" not in [c.name for c in question(result, "fav_pastel").choices]
    assert constructs(result) == {(2, "or_other"), (3, "choice_filter")}


def test_legacy_select_one_from_syntax_and_label_english_column():
    result = read_xlsform(XLSFORMS / "yes_or_no_question.xlsx")
    good_day = question(result, "good_day")

    assert result.definition.slug == "yes-or-no-question"
    assert result.definition.languages == ("en",)
    assert good_day.kind == SINGLE_CHOICE
    assert good_day.label == {"en": "have you had a good day today?"}
    assert [c.name for c in good_day.choices] == ["yes", "no"]
    assert result.warnings == ()


# Question types


@pytest.mark.parametrize(
    ("type_cell", "appearance", "kind"),
    [
        ("text", "", SHORT_TEXT),
        ("text", "multiline", LONG_TEXT),
        ("string", "", SHORT_TEXT),
        ("integer", "", NUMBER),
        ("decimal", "", NUMBER),
        ("range", "", RATING),
        ("date", "", DATE),
        ("note", "", NOTE),
        ("select_one colours", "", SINGLE_CHOICE),
        ("select one from colours", "", SINGLE_CHOICE),
        (" SELECT_ONE colours ", "minimal", SINGLE_CHOICE),
        ("select_multiple colours", "", MULTIPLE_CHOICE),
        ("select all that apply from colours", "", MULTIPLE_CHOICE),
        ("select multiple from colours", "", MULTIPLE_CHOICE),
    ],
)
def test_xlsform_types_map_to_engage_kinds(tmp_path, type_cell, appearance, kind):
    result = import_form(
        tmp_path,
        [["type", "name", "label", "appearance"], [type_cell, "q", "Q", appearance]],
        COLOURS,
    )

    assert question(result, "q").kind == kind
    assert result.warnings == ()


def test_likert_appearance_with_the_agreement_scale_becomes_likert(tmp_path):
    scale = [["list_name", "name", "label"]] + [["agree5", name, name] for name in LIKERT_CHOICES]
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "appearance"],
            ["select_one agree5", "safe", "I feel safe", "likert"],
            ["select_one colours", "colour", "Colour", "likert"],
        ],
        scale + COLOURS[1:],
    )

    assert question(result, "safe").kind == LIKERT
    assert [c.name for c in question(result, "safe").choices] == list(LIKERT_CHOICES)
    # Engage's Likert kind only accepts its own five choice names.
    assert question(result, "colour").kind == SINGLE_CHOICE
    assert constructs(result) == {(3, "likert")}


def test_integer_questions_are_flagged_and_decimals_are_not(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label"], ["integer", "age", "Age"], ["decimal", "km", "Km"]],
    )

    assert question(result, "age").settings == {"integer": True}
    assert question(result, "km").settings == {}


def test_range_parameters_become_rating_bounds_with_xlsform_defaults(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "parameters"],
            ["range", "scored", "Score", "start=0 end=5 step=1"],
            ["range", "plain", "Plain", ""],
        ],
    )

    assert question(result, "scored").settings == {"min": 0, "max": 5, "step": 1}
    assert question(result, "plain").settings == {"min": 1, "max": 10}


def test_choice_names_typed_as_numbers_keep_their_plain_text(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label"], ["select_one scale", "q", "Q"]],
        [["list_name", "name", "label"], ["scale", 1, "One"], ["scale", 2.0, "Two"]],
    )

    assert [c.name for c in question(result, "q").choices] == ["1", "2"]


def test_select_with_an_undefined_list_is_skipped_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label"], ["select_one nowhere", "q", "Q"], ["text", "t", "T"]],
        COLOURS,
    )

    assert [q.name for q in result.definition.questions] == ["t"]
    assert constructs(result) == {(2, "choice list")}


def test_groups_become_section_headings_followed_by_their_questions(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "hint"],
            ["text", "intro", "Intro", ""],
            ["begin group", "housing", "Housing", "About your home"],
            ["text", "street", "Street", ""],
            ["end group", "", "", ""],
            ["begin_group", "transit", "Transit", ""],
            ["integer", "trips", "Trips", ""],
            ["end_group", "", "", ""],
        ],
    )
    definition = result.definition

    assert [(q.name, q.kind) for q in definition.questions] == [
        ("intro", SHORT_TEXT),
        ("housing", SECTION),
        ("street", SHORT_TEXT),
        ("transit", SECTION),
        ("trips", NUMBER),
    ]
    assert question(result, "housing").label == {"en": "Housing"}
    assert question(result, "housing").hint == {"en": "About your home"}
    assert result.warnings == ()


def test_a_group_condition_also_applies_to_the_questions_inside_it(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["select_one colours", "colour", "Colour", ""],
            ["begin group", "reds", "Reds", "${colour} = 'red'"],
            ["text", "shade", "Shade", ""],
            ["end group", "", "", ""],
            ["text", "after", "After", ""],
        ],
        COLOURS,
    )
    red = Condition("colour", OP_EQUALS, ("red",))

    assert question(result, "reds").relevant == red
    assert question(result, "shade").relevant == red
    assert question(result, "after").relevant is None


def test_nested_groups_are_flattened_into_sections_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label"],
            ["begin group", "outer", "Outer"],
            ["begin group", "inner", "Inner"],
            ["text", "t", "T"],
            ["end group"],
            ["end group"],
        ],
    )

    assert [q.kind for q in result.definition.questions] == [SECTION, SECTION, SHORT_TEXT]
    assert constructs(result) == {(3, "nested group")}


def test_repeat_blocks_are_skipped_whole_with_one_warning(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["text", "before", "Before", ""],
            ["begin repeat", "members", "Members", ""],
            ["text", "member_name", "Name", ""],
            ["begin group", "details", "Details", ""],
            ["integer", "member_age", "Age", ""],
            ["end group", "", "", ""],
            ["end repeat", "", "", ""],
            ["text", "after", "After", ""],
            ["text", "follow_up", "Follow up", "${member_name} = 'x'"],
        ],
    )

    assert [q.name for q in result.definition.questions] == ["before", "after", "follow_up"]
    assert str(result.warnings[0]) == (
        "survey row 3: repeat groups are not supported (skipped 'members' and the 4 rows inside it)"
    )
    # The condition pointed into the skipped repeat, so it cannot be kept.
    assert question(result, "follow_up").relevant is None
    assert constructs(result) == {(3, "begin repeat"), (10, "relevant")}


@pytest.mark.parametrize(
    "type_cell",
    [
        "calculate",
        "select_one_external colours",
        "select_one_from_file towns.csv",
        "select_multiple_from_file towns.csv",
        "osm",
        "geopoint",
        "geotrace",
        "geoshape",
        "image",
        "audio",
        "video",
        "file",
        "barcode",
        "hidden",
        "acknowledge",
        "trigger",
        "rank colours",
    ],
)
def test_unsupported_question_types_are_skipped_with_a_warning(tmp_path, type_cell):
    result = import_form(
        tmp_path,
        [["type", "name", "label"], [type_cell, "odd", "Odd"], ["text", "kept", "Kept"]],
        COLOURS,
    )

    assert [q.name for q in result.definition.questions] == ["kept"]
    assert constructs(result) == {(2, type_cell.split()[0])}
    assert "not supported" in str(result.warnings[0])


def test_metadata_fields_are_skipped_with_one_quiet_warning(tmp_path):
    survey = [["type", "name", "label"]]
    survey += [[kind, kind, ""] for kind in ("start", "end", "today", "deviceid", "audit")]
    survey += [["text", "kept", "Kept"]]
    result = import_form(tmp_path, survey)

    assert [q.name for q in result.definition.questions] == ["kept"]
    assert constructs(result) == {(None, "metadata")}


# Columns: names, languages, required, relevant, constraint, dimension


@pytest.mark.parametrize(
    ("header", "tag"),
    [
        ("label::English (en)", "en"),
        ("label::en", "en"),
        ("LABEL::EN", "en"),
        ("label:english", "en"),
        ("label:English", "en"),
        ("  Label::French  ", "fr"),
        ("label::Français (fr)", "fr"),
        ("label::Français", "fr"),
        ("label::Español", "es"),
        ("label::Ojibwa (oj)", "oj"),
        ("label::pt_br", "pt-BR"),
    ],
)
def test_label_column_languages_become_bcp47_tags(tmp_path, header, tag):
    result = import_form(tmp_path, [["type", "name", header], ["text", "q", "Words"]])

    assert question(result, "q").label == {tag: "Words"}
    assert result.definition.languages == (tag,)
    assert result.definition.default_language == tag


def test_plain_label_is_the_default_language_from_settings(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "label::English (en)", "hint", "hint::English (en)"],
            ["text", "q", "Âge", "Age", "En années", "In years"],
        ],
        settings=[
            ["form_title", "form_title::English (en)", "default_language"],
            ["Un", "One", "French (fr)"],
        ],
    )

    assert result.definition.default_language == "fr"
    assert result.definition.languages == ("fr", "en")
    assert question(result, "q").label == {"fr": "Âge", "en": "Age"}
    assert question(result, "q").hint == {"fr": "En années", "en": "In years"}
    assert result.definition.title == {"fr": "Un", "en": "One"}


def test_plain_label_without_settings_is_english(tmp_path):
    result = import_form(
        tmp_path, [["type", "name", "label", "label::fr"], ["text", "q", "Age", "Âge"]]
    )

    assert result.definition.default_language == "en"
    assert result.definition.languages == ("en", "fr")


def test_a_form_with_only_translated_labels_defaults_to_its_first_language(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label::fr", "label::en"], ["text", "q", "Âge", "Age"]],
        [["list name", "name", "label::fr", "label::en"]],
    )

    assert result.definition.default_language == "fr"
    assert result.definition.languages == ("fr", "en")


def test_a_default_language_without_labels_falls_back_to_the_first_language(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label::fr"], ["text", "q", "Âge"]],
        settings=[["default_language"], ["English (en)"]],
    )

    assert result.definition.default_language == "fr"
    assert result.definition.languages == ("fr",)
    assert constructs(result) == {(2, "default_language")}


def test_a_form_without_form_title_is_titled_by_its_form_id_as_xlsform_specifies(tmp_path):
    result = import_form(
        tmp_path, [["type", "name", "label"], ["text", "q", "Q"]], settings=[["form_id"], ["parks"]]
    )

    assert result.definition.title == {"en": "parks"}


def test_stray_spaces_around_headers_and_values_are_ignored(tmp_path):
    result = import_form(
        tmp_path,
        [[" Type ", "NAME ", " label "], ["  select_one colours ", " q ", " Q  "]],
        [[" List Name", "Name ", "LABEL"], [" colours ", " red ", " Red "]],
        settings=[[" Form_ID "], [" My Form "]],
    )

    assert question(result, "q").label == {"en": "Q"}
    assert question(result, "q").choices == (ChoiceDefinition("red", {"en": "Red"}),)
    assert result.definition.slug == "my-form"


@pytest.mark.parametrize(
    ("cell", "required"),
    [("yes", True), ("TRUE", True), ("true()", True), ("1", True), (True, True)]
    + [("no", False), ("", False), ("false()", False), ("0", False)],
)
def test_required_accepts_xlsform_yes_and_no_spellings(tmp_path, cell, required):
    result = import_form(
        tmp_path, [["type", "name", "label", "required"], ["text", "q", "Q", cell]]
    )

    assert question(result, "q").required is required
    assert result.warnings == ()


def test_a_conditional_required_expression_leaves_the_question_optional(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label", "required"], ["text", "q", "Q", "${x} = 'y'"]],
    )

    assert question(result, "q").required is False
    assert constructs(result) == {(2, "required")}


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${colour} = 'red'", Condition("colour", OP_EQUALS, ("red",))),
        ("${colour}='red'", Condition("colour", OP_EQUALS, ("red",))),
        ('${colour} = "red"', Condition("colour", OP_EQUALS, ("red",))),
        ("${colour} != 'red'", Condition("colour", OP_NOT, ("red",))),
        ("selected(${colour}, 'red')", Condition("colour", OP_EQUALS, ("red",))),
        ("not(selected(${colour}, 'red'))", Condition("colour", OP_NOT, ("red",))),
        (
            "${colour} = 'red' or ${colour} = 'blue'",
            Condition("colour", OP_ONE_OF, ("red", "blue")),
        ),
        (
            "selected(${colour},'red') or (${colour}='blue')",
            Condition("colour", OP_ONE_OF, ("red", "blue")),
        ),
    ],
)
def test_common_relevant_forms_become_conditions(tmp_path, expression, condition):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["select_one colours", "colour", "Colour", ""],
            ["text", "why", "Why?", expression],
        ],
        COLOURS,
    )

    assert question(result, "why").relevant == condition
    assert result.warnings == ()


@pytest.mark.parametrize(
    "expression",
    [
        "${age} > 18",
        "${colour} = 'red' or ${other} = 'x'",
        "${colour} = 'red' and ${colour} != 'blue'",
        "string-length(${colour}) > 0",
        # Engage's "not" takes a single value.
        "${colour} != 'red' and ${colour} != 'blue'",
    ],
)
def test_other_relevant_expressions_are_dropped_with_a_warning(tmp_path, expression):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["select_one colours", "colour", "Colour", ""],
            ["text", "why", "Why?", expression],
        ],
        COLOURS,
    )

    assert question(result, "why").relevant is None
    assert constructs(result) == {(3, "relevant")}
    assert expression in result.warnings[0].message


@pytest.mark.parametrize(
    ("type_cell", "constraint", "settings"),
    [
        ("integer", ". >= 16 and . <= 120", {"integer": True, "min": 16, "max": 120}),
        ("integer", ".>0 and .<100", {"integer": True, "min": 1, "max": 99}),
        ("decimal", "(. >= 0.5)", {"min": 0.5}),
        ("text", "string-length(.) <= 200", {"max_length": 200}),
        ("text", "string-length(.) < 10", {"max_length": 9}),
        (
            "select_multiple colours",
            "count-selected(.) >= 1 and count-selected(.) <= 2",
            {"min_choices": 1, "max_choices": 2},
        ),
    ],
)
def test_simple_constraints_become_settings(tmp_path, type_cell, constraint, settings):
    result = import_form(
        tmp_path,
        [["type", "name", "label", "constraint"], [type_cell, "q", "Q", constraint]],
        COLOURS,
    )

    assert question(result, "q").settings == settings
    assert result.warnings == ()


def test_unmapped_constraint_parts_are_ignored_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "constraint"],
            ["integer", "age", "Age", ". >= 0 and . != 13"],
            ["text", "code", "Code", "regex(., '^[A-Z][0-9]$')"],
            ["decimal", "km", "Km", ". > 0"],
        ],
    )

    assert question(result, "age").settings == {"integer": True, "min": 0}
    assert question(result, "code").settings == {}
    # A strict bound on a decimal has no exact setting; it is kept as inclusive.
    assert question(result, "km").settings == {"min": 0}
    assert constructs(result) == {(2, "constraint"), (3, "constraint"), (4, "constraint")}


@pytest.mark.parametrize(
    ("cell", "dimension"),
    [("race", "race"), ("yes", "age_band"), ("TRUE", "age_band"), ("", None), ("no", None)],
)
def test_dimension_column_marks_equity_dimensions(tmp_path, cell, dimension):
    result = import_form(
        tmp_path, [["type", "name", "label", "dimension"], ["text", "age_band", "Age", cell]]
    )

    assert question(result, "age_band").dimension == dimension


def test_conditions_engage_cannot_evaluate_are_dropped_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["text", "street", "Street", ""],
            ["text", "on_main", "On Main?", "${street} = 'Main'"],
            ["text", "early", "Early", "${colour} = 'red'"],
            ["select_one colours", "colour", "Colour", ""],
            ["text", "green", "Green?", "${colour} = 'green'"],
        ],
        COLOURS,
    )

    assert all(q.relevant is None for q in result.definition.questions)
    assert constructs(result) == {(3, "relevant"), (4, "relevant"), (6, "relevant")}
    assert "comes before" in result.warnings[1].message


def test_prefer_not_to_answer_choice_sets_the_flag_and_leaves_the_list(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label"], ["select_one colours", "colour", "Colour"]],
        COLOURS + [["colours", PREFER_NOT_TO_ANSWER, "Prefer not to answer"]],
    )
    colour = question(result, "colour")

    assert colour.allow_prefer_not is True
    assert [c.name for c in colour.choices] == ["red", "blue"]


# Slugs and titles


@pytest.mark.parametrize(
    ("settings", "file_name", "slug"),
    [
        ([["form_id"], ["Ward_5 Survey"]], "x.xlsx", "ward-5-survey"),
        ([["id_string"], ["parks2025"]], "x.xlsx", "parks2025"),
        (None, "Transit Feedback (v2).xlsx", "transit-feedback-v2"),
    ],
)
def test_slug_comes_from_form_id_or_the_file_name(tmp_path, settings, file_name, slug):
    result = import_form(
        tmp_path, [["type", "name", "label"], ["text", "q", "Q"]], None, settings, file_name
    )

    assert result.definition.slug == slug


def test_caller_can_override_the_slug_and_read_an_uploaded_stream(tmp_path):
    path = write_workbook(
        tmp_path / "f.xlsx",
        {
            "survey": [["type", "name", "label"], ["text", "q", "Q"]],
            "settings": [["form_id"], ["a"]],
        },
    )
    upload = io.BytesIO(path.read_bytes())

    assert read_xlsform(upload).definition.slug == "a"
    upload.seek(0)
    assert read_xlsform(upload, slug="Ward 3 Budget").definition.slug == "ward-3-budget"


# Robustness


def test_sheets_claiming_a_million_rows_import_quickly(tmp_path):
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    # Real forms carry many columns (translations, constraint messages, media).
    survey.append(["type", "name", "label"] + [f"note_{n}" for n in range(20)])
    for number in range(30):
        survey.append(["text", f"q{number}", f"Question {number}"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"] + [f"note_{n}" for n in range(20)])
    # Formatted empty cells far below make each sheet claim a million rows.
    for sheet in (survey, choices):
        sheet.cell(row=1_000_000, column=23).font = Font(bold=True)
    path = tmp_path / "huge.xlsx"
    workbook.save(path)

    started = time.perf_counter()
    result = read_xlsform(path)

    assert time.perf_counter() - started < 5
    assert len(result.definition.questions) == 30


def test_random_bytes_are_not_a_workbook(tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(os.urandom(2048))

    with pytest.raises(XLSFormError, match="'survey.xlsx' could not be read as an Excel .xlsx"):
        read_xlsform(path)


def test_a_truncated_workbook_is_reported_as_unreadable(tmp_path):
    whole = write_workbook(
        tmp_path / "whole.xlsx", {"survey": [["type", "name", "label"], ["text", "q", "Q"]]}
    )
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    with pytest.raises(XLSFormError, match="'cut.xlsx' could not be read"):
        read_xlsform(cut)


def test_a_workbook_without_a_survey_sheet_is_not_an_xlsform(tmp_path):
    path = write_workbook(tmp_path / "budget.xlsx", {"Budget": [["item", "cost"], ["roads", 5]]})

    with pytest.raises(XLSFormError, match="no 'survey' sheet \\(sheets: Budget\\)"):
        read_xlsform(path)


def test_a_survey_sheet_without_type_and_name_columns_is_not_an_xlsform(tmp_path):
    path = write_workbook(tmp_path / "notes.xlsx", {"survey": [["question", "label"], ["a", "b"]]})

    with pytest.raises(XLSFormError, match="no 'type' or 'name' column"):
        read_xlsform(path)


def test_a_choices_sheet_without_a_name_column_is_not_an_xlsform(tmp_path):
    path = write_workbook(
        tmp_path / "lists.xlsx",
        {
            "survey": [["type", "name", "label"], ["select_one c", "q", "Q"]],
            "choices": [["list_name", "label"], ["c", "Red"]],
        },
    )

    with pytest.raises(XLSFormError, match="choices sheet has no 'name' column"):
        read_xlsform(path)


def test_an_old_xls_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(512))

    with pytest.raises(XLSFormError, match="save it as .xlsx"):
        read_xlsform(path)


def test_a_missing_file_is_reported_by_name(tmp_path):
    with pytest.raises(XLSFormError, match="'absent.xlsx' was not found"):
        read_xlsform(tmp_path / "absent.xlsx")


def test_warnings_read_as_sheet_row_and_message():
    warning = ImportWarning("survey", 12, "begin repeat", "repeat groups are not supported")

    assert str(warning) == "survey row 12: repeat groups are not supported"
    assert str(ImportWarning("settings", None, "x", "odd")) == "settings: odd"


# Export and round trip

LANGUAGES = ("en", "fr", "ar", "oj")


def texts(en, fr, ar, oj):
    """Return a text in the four round-trip languages."""
    return dict(zip(LANGUAGES, (en, fr, ar, oj), strict=True))


def every_kind_survey() -> SurveyDefinition:
    """A survey using every question kind, four languages and all exported settings."""
    agreement = tuple(
        ChoiceDefinition(name, texts(name, f"{name} (fr)", f"{name} (ar)", f"{name} (oj)"))
        for name in ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
    )
    return SurveyDefinition(
        slug="ward-5-feedback",
        default_language="en",
        languages=LANGUAGES,
        title=texts("Ward 5 feedback", "Rétroaction du quartier 5", "ملاحظات", "Ward 5 (oj)"),
        description=texts("Tell us", "Dites-nous", "أخبرنا", "Wiindamawishinaam"),
        questions=(
            QuestionDefinition(
                "ward",
                SINGLE_CHOICE,
                texts("Ward", "Quartier", "الحي", "Ward (oj)"),
                hint=texts("Pick one", "Choisissez", "اختر", "Pick (oj)"),
                required=True,
                choices=(
                    ChoiceDefinition("w1", texts("Ward 1", "Quartier 1", "الحي 1", "1")),
                    ChoiceDefinition("w2", texts("Ward 2", "Quartier 2", "الحي 2", "2")),
                ),
                allow_prefer_not=True,
                dimension="ward",
            ),
            QuestionDefinition("about", SECTION, texts("About you", "À propos", "عنك", "(oj)")),
            QuestionDefinition(
                "services",
                MULTIPLE_CHOICE,
                texts("Services", "Services", "الخدمات", "(oj)"),
                choices=(
                    ChoiceDefinition("parks", texts("Parks", "Parcs", "حدائق", "(oj)")),
                    ChoiceDefinition("roads", texts("Roads", "Routes", "طرق", "(oj)")),
                    ChoiceDefinition("o'hara", texts("O'Hara", "O'Hara", "أوهارا", "(oj)")),
                ),
                settings={"min_choices": 1, "max_choices": 2},
            ),
            QuestionDefinition(
                "satisfaction",
                LIKERT,
                texts("Satisfied?", "Satisfait?", "راض؟", "(oj)"),
                choices=agreement,
                relevant=Condition("ward", OP_EQUALS, ("w1",)),
            ),
            QuestionDefinition(
                "overall",
                RATING,
                texts("Overall", "Global", "عام", "(oj)"),
                settings={"min": 0, "max": 10, "step": 1},
                relevant=Condition("services", OP_EQUALS, ("o'hara",)),
            ),
            QuestionDefinition(
                "comment",
                SHORT_TEXT,
                texts("Comment", "Commentaire", "تعليق", "(oj)"),
                settings={"max_length": 200},
                relevant=Condition("services", OP_ONE_OF, ("parks", "roads")),
            ),
            QuestionDefinition(
                "story",
                LONG_TEXT,
                texts("Story", "Histoire", "قصة", "(oj)"),
                relevant=Condition("ward", OP_NOT, ("w2",)),
            ),
            QuestionDefinition("more", SECTION, texts("More", "Plus", "المزيد", "(oj)")),
            QuestionDefinition(
                "age",
                NUMBER,
                texts("Age", "Âge", "العمر", "(oj)"),
                required=True,
                settings={"integer": True, "min": 16, "max": 120},
                allow_prefer_not=True,
                dimension="age_band",
            ),
            QuestionDefinition(
                "budget",
                NUMBER,
                texts("Budget", "Budget", "الميزانية", "(oj)"),
                settings={"min": 0.5, "max": 99.5},
                relevant=Condition("services", OP_NOT, ("parks",)),
            ),
            QuestionDefinition(
                "visit_date",
                DATE,
                texts("Visited", "Visité", "تاريخ", "(oj)"),
                relevant=Condition("ward", OP_ONE_OF, ("w1", "w2")),
            ),
            QuestionDefinition(
                "race",
                SINGLE_CHOICE,
                texts("Race", "Race", "العرق", "(oj)"),
                choices=(ChoiceDefinition("black", texts("Black", "Noire", "أسود", "(oj)")),),
                dimension="race",
            ),
            QuestionDefinition("thanks", NOTE, {"en": "Thank you", "fr": "Merci"}),
        ),
    )


def test_export_then_import_gives_back_an_equal_definition(tmp_path):
    definition = every_kind_survey()
    path = tmp_path / "exported.xlsx"

    write_xlsform(definition, path)
    result = read_xlsform(path)

    assert result.definition == definition
    assert result.warnings == ()


def test_export_writes_odk_style_sheets_and_columns(tmp_path):
    path = tmp_path / "exported.xlsx"
    write_xlsform(every_kind_survey(), path)
    workbook = openpyxl.load_workbook(path)
    survey = [list(row) for row in workbook["survey"].iter_rows(values_only=True)]
    choices = [list(row) for row in workbook["choices"].iter_rows(values_only=True)]
    settings = dict(zip(*workbook["settings"].iter_rows(values_only=True), strict=True))
    header = survey[0]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in survey[1:]}

    assert workbook.sheetnames == ["survey", "choices", "settings"]
    assert header[:6] == [
        "type",
        "name",
        "label::English (en)",
        "label::French (fr)",
        "label::Arabic (ar)",
        "label::Ojibwa (oj)",
    ]
    assert rows["satisfaction"]["type"] == "select_one satisfaction"
    assert rows["satisfaction"]["appearance"] == "likert"
    assert rows["satisfaction"]["relevant"] == "${ward} = 'w1'"
    assert rows["services"]["type"] == "select_multiple services"
    assert (
        rows["comment"]["relevant"]
        == "selected(${services}, 'parks') or selected(${services}, 'roads')"
    )
    assert rows["overall"]["type"] == "range"
    assert rows["overall"]["parameters"] == "start=0 end=10 step=1"
    assert rows["age"]["type"] == "integer"
    assert rows["age"]["constraint"] == ". >= 16 and . <= 120"
    assert rows["story"]["appearance"] == "multiline"
    assert rows["about"]["type"] == "begin group"
    assert [row[0] for row in survey].count("end group") == 2
    assert ["ward", PREFER_NOT_TO_ANSWER] in [row[:2] for row in choices]
    assert settings["form_id"] == "ward-5-feedback"
    assert settings["form_title"] == "Ward 5 feedback"
    assert settings["default_language"] == "English (en)"


def test_language_tags_and_headers_agree_for_tags_babel_has_no_data_for():
    assert language_header("oj") == "Ojibwa (oj)"
    assert language_header("pt-BR") == "Portuguese (Brazil) (pt-BR)"
    assert language_tag(language_header("pt-BR")) == "pt-BR"
    assert language_tag("Klingonese") is None


# Favourable choices (Engage's ``favourable`` columns)

FAVOURABLE_SURVEY = [
    ["type", "name", "label", "appearance"],
    ["select_one colours", "colour", "Colour", ""],
    ["select_multiple colours", "colours", "Colours", ""],
    ["select_one agreement", "safe", "I feel safe", "likert"],
    ["select_one sizes", "size", "Size", ""],
]
AGREEMENT = [["agreement", name, name] for name in LIKERT_CHOICES]


def test_favourable_column_marks_the_favourable_choices_of_every_question_using_the_list(
    tmp_path,
):
    result = import_form(
        tmp_path,
        FAVOURABLE_SURVEY,
        [
            ["list_name", "name", "label", "favourable"],
            ["colours", "red", "Red", "Yes"],
            ["colours", "green", "Green", ""],
            ["colours", "blue", "Blue", 1],
            ["colours", "white", "White", "TRUE"],
            ["colours", "black", "Black", "no"],
            *AGREEMENT,
            ["sizes", "small", "Small"],
            ["sizes", "large", "Large"],
        ],
    )

    assert question(result, "colour").settings == {"favourable_choices": ["red", "blue", "white"]}
    assert question(result, "colours").settings == {"favourable_choices": ["red", "blue", "white"]}
    # A list without marks keeps the kind's default: Likert's top two, none for a choice.
    assert question(result, "safe").settings == {}
    assert question(result, "size").settings == {}
    assert result.warnings == ()


def test_a_likert_list_marked_no_throughout_has_no_favourable_answers(tmp_path):
    result = import_form(
        tmp_path,
        FAVOURABLE_SURVEY[:1] + FAVOURABLE_SURVEY[3:4],
        [["list_name", "name", "label", "favourable"]] + [row + ["no"] for row in AGREEMENT],
    )

    assert question(result, "safe").kind == LIKERT
    assert question(result, "safe").settings == {"favourable_choices": []}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "maybe",
            "on the choices sheet, row 3, “favourable” must be yes, no or empty, not “maybe”",
        ),
        ("yes", "on the choices sheet, row 3, “Prefer not to answer” is marked favourable"),
    ],
)
def test_a_favourable_cell_that_cannot_be_read_stops_the_import(tmp_path, cell, message):
    rows = [
        ["list_name", "name", "label", "favourable"],
        ["colours", "red", "Red", "yes"],
        ["colours", PREFER_NOT_TO_ANSWER if cell == "yes" else "blue", "Other", cell],
    ]
    with pytest.raises(XLSFormError, match=message) as raised:
        import_form(tmp_path, FAVOURABLE_SURVEY[:2], rows)
    assert raised.value.params["row"] == 3


@pytest.mark.parametrize(
    ("cell", "favourable"),
    [("4 5", ["4", "5"]), ("5.0  3", ["3", "5"]), ("No", [])],
)
def test_a_range_lists_its_favourable_points_on_the_survey_sheet(tmp_path, cell, favourable):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "parameters", "favourable"],
            ["range", "score", "Score", "start=1 end=5", cell],
        ],
    )

    assert question(result, "score").settings["favourable_choices"] == favourable


def test_a_range_point_off_the_scale_stops_the_import(tmp_path):
    survey = [
        ["type", "name", "label", "parameters", "favourable"],
        ["range", "score", "Score", "start=1 end=5", "5 6"],
    ]
    with pytest.raises(XLSFormError, match="survey sheet, row 2, “favourable” must list points"):
        import_form(tmp_path, survey)


def test_favourable_on_the_survey_row_of_a_select_is_ignored_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label", "favourable"], ["select_one colours", "colour", "C", "red"]],
        COLOURS,
    )

    assert question(result, "colour").settings == {}
    assert constructs(result) == {(2, "favourable")}


def test_staffs_favourable_choices_survive_export_then_import(tmp_path):
    chosen = {
        "ward": ["w1"],
        "services": ["parks", "o'hara"],
        "satisfaction": [],
        "overall": ["8", "9", "10"],
        "race": [],
    }
    definition = every_kind_survey()
    definition = dataclasses.replace(
        definition,
        questions=tuple(
            dataclasses.replace(q, settings={**q.settings, "favourable_choices": chosen[q.name]})
            if q.name in chosen
            else q
            for q in definition.questions
        ),
    )
    path = tmp_path / "exported.xlsx"

    write_xlsform(definition, path)
    result = read_xlsform(path)

    assert result.definition == definition
    assert result.warnings == ()
    workbook = openpyxl.load_workbook(path)
    choices = [list(row) for row in workbook["choices"].iter_rows(values_only=True)]
    marks = {(row[0], row[1]): row[-1] for row in choices[1:]}
    assert choices[0][-1] == "favourable"
    assert marks[("ward", "w1")] == "yes"
    assert marks[("ward", PREFER_NOT_TO_ANSWER)] == "no"
    assert marks[("satisfaction", "agree")] == "no"
    survey = [list(row) for row in workbook["survey"].iter_rows(values_only=True)]
    rows = {row[1]: dict(zip(survey[0], row, strict=True)) for row in survey[1:]}
    assert (rows["overall"]["favourable"], rows["ward"]["favourable"]) == ("8 9 10", None)


# Staff's analysis switch of free text (Engage's ``analyse`` column)


@pytest.mark.parametrize(
    ("cell", "settings"),
    [("", {}), ("yes", {}), ("No", {"analyse": False}), ("0", {"analyse": False})],
)
def test_the_analyse_column_switches_a_text_questions_analysis_off(tmp_path, cell, settings):
    result = import_form(
        tmp_path,
        [
            ["type", "name", "label", "analyse"],
            ["text", "postal_code", "Postal code", cell],
            ["text", "anything_else", "Any other comments?", ""],
        ],
    )

    assert question(result, "postal_code").settings == settings
    assert question(result, "anything_else").settings == {}
    assert result.warnings == ()


def test_an_analyse_cell_that_cannot_be_read_stops_the_import(tmp_path):
    survey = [["type", "name", "label", "analyse"], ["text", "name", "Name", "perhaps"]]
    with pytest.raises(XLSFormError, match="row 2, “analyse” must be yes, no or empty"):
        import_form(tmp_path, survey)


def test_analyse_on_a_question_that_is_not_free_text_is_ignored_with_a_warning(tmp_path):
    result = import_form(
        tmp_path,
        [["type", "name", "label", "analyse"], ["select_one colours", "colour", "C", "no"]],
        COLOURS,
    )

    assert question(result, "colour").settings == {}
    assert constructs(result) == {(2, "analyse")}


def test_the_specify_other_question_starts_with_its_analysis_off():
    result = read_xlsform(XLSFORMS / "or_other.xlsx")

    assert question(result, "fav_color_other").settings == {"analyse": False}


def test_a_switched_off_analysis_survives_export_then_import(tmp_path):
    definition = every_kind_survey()
    definition = dataclasses.replace(
        definition,
        questions=tuple(
            dataclasses.replace(q, settings={**q.settings, "analyse": False})
            if q.name == "comment"
            else q
            for q in definition.questions
        ),
    )
    path = tmp_path / "exported.xlsx"

    write_xlsform(definition, path)
    result = read_xlsform(path)

    assert result.definition == definition
    survey = [
        list(row) for row in openpyxl.load_workbook(path)["survey"].iter_rows(values_only=True)
    ]
    rows = {row[1]: dict(zip(survey[0], row, strict=True)) for row in survey[1:]}
    assert (rows["comment"]["analyse"], rows["story"]["analyse"]) == ("no", None)


def test_the_analyse_column_is_written_only_when_some_analysis_is_off(tmp_path):
    path = tmp_path / "exported.xlsx"

    write_xlsform(every_kind_survey(), path)

    header = next(openpyxl.load_workbook(path)["survey"].iter_rows(values_only=True))
    assert "analyse" not in header

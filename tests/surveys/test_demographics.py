"""The demographic question bank and the Washington Group disability status."""

import pytest

from surveys.definition import MULTIPLE_CHOICE, PREFER_NOT_TO_ANSWER, SINGLE_CHOICE
from surveys.demographics import (
    DEMOGRAPHIC_BANK,
    DERIVED_DIMENSIONS,
    WASHINGTON_GROUP_QUESTIONS,
    area_question,
    bank_entries,
    washington_group_disability_status,
)
from surveys.languages import BUILT_IN_LANGUAGES
from surveys.questions import AnswerValue, question_type

BANK_QUESTIONS = [question for questions in DEMOGRAPHIC_BANK.values() for question in questions]


def test_bank_entries_list_every_bank_item_with_a_title():
    entries = bank_entries()
    assert [entry.id for entry in entries] == list(DEMOGRAPHIC_BANK)
    assert all(entry.title for entry in entries)


def test_bank_question_names_are_unique():
    names = [question.name for question in BANK_QUESTIONS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("question", BANK_QUESTIONS, ids=lambda q: q.name)
def test_every_bank_question_is_a_voluntary_closed_dimension(question):
    assert question.dimension
    assert question_type(question.kind).is_closed
    assert not question.required
    assert question.allow_prefer_not


@pytest.mark.parametrize("question", BANK_QUESTIONS, ids=lambda q: q.name)
def test_every_bank_text_is_written_in_every_built_in_language(question):
    texts = [question.label, *(choice.label for choice in question.choices)]
    if question.hint:
        texts.append(question.hint)
    for text in texts:
        missing = [lang for lang in BUILT_IN_LANGUAGES if not text.get(lang, "").strip()]
        assert not missing, (question.name, text.get("en"), missing)


@pytest.mark.parametrize("question", BANK_QUESTIONS, ids=lambda q: q.name)
def test_choice_labels_are_distinct_in_every_language(question):
    for language in BUILT_IN_LANGUAGES:
        labels = [choice.label[language] for choice in question.choices]
        assert len(labels) == len(set(labels)), (question.name, language)


@pytest.mark.parametrize("question", BANK_QUESTIONS, ids=lambda q: q.name)
def test_bank_questions_accept_prefer_not_to_answer(question):
    kind = question_type(question.kind)
    assert kind.validate(question, [PREFER_NOT_TO_ANSWER]) == [
        AnswerValue(choice=PREFER_NOT_TO_ANSWER)
    ]
    assert PREFER_NOT_TO_ANSWER not in kind.choice_names(question)


def test_race_is_select_all_that_apply_with_the_anti_racism_data_standards_categories():
    (race,) = DEMOGRAPHIC_BANK["race"]
    assert race.kind == MULTIPLE_CHOICE
    assert race.dimension == "race"
    assert [choice.label["en"].split(" (")[0] for choice in race.choices] == [
        "Black",
        "East Asian",
        "Indigenous",
        "Latino",
        "Middle Eastern",
        "South Asian",
        "Southeast Asian",
        "White",
        "Another race category",
    ]
    answer = question_type(race.kind).validate(race, ["white", "black"])
    assert answer == [AnswerValue(choice="black"), AnswerValue(choice="white")]


def test_indigenous_identity_is_asked_separately_and_before_race():
    ids = list(DEMOGRAPHIC_BANK)
    assert ids.index("indigenous") < ids.index("race")
    (indigenous,) = DEMOGRAPHIC_BANK["indigenous"]
    assert indigenous.kind == SINGLE_CHOICE
    assert [choice.name for choice in indigenous.choices] == [
        "first_nations",
        "metis",
        "inuit",
        "not_indigenous",
    ]


def test_gender_entry_asks_sex_at_birth_then_gender():
    sex_at_birth, gender = DEMOGRAPHIC_BANK["gender"]
    assert [choice.name for choice in sex_at_birth.choices] == ["male", "female"]
    assert [choice.name for choice in gender.choices] == ["man", "woman", "another_gender"]
    assert gender.dimension == "gender"


def test_age_bands_cover_all_ages_without_gaps():
    (age_band,) = DEMOGRAPHIC_BANK["age_band"]
    assert [choice.label["en"] for choice in age_band.choices] == [
        "Under 18",
        "18 to 24",
        "25 to 34",
        "35 to 44",
        "45 to 54",
        "55 to 64",
        "65 to 74",
        "75 or older",
    ]


def test_household_income_bands_are_contiguous():
    (income,) = DEMOGRAPHIC_BANK["household_income"]
    assert [choice.label["en"] for choice in income.choices] == [
        "Under $20,000",
        "$20,000 to $39,999",
        "$40,000 to $59,999",
        "$60,000 to $79,999",
        "$80,000 to $99,999",
        "$100,000 to $149,999",
        "$150,000 and over",
    ]
    assert income.choices[1].label["fr"] == "20\u00a0000\u00a0$ à 39\u00a0999\u00a0$"


def test_home_language_offers_the_common_languages_and_an_indigenous_language():
    (home_language,) = DEMOGRAPHIC_BANK["home_language"]
    names = [choice.name for choice in home_language.choices]
    assert names[:2] == ["english", "french"]
    assert {"punjabi", "urdu", "arabic", "chinese", "tagalog", "tamil"} <= set(names)
    assert names[-2:] == ["indigenous_language", "another_language"]


def test_area_question_defaults_to_placeholder_wards():
    question = area_question()
    assert [choice.name for choice in question.choices][:2] == ["ward_1", "ward_2"]
    assert len(question.choices) == 10
    assert question.choices[2].label["fr"] == "Quartier 3"


def test_area_question_uses_the_municipalitys_own_area_names_in_every_language():
    question = area_question(["Kanata North", "Orléans"])
    assert [choice.name for choice in question.choices] == ["area_1", "area_2"]
    assert set(question.choices[1].label.values()) == {"Orléans"}
    assert set(question.choices[1].label) == set(BUILT_IN_LANGUAGES)
    assert question.dimension == "area"


# Washington Group Short Set


def test_washington_group_has_six_domains_on_the_same_four_point_scale():
    assert len(WASHINGTON_GROUP_QUESTIONS) == 6
    assert DEMOGRAPHIC_BANK["disability"] == WASHINGTON_GROUP_QUESTIONS
    for question in WASHINGTON_GROUP_QUESTIONS:
        assert question.dimension == "disability"
        assert [choice.name for choice in question.choices] == [
            "no_difficulty",
            "some_difficulty",
            "a_lot_of_difficulty",
            "cannot_do_at_all",
        ]


def all_domains(answer):
    return {question.name: answer for question in WASHINGTON_GROUP_QUESTIONS}


@pytest.mark.parametrize("severe", ["a_lot_of_difficulty", "cannot_do_at_all"])
def test_one_domain_with_a_lot_of_difficulty_or_worse_means_disability(severe):
    answers = all_domains("no_difficulty") | {"wg_hearing": severe}
    assert washington_group_disability_status(answers) == "with_disability"


def test_some_difficulty_in_every_domain_does_not_reach_the_cut_off():
    assert washington_group_disability_status(all_domains("some_difficulty")) == (
        "without_disability"
    )


def test_severe_difficulty_counts_even_when_other_domains_are_unanswered():
    assert washington_group_disability_status({"wg_walking": "cannot_do_at_all"}) == (
        "with_disability"
    )


def test_no_answered_domain_gives_no_status():
    assert washington_group_disability_status({}) is None
    prefer_not = all_domains(PREFER_NOT_TO_ANSWER)
    assert washington_group_disability_status(prefer_not) == PREFER_NOT_TO_ANSWER


def test_disability_is_a_derived_dimension():
    assert DERIVED_DIMENSIONS["disability"] is washington_group_disability_status

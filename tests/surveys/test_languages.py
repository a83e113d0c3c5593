"""Language tags for survey content, including languages Babel does not know."""

import pytest

import surveys.languages
from surveys.languages import (
    ResolvedText,
    completeness,
    display_name,
    is_valid_tag,
    language_name,
    normalize_tag,
    resolve_text,
    text_direction,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-hans", "zh-Hans"),
        ("fr_CA", "fr-CA"),
        ("EN-gb", "en-GB"),
        ("oj-cans", "oj-Cans"),
        ("es-419", "es-419"),
        (" pa ", "pa"),
        ("de-CH-x-PHONEBK", "de-CH-x-phonebk"),
    ],
)
def test_normalize_tag_uses_conventional_case_and_hyphens(tag, expected):
    assert normalize_tag(tag) == expected


@pytest.mark.parametrize(
    "tag", ["en", "fr-CA", "zh-Hans", "oj", "oj-Cans", "ckb", "es-419", "sl-rozaj", "fr_ca"]
)
def test_well_formed_tags_are_valid(tag):
    assert is_valid_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "english!", "fr-CAN-", "zh-Hans-", "12", "fr--CA"])
def test_malformed_tags_are_invalid(tag):
    assert not is_valid_tag(tag)


@pytest.mark.parametrize("tag", ["ar", "ur", "he", "fa", "ckb", "pa-Arab", "xyz-Arab", "dv"])
def test_right_to_left_languages_and_scripts(tag):
    assert text_direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["en", "fr-CA", "zh-Hans", "oj", "oj-Cans", "cr", "iu", "ta"])
def test_left_to_right_languages_including_ones_babel_lacks(tag):
    assert text_direction(tag) == "ltr"


def test_explicit_latin_script_overrides_a_right_to_left_language():
    # Babel drops the script it has no data for and would say Urdu is right to left.
    assert text_direction("ur-Latn") == "ltr"


def test_direction_falls_back_to_the_language_list_without_babel_data(monkeypatch):
    monkeypatch.setattr(surveys.languages, "_babel_locale", lambda tag: None)
    assert text_direction("ar") == "rtl"
    assert text_direction("ar-Latn") == "ltr"
    assert text_direction("en") == "ltr"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("fr", "français"),
        ("fr-CA", "français (Canada)"),
        ("zh-Hans", "中文 (简体)"),
        ("pa", "ਪੰਜਾਬੀ"),
        ("ar", "العربية"),
        ("oj", "Anishinaabemowin"),
        ("cr", "ᓀᐦᐃᔭᐍᐏᐣ (Nēhiyawēwin)"),
        ("iu", "ᐃᓄᒃᑎᑐᑦ"),
        ("tl", "Tagalog"),
    ],
)
def test_display_name_is_in_the_language_itself(tag, expected):
    assert display_name(tag) == expected


def test_display_name_in_another_language():
    assert display_name("fr", "en") == "French"
    assert display_name("de", "fr") == "allemand"
    assert display_name("oj", "en") == "Ojibwa"


def test_display_name_falls_back_to_the_tag():
    assert display_name("qaa") == "qaa"


@pytest.mark.parametrize(
    ("tag", "reader", "expected"),
    [
        # The survey domain's names, whoever reads (Babel would say Ojibwa, Filipino).
        ("oj", "en", "Anishinaabemowin"),
        ("oj", "fr", "Anishinaabemowin"),
        ("oj-CA", "ar", "Anishinaabemowin"),
        ("tl", "fr", "Tagalog"),
        # Babel's name in the reader's language for the rest.
        ("ar", "fr", "arabe"),
        ("fr", "en", "French"),
        ("fr-CA", "es", "francés (Canadá)"),
        ("de", "zh-Hans", "德语"),
        ("qaa", "en", "qaa"),
    ],
)
def test_the_name_pages_show_prefers_survey_names_then_the_readers_language(tag, reader, expected):
    assert language_name(tag, reader) == expected


TEXTS = {"en": "Your ward", "fr": "Votre quartier", "fr-CA": "", "es-MX": "Su distrito"}


def test_exact_translation_is_used():
    assert resolve_text(TEXTS, "fr", "en") == ResolvedText("Votre quartier", "fr", True)


def test_regional_tag_falls_back_to_its_base_language():
    # fr-CA's text is empty, which counts as missing.
    assert resolve_text(TEXTS, "fr-CA", "en") == ResolvedText("Votre quartier", "fr", True)


def test_base_language_reads_a_regional_translation():
    assert resolve_text(TEXTS, "es", "en") == ResolvedText("Su distrito", "es-MX", True)


def test_missing_translation_falls_back_to_default_language():
    assert resolve_text(TEXTS, "ar", "en") == ResolvedText("Your ward", "en", False)


def test_text_is_never_blank_when_any_language_has_it():
    assert resolve_text({"fr": "Bonjour", "en": " "}, "ar", "en") == ResolvedText(
        "Bonjour", "fr", False
    )


def test_no_text_at_all_resolves_to_blank():
    assert resolve_text({"en": ""}, "en", "en").text == ""


def test_tags_are_compared_after_normalising():
    assert resolve_text({"zh-Hans": "选区"}, "zh-hans", "en").translated


def test_completeness_counts_only_texts_that_exist_in_some_language():
    texts_by_key = {
        "q1.label": {"en": "Age", "fr": "Âge"},
        "q2.label": {"en": "Ward", "fr": ""},
        "q2.hint": {"en": "", "fr": ""},
    }
    assert completeness(texts_by_key, "fr") == (1, 2)
    assert completeness(texts_by_key, "en") == (2, 2)
    assert completeness(texts_by_key, "oj") == (0, 2)

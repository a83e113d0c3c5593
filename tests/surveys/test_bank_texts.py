"""The demographic bank's texts in the translators' XLSX/PO round trip, and back in its files."""

import io
import shutil

import openpyxl
import pytest
from babel.messages.pofile import read_po, write_po

from surveys.demographics import DEMOGRAPHIC_BANK
from surveys.demographics.bank_files import bank_directory, bank_file_text
from surveys.demographics.bank_texts import (
    BANK_FILE_ID,
    TRANSLATION_LANGUAGES,
    bank_texts,
    bank_translation,
    check_bank_translation,
    placeholders,
    write_bank_files,
)
from surveys.demographics.entries import load_bank, read_bank_contents
from surveys.translation_io import (
    TranslationImportError,
    build_translation_file,
    write_xlsx,
)
from surveys.translation_io import (
    write_po as write_translation_po,
)

MAN = "gender.questions.gender.choices.man.label"
WARD = "area.questions.area.ward_label"
INCOME_BETWEEN = "household_income.questions.household_income.band_labels.between"
RACE = "race.questions.race.label"


@pytest.fixture
def bank(tmp_path):
    """A copy of the bank's text files that an import may rewrite."""
    folder = tmp_path / "bank"
    shutil.copytree(str(bank_directory()), folder)
    return folder


def file_bytes(folder) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def xlsx_bytes(translation) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(translation, buffer)
    return buffer.getvalue()


def po_bytes(translation) -> bytes:
    buffer = io.BytesIO()
    write_translation_po(translation, buffer)
    return buffer.getvalue()


def edit_xlsx(data: bytes, translations: dict[str, str]) -> bytes:
    """Change translation cells the way a translator would in a spreadsheet program."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row in workbook["translations"].iter_rows(min_row=2):
        if row[0].value in translations:
            row[2].value = translations[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edit_po(data: bytes, translations: dict[str, str], fuzzy: tuple[str, ...] = ()) -> bytes:
    """Change msgstr the way a PO editor would (read, edit, write back)."""
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.id and message.context in translations:
            message.string = translations[message.context]
        if message.id and message.context in fuzzy:
            message.flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def refusal(data: bytes, language: str | None = None) -> TranslationImportError:
    with pytest.raises(TranslationImportError) as caught:
        check_bank_translation(data, read_bank_contents(), language)
    return caught.value


def test_writing_back_a_bank_file_unchanged_gives_the_same_bytes():
    for path in bank_directory().iterdir():
        content = read_bank_contents()[path.name.removesuffix(".json")]
        assert bank_file_text(content).encode("utf-8") == path.read_bytes(), path.name


def test_every_text_of_the_bank_is_one_row_with_its_translation_and_a_note():
    translation = bank_translation("fr")
    rows = {entry.key: entry for entry in translation.entries}
    sources = {entry.source for entry in translation.entries}
    # Every label, hint and choice of the bank's questions is a row's English text, but
    # the choices made from one template (age and income bands, placeholder wards).
    templated = {"age_band", "household_income", "area"}
    for question in (q for questions in DEMOGRAPHIC_BANK.values() for q in questions):
        assert question.label["en"] in sources
        assert not question.hint or question.hint["en"] in sources
        if question.name not in templated:
            assert {choice.label["en"] for choice in question.choices} <= sources
    man = rows[MAN]
    assert (man.source, man.target) == ("Man", "Homme")
    assert man.note == "Sex at birth and gender (two questions); Question: “What is your gender?”"
    assert rows[INCOME_BETWEEN].note.endswith(
        "Keep {low} and {high} unchanged: Engage puts a number or an amount in place of them."
    )
    assert translation.survey == BANK_FILE_ID
    assert (translation.source_language, translation.language) == ("en", "fr")


def test_the_note_reaches_the_translator_in_both_formats():
    translation = bank_translation("ar")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(translation)))["translations"]
    assert [cell.value for cell in sheet[1]] == ["key", "source (en)", "translation (ar)", "note"]
    assert sheet["D2"].value == translation.entries[0].note
    catalog = read_po(io.BytesIO(po_bytes(translation)))
    message = catalog.get("Man", context=MAN)
    assert message.auto_comments == [
        "Sex at birth and gender (two questions); Question: “What is your gender?”"
    ]


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
@pytest.mark.parametrize("language", TRANSLATION_LANGUAGES)
def test_a_round_trip_without_changes_leaves_every_file_byte_identical(bank, write, language):
    before = file_bytes(bank)
    correction = check_bank_translation(
        write(bank_translation(language, read_bank_contents(bank))),
        read_bank_contents(bank),
    )
    assert correction.changed == {}
    assert write_bank_files(bank, correction) == []
    assert file_bytes(bank) == before


@pytest.mark.parametrize("write, edit", [(xlsx_bytes, edit_xlsx), (po_bytes, edit_po)])
def test_a_corrected_french_text_lands_in_its_file_and_in_the_bank_built_from_it(bank, write, edit):
    before = file_bytes(bank)
    data = edit(write(bank_translation("fr", read_bank_contents(bank))), {MAN: "Un homme"})
    correction = check_bank_translation(data, read_bank_contents(bank))
    assert correction.changed == {"gender": (MAN,)}
    assert write_bank_files(bank, correction) == [bank / "gender.json"]

    after = file_bytes(bank)
    assert {name for name in after if after[name] != before[name]} == {"gender.json"}
    old_lines = before["gender.json"].decode().splitlines()
    new_lines = after["gender.json"].decode().splitlines()
    changed = [(old, new) for old, new in zip(old_lines, new_lines, strict=True) if old != new]
    assert changed == [('            "fr": "Homme",', '            "fr": "Un homme",')]

    _, gender = load_bank(bank)["gender"]
    assert gender.choices[0].label["fr"] == "Un homme"
    assert gender.choices[0].label["en"] == "Man"


def test_a_corrected_template_changes_every_choice_it_makes(bank):
    data = edit_po(po_bytes(bank_translation("fr")), {WARD: "Secteur {number}"})
    write_bank_files(bank, check_bank_translation(data, read_bank_contents(bank)))
    (area,) = load_bank(bank)["area"]
    assert [choice.label["fr"] for choice in area.choices[:2]] == ["Secteur 1", "Secteur 2"]


@pytest.mark.parametrize(
    "text", ["Quartier", "Quartier {numero}", "Quartier {number} {number2}", "Quartier {number"]
)
def test_a_translation_that_loses_or_breaks_a_placeholder_is_refused(text):
    error = refusal(edit_po(po_bytes(bank_translation("fr")), {WARD: text}))
    assert str(error) == (
        "These translations do not keep the placeholders of the English text (such as "
        "{low}, {high} or {number}) exactly as written: " + WARD + "."
    )


def test_a_translation_may_move_placeholders():
    data = edit_po(po_bytes(bank_translation("fr")), {INCOME_BETWEEN: "jusqu’à {high} dès {low}"})
    correction = check_bank_translation(data, read_bank_contents())
    assert correction.changed == {"household_income": (INCOME_BETWEEN,)}


@pytest.mark.parametrize("write, edit", [(xlsx_bytes, edit_xlsx), (po_bytes, edit_po)])
def test_an_emptied_text_is_refused(write, edit):
    error = refusal(edit(write(bank_translation("es")), {RACE: ""}))
    assert str(error).startswith(f"These texts are empty: {RACE}.")


def test_a_fuzzy_po_message_counts_as_empty():
    error = refusal(edit_po(po_bytes(bank_translation("fr")), {}, fuzzy=(MAN,)))
    assert str(error).startswith(f"These texts are empty: {MAN}.")


def test_unknown_keys_and_changed_sources_are_named():
    texts = {entry.key: entry for entry in bank_translation("fr").entries}
    forged = build_translation_file(
        BANK_FILE_ID,
        {
            "gender.questions.gender.choices.other.label": {"en": "Other", "fr": "Autre"},
            MAN: {"en": "A man", "fr": "Un homme"},
            RACE: {"en": texts[RACE].source, "fr": texts[RACE].target},
        },
        [],
        "en",
        "fr",
    )
    problems = refusal(po_bytes(forged)).problems
    assert [str(problem) for problem in problems] == [
        "The demographic bank has no texts with these keys: "
        "gender.questions.gender.choices.other.label.",
        "The source text changed since the file was exported, for: "
        f"{MAN}. Export a new file and translate the changed texts.",
    ]


def test_every_problem_is_reported_at_once():
    data = edit_xlsx(xlsx_bytes(bank_translation("fr")), {MAN: "", WARD: "Quartier"})
    assert [problem.params for problem in refusal(data).problems] == [
        {"keys": MAN},
        {"keys": WARD},
    ]


def test_a_key_given_twice_is_refused():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(bank_translation("fr"))))
    workbook["translations"].append([MAN, "Man", "Un homme"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert str(refusal(buffer.getvalue())) == f"These keys appear more than once: {MAN}."


def test_a_file_for_another_language_than_asked_is_refused():
    error = refusal(po_bytes(bank_translation("fr")), language="es")
    assert str(error) == "This file holds translations into French (fr), not Spanish (es)."


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_file_in_a_language_the_bank_is_not_translated_into_is_refused(language):
    error = refusal(po_bytes(bank_translation(language)))
    assert str(error) == (
        "The demographic bank is translated into fr, ar, ur, pa, zh-Hans, tl, es, pt, ta; "
        f"there are no texts in “{language}” to correct."
    )


def test_a_survey_translation_file_is_refused():
    survey_file = build_translation_file("parks", {"title": {"en": "Parks"}}, ["title"], "en", "fr")
    assert str(refusal(xlsx_bytes(survey_file))) == (
        "This file is not the demographic bank's: it holds the texts of “parks”."
    )


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", b'msgid "unterminated'])
def test_a_damaged_file_is_refused(data):
    assert str(refusal(data)).startswith("This file could not be read.")


def test_a_refused_import_writes_nothing(bank):
    before = file_bytes(bank)
    data = edit_po(po_bytes(bank_translation("fr")), {MAN: "Un homme", WARD: "Quartier"})
    with pytest.raises(TranslationImportError):
        check_bank_translation(data, read_bank_contents(bank))
    assert file_bytes(bank) == before


def test_every_bank_text_has_a_distinct_key_and_english_placeholders_format():
    texts = bank_texts(read_bank_contents())
    assert len({text.key for text in texts}) == len(texts)
    assert {text.key for text in texts if placeholders(text.texts["en"])} == {
        "age_band.questions.age_band.band_labels.under",
        "age_band.questions.age_band.band_labels.between",
        "age_band.questions.age_band.band_labels.over",
        WARD,
        "household_income.questions.household_income.band_labels.under",
        INCOME_BETWEEN,
        "household_income.questions.household_income.band_labels.over",
    }

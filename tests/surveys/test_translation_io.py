"""Translators' round trip: export a language as XLSX or PO, import it, refuse mismatches."""

import io

import openpyxl
import pytest
from babel.messages.pofile import read_po, write_po

from surveys.translation_io import (
    TranslationImportError,
    build_translation_file,
    check_translation_file,
    read_translation_file,
    write_xlsx,
)
from surveys.translation_io import (
    write_po as write_translation_po,
)

TEXTS = {
    "title": {"en": "Parks and trails", "fr": "Parcs et sentiers"},
    "notice.purpose": {"en": "To plan park repairs."},
    "q.visits.label": {"en": "How often do you visit a park?", "ar": "كم مرة تزور حديقة؟"},
    "q.visits.hint": {"en": ""},
    "c.visits.weekly": {"en": "Every week"},
    "c.visits.never": {"en": "Never"},
    # A text of a question the survey no longer has, in no known order: exported last.
    "q.extra.label": {"en": "Extra"},
}
ORDER = [
    "title",
    "description",
    "notice.purpose",
    "q.visits.label",
    "q.visits.hint",
    "c.visits.weekly",
    "c.visits.never",
]
TRANSLATIONS = {
    "title": "حدائق ومسارات",
    "notice.purpose": "لتخطيط إصلاحات الحدائق.",
    "q.visits.label": "كم مرة تزور حديقة في العادة؟",
    "c.visits.weekly": "كل أسبوع",
    "c.visits.never": "أبداً",
    "q.extra.label": "إضافي",
}


def exported(language: str = "ar", texts=None, survey: str = "parks"):
    """Return the translation file of ``language`` for the sample survey."""
    return build_translation_file(survey, texts or TEXTS, ORDER, "en", language)


def xlsx_bytes(translation) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(translation, buffer)
    return buffer.getvalue()


def po_bytes(translation) -> bytes:
    buffer = io.BytesIO()
    write_translation_po(translation, buffer)
    return buffer.getvalue()


def translate_xlsx(data: bytes, translations: dict[str, str]) -> bytes:
    """Fill the translation column the way a translator would in a spreadsheet program."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["translations"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in translations:
            row[2].value = translations[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def translate_po(data: bytes, translations: dict[str, str]) -> bytes:
    """Fill msgstr the way a PO editor would (read, edit, write back)."""
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.id and message.context in translations:
            message.string = translations[message.context]
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def refusal(uploaded: bytes, expected) -> str:
    with pytest.raises(TranslationImportError) as caught:
        check_translation_file(read_translation_file(uploaded), expected)
    return str(caught.value)


def test_export_lists_every_text_with_a_source_in_reading_order():
    translation = exported()
    assert [entry.key for entry in translation.entries] == [
        "title",
        "notice.purpose",
        "q.visits.label",
        "c.visits.weekly",
        "c.visits.never",
        "q.extra.label",
    ]
    first = translation.entries[0]
    assert (first.source, first.target) == ("Parks and trails", "")
    assert translation.entries[2].target == "كم مرة تزور حديقة؟"


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
def test_a_translated_file_comes_back_as_the_translations(write):
    fill = translate_xlsx if write is xlsx_bytes else translate_po
    expected = exported()
    uploaded = fill(write(expected), TRANSLATIONS)
    assert check_translation_file(read_translation_file(uploaded), expected) == TRANSLATIONS


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
@pytest.mark.parametrize("language", ["oj", "cr", "iu", "zh-Hans", "fr-CA"])
def test_languages_babel_may_not_know_survive_the_file(write, language):
    translation = read_translation_file(write(exported(language)))
    assert translation.language == language
    assert translation.survey == "parks"


def test_empty_translations_leave_existing_texts_alone():
    expected = exported()
    uploaded = translate_xlsx(xlsx_bytes(expected), {"q.visits.label": ""})
    result = check_translation_file(read_translation_file(uploaded), expected)
    # The label already had an Arabic text: the cleared cell does not erase it.
    assert "q.visits.label" not in result
    assert result == {}


def test_fuzzy_po_messages_are_not_imported():
    expected = exported()
    catalog = read_po(io.BytesIO(translate_po(po_bytes(expected), TRANSLATIONS)))
    catalog.get("Never", context="c.visits.never").flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    result = check_translation_file(read_translation_file(buffer.getvalue()), expected)
    assert "c.visits.never" not in result
    assert result["c.visits.weekly"] == "كل أسبوع"


def test_xlsx_names_the_survey_in_a_hidden_sheet_and_reads_arabic_right_to_left():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(exported())))
    metadata = workbook["engage"]
    assert metadata.sheet_state == "hidden"
    values = {row[0]: row[1] for row in metadata.iter_rows(values_only=True)}
    assert (values["survey"], values["language"], values["source_language"]) == (
        "parks",
        "ar",
        "en",
    )
    sheet = workbook["translations"]
    assert [cell.value for cell in sheet[1]] == ["key", "source (en)", "translation (ar)"]
    assert sheet["C2"].alignment.readingOrder == 2
    assert sheet["B2"].alignment.readingOrder == 1


def test_po_uses_key_as_context_and_source_as_msgid():
    catalog = read_po(io.BytesIO(po_bytes(exported())))
    message = catalog.get("How often do you visit a park?", context="q.visits.label")
    assert message.string == "كم مرة تزور حديقة؟"
    assert catalog.project == "Engage survey"
    assert catalog.version == "parks"


def test_moved_columns_in_the_spreadsheet_are_still_read():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(exported())))
    sheet = workbook["translations"]
    sheet.insert_cols(1)
    sheet["A1"] = "translator's notes"
    sheet["A3"] = "check with the parks team"
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = translate_xlsx_shifted(buffer.getvalue(), {"title": "حدائق"})
    assert check_translation_file(read_translation_file(uploaded), exported()) == {
        "title": "حدائق",
        # Pre-filled from the survey, and sent back as it was.
        "q.visits.label": "كم مرة تزور حديقة؟",
    }


def translate_xlsx_shifted(data: bytes, translations: dict[str, str]) -> bytes:
    """Fill the translation column when a notes column was inserted before the key."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["translations"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value in translations:
            row[3].value = translations[row[1].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
def test_a_file_for_another_survey_is_refused(write):
    message = refusal(write(exported(survey="roads")), exported())
    assert message == "This file is for the survey “roads”, not “parks”."


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
def test_a_file_for_another_language_is_refused(write):
    message = refusal(write(exported("fr")), exported("ar"))
    assert message == "This file holds translations into French (fr), not Arabic (ar)."


def test_the_refusal_names_languages_as_every_page_does_for_its_reader():
    with pytest.raises(TranslationImportError) as caught:
        check_translation_file(
            read_translation_file(po_bytes(exported("oj"))), exported("ar"), reader_language="fr"
        )
    assert caught.value.problems[0].params == {
        "file_language": "Anishinaabemowin (oj)",
        "language": "arabe (ar)",
    }


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
def test_unknown_keys_are_refused_and_named(write):
    texts = {**TEXTS, "q.gone.label": {"en": "A question deleted since"}}
    message = refusal(write(exported(texts=texts)), exported())
    assert message == "This survey has no texts with these keys: q.gone.label."


@pytest.mark.parametrize("write", [xlsx_bytes, po_bytes], ids=["xlsx", "po"])
def test_changed_source_texts_are_refused_and_named(write):
    old_texts = {
        **TEXTS,
        "title": {"en": "Parks"},
        "c.visits.never": {"en": "Not at all"},
    }
    fill = translate_xlsx if write is xlsx_bytes else translate_po
    uploaded = fill(write(exported(texts=old_texts)), TRANSLATIONS)
    message = refusal(uploaded, exported())
    assert "The source text changed since the file was exported" in message
    assert "title, c.visits.never." in message


def test_every_problem_is_reported_at_once_and_nothing_is_returned():
    texts = {**TEXTS, "title": {"en": "Parks"}, "q.gone.label": {"en": "Gone"}}
    with pytest.raises(TranslationImportError) as caught:
        check_translation_file(read_translation_file(po_bytes(exported(texts=texts))), exported())
    assert len(caught.value.problems) == 2
    assert caught.value.problems[0].params == {"keys": "q.gone.label"}
    assert caught.value.problems[1].params == {"keys": "title"}


def test_a_long_list_of_keys_is_shortened():
    texts = {f"q.q{number:02}.label": {"en": f"Question {number}"} for number in range(15)}
    message = refusal(po_bytes(exported(texts=texts)), exported())
    assert message.endswith(
        "q.q00.label, q.q01.label, q.q02.label, q.q03.label, q.q04.label, "
        "q.q05.label, q.q06.label, q.q07.label, q.q08.label, q.q09.label (+5)."
    )


def test_a_key_given_twice_is_refused():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(exported())))
    workbook["translations"].append(["title", "Parks and trails", "مكرر"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue(), exported()) == "These keys appear more than once: title."


def test_a_spreadsheet_engage_did_not_write_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(["key", "source", "translation"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "not a translation file exported from Engage" in refusal(buffer.getvalue(), exported())


def test_an_interface_catalog_is_refused():
    catalog_text = (
        b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Sign in"\nmsgstr "Se connecter"\n'
    )
    assert "not a translation file exported from Engage" in refusal(catalog_text, exported())


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 this is not a zip", b"\xff\xfe\x00garbage\x00\x00", b'msgid "unterminated'],
    ids=["broken-zip", "binary", "broken-po"],
)
def test_a_damaged_file_gets_one_clear_refusal(data):
    assert refusal(data, exported()).startswith("This file could not be read.")


def test_spreadsheet_cells_cannot_become_formulas_and_come_back_as_written():
    texts = {
        "title": {"en": '=HYPERLINK("http://evil.example","Parks")', "ar": "+حدائق"},
        "c.visits.weekly": {"en": "-Every week", "ar": "@كل أسبوع"},
    }
    translation = build_translation_file("parks", texts, ORDER, "en", "ar")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(translation)))["translations"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells[1:3]] == [
        '\'=HYPERLINK("http://evil.example","Parks")',
        "'+حدائق",
    ]
    uploaded = translate_xlsx(xlsx_bytes(translation), {"c.visits.weekly": "@كل أسبوع!"})
    assert check_translation_file(read_translation_file(uploaded), translation) == {
        "title": "+حدائق",
        "c.visits.weekly": "@كل أسبوع!",
    }

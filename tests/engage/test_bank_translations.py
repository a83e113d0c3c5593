"""``engage translations bank-export`` and ``bank-import``: the bank's texts for translators."""

import io
import shutil

import openpyxl
import pytest
from babel.messages.pofile import read_po, write_po

from surveys.definition import SurveyDefinition
from surveys.demographics import DEMOGRAPHIC_BANK
from surveys.demographics.bank_files import bank_directory
from surveys.demographics.entries import load_bank
from surveys.store import save_definition

MAN = "gender.questions.gender.choices.man.label"
WARD = "area.questions.area.ward_label"


@pytest.fixture
def bank(tmp_path):
    """A copy of the bank's text files for the commands to rewrite."""
    folder = tmp_path / "bank"
    shutil.copytree(str(bank_directory()), folder)
    return folder


def file_bytes(folder) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def export(runner, bank, path, language="fr"):
    result = runner.invoke(
        args=["translations", "bank-export", "--language", language, str(path)]
        + ["--bank-directory", str(bank)]
    )
    assert result.exit_code == 0, result.output
    return result


def import_file(runner, bank, path, *extra):
    return runner.invoke(
        args=["translations", "bank-import", str(path), "--bank-directory", str(bank), *extra]
    )


def fill_xlsx(path, translations: dict[str, str]) -> None:
    """Change translation cells as a translator would, and save the workbook."""
    workbook = openpyxl.load_workbook(path)
    for row in workbook["translations"].iter_rows(min_row=2):
        if row[0].value in translations:
            row[2].value = translations[row[0].value]
    workbook.save(path)


def fill_po(path, translations: dict[str, str]) -> None:
    """Change msgstr as a PO editor would."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.context in translations:
            message.string = translations[message.context]
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("suffix", ["xlsx", "po"])
def test_an_unchanged_round_trip_leaves_the_bank_files_byte_identical(
    runner, bank, tmp_path, suffix
):
    before = file_bytes(bank)
    path = tmp_path / f"bank-ar.{suffix}"
    result = export(runner, bank, path, "ar")
    assert "Wrote 61 texts of the demographic bank, in English and Arabic (ar)" in result.output
    result = import_file(runner, bank, path)
    assert result.exit_code == 0, result.output
    assert "No text changed" in result.output
    assert file_bytes(bank) == before


def test_a_corrected_french_text_is_what_a_new_survey_from_the_bank_shows(
    runner, bank, tmp_path, client, session, login_as, monkeypatch
):
    before = file_bytes(bank)
    path = tmp_path / "bank-fr.xlsx"
    export(runner, bank, path)
    fill_xlsx(path, {MAN: "Un homme"})
    result = import_file(runner, bank, path)
    assert result.exit_code == 0, result.output
    assert "Corrected 1 fr text(s) in gender.json." in result.output
    after = file_bytes(bank)
    assert [name for name in after if after[name] != before[name]] == ["gender.json"]

    # The app reads the bank's files when it starts; this one starts with the corrected copy.
    monkeypatch.setitem(DEMOGRAPHIC_BANK, "gender", load_bank(bank)["gender"])
    save_definition(
        session,
        SurveyDefinition(
            slug="census", default_language="en", languages=("en", "fr"), title={"en": "Census"}
        ),
    )
    session.commit()
    login_as("staff")
    assert client.post("/manage/census/bank/gender").status_code == 302
    preview = client.get("/manage/census/preview?language=fr").get_data(as_text=True)
    assert "Un homme" in preview
    assert "Homme<" not in preview


def test_a_refused_file_changes_no_bank_file_and_says_why(runner, bank, tmp_path):
    before = file_bytes(bank)
    path = tmp_path / "bank-fr.po"
    export(runner, bank, path)
    fill_po(path, {MAN: "Un homme", WARD: "Quartier", "race.questions.race.label": ""})
    result = import_file(runner, bank, path)
    assert result.exit_code == 1
    assert "These texts are empty: race.questions.race.label." in result.stderr
    assert f"exactly as written: {WARD}." in result.stderr
    assert "bank-fr.po was not imported: 2 problem(s). No bank file was changed." in result.stderr
    assert file_bytes(bank) == before


def test_a_file_for_another_language_than_asked_is_refused(runner, bank, tmp_path):
    path = tmp_path / "bank-fr.po"
    export(runner, bank, path)
    result = import_file(runner, bank, path, "--language", "es")
    assert result.exit_code == 1
    assert "This file holds translations into French (fr), not Spanish (es)." in result.stderr


def test_a_file_that_is_not_a_translation_file_is_refused(runner, bank, tmp_path):
    path = tmp_path / "notes.po"
    path.write_bytes(b'msgid "unterminated')
    result = import_file(runner, bank, path)
    assert result.exit_code == 1
    assert "This file could not be read." in result.stderr


@pytest.mark.parametrize(
    "language, name, message",
    [
        ("de", "bank.po", "the bank is translated into fr, ar, ur, pa, zh-Hans, tl, es, pt, ta"),
        ("en", "bank.po", "the bank is translated into"),
        ("fr", "bank.csv", "the file name must end in .xlsx or .po"),
    ],
)
def test_export_refuses_a_language_or_format_it_cannot_write(
    runner, bank, tmp_path, language, name, message
):
    result = runner.invoke(
        args=["translations", "bank-export", "-l", language, str(tmp_path / name)]
        + ["--bank-directory", str(bank)]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / name).exists()


def test_export_accepts_a_language_tag_in_any_case(runner, bank, tmp_path):
    result = export(runner, bank, tmp_path / "bank.xlsx", "zh_hans")
    assert "(zh-Hans)" in result.output
    sheet = openpyxl.load_workbook(tmp_path / "bank.xlsx")["translations"]
    assert sheet["C1"].value == "translation (zh-Hans)"

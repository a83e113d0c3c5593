"""The builder's files: formula-like text neutralised in downloads; XLSForm uploads limited."""

import io

import openpyxl
import pytest
from sqlmodel import select
from support import make_app

from surveys.definition import (
    LONG_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Survey
from surveys.store import save_definition, to_definition

FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def hostile(session):
    survey = save_definition(
        session,
        SurveyDefinition(
            slug="hostile",
            default_language="en",
            languages=("en", "fr"),
            title={"en": "+Title", "fr": "Titre"},
            questions=(
                QuestionDefinition(name="comments", kind=LONG_TEXT, label={"en": FORMULA}),
                QuestionDefinition(
                    name="pick",
                    kind=SINGLE_CHOICE,
                    label={"en": "Pick"},
                    choices=(ChoiceDefinition("a", {"en": "@SUM(1,2)"}),),
                ),
            ),
        ),
    )
    session.commit()
    return survey


def cells(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_no_formula(data: bytes) -> None:
    found = cells(data)
    assert found
    assert [cell.coordinate for cell in found if cell.data_type == "f"] == []
    assert [cell.value for cell in found if str(cell.value).startswith(("=", "+", "@"))] == []


def test_xlsform_download_writes_no_live_formula(client, login_as, hostile):
    login_as("staff")
    data = client.get("/manage/hostile/xlsform.xlsx").data
    assert_no_formula(data)
    assert "'" + FORMULA in [cell.value for cell in cells(data)]


def test_translation_download_writes_no_live_formula(client, login_as, hostile):
    login_as("staff")
    response = client.get("/manage/hostile/translations/fr.xlsx")
    assert response.status_code == 200
    assert_no_formula(response.data)


def test_an_exported_xlsform_imports_with_its_texts_unchanged(client, login_as, session, hostile):
    login_as("staff")
    data = client.get("/manage/hostile/xlsform.xlsx").data
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(data), "hostile.xlsx"), "xlsform-slug": "copy"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    copy = session.exec(select(Survey).where(Survey.slug == "copy")).one()
    definition = to_definition(session, copy)
    assert definition.questions[0].label["en"] == FORMULA
    assert definition.questions[1].choices[0].label["en"] == "@SUM(1,2)"
    assert definition.title["en"] == "+Title"


def xlsform(questions: int, extra_sheets: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for number in range(questions):
        sheet.append(["text", f"q{number}", f"Question {number}"])
    for number in range(extra_sheets):
        workbook.create_sheet(f"extra{number}").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def limited(database_url, tmp_path):
    app = make_app(
        database_url,
        tmp_path / "instance",
        XLSFORM_MAX_BYTES=200 * 1024,
        XLSFORM_MAX_SHEETS=3,
        XLSFORM_MAX_ROWS=60,
        XLSFORM_MAX_QUESTIONS=40,
    )
    from sqlmodel import Session
    from support import login

    from engage.auth import create_user

    with Session(app.extensions["engage.engine"]) as session:
        create_user(session, "staff@example.ca", "staff", "correct horse battery")
    client = app.test_client()
    login(client, "staff@example.ca")
    yield app, client
    app.extensions["engage.engine"].dispose()


def upload(client, data: bytes, slug: str):
    return client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(data), "form.xlsx"), "xlsform-slug": slug},
        content_type="multipart/form-data",
    )


def surveys(app) -> list[str]:
    from sqlmodel import Session

    with Session(app.extensions["engage.engine"]) as session:
        return [survey.slug for survey in session.exec(select(Survey))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (xlsform(41), "The form has 41 questions; at most 40 are accepted."),
        (xlsform(80), "The sheet “survey” has more than 60 rows; it is not accepted."),
        (xlsform(3, extra_sheets=3), "The file has 4 sheets; at most 3 are accepted."),
        (xlsform(3) + b"\0" * 300 * 1024, "at most 200 KB is accepted."),
    ],
)
def test_an_xlsform_beyond_the_limits_is_refused_clearly(limited, data, message):
    app, client = limited
    response = upload(client, data, "too-big")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert surveys(app) == []


def test_an_xlsform_within_the_limits_is_imported(limited):
    app, client = limited
    assert upload(client, xlsform(40), "fits").status_code == 200
    assert surveys(app) == ["fits"]


def test_the_default_limits_refuse_20000_questions(client, login_as, session):
    login_as("staff")
    response = upload(client, xlsform(20000), "huge")
    assert response.status_code == 400
    assert "rows; it is not accepted" in response.get_data(as_text=True)
    assert session.exec(select(Survey)).all() == []

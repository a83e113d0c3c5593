"""Downloads: responses with provenance, report tables, the one-file report and open data."""

import csv
import io
import json
import zipfile

import pytest
from dashboard_support import (
    CONTACT,
    FORMULA_COMMENT,
    NO_QUOTE_TEXT,
    PAPER_ID,
    QUOTABLE_TEXT,
    SLUG,
    SMALL_GROUP_COMMENT,
    SPEAKER,
    build_survey,
)
from openpyxl import load_workbook

from engage.exports import responses, spreadsheets
from surveys.formula_guard import neutralise

FORMULA_STARTS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def survey(session, users):
    # These tests read how withheld figures look: the counts policy withholds the
    # small group (tests/engage/test_disclosure_outputs.py covers the default).
    return build_survey(session, users, settings={"disclosure_policy": "counts"})


@pytest.fixture
def staff(login_as):
    return login_as("staff")


def download(client, what: str, extension: str, query: str = ""):
    reply = client.get(f"/reports/{SLUG}/download/{what}.{extension}{query}")
    assert reply.status_code == 200, reply.get_data(as_text=True)[:500]
    assert reply.headers["Content-Disposition"].startswith("attachment;")
    return reply


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", FORMULA_STARTS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert spreadsheets.csv_cell(text) == "'" + text
    assert spreadsheets.xlsx_cell(text) == "'" + text


def test_numbers_and_ordinary_text_are_left_alone():
    assert spreadsheets.neutralise(-5) == -5
    assert spreadsheets.neutralise(0.25) == 0.25
    assert spreadsheets.neutralise("Bus 5 is late - again") == "Bus 5 is late - again"


def test_every_formula_start_is_neutralised_in_a_written_csv_and_workbook():
    text = spreadsheets.csv_text(["value"], [[value] for value in FORMULA_STARTS])
    cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert cells == ["'" + value for value in FORMULA_STARTS]
    sheet = spreadsheets.Sheet("s", ["value"], [[value] for value in FORMULA_STARTS])
    workbook = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes([sheet])))
    values = [row[0] for row in workbook["s"].iter_rows(min_row=2, values_only=True)]
    # XML reads a carriage return back as a line feed; what matters is the apostrophe first.
    assert values == ["'" + value.replace("\r", "\n") for value in FORMULA_STARTS]
    assert all(cell.data_type == "s" for cell in workbook["s"]["A"])


def test_responses_csv_has_provenance_and_never_contact_details(client, staff, survey):
    reply = download(client, "responses", "csv")
    text = reply.data.decode("utf-8-sig")
    rows = read_csv(reply.data)

    assert len(rows) == 75
    assert list(rows[0])[:12] == list(responses.PROVENANCE_COLUMNS)
    paper = next(row for row in rows if row["paper_id"] == PAPER_ID)
    assert paper["channel"] == "paper"
    assert paper["entered_by"] == "Broker"
    assert paper["verified"] == "true" and paper["status"] == "verified"
    assert paper["collected_at_utc"] == "2025-06-01T10:00:00Z"
    assert paper["place"] == "Malton Community Centre"
    web = next(row for row in rows if row["channel"] == "web")
    assert web["entered_by"] == "" and web["verified"] == "false"
    assert "jane.doe" not in text and "416-555-0199" not in text
    assert CONTACT not in text


def test_responses_csv_neutralises_a_formula_comment(client, staff, survey):
    rows = read_csv(download(client, "responses", "csv").data)
    assert "'" + FORMULA_COMMENT in [row["why"] for row in rows]
    assert FORMULA_COMMENT not in [row["why"] for row in rows]


def test_responses_csv_follows_the_filters(client, staff, survey):
    rows = read_csv(download(client, "responses", "csv", "?channel=paper").data)
    assert [row["paper_id"] for row in rows] == [PAPER_ID]
    rows = read_csv(download(client, "responses", "csv", "?start=2025-06-03").data)
    assert len(rows) == 12


def test_responses_workbook_has_provenance_quotable_feedback_and_questions(client, staff, survey):
    workbook = load_workbook(io.BytesIO(download(client, "responses", "xlsx").data))

    assert workbook.sheetnames == ["responses", "group_feedback", "questions"]
    sheet = workbook["responses"]
    header = [cell.value for cell in sheet[1]]
    assert header[:12] == list(responses.PROVENANCE_COLUMNS)
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + FORMULA_COMMENT in values and FORMULA_COMMENT not in values
    assert not any(isinstance(v, str) and ("jane.doe" in v or "555-0199" in v) for v in values)
    feedback = [cell.value for row in workbook["group_feedback"].iter_rows() for cell in row]
    assert QUOTABLE_TEXT in feedback and SPEAKER in feedback
    assert NO_QUOTE_TEXT not in feedback
    questions = [cell.value for row in workbook["questions"].iter_rows() for cell in row]
    assert "Safe" in questions


def report_rows(client, query: str = "") -> list[dict]:
    return read_csv(download(client, "report", "csv", query).data)


def test_report_csv_shows_a_small_group_as_suppressed(client, staff, survey):
    rows = report_rows(client)
    senior = next(
        row for row in rows if row["table"] == "representation" and row["group"] == "senior"
    )
    assert senior["suppressed"] == "true" and senior["n"] == "" and senior["share"] == ""
    young = next(
        row for row in rows if row["table"] == "representation" and row["group"] == "young"
    )
    assert young["n"] == "42"


def test_report_workbook_holds_the_same_suppressed_figures(client, staff, survey):
    workbook = load_workbook(io.BytesIO(download(client, "report", "xlsx").data))
    sheet = workbook["representation"]
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    senior = next(row for row in rows if row["group"] == "senior")
    assert senior["suppressed"] is True and senior["n"] is None
    assert next(row for row in rows if row["group"] == "young")["n"] == 42


def test_report_downloads_quote_only_what_consent_allows(client, staff, session, survey):
    text = download(client, "report", "csv").data.decode("utf-8-sig")
    assert NO_QUOTE_TEXT not in text
    assert "Great buses." not in text  # the survey's quoting rule is "none"
    assert QUOTABLE_TEXT in text
    workbook = download(client, "report", "xlsx").data
    values = [
        cell.value
        for sheet in load_workbook(io.BytesIO(workbook)).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert NO_QUOTE_TEXT not in values and QUOTABLE_TEXT in values


def test_report_json_matches_the_filters_in_the_address(client, staff, survey):
    document = json.loads(download(client, "report", "json", "?channel=web").data)
    assert document["settings"]["filters"]["channels"] == ["web"]
    assert document["totals"]["respondents"] == 74


def test_one_file_report_opens_offline_and_keeps_privacy_rules(client, staff, survey):
    html = download(client, "report", "html").data.decode("utf-8")

    # Charts are drawn as inline SVG: no script at all, nothing loaded from anywhere.
    assert "<script" not in html and "plotly" not in html.lower()
    assert ' src="' not in html and "<link" not in html and "http" not in html
    assert "@media print" in html
    assert "suppressed" in html and "minimum cell size: 10" in html
    assert NO_QUOTE_TEXT not in html and QUOTABLE_TEXT in html
    assert CONTACT not in html and SMALL_GROUP_COMMENT not in html
    assert html.count('<svg class="chart-svg" role="img"') >= 5


def open_data(client) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(download(client, "open-data", "zip").data))
    return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_open_data_has_suppressed_tables_and_a_dictionary_but_no_people(client, staff, survey):
    files = open_data(client)

    assert {
        "representation.csv",
        "answers.csv",
        "outcomes.csv",
        "sentiment.csv",
        "group_sessions.csv",
        "data_dictionary.csv",
        "data_dictionary.json",
        "metadata.json",
    } <= set(files)
    assert "comments.csv" not in files
    everything = b"".join(files.values()).decode("utf-8")
    for private in (CONTACT, PAPER_ID, "Malton", "Broker", NO_QUOTE_TEXT, QUOTABLE_TEXT, SPEAKER):
        assert private not in everything
    assert "Great buses." not in everything and "terrible" not in everything
    senior = next(row for row in read_csv(files["representation.csv"]) if row["group"] == "senior")
    assert senior["respondents"] == "" and senior["suppressed"] == "true"


def test_open_data_dictionary_has_every_language_codes_and_channels(client, staff, survey):
    files = open_data(client)
    dictionary = json.loads(files["data_dictionary.json"])
    safe = next(q for q in dictionary["questions"] if q["name"] == "safe")
    assert safe["number"] == 3 and safe["kind"] == "likert"
    assert [choice["code"] for choice in safe["choices"]][:5] == ["1", "2", "3", "4", "5"]
    assert {channel["name"] for channel in dictionary["channels"]} == {
        "web",
        "paper",
        "phone",
        "in_person",
        "group",
    }
    assert dictionary["survey"]["title"] == {
        "en": "Transit survey",
        "fr": "Sondage sur le transport",
    }
    assert dictionary["min_cell"] == 10
    rows = read_csv(files["data_dictionary.csv"])
    assert {"en"} <= {row["language"] for row in rows if row["question"] == "age"}


def test_open_data_publishes_comments_only_when_the_survey_says_so(client, staff, session, survey):
    survey.settings = {"open_data_comments": True, "quote_comments": True}
    session.add(survey)
    session.commit()
    files = open_data(client)

    comments = read_csv(files["comments.csv"])
    texts = [row["text"] for row in comments]
    assert "Great buses." in texts and QUOTABLE_TEXT in texts
    assert "'" + FORMULA_COMMENT in texts
    assert NO_QUOTE_TEXT not in texts
    assert not any(SPEAKER in value for row in comments for value in row.values())
    assert set(comments[0]) == {"source", "question", "language", "sentiment", "text"}


def test_open_data_needs_the_quoting_rule_too(client, staff, session, survey):
    survey.settings = {"open_data_comments": True}
    session.add(survey)
    session.commit()
    texts = [row["text"] for row in read_csv(open_data(client)["comments.csv"])]
    assert texts == [QUOTABLE_TEXT]  # no resident consented to quoting; the group session did


def test_export_command_writes_open_data_and_removes_comments_no_longer_published(
    runner, session, survey, tmp_path
):
    target = tmp_path / "open"
    survey.settings = {"open_data_comments": True, "quote_comments": True}
    session.add(survey)
    session.commit()
    result = runner.invoke(args=["export", SLUG, "--open-data", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "comments.csv").exists()

    survey.settings = {}
    session.add(survey)
    session.commit()
    result = runner.invoke(args=["export", SLUG, "--open-data", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert not (target / "comments.csv").exists()
    assert (target / "data_dictionary.json").exists()
    assert not list(tmp_path.glob(".engage-*"))


def test_export_command_writes_responses_tables_and_html(runner, survey, tmp_path):
    for flag, name in (
        ("--responses", "responses.xlsx"),
        ("--responses", "responses.csv"),
        ("--tables", "tables.xlsx"),
        ("--tables", "tables.csv"),
        ("--html", "report.html"),
    ):
        result = runner.invoke(args=["export", SLUG, flag, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0
    text = (tmp_path / "responses.csv").read_text(encoding="utf-8-sig")
    assert PAPER_ID in text and CONTACT not in text


def test_export_command_refuses_unclear_requests(runner, survey, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    result = runner.invoke(args=["export", SLUG])
    assert result.exit_code != 0 and "Choose one of" in result.output
    result = runner.invoke(args=["export", SLUG, "--responses", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and ".csv or .xlsx" in result.output
    result = runner.invoke(
        args=["export", "no-such-survey", "--open-data", "-o", str(tmp_path / "open")]
    )
    assert result.exit_code != 0 and "no-such-survey" in result.output
    assert not list(tmp_path.iterdir())

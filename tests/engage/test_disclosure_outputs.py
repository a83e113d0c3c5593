"""Every output prints its disclosure policy; the default shows small groups' counts."""

import csv
import io
import json
import re
import zipfile
from html import unescape

from dashboard_support import SLUG, build_survey

DASHBOARD = f"/reports/{SLUG}/"


def words_of(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:1000]
    html = reply.get_data(as_text=True)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def open_data(client) -> dict[str, bytes]:
    reply = client.get(f"/reports/{SLUG}/download/open-data.zip")
    assert reply.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(reply.data))
    return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_dashboard_states_the_survey_estimates_policy_and_shows_a_small_group_s_count(
    client, login_as, session, users
):
    build_survey(session, users)
    login_as("staff")

    words = words_of(client, DASHBOARD)

    assert "How small numbers are protected: Survey estimates (minimum cell size: 10)" in words
    assert "when at least 10 respondents in the group answered" in words
    assert "Group-session tallies follow the counts rule" in words
    # Three seniors answered: their count is shown; their answers' rate is not.
    assert re.search(r"Senior 3 ", words)


def test_open_data_describes_the_policy_and_flags_low_reliability(client, login_as, session, users):
    build_survey(session, users)
    login_as("staff")

    files = open_data(client)

    metadata = json.loads(files["metadata.json"])
    assert metadata["disclosure"]["policy"] == "survey_estimates"
    assert metadata["disclosure"]["random_rounding"] is False
    assert any("10 respondents" in text for text in metadata["disclosure"]["statements"])
    dictionary = json.loads(files["data_dictionary.json"])
    assert dictionary["disclosure"] == metadata["disclosure"]
    assert "low_reliability" in dictionary["codes"]
    outcomes = read_csv(files["outcomes.csv"])
    assert {row["low_reliability"] for row in outcomes} <= {"true", "false"}
    senior = next(row for row in read_csv(files["representation.csv"]) if row["group"] == "senior")
    assert senior["respondents"] == "3" and senior["suppressed"] == "false"


def test_random_rounding_is_applied_to_open_data_counts_and_disclosed(
    client, login_as, session, users
):
    build_survey(session, users, settings={"random_rounding": True})
    login_as("staff")

    first, second = open_data(client), open_data(client)

    representation = read_csv(first["representation.csv"])
    counts = [int(row["respondents"]) for row in representation if row["respondents"]]
    assert counts and all(count % 5 == 0 for count in counts)
    assert first["representation.csv"] == second["representation.csv"]
    metadata = json.loads(first["metadata.json"])
    assert metadata["disclosure"]["random_rounding"] is True
    assert metadata["disclosure"]["rounding_base"] == 5
    assert any("rounded on their own" in text for text in metadata["disclosure"]["statements"])


def test_report_csv_carries_the_disclosure_statement(client, login_as, session, users):
    build_survey(session, users, settings={"disclosure_policy": "counts"})
    login_as("staff")

    reply = client.get(f"/reports/{SLUG}/download/report.csv")
    rows = read_csv(reply.data)

    disclosure = [row for row in rows if row["table"] == "disclosure"]
    assert {"label": "policy", "value": '"counts"'}.items() <= disclosure[0].items()
    assert any("Any count from 1 to 9" in row["text"] for row in disclosure)


def test_one_file_report_prints_the_policy_and_its_reasons(client, login_as, session, users):
    build_survey(session, users)
    login_as("staff")

    reply = client.get(f"/reports/{SLUG}/download/report.html")
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", reply.get_data(as_text=True))))

    assert "How small numbers are protected: Survey estimates (minimum cell size: 10)" in words
    assert "Zeros are shown: a zero describes nobody." in words


def test_an_unknown_stored_policy_reports_under_the_default_rather_than_failing(
    client, login_as, session, users
):
    survey = build_survey(session, users)
    survey.settings = {**(survey.settings or {}), "disclosure_policy": "no-such-policy"}
    session.add(survey)
    session.commit()
    login_as("staff")

    words = words_of(client, DASHBOARD)

    assert "How small numbers are protected: Survey estimates (minimum cell size: 10)" in words

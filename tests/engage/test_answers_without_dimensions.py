"""A survey with no equity dimension still shows how everyone answered each closed question.

A quick "rate the new bus route" survey (or an XLSForm imported without the
demographic bank) has nothing to break answers down by: the dashboard, the one-file
report, open data and the residents' results page show every closed question's
answers over all respondents, under the survey's disclosure policy.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile

import pytest
from report_support import add_many, choice_question, comment, make_survey, rating

SLUG = "bus-route"


@pytest.fixture
def survey(session):
    """Sixteen respondents: one single-choice, one select-all and one rating question."""
    survey = make_survey(
        session,
        [
            choice_question("route", ["better", "same", "worse"]),
            choice_question("uses", ["work", "school", "shopping"], multiple=True),
            rating("stars"),
            comment("why"),
        ],
        slug=SLUG,
    )
    add_many(
        session,
        survey,
        [
            ({"route": "better", "uses": ["work", "school"], "stars": "5"}, 8),
            ({"route": "worse", "uses": ["shopping"], "stars": "2"}, 6),
            ({"route": "same", "uses": ["work"], "stars": "3"}, 2),
        ],
    )
    return survey


def settle(session, survey, **settings) -> None:
    """Change the survey's settings directly (the forms are tested elsewhere)."""
    session.refresh(survey)
    survey.settings = {**(survey.settings or {}), **settings}
    session.add(survey)
    session.commit()


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def answers_csv(client) -> list[dict]:
    reply = client.get(f"/reports/{SLUG}/download/open-data.zip")
    assert reply.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(reply.data))
    [name] = [name for name in archive.namelist() if name.endswith("/answers.csv")]
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_dashboard_shows_every_closed_question_answered_by_all_respondents(
    client, login_as, survey
):
    login_as("staff")
    page = client.get(f"/reports/{SLUG}/")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert (
        "All respondents: Route Answer Responses Share Better 8 50.0% Same 2 12.5% Worse 6 37.5%"
        in text
    )
    assert "16 people answered. The most chosen answer was “Better” (50.0%)." in text
    # Select all that apply: shares of the 16 who answered add up to more than 100%.
    assert "All respondents: Uses Answer Responses Share Work 10 62.5% School 8 50.0%" in text
    assert "People could choose more than one answer." in text
    # A rating: every point of its scale, its favourable rate (the top two points) and mean.
    assert "All respondents: Stars Answer Responses Share 1 0 0.0% 2 6 37.5%" in text
    assert "Favourable rate: 50.0% (95% interval 28.0% – 72.0%)." in text
    assert "Mean: 3.62." in text


def test_the_one_file_report_has_the_all_respondents_tables(client, login_as, survey):
    login_as("staff")
    reply = client.get(f"/reports/{SLUG}/download/report.html")
    assert reply.status_code == 200
    text = text_of(reply.data.decode("utf-8"))
    for question in ("Route", "Uses", "Stars"):
        assert f"All respondents: {question}" in text
    assert "All respondents: Route Answer Responses Share Better 8 50.0% Same 2 12.5%" in text
    assert "Mean: 3.62." in text


def test_open_data_answers_has_every_choice_of_every_closed_question(client, login_as, survey):
    login_as("staff")
    rows = answers_csv(client)
    found = {(row["question"], row["choice"]): row for row in rows}
    assert {question for question, _ in found} == {"route", "uses", "stars"}
    assert found[("route", "better")]["respondents"] == "8"
    assert found[("route", "better")]["share"] == "0.5"
    assert found[("uses", "work")]["respondents"] == "10"
    assert found[("uses", "work")]["share"] == "0.625"
    assert found[("stars", "5")]["respondents"] == "8"
    assert found[("route", "no_answer")]["respondents"] == "0"
    assert all(row["suppressed"] == "false" for row in rows)
    route = next(row for row in rows if row["question"] == "route")
    assert route["answered"] == "16" and route["favourable_rate"] == ""
    stars = next(row for row in rows if row["question"] == "stars")
    assert stars["favourable_rate"] == "0.5" and float(stars["mean"]) == pytest.approx(3.625)


def test_the_residents_results_page_shows_the_chosen_questions(client, session, survey):
    settle(session, survey, results_published=True, results_questions=["route", "stars"])
    reply = client.get(f"/s/{SLUG}/results?lang=en")
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert 'id="chart-answers-route-title"' in page and 'id="chart-answers-stars-title"' in page
    assert "chart-answers-uses" not in page
    text = text_of(page)
    assert "16 people answered. The most chosen answer was “Better” (50.0%)." in text


def test_a_small_cell_of_the_all_respondents_table_is_suppressed_under_the_counts_policy(
    client, login_as, session, survey
):
    settle(session, survey, disclosure_policy="counts", min_cell=5)
    login_as("staff")
    found = {(row["question"], row["choice"]): row for row in answers_csv(client)}
    # Two said "same": below five, withheld; and one more cell with it, so that the
    # sixteen respondents do not give it back by subtraction.
    same = found[("route", "same")]
    assert same["respondents"] == "" and same["suppressed"] == "true"
    withheld = [
        choice
        for (question, choice), row in found.items()
        if question == "route" and row["suppressed"] == "true"
    ]
    assert len(withheld) >= 2
    assert found[("route", "better")]["share"] == ""  # shares need every answer shown
    text = text_of(client.get(f"/reports/{SLUG}/").get_data(as_text=True))
    assert re.search(
        r"All respondents: Route Answer Responses Share Better 8 Same suppressed", text
    )
    assert "Same 2" not in text

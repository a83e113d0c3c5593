"""The dashboard as readers of each language see it: axes, numbers, dates, area names, notices."""

import json
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from report_support import add_responses, make_survey

from surveys.definition import ChoiceDefinition, QuestionDefinition
from surveys.demographics import area_question

SLUG = "one-day-2025"
DASHBOARD = f"/reports/{SLUG}/"
NBSP = "\xa0"
NARROW_NBSP = "\u202f"


@pytest.fixture
def survey(session, users):
    """A yes/no question by area, every response collected on 2 June 2025."""
    satisfied = QuestionDefinition(
        name="satisfied",
        kind="single_choice",
        label={"en": "Are you satisfied with transit in your area?"},
        choices=(
            ChoiceDefinition("yes", {"en": "Yes", "fr": "Oui"}),
            ChoiceDefinition("no", {"en": "No", "fr": "Non"}),
        ),
        settings={"favourable_choices": ["yes"]},
    )
    survey = make_survey(session, [satisfied, area_question(["Brampton", "Caledon"])], slug=SLUG)
    day = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)
    for area, answer, count in (
        ("area_1", "yes", 30),
        ("area_1", "no", 10),
        ("area_2", "yes", 12),
        ("area_2", "no", 20),
    ):
        add_responses(session, survey, {"satisfied": answer, "area": area}, count, collected_at=day)
    return survey


def page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:2000]
    return reply.get_data(as_text=True)


def specs(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script type="application/json" id="([^"]+)-spec">(.*?)</script>', html, re.S
    )
    return {name: json.loads(body) for name, body in blocks}


def words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_time_axis_of_a_one_day_survey_shows_that_day_not_hours(client, login_as, survey):
    login_as("staff")

    layout = specs(page(client, DASHBOARD))["chart-over-time"]["layout"]

    assert layout["xaxis"]["tickvals"] == ["2025-06-02"]
    assert layout["xaxis"]["ticktext"] == ["Jun 2"]
    assert layout["xaxis"]["range"] == ["2025-06-01 12:00:00", "2025-06-02 12:00:00"]


def test_count_axes_step_by_whole_numbers(client, login_as, survey):
    login_as("staff")

    found = specs(page(client, DASHBOARD))

    count_axes = [
        axis
        for spec in found.values()
        for name in ("xaxis", "yaxis")
        if "dtick" in (axis := spec["layout"].get(name, {}))
    ]
    assert {"chart-over-time", "chart-by-channel"} <= set(found)
    assert len(count_axes) >= 3
    for axis in count_axes:
        assert isinstance(axis["dtick"], int) and axis["dtick"] >= 1
        assert axis["tickformat"] == ",d"


def test_french_charts_write_dates_percentages_and_numbers_the_french_way(client, login_as, survey):
    login_as("staff")

    html = page(client, DASHBOARD + "?lang=fr&question=satisfied&dimension=area")
    found = specs(html)

    assert found["chart-over-time"]["layout"]["xaxis"]["ticktext"] == ["2 juin"]
    rates = found["chart-outcome-satisfied-area"]
    assert rates["layout"]["separators"] == "," + NARROW_NBSP
    assert f"20{NBSP}%" in rates["layout"]["xaxis"]["ticktext"]
    assert f"75,0{NBSP}%" in rates["data"][0]["text"]  # Brampton: 30 of 40
    assert "2 juin 2025" in words(html)


def test_the_yes_no_question_gets_a_rate_per_group_and_a_test(client, login_as, survey):
    login_as("staff")

    shown = words(page(client, DASHBOARD + "?question=satisfied&dimension=area"))

    # Group, answered, rate, interval, disparity index, difference (a flag may follow the rate).
    assert re.search(r"Brampton \(reference\) 40 75\.0%.{0,40}? 1\.00 \+0\.0 points", shown)
    assert re.search(r"Caledon 32 37\.5%.{0,40}? 0\.50 -37\.5 points", shown)
    assert "Pearson's chi-square test finds the groups' answers differ" in shown
    assert "Adjusted p-value" in shown and "Benjamini-Hochberg" in shown


def test_the_area_filter_names_the_areas_in_the_readers_language(client, login_as, survey):
    login_as("staff")

    html = page(client, DASHBOARD)
    area = html[html.index('id="area"') : html.index("</fieldset>", html.index('id="area"'))]

    assert re.findall(r'value="([^"]+)"', area) == ["area_1", "area_2"]
    assert ">Brampton</label>" in area and ">Caledon</label>" in area


def test_no_notice_unless_the_reader_asked_for_something_the_report_lacks(client, login_as, survey):
    login_as("staff")

    assert 'class="flash"' not in page(client, DASHBOARD)
    assert 'class="flash"' not in page(client, DASHBOARD + "?start=2099-01-01")
    shown = words(page(client, DASHBOARD + "?dimension=area&by=area"))
    assert "Choose two different dimensions to cross." in shown

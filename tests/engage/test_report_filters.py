"""Every filter answers: the dashboard and each download, for filters that empty each section.

Runs on SQLite, and on PostgreSQL when ``ENGAGE_TEST_DATABASE_URL`` is set (the ``app``
fixture), like the rest of the suite.
"""

import io
import json
import re
import zipfile
from html import unescape

import pytest
from report_support import add_responses, choice_question, comment, likert, make_survey

from surveys.definition import ChoiceDefinition, QuestionDefinition
from surveys.models import CHANNELS

SLUG = "filters-2025"
NEW = "brand-new-2025"
DOWNLOADS = (
    "responses.csv",
    "responses.xlsx",
    "report.csv",
    "report.xlsx",
    "report.json",
    "report.html",
    "open-data.zip",
)
# Each empties some sections: a channel nobody used, days to come, a language of the
# survey nobody answered in, an area of the survey nobody lives in.
FILTERS = {
    "none": "",
    **{f"channel-{channel}": f"channel={channel}" for channel in CHANNELS},
    "future-start": "start=2099-01-01",
    "language-without-responses": "language=ar",
    "area-without-responses": "area=east",
    "several": "channel=web&channel=paper&language=fr&area=north",
}


def satisfied() -> QuestionDefinition:
    """Return a yes/no question whose "yes" is favourable (the builder's setting)."""
    return QuestionDefinition(
        name="satisfied",
        kind="single_choice",
        label={"en": "Are you satisfied with transit in your area?"},
        choices=(ChoiceDefinition("yes", {"en": "Yes"}), ChoiceDefinition("no", {"en": "No"})),
        allow_prefer_not=True,
        settings={"favourable_choices": ["yes"]},
    )


@pytest.fixture
def surveys(session, users):
    """A survey with every section, and a brand-new one without responses or dimensions."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("area", ["north", "south", "east"], dimension="area"),
            satisfied(),
            likert("safe"),
            choice_question("modes", ["bus", "train"], multiple=True),
            comment("why"),
        ],
        slug=SLUG,
    )
    survey.languages = ["en", "fr", "ar"]
    session.commit()
    for age, area, answer, channel, language, count in (
        ("young", "north", "yes", "web", "en", 14),
        ("old", "south", "no", "web", "en", 12),
        ("young", "south", "yes", "paper", "fr", 11),
        ("old", "north", "no", "web", "fr", 13),
    ):
        add_responses(
            session,
            survey,
            {
                "age": age,
                "area": area,
                "satisfied": answer,
                "safe": "agree",
                "modes": ["bus"],
                "why": "Buses are late.",
            },
            count,
            channel=channel,
            language=language,
        )
    make_survey(session, [choice_question("liked", ["yes", "no"])], slug=NEW)
    return survey


def words(reply) -> str:
    html = reply.get_data(as_text=True)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def check_download(reply, name: str) -> None:
    """Assert a download arrived whole, as the file it says it is."""
    assert reply.status_code == 200, (name, reply.status_code)
    assert "attachment" in reply.headers["Content-Disposition"]
    body = reply.data
    if name.endswith(".json"):
        assert "outcomes" in json.loads(body)
    elif name.endswith(".csv"):
        assert body.decode("utf-8-sig").splitlines()[0]
    elif name.endswith((".xlsx", ".zip")):
        assert zipfile.ZipFile(io.BytesIO(body)).namelist()
    else:
        assert b"</html>" in body


@pytest.mark.parametrize("query", FILTERS.values(), ids=FILTERS.keys())
def test_dashboard_and_every_download_answer_for_each_filter(client, login_as, surveys, query):
    login_as("staff")

    reply = client.get(f"/reports/{SLUG}/?{query}")

    assert reply.status_code == 200, words(reply)[:2000]
    shown = words(reply)
    assert "not part of this report" not in shown
    assert "Choose two different dimensions" not in shown
    for name in DOWNLOADS:
        check_download(client.get(f"/reports/{SLUG}/download/{name}?{query}"), name)


def test_a_filter_nobody_matches_says_so_and_tests_nothing(client, login_as, surveys):
    login_as("staff")

    shown = words(client.get(f"/reports/{SLUG}/?start=2099-01-01"))
    report = client.get(f"/reports/{SLUG}/download/report.json?start=2099-01-01").get_json()

    assert "0 respondents" in shown
    assert report["totals"]["respondents"] == 0
    assert {table["test"]["reason"] for table in report["outcomes"]} <= {
        "no_answers",
        "multi_select_question",
        "multi_select_dimension",
    }
    assert "Differs: No" not in shown and "Not tested: nobody in any group answered." in shown


def test_a_view_the_filter_leaves_nothing_to_show_for_is_dropped_without_a_notice(
    client, login_as, surveys
):
    login_as("staff")

    shown = words(client.get(f"/reports/{SLUG}/?start=2099-01-01&comments_question=why"))

    assert "not part of this report" not in shown
    assert "not part of this report" in words(client.get(f"/reports/{SLUG}/?question=nonsense"))


def test_a_last_day_before_the_first_is_explained_not_an_error(client, login_as, surveys):
    login_as("staff")
    query = "start=2025-06-05&end=2025-06-01"

    reply = client.get(f"/reports/{SLUG}/?{query}")
    assert reply.status_code == 400
    assert "The last day comes before the first." in words(reply)
    for name in DOWNLOADS[:-1]:  # open data is the whole survey, whatever the filters
        reply = client.get(f"/reports/{SLUG}/download/{name}?{query}")
        assert reply.status_code == 302, name
        assert "The last day comes before the first." in words(client.get(reply.location))


def test_a_brand_new_survey_without_responses_or_dimensions_answers(client, login_as, surveys):
    login_as("staff")

    reply = client.get(f"/reports/{NEW}/")

    assert reply.status_code == 200
    shown = words(reply)
    assert "0 respondents" in shown
    assert "There are no groups to compare yet" in shown
    assert "Choose two different dimensions" not in shown
    assert 'class="flash"' not in reply.get_data(as_text=True)
    assert 'id="view-question"' not in reply.get_data(as_text=True)  # no empty choice
    for name in DOWNLOADS:
        check_download(client.get(f"/reports/{NEW}/download/{name}"), name)

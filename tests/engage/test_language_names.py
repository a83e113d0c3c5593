"""One name per language: the builder, the dashboard's filters and data entry agree."""

import re
from html import unescape

import pytest

from surveys.definition import SINGLE_CHOICE, ChoiceDefinition, QuestionDefinition, SurveyDefinition
from surveys.store import save_definition

SLUG = "pools"
LANGUAGES = ("en", "fr", "oj", "ar")


@pytest.fixture
def survey(session):
    survey = save_definition(
        session,
        SurveyDefinition(
            slug=SLUG,
            default_language="en",
            languages=LANGUAGES,
            title={"en": "Pools", "fr": "Piscines"},
            questions=(
                QuestionDefinition(
                    name="swim",
                    kind=SINGLE_CHOICE,
                    label={"en": "Do you swim?"},
                    choices=(ChoiceDefinition("yes", {"en": "Yes"}), ChoiceDefinition("no")),
                ),
            ),
        ),
        status="open",
    )
    session.commit()
    return survey


def page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, reply.get_data(as_text=True)[:2000]
    return unescape(reply.get_data(as_text=True))


def language_filter(html: str) -> dict[str, str]:
    """Return the dashboard's language filter as tag -> the name beside its box."""
    fieldset = re.search(r'<fieldset[^>]*id="language".*?</fieldset>', html, re.S).group(0)
    boxes = re.findall(r'value="([^"]+)" id="([^"]+)"', fieldset)
    return {
        tag: re.search(rf'<label for="{box}">([^<]*)</label>', fieldset).group(1)
        for tag, box in boxes
    }


@pytest.mark.parametrize(
    "reader, names",
    [
        ("en", {"oj": "Anishinaabemowin", "ar": "Arabic", "fr": "French"}),
        ("fr", {"oj": "Anishinaabemowin", "ar": "arabe", "fr": "français"}),
    ],
)
def test_the_builder_the_dashboard_filter_and_data_entry_name_a_language_alike(
    client, login_as, survey, reader, names
):
    login_as("staff")
    client.get(f"/manage/?lang={reader}")
    dashboard = language_filter(page(client, f"/reports/{SLUG}/"))
    builder = page(client, f"/manage/{SLUG}/")
    intake = page(client, "/intake/")
    for tag, name in names.items():
        assert dashboard[tag] == name
        assert f"{name} ({tag})" in builder
        assert f'hreflang="{tag}">{name}</a>' in intake
    # Babel calls oj "Ojibwa"; no page does.
    assert "Ojibwa" not in builder + str(dashboard) + intake

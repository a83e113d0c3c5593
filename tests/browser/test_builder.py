"""The survey builder in a real browser: accessible on a tablet, usable with and without script."""

import pytest
from support import PASSWORD

from surveys.definition import (
    LONG_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.store import save_definition

TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}

SURVEY = SurveyDefinition(
    slug="parks",
    default_language="en",
    languages=("en", "fr", "ar"),
    title={"en": "Parks", "fr": "Parcs", "ar": "الحدائق"},
    questions=(
        QuestionDefinition(
            "visits",
            SINGLE_CHOICE,
            label={"en": "How often do you visit a park?"},
            choices=(
                ChoiceDefinition("weekly", {"en": "Every week"}),
                ChoiceDefinition("never", {"en": "Never"}),
            ),
        ),
        QuestionDefinition(
            "why_not",
            LONG_TEXT,
            label={"en": "What keeps you away?"},
            relevant=Condition("visits", "equals", ("never",)),
        ),
    ),
)


@pytest.fixture
def tablet(chromium):
    """A fresh page at a tablet viewport; collects console errors."""
    context = chromium.new_context(**TABLET)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill("staff@example.ca")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{url}/auth/")


def test_builder_pages_have_no_accessibility_violations_on_a_tablet(
    live_server, tablet, axe, users, session
):
    save_definition(session, SURVEY)
    session.commit()
    sign_in(tablet, live_server.url)
    for path in (
        "/manage/",
        "/manage/parks/",
        "/manage/parks/texts?language=ar",
        "/manage/parks/questions/why_not",
        "/manage/parks/preview?language=fr",
    ):
        tablet.goto(live_server.url + path)
        axe(tablet, path)
        # Nothing is wider than the tablet's screen.
        assert tablet.evaluate("document.documentElement.scrollWidth") <= 768, path
    # An error summary is accessible too.
    tablet.goto(f"{live_server.url}/manage/")
    tablet.get_by_label("Web address name", exact=True).fill("parks")
    tablet.get_by_label("Title", exact=True).fill("Again")
    tablet.get_by_role("button", name="Create the survey").click()
    assert "already exists" in tablet.inner_text(".error-summary")
    axe(tablet, "index with errors")
    # A refused form comes back with status 400, which Chromium logs; nothing else may.
    assert [e for e in tablet.console_errors if "status of 400" not in e] == []


def test_staff_member_adds_skip_logic_in_the_browser(live_server, desktop, users, session):
    save_definition(session, SURVEY)
    session.commit()
    sign_in(desktop, live_server.url)
    desktop.goto(f"{live_server.url}/manage/parks/")
    desktop.get_by_label("Type").select_option("short_text")
    desktop.get_by_label("Question text").fill("Which park do you visit most?")
    desktop.get_by_label("Name (optional)").fill("favourite")
    desktop.get_by_role("button", name="Add the question").click()
    desktop.wait_for_url(f"{live_server.url}/manage/parks/questions/favourite")

    answers = desktop.locator("details[data-source='visits']")
    assert not answers.evaluate("element => element.open")
    desktop.get_by_label("Show this question only when").select_option("visits")
    # The script opens the chosen question's answers.
    assert answers.evaluate("element => element.open")
    desktop.get_by_label("Comparison").select_option("one_of")
    desktop.get_by_label("Every week").check()
    desktop.get_by_role("button", name="Save the skip logic").click()
    desktop.wait_for_url(f"{live_server.url}/manage/parks/questions/favourite#skip-logic")
    assert "Shown when “visits” is one of “Every week”" in desktop.inner_text("main")
    assert desktop.console_errors == []


def test_staff_member_marks_favourable_answers_on_a_tablet(
    live_server, tablet, axe, users, session
):
    save_definition(session, SURVEY)
    session.commit()
    sign_in(tablet, live_server.url)
    tablet.goto(f"{live_server.url}/manage/parks/questions/visits")
    answers = tablet.get_by_role("group", name="Answers counted as favourable")
    answers.get_by_label("Every week").check()
    tablet.get_by_role("button", name="Save the favourable answers").click()
    tablet.wait_for_url(f"{live_server.url}/manage/parks/questions/visits#favourable")

    assert "Saved the favourable answers of “visits”." in tablet.inner_text("main")
    assert answers.get_by_label("Every week").is_checked()
    assert not answers.get_by_label("Never").is_checked()
    axe(tablet, "question page with favourable answers")
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 768
    assert tablet.console_errors == []

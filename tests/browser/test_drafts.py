"""Save and continue later in Chromium at a phone viewport, in English, French and Arabic:
the saved page, the resume page and the restored survey page pass axe, without script."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from surveys.definition import (
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.store import save_definition

SLUG = "parks"
LANGUAGES = ("en", "fr", "ar")


@pytest.fixture
def survey(app):
    """An open two-page survey in three languages."""
    labels = {"en": "Did you visit a park?", "fr": "Visitez-vous un parc?", "ar": "هل زرت حديقة؟"}
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        survey = save_definition(
            session,
            SurveyDefinition(
                slug=SLUG,
                default_language="en",
                languages=LANGUAGES,
                title={"en": "Parks", "fr": "Parcs", "ar": "الحدائق"},
                questions=(
                    QuestionDefinition(
                        "visits",
                        SECTION,
                        label={"en": "Your visits", "fr": "Vos visites", "ar": "زياراتك"},
                    ),
                    QuestionDefinition(
                        "visited",
                        SINGLE_CHOICE,
                        label=labels,
                        choices=(
                            ChoiceDefinition("yes", {"en": "Yes", "fr": "Oui", "ar": "نعم"}),
                            ChoiceDefinition("no", {"en": "No", "fr": "Non", "ar": "لا"}),
                        ),
                    ),
                    QuestionDefinition(
                        "more", SECTION, label={"en": "More", "fr": "Plus", "ar": "المزيد"}
                    ),
                    QuestionDefinition(
                        "idea", SHORT_TEXT, label={"en": "Idea", "fr": "Idée", "ar": "فكرة"}
                    ),
                ),
            ),
            status="open",
        )
        session.commit()
        return survey


@pytest.mark.parametrize("language", LANGUAGES)
def test_saving_and_resuming_on_a_phone_passes_axe(live_server, phone, axe, survey, language):
    phone.goto(f"{live_server.url}/s/{SLUG}?lang={language}")
    phone.locator('input[name="q.visited"][value="no"]').check()
    phone.locator('button[value="save"]').click()
    phone.wait_for_load_state()
    html = phone.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert phone.locator("script").count() == 0
    code = phone.locator("p.receipt-code").inner_text()
    axe(phone, f"saved page ({language})")

    phone.goto(f"{live_server.url}/s/{SLUG}/resume?lang={language}")
    assert phone.locator("script").count() == 0
    axe(phone, f"resume page ({language})")
    phone.locator("#code").fill("nope")
    phone.locator("button.primary").click()
    phone.wait_for_load_state()
    axe(phone, f"resume page with an error ({language})")
    phone.locator("#code").fill(code)
    phone.locator("button.primary").click()
    phone.wait_for_load_state()
    assert phone.locator('input[name="q.visited"][value="no"]').is_checked()
    axe(phone, f"resumed survey page ({language})")

"""The results page, the receipt on the thank-you page and withdrawing with it, in Chromium at a
phone viewport in English, French and Arabic: axe finds nothing, and no script runs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from report_support import add_many, choice_question, comment, likert, make_survey
from sqlmodel import Session, select

from surveys import store
from surveys.models import Response
from surveys.updates import UpdateText, add_update

SLUG = "transit-2025"
LANGUAGES = ("en", "fr", "ar")


@pytest.fixture
def survey(app):
    """A published survey in three languages with 32 responses and one translated update."""
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        survey = make_survey(
            session,
            [
                choice_question("age", ["young", "old"], dimension="age_band"),
                likert("safe"),
                comment("why"),
            ],
            settings={
                "results_published": True,
                "results_questions": ["safe"],
                "results_quotes": True,
                "quote_comments": True,
            },
        )
        survey.languages = ["en", "fr", "ar"]
        store.set_texts(session, survey, {"title": {"ar": "استطلاع النقل"}})
        add_many(
            session,
            survey,
            [
                ({"age": "young", "safe": "agree", "why": "The bus is great."}, 20),
                ({"age": "old", "safe": "disagree", "why": "The bus is always late."}, 12),
            ],
        )
        add_update(
            session,
            survey,
            date(2026, 3, 2),
            "in_progress",
            {
                "en": UpdateText("New bus shelters", "Twelve shelters on route 5."),
                "fr": UpdateText("Nouveaux abribus", "Douze abribus sur la ligne 5."),
                "ar": UpdateText("مظلات حافلات جديدة", "اثنتا عشرة مظلة على الخط 5."),
            },
            user_id=None,
        )
        session.commit()
        return survey


def no_script(page) -> None:
    assert page.locator("script").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_page_reads_on_a_phone_without_script(
    live_server, phone, axe, survey, language
):
    phone.goto(f"{live_server.url}/s/{SLUG}/results?lang={language}")
    html = phone.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    no_script(phone)
    assert phone.locator("svg.chart-svg").count() == 2  # channels and the chosen question
    assert phone.locator(".updates li").count() == 1
    # Nothing wider than the phone: tables and charts fit or scroll in their own box.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    axe(phone, f"results page ({language})")
    assert phone.console_errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_resident_gets_a_receipt_and_withdraws_with_it(
    app, live_server, phone, axe, survey, language
):
    phone.goto(f"{live_server.url}/s/{SLUG}?lang={language}")
    phone.locator("input[name='q.age'][value=young]").check()
    phone.locator("input[name='q.safe'][value=agree]").check()
    phone.locator("button.primary[value=send]").click()
    phone.wait_for_url(re.compile(r"/thanks"))
    code = phone.locator(".receipt-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    axe(phone, f"thank-you page with its receipt ({language})")

    phone.locator(f"a[href='/s/{SLUG}/withdraw']").first.click()
    no_script(phone)
    axe(phone, f"withdraw page ({language})")
    # A wrong code first: the error is announced and linked to the field.
    phone.locator("#code").fill("2222-2222")
    phone.locator("#confirm").check()
    phone.locator("button.primary").click()
    assert phone.locator("#e-code").is_visible()
    assert phone.locator("#code").get_attribute("aria-invalid") == "true"
    assert phone.locator("html").get_attribute("lang") == language
    axe(phone, f"withdraw page with an error ({language})")
    phone.locator("#code").fill(code.lower())
    phone.locator("#confirm").check()
    phone.locator("button.primary").click()
    assert phone.locator(".receipt-code").count() == 0
    axe(phone, f"answers withdrawn ({language})")
    with Session(app.extensions["engage.engine"]) as session:
        assert len(session.exec(select(Response)).all()) == 32

"""A survey with no equity dimension in Chromium: the dashboard draws how everyone answered
each closed question, with the numbers in its tables, and axe finds nothing; so does the
residents' results page on a phone."""

from __future__ import annotations

import pytest
from report_support import add_many, choice_question, make_survey, rating
from sqlmodel import Session
from support import PASSWORD

SLUG = "bus-route"
EVERY_CHART_DRAWN = (
    "() => { const charts = document.querySelectorAll('[data-chart]');"
    " return charts.length > 0 && [...charts].every("
    "c => c.dataset.rendered === 'true' && c.querySelector('.main-svg')); }"
)


@pytest.fixture
def survey(app, users):
    """Sixteen answers to a single-choice, a select-all and a rating question; no dimension."""
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        survey = make_survey(
            session,
            [
                choice_question("route", ["better", "same", "worse"]),
                choice_question("uses", ["work", "school", "shopping"], multiple=True),
                rating("stars"),
            ],
            slug=SLUG,
            settings={"results_published": True, "results_questions": ["route", "stars"]},
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


def test_the_dashboard_draws_everyones_answers_and_passes_axe(
    live_server, desktop, axe, survey, users
):
    desktop.goto(f"{live_server.url}/auth/login")
    desktop.get_by_label("Email").fill(users["staff"].email)
    desktop.get_by_label("Password").fill(PASSWORD)
    desktop.get_by_label("Password").press("Enter")
    desktop.wait_for_url(f"{live_server.url}/auth/")
    desktop.goto(f"{live_server.url}/reports/{SLUG}/")
    desktop.wait_for_function(EVERY_CHART_DRAWN, timeout=60_000)

    section = desktop.locator("section[aria-labelledby=answers]")
    assert section.locator("[data-chart]").count() == 3
    rows = section.locator("table").first.locator("tbody tr").all_inner_texts()
    assert [row.split("\t") for row in rows] == [
        ["Better", "8", "50.0%"],
        ["Same", "2", "12.5%"],
        ["Worse", "6", "37.5%"],
    ]
    assert desktop.console_errors == []
    axe(desktop, "dashboard of a survey without dimensions")


def test_the_results_page_shows_the_chosen_questions_on_a_phone(live_server, phone, axe, survey):
    phone.goto(f"{live_server.url}/s/{SLUG}/results?lang=en")
    assert phone.locator("#chart-answers-route-title").count() == 1
    assert phone.locator("#chart-answers-stars-title").count() == 1
    assert phone.locator("script").count() == 0
    assert phone.console_errors == []
    axe(phone, "results page of a survey without dimensions")

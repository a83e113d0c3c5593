"""A staff member labels comments from the keyboard in the review queue (issue 13)."""

import pytest
from playwright.sync_api import expect
from report_support import add_responses, comment, make_survey
from sqlmodel import select
from support import PASSWORD

from surveys.models import Answer

UNSURE = "The bus comes every twenty minutes."
SURE_NEGATIVE = "The bus is always late and the drivers are rude. Terrible service."
SURE_POSITIVE = "Thank you for the wonderful new library, the staff are lovely."
PUNJABI = "ਬੱਸ ਹਮੇਸ਼ਾ ਦੇਰ ਨਾਲ ਆਉਂਦੀ ਹੈ।"


@pytest.fixture
def survey(session):
    survey = make_survey(session, [comment("why")], slug="transit")
    add_responses(session, survey, {"why": PUNJABI}, language="pa")
    for text in (UNSURE, SURE_NEGATIVE, SURE_POSITIVE):
        add_responses(session, survey, {"why": text})
    return survey


def sign_in(page, url, email):
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{url}/auth/")


def test_staff_label_a_page_of_comments_with_one_key_each(
    desktop, live_server, session, users, survey, axe
):
    sign_in(desktop, live_server.url, users["staff"].email)
    desktop.goto(f"{live_server.url}/reports/transit/comments/review")
    expect(desktop.locator("#review-keys")).to_be_visible()
    items = desktop.locator("[data-review-item]")
    expect(items.nth(0)).to_have_class("comment review-item is-current")
    expect(items.nth(0).locator("blockquote")).to_have_text(PUNJABI)
    axe(desktop, "review queue")

    # Typing in the filters keeps its letters: no label is chosen by them.
    desktop.locator("#review-language").focus()
    desktop.keyboard.press("n")
    desktop.locator("h1").click()
    expect(items.nth(0).locator("input[value='']")).to_be_checked()

    desktop.keyboard.press("n")  # Punjabi: negative, by someone who reads it; next
    expect(items.nth(1)).to_have_class("comment review-item is-current")
    desktop.keyboard.press("x")  # the unsure one: leave it; next
    desktop.keyboard.press("c")  # confirm the method's label; next
    desktop.keyboard.press("k")  # back to the one just confirmed...
    expect(items.nth(2)).to_have_class("comment review-item is-current")
    desktop.keyboard.press("j")  # ...and on to the last
    desktop.keyboard.press("u")  # the last: neutral
    assert desktop.evaluate("document.activeElement.name").startswith("label-")
    expect(items.nth(0).locator("input[value='negative']")).to_be_checked()
    expect(items.nth(1).locator("input[value='']")).to_be_checked()
    expect(items.nth(3).locator("input[value='neutral']")).to_be_checked()

    desktop.keyboard.press("s")
    desktop.wait_for_url(f"{live_server.url}/reports/transit/comments/review")
    expect(desktop.get_by_text("Saved 3 labels.")).to_be_visible()
    expect(desktop.locator("[data-review-item]")).to_have_count(1)

    session.expire_all()
    answers = session.exec(select(Answer)).all()
    labels = {
        answer.text: (answer.sentiment_label, answer.sentiment_override) for answer in answers
    }
    assert labels[PUNJABI] == (None, "negative")
    assert labels[UNSURE][1] is None
    confirmed = [
        text for text in (SURE_NEGATIVE, SURE_POSITIVE) if labels[text][0] == labels[text][1]
    ]
    corrected = [text for text in (SURE_NEGATIVE, SURE_POSITIVE) if labels[text][1] == "neutral"]
    assert len(confirmed) == 1 and len(corrected) == 1
    assert desktop.console_errors == []


def test_a_phone_with_no_keyboard_is_not_shown_the_keys(phone, live_server, users, survey):
    sign_in(phone, live_server.url, users["staff"].email)
    phone.goto(f"{live_server.url}/reports/transit/comments/review")
    expect(phone.locator("[data-review-item]").first).to_be_visible()
    expect(phone.locator("#review-keys")).to_be_hidden()
    expect(phone.get_by_role("button", name="Save the labels")).to_be_visible()

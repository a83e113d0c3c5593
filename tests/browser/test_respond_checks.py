"""What residents notice on the demo survey's first page, in Chromium at a phone viewport:
answers checked as they are given, the character counter, the progress bar, right-to-left
text, and a survey that lacks the resident's language."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from engage.demo import DEMO_SLUG, ensure_survey
from surveys.models import Response

SURVEY = f"/s/{DEMO_SLUG}"


@pytest.fixture
def demo(app):
    """The demo survey (without its synthetic responses), open."""
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        return ensure_survey(session)


def described_by(page, selector: str) -> list[str]:
    return (page.get_attribute(selector, "aria-describedby") or "").split()


def test_a_number_out_of_range_is_flagged_before_sending(app, live_server, phone, axe, demo):
    posts = []
    phone.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    visits = phone.locator("#a-visits")
    visits.fill("150")
    assert phone.locator("#e-visits").count() == 0  # not while typing a first answer
    visits.press("Tab")
    message = phone.locator("#e-visits")
    assert message.inner_text() == "Enter a whole number from 0 to 100."
    assert message.is_visible()
    assert visits.get_attribute("aria-invalid") == "true"
    assert described_by(phone, "#a-visits") == ["i-visits", "e-visits"]
    assert "has-error" in phone.locator("#q-visits").get_attribute("class")
    axe(phone, "a number flagged as the resident types")
    # Correcting it takes the message away as the resident types.
    visits.fill("15")
    assert phone.locator("#e-visits").count() == 0
    assert visits.get_attribute("aria-invalid") is None
    assert described_by(phone, "#a-visits") == ["i-visits"]
    for typed, flagged in (("2.5", True), ("1 5", False), ("1,500", True), ("abc", True)):
        visits.fill(typed)
        visits.press("Tab")
        assert (phone.locator("#e-visits").count() == 1) is flagged, typed
    assert posts == [] and phone.console_errors == []
    assert stored_count(app) == 0


def stored_count(app) -> int:
    with Session(app.extensions["engage.engine"]) as session:
        return len(session.exec(select(Response)).all())


def test_a_required_answer_taken_back_is_flagged_and_the_server_still_judges(
    live_server, phone, demo
):
    phone.goto(f"{live_server.url}{SURVEY}?lang=fr")
    library = phone.locator("input[value=library]")
    library.check()
    assert phone.locator("#e-services_used").count() == 0
    library.uncheck()
    message = phone.locator("#e-services_used")
    assert message.inner_text() == "Cette question exige une réponse."
    assert described_by(phone, "#q-services_used fieldset") == [
        "i-services_used",
        "e-services_used",
    ]
    library.check()
    assert phone.locator("#e-services_used").count() == 0
    # The server's own message goes once a single-choice question is answered.
    phone.locator("button.primary").click()
    assert phone.locator("#e-satisfaction").is_visible()
    phone.locator("input[name='q.satisfaction'][value=agree]").check()
    assert phone.locator("#e-satisfaction").count() == 0
    assert "has-error" not in phone.locator("#q-satisfaction").get_attribute("class")


def test_the_character_counter_appears_near_the_limit_and_speaks_when_typing_pauses(
    live_server, phone, axe, demo
):
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    comments = phone.locator("#a-comments")
    counter = phone.locator("#q-comments .counter")
    said = counter.locator("[aria-live=polite]")
    comments.fill("a" * 900)
    assert counter.is_hidden()
    comments.fill("a" * 1500)
    assert counter.inner_text() == "Characters left: 500"
    assert counter.is_visible()
    phone.wait_for_timeout(1300)
    assert said.inner_text() == ""  # far from the limit: nothing announced
    comments.fill("a" * 1990)
    assert said.inner_text() == ""  # not at once: when the resident pauses
    expect(said).to_have_text("Characters left: 10")
    comments.fill("a" * 2012)
    assert counter.locator("[aria-hidden=true]").inner_text() == "Characters over the limit: 12"
    assert "error-message" in counter.get_attribute("class")
    axe(phone, "the character counter over the limit")
    # Line breaks count once, and the spaces around an answer not at all, as on the server.
    comments.fill("  " + "a\n" * 995 + "  ")
    assert counter.locator("[aria-hidden=true]").inner_text() == "Characters left: 11"


def test_the_progress_bar_is_read_once_as_its_page_number(live_server, phone, demo):
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    progress = phone.locator(".progress")
    assert progress.locator("progress").is_visible()
    assert phone.get_by_role("progressbar").count() == 0  # the bar itself is not read
    assert progress.aria_snapshot() == "- paragraph: Page 1 of 2"
    bar = phone.eval_on_selector("progress", "bar => [bar.value, bar.max]")
    assert bar == [1, 2]


def test_the_arabic_notice_shows_its_address_and_phone_number_in_order(live_server, phone, demo):
    phone.goto(f"{live_server.url}{SURVEY}?lang=ar")
    contact = phone.locator(".notice dd").last
    runs = contact.locator("bdi").all_inner_texts()
    assert runs == ["10 Peel Centre Drive", "905-555-0100", "engage@region.example.ca"]
    # Read left to right on the screen: "10" before "Peel", "905" before "0100".
    order = phone.evaluate(
        """(dd) => {
            const left = (node, text) => {
                const range = document.createRange(), at = node.data.indexOf(text);
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                return range.getBoundingClientRect().left;
            };
            const [address, phone] = [...dd.querySelectorAll('bdi')].map(b => b.firstChild);
            return [left(address, '10') < left(address, 'Peel'),
                    left(address, 'Peel') < left(address, 'Drive'),
                    left(phone, '905') < left(phone, '0100')];
        }""",
        contact.element_handle(),
    )
    assert order == [True, True, True]


def test_a_resident_whose_language_the_survey_lacks_can_switch_to_one_of_its_own(
    live_server, phone, axe, demo
):
    phone.goto(f"{live_server.url}{SURVEY}?lang=es")
    notice = phone.locator(".survey-languages")
    assert phone.get_attribute("html", "lang") == "en"  # the survey's default language
    assert notice.get_attribute("lang") == "es"
    assert notice.locator("p strong").is_visible()
    assert notice.get_by_role("button").all_inner_texts() == ["français", "العربية", "ਪੰਜਾਬੀ"]
    phone.locator("input[value=library]").check()
    notice.get_by_role("button", name="français").click()
    phone.wait_for_url(re.compile(r"lang=fr"))
    assert phone.get_attribute("html", "lang") == "fr"
    assert phone.locator(".survey-languages p").count() == 0  # told no longer
    assert phone.locator("input[value=library]").is_checked()  # answers kept
    axe(phone, "the survey after switching from a language it lacks")

"""Residents answer the demo survey in Chromium at a phone viewport."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from engage.demo import DEMO_SLUG, ensure_survey
from engage.i18n import INTERFACE_LANGUAGES
from surveys.definition import (
    NUMBER,
    OP_EQUALS,
    OP_NOT,
    OP_ONE_OF,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.logic import visible_questions
from surveys.models import SURVEY_CLOSED, SURVEY_OPEN, Answer, Question, Response
from surveys.store import save_definition

SURVEY = f"/s/{DEMO_SLUG}"


@pytest.fixture
def demo(app):
    """The demo survey (without its synthetic responses), open."""
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        return ensure_survey(session)


def stored(app) -> list[Response]:
    with Session(app.extensions["engage.engine"]) as session:
        return session.exec(select(Response)).all()


def stored_answers(app) -> dict[str, list]:
    with Session(app.extensions["engage.engine"]) as session:
        rows = session.exec(
            select(Question.name, Answer.choice, Answer.number, Answer.text).join(
                Question, Answer.question_id == Question.id
            )
        ).all()
    answers: dict[str, list] = {}
    for name, choice, number, text in rows:
        answers.setdefault(name, []).append(choice or number or text)
    return answers


def answer_first_page(page) -> None:
    """Tick two services (not transit), agree, and write a comment."""
    page.locator("input[value=library]").check()
    page.locator("input[value=parks]").check()
    page.locator("input[name='q.satisfaction'][value=agree]").check()
    page.locator("input[name='q.recommend'][value='8']").check()
    page.locator("textarea[name='q.comments']").fill("Plus d'heures, s'il vous plaît")


@pytest.mark.parametrize(
    ("lang", "direction", "send"),
    [("en", "ltr", "Send my answers"), ("fr", "ltr", None), ("ar", "rtl", None)],
)
def test_resident_answers_the_demo_survey_on_a_phone(
    app, live_server, phone, axe, demo, lang, direction, send
):
    phone.goto(f"{live_server.url}{SURVEY}?lang={lang}")
    assert phone.get_attribute("html", "lang") == lang
    assert phone.get_attribute("html", "dir") == direction
    # Skip logic: the transit question shows only for transit users.
    transit = phone.locator("#q-transit_meets_needs")
    assert transit.is_hidden()
    phone.locator("input[value=transit]").check()
    assert transit.is_visible()
    phone.locator("input[value=transit]").uncheck()
    assert transit.is_hidden()
    answer_first_page(phone)
    axe(phone, f"survey page 1 ({lang})")
    phone.locator("button.primary").click()
    phone.locator("input[name='q.age_band']").first.check()
    axe(phone, f"survey page 2 ({lang})")
    if send:
        assert phone.locator("button.primary").inner_text() == send
    phone.locator("button.primary").click()
    phone.wait_for_url(re.compile(r"/thanks$"))
    assert phone.get_attribute("html", "lang") == lang
    axe(phone, f"thank-you page ({lang})")
    assert phone.console_errors == []
    [response] = stored(app)
    assert (response.language, response.channel) == (lang, "web")
    answers = stored_answers(app)
    assert sorted(answers["services_used"]) == ["library", "parks"]
    assert answers["satisfaction"] == ["agree"] and answers["recommend"] == [8.0]
    assert "transit_meets_needs" not in answers


@pytest.mark.parametrize("lang", INTERFACE_LANGUAGES)
def test_every_resident_page_passes_axe_in_every_interface_language(
    app, live_server, phone, axe, demo, lang
):
    with Session(app.extensions["engage.engine"]) as session:
        save_definition(
            session,
            SurveyDefinition("closed-one", "en", ("en",), title={"en": "Old survey"}, questions=()),
            status=SURVEY_CLOSED,
        )
        session.commit()
    base = live_server.url
    phone.goto(f"{base}/?lang={lang}")
    axe(phone, f"home ({lang})")
    phone.goto(f"{base}{SURVEY}")
    axe(phone, f"survey ({lang})")
    # The script's own message and the character counter.
    phone.locator("#a-visits").fill("150")
    phone.locator("#a-visits").press("Tab")
    phone.locator("#a-comments").fill("a" * 2001)
    assert phone.locator("#e-visits").is_visible()
    assert phone.locator("#q-comments .counter").is_visible()
    axe(phone, f"survey with the script's messages ({lang})")
    phone.locator("#a-visits").fill("")
    answer_first_page(phone)
    phone.locator("button.primary").click()
    phone.locator("input[name=contact_email]").fill("not an email")
    phone.locator("button.primary").click()
    expect(phone.locator("#error-summary")).to_have_count(1)
    axe(phone, f"survey page 2 with an error ({lang})")
    phone.locator("input[name=contact_email]").fill("")
    phone.locator("button.primary").click()
    phone.wait_for_url(re.compile(r"/thanks$"))
    axe(phone, f"thank-you page ({lang})")
    assert phone.console_errors == []
    phone.goto(f"{base}/s/closed-one")
    axe(phone, f"closed survey ({lang})")
    phone.goto(f"{base}/s/no-such-survey")
    axe(phone, f"unknown survey ({lang})")
    # The browser logs the 410 and 404 statuses themselves, and nothing else.
    assert all("status of 4" in error for error in phone.console_errors)


def test_error_summary_takes_focus_and_leads_to_the_field(live_server, phone, demo):
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    phone.locator("button.primary").click()
    summary = phone.locator("#error-summary")
    summary.wait_for()
    # Polled by Playwright itself: a string handed to wait_for_function is evaluated with
    # eval once it has to poll, which the page's Content-Security-Policy refuses.
    expect(summary).to_be_focused(timeout=5000)
    assert "There is a problem" in summary.inner_text()
    summary.locator("a").first.click()
    assert phone.evaluate("document.activeElement.id") == "a-services_used-0"
    message = phone.locator("#e-services_used")
    assert message.is_visible() and "requires an answer" in message.inner_text()


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_resident_completes_the_survey_with_the_keyboard_alone(app, live_server, phone, demo):
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    tab_to(phone, "input[value=library]")
    phone.keyboard.press("Space")
    tab_to(phone, "input[name='q.satisfaction']")
    phone.keyboard.press("Space")  # the first point
    phone.keyboard.press("ArrowDown")  # moves to and selects the second
    tab_to(phone, "textarea[name='q.comments']")
    phone.keyboard.type("Longer library hours")
    tab_to(phone, "button.primary")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("text=Page 2 of 2")
    tab_to(phone, "input[name='q.area']")
    phone.keyboard.press("Space")
    tab_to(phone, "input[name=contact_email]")
    phone.keyboard.type("resident@example.ca")
    phone.keyboard.press("Enter")  # Enter in a field sends, as the main button would
    phone.wait_for_url(re.compile(r"/thanks$"))
    assert len(stored(app)) == 1
    answers = stored_answers(app)
    assert answers["services_used"] == ["library"]
    assert answers["satisfaction"] == ["disagree"]
    assert answers["comments"] == ["Longer library hours"]
    assert answers["area"] == ["area_1"]


def test_double_tap_refresh_and_sending_again_store_one_response(app, live_server, phone, demo):
    phone.goto(f"{live_server.url}{SURVEY}?lang=en")
    answer_first_page(phone)
    phone.locator("button.primary").click()
    phone.wait_for_selector("text=Page 2 of 2")
    phone.locator("button.primary").dblclick()
    phone.wait_for_url(re.compile(r"/thanks$"))
    phone.reload()
    assert "/thanks" in phone.url
    phone.go_back()  # the browser shows the last survey page again, answers and all
    assert phone.locator("input[name='q.area']").count() > 0
    phone.locator("button.primary").click()
    phone.wait_for_url(re.compile(r"/thanks$"))
    assert len(stored(app)) == 1


def test_survey_works_with_javascript_turned_off(app, live_server, chromium, demo):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    try:
        # A language the survey lacks: told so, and its languages are buttons without script.
        page.goto(f"{live_server.url}{SURVEY}?lang=es")
        assert page.locator(".survey-languages p strong").is_visible()
        page.locator(".survey-languages button[lang=fr]").click()
        assert page.get_attribute("html", "lang") == "fr"
        assert page.locator(".survey-languages p").count() == 0
        # Instructions and the page number are there; the counter is the script's.
        assert page.locator("#i-visits").is_visible() and page.locator("#i-comments").is_visible()
        assert page.locator(".progress p").is_visible()
        assert page.locator(".counter").count() == 0
        # Without the script the transit follow-up is shown; the server decides.
        assert page.locator("#q-transit_meets_needs").is_visible()
        page.locator("input[name='q.transit_meets_needs'][value=agree]").check()
        page.locator("#a-visits").fill("150")
        page.locator("button.primary").click()
        assert page.locator("#error-summary").is_visible()
        # autofocus puts the keyboard on the summary without any script.
        assert page.locator("#error-summary:focus").count() == 1
        assert page.locator("#error-summary a[href='#a-visits']").is_visible()
        assert page.locator("#e-visits").is_visible()
        page.locator("#a-visits").fill("15")
        answer_first_page(page)
        page.locator("button.primary").click()
        page.locator("button[value=back]").click()
        assert page.locator("input[value=library]").is_checked()
        page.locator("button.primary").click()
        page.locator("button.primary").click()
        page.wait_for_url(re.compile(r"/thanks$"))
    finally:
        context.close()
    [response] = stored(app)
    assert response.language == "fr"
    answers = stored_answers(app)
    assert "transit_meets_needs" not in answers  # transit was not ticked
    assert answers["comments"] == ["Plus d'heures, s'il vous plaît"]


@pytest.mark.parametrize("lang", INTERFACE_LANGUAGES)
def test_survey_page_with_everything_it_loads_stays_within_14_kb(live_server, phone, demo, lang):
    """The first page, its style sheet and script in 14 KB, about one TCP initial window.

    Bytes on the wire as Chromium counts them: each body as sent (compressed) and its
    response headers, on loopback without TLS.
    """
    finished = []
    phone.on("requestfinished", lambda request: finished.append(request))
    phone.goto(f"{live_server.url}{SURVEY}?lang={lang}", wait_until="networkidle")
    assert all(request.url.startswith(live_server.url) for request in finished)
    sizes = [request.sizes() for request in finished]
    total = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
    assert len(finished) == 3 and total <= 14 * 1024, total


def test_page_is_usable_at_320_pixels_wide(live_server, chromium, demo):
    context = chromium.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    try:
        for lang in ("en", "ar", "pa"):
            page.goto(f"{live_server.url}{SURVEY}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{lang}: page scrolls sideways ({width}px)"
            small = page.evaluate(
                """() => [...document.querySelectorAll('main button, main .option')]
                    .filter(e => e.getClientRects().length)
                    .filter(e => e.getBoundingClientRect().height < 44)
                    .map(e => e.outerHTML)"""
            )
            assert small == [], lang
    finally:
        context.close()


# Conditions the script must evaluate exactly as surveys/logic.py does.
LOGIC_QUESTIONS = (
    QuestionDefinition("count", NUMBER, label={"en": "How many?"}),
    QuestionDefinition(
        "seven", SHORT_TEXT, label={"en": "Seven"}, relevant=Condition("count", OP_EQUALS, ("7",))
    ),
    QuestionDefinition(
        "small",
        SHORT_TEXT,
        label={"en": "One or two"},
        relevant=Condition("count", OP_ONE_OF, ("1", "2.5")),
    ),
    QuestionDefinition(
        "not_three",
        SHORT_TEXT,
        label={"en": "Not three"},
        relevant=Condition("count", OP_NOT, ("3",)),
    ),
    QuestionDefinition(
        "pick",
        SINGLE_CHOICE,
        label={"en": "Pick"},
        choices=(ChoiceDefinition("a", {"en": "A"}), ChoiceDefinition("b", {"en": "B"})),
        allow_prefer_not=True,
        relevant=Condition("count", OP_NOT, ("0",)),
    ),
    QuestionDefinition(
        "chained",
        SHORT_TEXT,
        label={"en": "Chained"},
        relevant=Condition("pick", OP_EQUALS, ("a",)),
    ),
    QuestionDefinition(
        "not_prefer",
        SHORT_TEXT,
        label={"en": "Not prefer"},
        relevant=Condition("pick", OP_NOT, ("prefer_not_to_answer",)),
    ),
)


@pytest.mark.parametrize(
    "typed",
    ["7", " 7,0 ", "7.", "٧", "+7", "1", "2,5", ".5", "3", "3.000", "0", "", "abc", "1,500"],
)
def test_script_hides_exactly_the_questions_the_server_hides(app, live_server, phone, typed):
    with Session(app.extensions["engage.engine"]) as session:
        survey = save_definition(
            session,
            SurveyDefinition(
                "logic", "en", ("en",), title={"en": "Logic"}, questions=LOGIC_QUESTIONS
            ),
            status=SURVEY_OPEN,
        )
        session.commit()
        questions = list(survey.questions)
    phone.goto(f"{live_server.url}/s/logic")
    phone.locator("#a-count").fill(typed)
    for choice in ("a", "prefer_not_to_answer", None):
        if (
            choice is not None
            and phone.locator(f"input[name='q.pick'][value={choice}]").is_visible()
        ):
            phone.locator(f"input[name='q.pick'][value={choice}]").check()
        raw = {"count": [typed]}
        picked = phone.locator("input[name='q.pick']:checked")
        if picked.count():
            raw["pick"] = [picked.get_attribute("value")]
        expected = {q.name for q in visible_questions(questions, raw)}
        shown = set(
            phone.evaluate(
                "[...document.querySelectorAll('[data-question]')]"
                ".filter(e => !e.hidden).map(e => e.dataset.question)"
            )
        )
        assert shown == expected, (typed, choice)
    assert phone.console_errors == []

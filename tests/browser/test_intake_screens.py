"""A community broker at the keyboard: paper forms keyed in, a group session, printable forms."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select
from support import PASSWORD, assign

from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    SECTION,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Answer, GroupSession, GroupTally, Question, Response
from surveys.store import save_definition, set_texts

SLUG = "library-hours"


@pytest.fixture
def survey(session, users):
    def choices(*names):
        return tuple(ChoiceDefinition(n, {"en": n.title(), "ar": f"{n} (ع)"}) for n in names)

    definition = SurveyDefinition(
        slug=SLUG,
        default_language="en",
        languages=("en", "fr", "ar"),
        title={"en": "Library hours", "fr": "Heures", "ar": "ساعات المكتبة"},
        questions=(
            QuestionDefinition(name="visit", kind=SECTION, label={"en": "Your visits"}),
            QuestionDefinition(
                name="used",
                kind=MULTIPLE_CHOICE,
                required=True,
                label={"en": "Which branches do you use?", "ar": "أي الفروع تستخدم؟"},
                choices=choices("central", "east", "west"),
            ),
            QuestionDefinition(
                name="satisfied",
                kind=LIKERT,
                allow_prefer_not=True,
                label={"en": "The hours suit me.", "ar": "الساعات تناسبني."},
            ),
            QuestionDefinition(
                name="visits",
                kind=NUMBER,
                settings={"min": 0, "max": 100},
                label={"en": "Visits last month", "ar": "عدد الزيارات"},
            ),
            QuestionDefinition(
                name="comments", kind=LONG_TEXT, label={"en": "Comments", "ar": "تعليقات"}
            ),
            QuestionDefinition(
                name="gender",
                kind=SINGLE_CHOICE,
                allow_prefer_not=True,
                dimension="gender",
                label={"en": "Gender", "ar": "الجنس"},
                choices=choices("man", "woman", "another_gender"),
            ),
        ),
    )
    survey = save_definition(session, definition, status="open")
    set_texts(session, survey, {"notice.purpose": {"en": "We plan hours.", "ar": "نخطط."}})
    session.commit()
    assign(session, survey, users["broker"])
    return survey


def sign_in(page, url, email):
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{url}/auth/")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


# (paper ID, codes for "used", Likert code, visits, comment, gender code)
PAPER_FORMS = (
    ("A-001", "1 3", "4", "3", "Open later on Sundays", "2"),
    ("A-002", "2", "9", "0", "", "1"),
    ("A-003", "1", "1", "12", "Too far from the bus", "9"),
)


def test_broker_keys_in_paper_forms_with_the_keyboard_alone(
    live_server, desktop, users, survey, session
):
    sign_in(desktop, live_server.url, users["broker"].email)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/enter")
    desktop.select_option("#language", "fr")
    desktop.fill("#place", "Malton Community Centre")
    desktop.keyboard.press("Tab")  # the paper form ID comes next, as on paper
    for paper_id, used, satisfied, visits, comment, gender in PAPER_FORMS:
        expect(desktop.locator("#paper_id")).to_be_focused()
        desktop.keyboard.type(paper_id)
        desktop.keyboard.press("Tab")
        assert focused_id(desktop) == "code-used"
        desktop.keyboard.type(used)
        desktop.keyboard.press("Tab")
        assert focused_id(desktop) == "code-satisfied"
        desktop.keyboard.type(satisfied)
        desktop.keyboard.press("Tab")
        assert focused_id(desktop) == "q-visits"
        desktop.keyboard.type(visits)
        desktop.keyboard.press("Tab")
        assert focused_id(desktop) == "q-comments"
        desktop.keyboard.type(comment)
        desktop.keyboard.press("Tab")
        assert focused_id(desktop) == "code-gender"
        desktop.keyboard.type(gender)
        if paper_id == "A-001":
            # Typing a code ticks its box and says which option it is.
            assert desktop.is_checked("#opt-used-1") and desktop.is_checked("#opt-used-3")
            assert not desktop.is_checked("#opt-used-2")
            assert desktop.inner_text('[data-code-echo="satisfied"]') == "Agree"
        with desktop.expect_navigation():
            desktop.keyboard.press("Enter")  # save and next form
        assert desktop.locator(".flash").inner_text() == f"Saved paper form {paper_id}."
    # The batch details carried over from form to form.
    assert desktop.input_value("#place") == "Malton Community Centre"
    stored = session.exec(select(Response).order_by(Response.id)).all()
    assert [r.paper_id for r in stored] == ["A-001", "A-002", "A-003"]
    assert {(r.language, r.place, r.channel) for r in stored} == {
        ("fr", "Malton Community Centre", "paper")
    }
    first_choices = session.exec(
        select(Question.name, Answer.choice)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.response_id == stored[0].id, Answer.choice.is_not(None))
    ).all()
    assert sorted(first_choices) == [
        ("gender", "woman"),
        ("satisfied", "agree"),
        ("used", "central"),
        ("used", "west"),
    ]
    assert desktop.console_errors == []


def test_a_mistyped_code_is_shown_and_the_form_comes_back_with_everything(
    live_server, desktop, users, survey, axe
):
    sign_in(desktop, live_server.url, users["broker"].email)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/enter")
    # The browser applies autofocus after the page loads: wait for it, as a broker's eyes do.
    expect(desktop.locator("#paper_id")).to_be_focused()
    desktop.keyboard.type("B-1")
    desktop.keyboard.press("Tab")
    desktop.keyboard.type("7")
    assert "No option has this code" in desktop.inner_text('[data-code-echo="used"]')
    with desktop.expect_navigation():
        desktop.keyboard.press("Enter")
    assert "“7” is not a code of this question" in desktop.inner_text(".error-summary")
    assert focused_id(desktop) == "error-summary"
    assert desktop.input_value("#paper_id") == "B-1"
    assert desktop.input_value("#code-used") == "7"
    axe(desktop, "entry screen with errors")


def test_entry_screen_and_paper_forms_have_no_accessibility_violations(
    live_server, desktop, users, survey, axe
):
    sign_in(desktop, live_server.url, users["broker"].email)
    for path in ("/intake/", f"/intake/{SLUG}/enter", f"/intake/{SLUG}/sessions/new"):
        desktop.goto(live_server.url + path)
        axe(desktop, path)
    for language in ("en", "ar"):
        desktop.goto(f"{live_server.url}/intake/{SLUG}/paper/{language}")
        axe(desktop, f"paper form ({language})")
    assert desktop.console_errors == []


def test_entry_list_and_review_screens_have_no_accessibility_violations(
    live_server, desktop, users, survey, session, axe
):
    from analysis.sentiment import SentimentCutoffs
    from surveys.models import AuditEvent
    from surveys.questions import AnswerValue
    from surveys.recording import Provenance, record_response

    response, _ = record_response(
        session,
        survey,
        {"used": [AnswerValue(choice="east")], "visits": [AnswerValue(number=2)]},
        Provenance("paper", "ar", "entry-" + "b" * 32, users["broker"].id, paper_id="C-9"),
        cutoffs=SentimentCutoffs(),
    )
    session.add(
        AuditEvent(
            user_id=users["broker"].id,
            action="response.correct",
            entity="response",
            entity_id=response.public_id,
            survey_id=survey.id,
            old={"answers": {"visits": ["1"]}},
            new={"answers": {"visits": ["2"]}},
        )
    )
    session.commit()
    sign_in(desktop, live_server.url, users["staff"].email)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/entries")
    axe(desktop, "entries list")
    desktop.get_by_role("link", name=response.public_id).click()
    assert "Question 3 (visits)" in desktop.inner_text(".history")
    axe(desktop, "entry with history and review")
    desktop.check("#decision-flagged")
    desktop.get_by_role("button", name="Save review").click()
    assert "Say why the entry is flagged." in desktop.inner_text("main")
    axe(desktop, "review with an error")
    # A form sent back with errors has status 400, which Chromium logs; nothing else may be.
    assert [e for e in desktop.console_errors if "status of 400" not in e] == []


def pdf_page_size(pdf: bytes) -> tuple[int, int]:
    """Return the first page's size in points."""
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return round(float(box.group(1))), round(float(box.group(2)))


def test_paper_form_prints_on_letter_and_a4(live_server, desktop, users, survey):
    sign_in(desktop, live_server.url, users["staff"].email)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/paper/en")
    assert desktop.locator(".site-header").is_visible()
    letter = desktop.pdf(prefer_css_page_size=True)
    assert pdf_page_size(letter) == (612, 792)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/paper/ar?size=a4")
    assert pdf_page_size(desktop.pdf(prefer_css_page_size=True)) == (595, 842)
    desktop.emulate_media(media="print")
    assert not desktop.locator(".site-header").is_visible()
    assert not desktop.locator(".paper-toolbar").is_visible()
    assert desktop.locator(".paper-question").count() == 5


def test_broker_records_an_elder_circle(live_server, desktop, users, survey, session, axe):
    sign_in(desktop, live_server.url, users["broker"].email)
    desktop.goto(f"{live_server.url}/intake/{SLUG}/sessions/new")
    desktop.select_option("#kind", "elder_circle")
    desktop.fill("#facilitator", "Grandmother Ruth")
    desktop.fill("#held_on", (date.today() - timedelta(days=1)).isoformat())
    desktop.fill("#place", "Credit River longhouse")
    desktop.fill("#other_languages", "oj")
    desktop.fill("#participants", "12")
    desktop.check("#consent-oral")
    desktop.check("#attribution-anonymous")
    desktop.get_by_label("4 Agree", exact=True).fill("7")
    desktop.get_by_label("2 Disagree", exact=True).fill("3")
    desktop.fill("#fb-0-text", "The library feels welcoming to elders.")
    desktop.select_option("#fb-0-kind", "quote")
    desktop.get_by_role("button", name="Save session").click()
    desktop.wait_for_url(re.compile(r".*/sessions/[\w-]+$"))
    assert "7 of 12" in desktop.inner_text("main")
    assert "2 of 12" in desktop.inner_text("main")  # did not say
    axe(desktop, "group session page")
    group = session.exec(select(GroupSession)).one()
    assert group.languages == ["en", "oj"]
    assert {t.choice: t.count for t in session.exec(select(GroupTally))} == {
        "agree": 7,
        "disagree": 3,
        None: 2,
    }
    assert desktop.console_errors == []

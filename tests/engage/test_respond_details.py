"""What residents notice on a survey page: instructions, punctuation, scripts, languages."""

import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from engage.respond.question_views import ends_with_punctuation
from surveys.definition import (
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    SECTION,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import SURVEY_OPEN
from surveys.store import save_definition, set_texts

QUESTIONS = (
    QuestionDefinition(
        "services",
        MULTIPLE_CHOICE,
        required=True,
        label={
            "en": "Which services have you used in the past year?",
            "ar": "ما هي الخدمات التي استخدمتها في العام الماضي؟",
        },
        choices=(
            ChoiceDefinition("library", {"en": "Library", "ar": "المكتبة"}),
            ChoiceDefinition("parks", {"en": "Parks", "ar": "الحدائق"}),
        ),
    ),
    QuestionDefinition(
        "welcome",
        SINGLE_CHOICE,
        label={"en": "Did staff make you welcome", "ar": "هل رحب بك الموظفون"},
        required=True,
        choices=(
            ChoiceDefinition("yes", {"en": "Yes", "ar": "نعم"}),
            ChoiceDefinition("no", {"en": "No", "ar": "لا"}),
        ),
    ),
    QuestionDefinition(
        "visits",
        NUMBER,
        label={"en": "How many visits", "ar": "كم زيارة"},
        settings={"min": 0, "max": 100, "integer": True},
    ),
    QuestionDefinition(
        "comments",
        LONG_TEXT,
        label={"en": "Anything else", "ar": "شيء آخر"},
        settings={"max_length": 2000},
    ),
    QuestionDefinition("more", SECTION, label={"en": "More", "ar": "المزيد"}),
    QuestionDefinition(
        "area",
        SINGLE_CHOICE,
        label={"en": "Area", "ar": "المنطقة"},
        choices=(ChoiceDefinition("north", {"en": "North", "ar": "الشمال"}),),
    ),
)
CONTACT = {
    "en": "Questions? Call 905-555-0100 or visit 10 Peel Centre Drive.",
    "ar": "أسئلة؟ اتصل بمكتب المشاركة، 10 Peel Centre Drive، 905-555-0100، "
    "engage@region.example.ca.",
}


@pytest.fixture
def survey(session):
    survey = save_definition(
        session,
        SurveyDefinition(
            slug="services",
            default_language="en",
            languages=("en", "ar"),
            title={"en": "Services 2026", "ar": "الخدمات 2026"},
            questions=QUESTIONS,
        ),
        status=SURVEY_OPEN,
    )
    set_texts(session, survey, {"notice.contact": CONTACT})
    session.commit()
    return survey


def page(client, query: str = "") -> str:
    return client.get(f"/s/services{query}").get_data(as_text=True)


def in_locale(app, locale: str, message: str, **params) -> str:
    with app.test_request_context(), force_locale(locale):
        return _(message, **params)


@pytest.mark.parametrize(
    ("label", "ends"),
    [
        ("Which services have you used in the past year?", True),
        ("Tell us more.", True),
        ("Your age:", True),
        ("Wait!", True),
        ("Wait…", True),
        ("“Why not?”", True),
        ("How likely? (0 = not at all, 10 = very likely)", False),
        ("Your age", False),
        ("ما هي خدمات المدينة التي استخدمتها؟", True),  # Arabic question mark
        ("آپ نے کون سی خدمات استعمال کی ہیں۔", True),  # Urdu full stop
        ("你用过哪些服务？", True),  # full-width question mark
        ("请说明。", True),  # ideographic full stop
        ("ਆਪਣਾ ਜਵਾਬ ਲਿਖੋ।", True),  # danda
        ("ਤੁਹਾਡੀ ਉਮਰ", False),
    ],
)
def test_a_label_ending_with_its_own_punctuation_takes_no_colon(label, ends):
    assert ends_with_punctuation(label) is ends


def test_error_summary_does_not_double_the_label_s_punctuation(client, survey):
    token = re.search(r'name="token" value="([^"]+)"', page(client, "?lang=en")).group(1)
    sent = client.post("/s/services", data={"token": token, "page": "0", "action": "next"})
    summary = sent.get_data(as_text=True).split('id="error-summary"')[1].split("</div>")[0]
    assert "in the past year? <span>This question requires an answer.</span>" in summary
    assert "Did staff make you welcome: <span>" in summary
    assert "?:" not in summary


def test_each_question_says_how_to_answer_it_to_screen_readers_too(client, survey):
    html = page(client, "?lang=en")
    assert '<p class="hint" id="i-services">Choose all that apply.</p>' in html
    assert '<fieldset aria-describedby="i-services">' in html
    assert '<p class="hint" id="i-welcome">Choose one.</p>' in html
    assert '<p class="hint" id="i-visits">Enter a whole number from 0 to 100.</p>' in html
    assert 'aria-describedby="i-visits" data-min="0" data-max="100" data-integer=""' in html
    # Numbers as the reader writes them.
    assert '<p class="hint" id="i-comments">Up to 2,000 characters.</p>' in html
    assert 'aria-describedby="i-comments" data-max-length="2000"' in html


def test_instructions_are_in_the_interface_language(app, client, survey):
    html = page(client, "?lang=fr")  # the survey has no French: English content
    expected = in_locale(
        app, "fr", "Enter a whole number from %(low)s to %(high)s.", low=0, high=100
    )
    assert expected != "Enter a whole number from 0 to 100."
    assert f'<p class="hint" id="i-visits" lang="fr" dir="ltr">{expected}</p>' in html


def test_the_page_carries_the_script_s_messages_only_when_it_needs_them(app, client, survey):
    first = page(client, "?lang=en")
    assert 'data-required="This question requires an answer."' in first
    assert 'data-left="Characters left: {n}"' in first
    assert 'data-over="Characters over the limit: {n}"' in first
    token = re.search(r'name="token" value="([^"]+)"', first).group(1)
    second = client.post(
        "/s/services",
        data={
            "token": token,
            "page": "0",
            "action": "next",
            "q.services": "library",
            "q.welcome": "yes",
        },
    ).get_data(as_text=True)
    assert 'id="q-area"' in second
    assert "data-required=" not in second and "data-left=" not in second


def test_progress_bar_is_hidden_from_screen_readers_which_read_the_page_number(client, survey):
    html = page(client, "?lang=en")
    assert (
        '<div class="progress"><p>Page 1 of 2</p>'
        '<progress value="1" max="2" aria-hidden="true"></progress></div>'
    ) in html


def test_left_to_right_runs_in_arabic_text_are_isolated(client, survey):
    html = page(client, "?lang=ar")
    assert (
        'اتصل بمكتب المشاركة، <bdi dir="ltr">10 Peel Centre Drive</bdi>، '
        '<bdi dir="ltr">905-555-0100</bdi>، <bdi dir="ltr">engage@region.example.ca</bdi>.'
    ) in html
    assert 'الخدمات <bdi dir="ltr">2026</bdi></h1>' in html
    assert "<title>الخدمات 2026 " in html  # never markup in the title
    assert "<bdi" not in page(client, "?lang=en")


def test_survey_text_is_escaped_when_its_runs_are_isolated(session, client, survey):
    set_texts(session, survey, {"notice.purpose": {"ar": "لماذا <script>x</script> 5"}})
    session.commit()
    html = page(client, "?lang=ar")
    assert '&lt;<bdi dir="ltr">script</bdi>&gt;<bdi dir="ltr">x</bdi>' in html
    assert "<script>x" not in html


@pytest.mark.parametrize("lang", ["es", "zh-Hans", "ta"])
def test_a_resident_whose_language_the_survey_lacks_is_told_so_and_offered_its_languages(
    app, client, survey, lang
):
    html = page(client, f"?lang={lang}")
    told = in_locale(app, lang.replace("-", "_"), "This survey is not available in your language.")
    assert f"<strong>{told}</strong>" in html
    # Its languages, as buttons that keep the answers given so far.
    assert '<strong lang="en" aria-current="true">English</strong>' in html
    assert 'formaction="/s/services?lang=ar" name="action" value="language" lang="ar"' in html


def test_no_language_notice_in_one_of_the_survey_s_languages(app, client, survey):
    for lang in ("en", "ar"):
        html = page(client, f"?lang={lang}")
        assert 'id="survey-languages-label">' in html
        told = in_locale(app, lang, "This survey is not available in your language.")
        assert told not in html


def phone_error(client, lang: str) -> str:
    """Send the survey with a too-short phone number; return the field's message."""
    token = re.search(r'name="token" value="([^"]+)"', page(client, f"?lang={lang}")).group(1)
    answers = {"q.services": "library", "q.welcome": "yes", "token": token}
    client.post("/s/services", data={**answers, "page": "0", "action": "next"})
    sent = client.post(
        "/s/services", data={**answers, "page": "1", "action": "send", "contact_phone": "905"}
    ).get_data(as_text=True)
    return sent.split('id="e-contact_phone"')[1].split("</p>")[0]


def test_an_arabic_message_shows_its_example_phone_number_in_order(client, survey):
    assert '<bdi dir="ltr">905-555-0100</bdi>' in phone_error(client, "ar")
    english = phone_error(client, "en")
    assert "905-555-0100" in english and "<bdi" not in english

"""Resident survey pages: languages, pages, errors, and one stored response per submission."""

import gzip
import html
import re

import pytest
from sqlmodel import func, select
from support import make_app

from surveys.definition import (
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    OP_EQUALS,
    OP_ONE_OF,
    RATING,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import (
    SURVEY_CLOSED,
    SURVEY_DRAFT,
    SURVEY_OPEN,
    Answer,
    Question,
    Response,
    ResponseContact,
)
from surveys.store import save_definition, set_texts


def yes_no() -> tuple[ChoiceDefinition, ...]:
    return (
        ChoiceDefinition("yes", {"en": "Yes", "fr": "Oui"}),
        ChoiceDefinition("no", {"en": "No", "fr": "Non"}),
    )


PARKS_QUESTIONS = (
    QuestionDefinition("visits", SECTION, label={"en": "Your visits", "fr": "Vos visites"}),
    QuestionDefinition(
        "visited",
        SINGLE_CHOICE,
        label={"en": "Did you visit a park this year?", "fr": "Avez-vous visité un parc?"},
        required=True,
        choices=yes_no(),
    ),
    QuestionDefinition(
        "why_not",
        SHORT_TEXT,
        label={"en": "What kept you away?", "fr": "Qu'est-ce qui vous en a empêché?"},
        relevant=Condition("visited", OP_EQUALS, ("no",)),
    ),
    QuestionDefinition(
        "rating",
        RATING,
        label={"en": "Rate our parks", "fr": "Notez nos parcs"},
        settings={"min": 1, "max": 5},
    ),
    QuestionDefinition("more", SECTION, label={"en": "A bit more", "fr": "Un peu plus"}),
    QuestionDefinition(
        "age",
        NUMBER,
        label={"en": "Your age", "fr": "Votre âge"},
        settings={"min": 0, "max": 120},
    ),
    QuestionDefinition(
        "comments",
        LONG_TEXT,
        label={"en": "Anything else?", "fr": "Autre chose?"},
        settings={"max_length": 50},
    ),
    QuestionDefinition(
        "features",
        MULTIPLE_CHOICE,
        label={"en": "What do you use?", "fr": "Qu'utilisez-vous?"},
        choices=(
            ChoiceDefinition("trails", {"en": "Trails", "fr": "Sentiers"}),
            ChoiceDefinition("splash_pad", {"en": "Splash pad", "fr": "Jeux d'eau"}),
        ),
        allow_prefer_not=True,
    ),
    QuestionDefinition(
        "unhappy",
        SHORT_TEXT,
        label={"en": "What should we fix first?", "fr": "Que corriger d'abord?"},
        relevant=Condition("rating", OP_ONE_OF, ("1", "2")),
    ),
)


def make_survey(
    session,
    slug="parks",
    *,
    status=SURVEY_OPEN,
    languages=("en", "fr"),
    questions=PARKS_QUESTIONS,
    title=None,
    settings=None,
    texts=None,
):
    """Store a survey (two pages by default) and return it."""
    survey = save_definition(
        session,
        SurveyDefinition(
            slug=slug,
            default_language=languages[0],
            languages=languages,
            title=title or {"en": "Parks survey", "fr": "Sondage sur les parcs"},
            questions=questions,
        ),
        status=status,
    )
    set_texts(
        session,
        survey,
        texts
        or {
            "notice.purpose": {"en": "To plan parks.", "fr": "Pour planifier les parcs."},
            "notice.authority": {"en": "Municipal Act, 2001.", "fr": "Loi de 2001."},
            "notice.contact": {"en": "Call 311.", "fr": "Composez le 311."},
            "thanks": {"en": "We report back in June.", "fr": "Nous ferons rapport en juin."},
        },
    )
    if settings:
        survey.settings = settings
    session.commit()
    return survey


@pytest.fixture
def parks(session):
    return make_survey(session)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def form_token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True))[1]


def post(client, token, page, action="next", slug="parks", query="", **answers):
    """Post a survey page: answers as question=value or question=[values]."""
    data = {"token": token, "page": str(page), "action": action}
    for name, value in answers.items():
        key = name if name.startswith("contact_") or name == "homepage" else f"q.{name}"
        data[key] = value
    return client.post(f"/s/{slug}{query}", data=data)


def error_summary(page: str) -> str:
    start = page.index('id="error-summary"')
    return page[start : page.index("</div>", start)]


def carried(response) -> dict[str, list[str]]:
    """Return the hidden answer fields a page carries: name -> values."""
    values: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="q\.([^"]+)" value="([^"]*)">', response.get_data(as_text=True)
    ):
        values.setdefault(name, []).append(html.unescape(value))
    return values


def hidden_fields(response) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.get_data(as_text=True)
    ):
        data.setdefault(name, []).append(html.unescape(value))
    return data


def follow(client, page, action="next", slug="parks", query="", **answers):
    """Post ``page``'s form as a browser would: its hidden fields plus the answers given."""
    data = hidden_fields(page)
    data["action"] = [action]
    for name, value in answers.items():
        key = name if name.startswith("contact_") or name == "homepage" else f"q.{name}"
        data[key] = value if isinstance(value, list) else [value]
    return client.post(f"/s/{slug}{query}", data=data)


def count(session, table) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(table)).one()


def answer_all(client, token, **page_two):
    """Answer page one, then send page two; return the final response."""
    post(client, token, 0, visited="yes", rating="4")
    answers = {"visited": "yes", "rating": "4", **page_two}
    return post(client, token, 1, "send", **answers)


# --- Home, unknown, closed, preview ---------------------------------------------------


def test_home_lists_open_surveys_titled_in_the_chosen_language(client, session):
    make_survey(session)
    make_survey(session, "draft-one", status=SURVEY_DRAFT, title={"en": "Secret draft"})
    make_survey(session, "old-one", status=SURVEY_CLOSED, title={"en": "Old closed"})
    page = page_text(client.get("/?lang=fr"))
    assert "Sondage sur les parcs" in page and 'href="/s/parks"' in page
    assert "Secret draft" not in page and "Old closed" not in page


def test_home_marks_a_title_shown_in_another_language(client, session):
    make_survey(session, languages=("en",), title={"en": "Parks survey"})
    page = client.get("/?lang=fr").get_data(as_text=True)
    assert '<a href="/s/parks" lang="en" dir="ltr">Parks survey</a>' in page


def test_unknown_survey_gets_a_friendly_404_in_the_residents_language(client):
    response = client.get("/s/nothing-here?lang=fr")
    assert response.status_code == 404
    assert "Page introuvable" in page_text(response)


def test_draft_survey_is_not_found_by_residents_even_with_preview(client, session):
    make_survey(session, status=SURVEY_DRAFT)
    assert client.get("/s/parks").status_code == 404
    assert client.get("/s/parks?preview=1").status_code == 404


def test_closed_survey_says_so_with_410(client, session):
    make_survey(session, status=SURVEY_CLOSED)
    response = client.get("/s/parks?lang=fr")
    assert response.status_code == 410
    page = page_text(response)
    assert "Sondage sur les parcs" in page
    assert '<html lang="fr"' in page
    assert "q.visited" not in page
    assert post(client, "x.y", 0, "send", visited="yes").status_code == 410


def test_staff_preview_walks_a_draft_and_stores_nothing(client, session, login_as):
    make_survey(session, status=SURVEY_DRAFT)
    login_as("staff")
    first = client.get("/s/parks?preview=1")
    assert first.status_code == 200
    assert "not stored" in page_text(first)
    token = form_token(first)
    post(client, token, 0, query="?preview=1", visited="yes")
    sent = post(client, token, 1, "send", query="?preview=1", visited="yes", age="40")
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith("/s/parks/thanks?preview=1")
    assert count(session, Response) == 0


def test_broker_cannot_preview_a_draft(client, session, login_as):
    make_survey(session, status=SURVEY_DRAFT)
    login_as("broker")
    assert client.get("/s/parks?preview=1").status_code == 404


# --- Languages ------------------------------------------------------------------------


def test_page_language_and_direction_follow_the_survey_content(client, session):
    make_survey(
        session,
        languages=("en", "ar"),
        title={"en": "Parks survey", "ar": "استطلاع الحدائق"},
        questions=(
            QuestionDefinition("q1", SHORT_TEXT, label={"en": "Name a park", "ar": "اذكر حديقة"}),
        ),
    )
    page = page_text(client.get("/s/parks?lang=ar"))
    assert '<html lang="ar" dir="rtl">' in page
    assert "استطلاع الحدائق" in page and "اذكر حديقة" in page


def test_survey_page_offers_the_survey_languages(client, parks):
    page = page_text(client.get("/s/parks"))
    picker = page[page.index('class="survey-languages"') :]
    picker = picker[: picker.index("</div>")]
    assert 'formaction="/s/parks?lang=fr"' in picker
    assert "lang=ar" not in picker  # offered in the header, not as a survey language


def test_untranslated_text_is_marked_with_the_language_shown(client, session):
    make_survey(
        session,
        questions=(
            QuestionDefinition("q1", SHORT_TEXT, label={"en": "Name a park", "fr": "Un parc"}),
            QuestionDefinition("q2", SHORT_TEXT, label={"en": "Only in English"}),
        ),
    )
    page = page_text(client.get("/s/parks?lang=fr"))
    assert '<html lang="fr"' in page
    assert '<span lang="en" dir="ltr">Only in English</span>' in page
    assert '<span lang="en" dir="ltr">Un parc</span>' not in page


def test_language_without_a_catalog_shows_content_with_interface_marked(client, session):
    make_survey(
        session,
        languages=("en", "oj"),
        title={"en": "Parks survey", "oj": "Mitigokaang"},
        questions=(QuestionDefinition("q1", SHORT_TEXT, label={"en": "Park", "oj": "Zaaga'igan"}),),
    )
    page = page_text(client.get("/s/parks?lang=oj"))
    assert '<html lang="oj" dir="ltr">' in page
    assert "Zaaga'igan" in page
    # Buttons and headings fall back to English and say so.
    assert '<div class="actions" lang="en" dir="ltr">' in page
    assert '<header class="site-header" lang="en" dir="ltr">' in page


def test_interface_language_missing_from_survey_falls_back_to_default_content(client, parks):
    page = page_text(client.get("/s/parks?lang=ur"))
    assert '<html lang="en" dir="ltr">' in page
    assert "Did you visit a park this year?" in page
    assert '<div class="actions" lang="ur" dir="rtl">' in page


def test_browser_language_chooses_a_survey_language_without_a_catalog(client, session):
    make_survey(
        session,
        languages=("en", "iu"),
        title={"en": "Parks survey", "iu": "ᐸᖅᑭᒃ"},
        questions=(QuestionDefinition("q1", SHORT_TEXT, label={"en": "Park", "iu": "ᓄᓇ"}),),
    )
    page = page_text(client.get("/s/parks", headers={"Accept-Language": "iu, en;q=0.5"}))
    assert '<html lang="iu"' in page and "ᐸᖅᑭᒃ" in page


def test_chosen_language_is_remembered_on_the_next_visit(client, parks):
    client.get("/?lang=fr")
    assert '<html lang="fr"' in page_text(client.get("/s/parks"))


def test_survey_form_works_with_csrf_protection_on(database_url, tmp_path, session):
    app = make_app(database_url, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        make_survey(session)
        client = app.test_client()
        token = form_token(client.get("/s/parks"))
        assert answer_all(client, token, age="30").status_code == 303
        assert count(session, Response) == 1
    finally:
        app.extensions["engage.engine"].dispose()


def test_switching_language_keeps_the_answers_on_the_page(client, parks):
    token = form_token(client.get("/s/parks"))
    page_two = post(client, token, 0, visited="no", why_not="Too far", rating="2")
    switched = follow(client, page_two, "language", query="?lang=fr", age="41", comments="Bien")
    page = page_text(switched)
    assert '<html lang="fr"' in page and "Votre âge" in page
    assert 'value="41"' in page and ">Bien</textarea>" in page
    assert carried(switched) == carried(page_two)


# --- Pages, progress, skip logic -------------------------------------------------------


def test_notice_of_collection_comes_before_the_first_question(client, parks):
    page = page_text(client.get("/s/parks"))
    notice = page.index("Notice of collection")
    assert notice < page.index("To plan parks.") < page.index("Municipal Act, 2001.")
    assert page.index("Call 311.") < page.index("Did you visit a park this year?")


def test_long_survey_is_split_by_section_with_progress(client, parks):
    first = page_text(client.get("/s/parks"))
    assert "Page 1 of 2" in first
    assert "Your visits" in first and "Your age" not in first
    second = post(client, form_token(client.get("/s/parks")), 0, visited="yes")
    page = page_text(second)
    assert "Page 2 of 2" in page and "Your age" in page and "Did you visit" not in page
    assert "Notice of collection" not in page


def test_going_back_keeps_answers_from_both_pages(client, parks):
    token = form_token(client.get("/s/parks"))
    post(client, token, 0, visited="no", why_not="Too far", rating="3")
    back = post(
        client, token, 1, "back", visited="no", why_not="Too far", rating="3", age="30",
        comments="Shade", features=["trails", "splash_pad"],
    )  # fmt: skip
    page = back.get_data(as_text=True)
    assert 'value="no" checked' in page and 'value="3" checked' in page
    assert 'value="Too far"' in page
    assert carried(back) == {
        "age": ["30"],
        "comments": ["Shade"],
        "features": ["trails", "splash_pad"],
    }


def test_question_on_the_same_page_as_its_condition_is_rendered_for_the_script(client, parks):
    page = client.get("/s/parks").get_data(as_text=True)
    assert 'id="q-why_not"' in page
    assert "data-logic=" in page


def test_question_hidden_by_an_earlier_page_is_left_out(client, parks):
    token = form_token(client.get("/s/parks"))
    happy = post(client, token, 0, visited="yes", rating="5").get_data(as_text=True)
    assert 'id="q-unhappy"' not in happy
    unhappy = post(client, token, 0, visited="yes", rating="1").get_data(as_text=True)
    assert 'id="q-unhappy"' in unhappy


def test_hidden_questions_answer_is_never_stored(client, session, parks):
    token = form_token(client.get("/s/parks"))
    sent = post(
        client, token, 1, "send", visited="yes", why_not="Sneaky", rating="5", unhappy="Sneaky"
    )
    assert sent.status_code == 303
    texts = session.exec(select(Answer.text)).all()
    assert "Sneaky" not in texts
    assert count(session, Response) == 1


def test_page_with_every_question_hidden_is_skipped(client, session):
    make_survey(
        session,
        questions=(
            QuestionDefinition("q1", SINGLE_CHOICE, label={"en": "Drive?"}, choices=yes_no()),
            QuestionDefinition("s2", SECTION, label={"en": "Driving"}),
            QuestionDefinition(
                "q2",
                SHORT_TEXT,
                label={"en": "Which car?"},
                relevant=Condition("q1", OP_EQUALS, ("yes",)),
            ),
            QuestionDefinition("s3", SECTION, label={"en": "Last bit"}),
            QuestionDefinition("q3", SHORT_TEXT, label={"en": "Postal code"}),
        ),
    )
    token = form_token(client.get("/s/parks"))
    page = page_text(post(client, token, 0, q1="no"))
    assert "Postal code" in page and "Which car?" not in page
    assert "Page 2 of 2" in page
    back = page_text(post(client, token, 2, "back", q1="no"))
    assert "Drive?" in back


# --- Errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"age": "200"}, "age", "Enter a number from 0 to 120."),
        ({"comments": "x" * 51}, "comments", "Write 50 characters at most (you wrote 51)."),
        ({"features": "swings"}, "features", "“swings” is not one of the options."),
        ({"age": "abc"}, "age", "Enter a number."),
    ],
)
def test_bad_answer_gets_a_clear_message_keeps_the_rest_and_stores_nothing(
    client, session, parks, answers, field, message
):
    token = form_token(client.get("/s/parks"))
    good = {"visited": "yes", "rating": "4", "comments": "Shade", "age": "30"}
    sent = post(client, token, 1, "send", **{**good, **answers})
    assert sent.status_code == 200
    page = page_text(sent)
    summary = error_summary(page)
    assert message in summary and f'href="#a-{field}' in summary
    assert f'id="e-{field}"' in page and message in page[page.index(f'id="e-{field}"') :]
    assert carried(sent)["visited"] == ["yes"] and carried(sent)["rating"] == ["4"]
    assert (">Shade</textarea>" in page) == (field != "comments")
    assert ('value="30"' in page) == (field != "age")
    assert count(session, Response) == 0


def test_missing_required_answer_is_explained_in_the_residents_language(client, session, parks):
    token = form_token(client.get("/s/parks?lang=fr"))
    response = post(client, token, 0, rating="4")
    page = page_text(response)
    assert "Cette question exige une réponse." in page
    assert page.index('id="error-summary"') < page.index("Avez-vous visité un parc?")
    assert 'href="#a-visited-0"' in page
    assert "<title>Error:" in page or "<title>Erreur" in page
    assert 'value="4" checked' in page
    assert count(session, Response) == 0


def test_question_with_an_error_is_described_by_its_message(client, parks):
    token = form_token(client.get("/s/parks"))
    page = post(client, token, 0, rating="4").get_data(as_text=True)
    assert '<fieldset aria-describedby="i-visited e-visited">' in page
    assert 'id="a-visited-0" name="q.visited" value="yes" aria-invalid="true"' in page


# --- One submission, one response --------------------------------------------------------


def test_sending_stores_one_response_with_its_answers_and_language(client, session, parks):
    token = form_token(client.get("/s/parks?lang=fr"))
    sent = answer_all(client, token, age="41,5", comments="De l'ombre", features="trails")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/s/parks/thanks")
    response = session.exec(select(Response)).one()
    assert (response.channel, response.language, response.idempotency_key) == ("web", "fr", token)
    stored = {
        name: (answer.choice, answer.number, answer.text)
        for answer, name in session.exec(
            select(Answer, Question.name).join(Question, Answer.question_id == Question.id)
        )
    }
    assert stored == {
        "visited": ("yes", None, None),
        "rating": (None, 4.0, None),
        "age": (None, 41.5, None),
        "comments": (None, None, "De l'ombre"),
        "features": ("trails", None, None),
    }


def test_double_submission_stores_one_response(client, session, parks):
    token = form_token(client.get("/s/parks"))
    first = answer_all(client, token, age="30")
    again = post(client, token, 1, "send", visited="yes", rating="4", age="30")
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert count(session, Response) == 1


def test_a_new_visit_to_the_survey_is_a_new_response(client, session, parks):
    answer_all(client, form_token(client.get("/s/parks")))
    answer_all(client, form_token(client.get("/s/parks")))
    assert count(session, Response) == 2


def test_refresh_after_sending_lands_on_the_thank_you_page(client, parks):
    sent = answer_all(client, form_token(client.get("/s/parks?lang=fr")))
    thanks = client.get(sent.headers["Location"])
    assert thanks.status_code == 200
    page = page_text(thanks)
    assert '<html lang="fr"' in page and "Nous ferons rapport en juin." in page


def test_token_from_another_browser_session_stores_nothing_and_keeps_answers(
    app, client, session, parks
):
    token = form_token(client.get("/s/parks"))
    stranger = app.test_client()
    response = post(stranger, token, 1, "send", visited="yes", rating="4", age="30")
    assert response.status_code == 200
    assert "not sent yet" in page_text(response)
    assert 'value="30"' in response.get_data(as_text=True)
    assert form_token(response) != token
    assert count(session, Response) == 0
    resent = post(stranger, form_token(response), 1, "send", visited="yes", rating="4", age="30")
    assert resent.status_code == 303 and count(session, Response) == 1


@pytest.mark.parametrize("token", ["", "forged.signature", "no-dot"])
def test_a_post_without_a_valid_token_stores_nothing_and_keeps_answers(app, session, parks, token):
    # What another web site can make its visitors' browsers send: no cookie, no real token.
    stranger = app.test_client()
    response = post(stranger, token, 1, "send", visited="yes", rating="4", age="30")
    assert response.status_code == 200
    assert "not sent yet" in page_text(response)
    assert 'value="30"' in response.get_data(as_text=True)
    assert count(session, Response) == 0
    resent = post(stranger, form_token(response), 1, "send", visited="yes", rating="4", age="30")
    assert resent.status_code == 303 and count(session, Response) == 1


def test_a_token_for_another_survey_stores_nothing(client, session, parks):
    make_survey(session, slug="roads")
    token = form_token(client.get("/s/roads"))
    response = post(client, token, 1, "send", visited="yes", rating="4", age="30")
    assert "not sent yet" in page_text(response)
    assert count(session, Response) == 0


def test_next_on_what_became_the_last_page_asks_to_send(client, session, parks):
    token = form_token(client.get("/s/parks"))
    response = post(client, token, 1, "next", visited="yes", rating="4", age="30")
    assert response.status_code == 200
    assert "Send my answers" in page_text(response)
    assert count(session, Response) == 0


# --- Contact, honeypot, limits ------------------------------------------------------------


def test_contact_details_are_stored_apart_from_the_answers(client, session, parks):
    token = form_token(client.get("/s/parks"))
    page_two = post(client, token, 0, visited="yes", rating="4").get_data(as_text=True)
    assert 'autocomplete="email"' in page_two and 'autocomplete="tel"' in page_two
    answer_all(client, token, contact_email="sam@example.ca", contact_phone="905-555-0100")
    contact = session.exec(select(ResponseContact)).one()
    assert contact.contact == "email: sam@example.ca\nphone: 905-555-0100"
    stored = session.exec(select(Answer.text)).all()
    assert not any(text and "example.ca" in text for text in stored)


def test_contact_details_go_back_and_forth_with_the_pages(client, parks):
    token = form_token(client.get("/s/parks"))
    back = post(client, token, 1, "back", visited="yes", contact_email="sam@example.ca")
    assert hidden_fields(back)["contact_email"] == ["sam@example.ca"]


def test_mistyped_contact_email_is_explained_and_nothing_stored(client, session, parks):
    token = form_token(client.get("/s/parks"))
    response = answer_all(client, token, contact_email="sam at example")
    assert response.status_code == 200
    assert "Enter an email address like name@example.com." in page_text(response)
    assert 'href="#contact_email"' in response.get_data(as_text=True)
    assert count(session, Response) == 0


def test_survey_can_leave_out_the_contact_fields(client, session):
    make_survey(session, settings={"ask_contact": False})
    token = form_token(client.get("/s/parks"))
    page = post(client, token, 0, visited="yes").get_data(as_text=True)
    assert "contact_email" not in page
    answer_all(client, token, contact_email="sam@example.ca")
    assert count(session, ResponseContact) == 0 and count(session, Response) == 1


def test_filled_honeypot_is_thanked_but_not_stored(client, session, parks):
    token = form_token(client.get("/s/parks"))
    response = answer_all(client, token, homepage="http://spam.example")
    assert response.status_code == 303 and response.headers["Location"].endswith("/thanks")
    assert count(session, Response) == 0


def test_honeypot_is_hidden_from_people(client, parks):
    page = client.get("/s/parks").get_data(as_text=True)
    assert '<div class="honeypot">' in page and 'name="homepage" tabindex="-1"' in page


def test_too_large_request_gets_a_friendly_413_page(client, parks):
    token = form_token(client.get("/s/parks?lang=fr"))
    response = post(client, token, 1, "send", comments="x" * 600_000)
    assert response.status_code == 413
    page = page_text(response)
    assert "<html" in page and "Traceback" not in page


def test_over_the_rate_limit_the_page_comes_back_with_answers_and_a_polite_message(
    database_url, tmp_path, session
):
    app = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        SUBMISSION_RATE_LIMIT="2 per minute",
    )
    try:
        make_survey(session)
        client = app.test_client()
        for _ in range(2):
            assert answer_all(client, form_token(client.get("/s/parks"))).status_code == 303
        token = form_token(client.get("/s/parks"))
        assert post(client, token, 0, visited="yes").status_code == 200  # pages are not counted
        limited = post(client, token, 1, "send", visited="yes", rating="4", age="77")
        assert limited.status_code == 429
        assert "wait a minute" in page_text(limited)
        assert 'value="77"' in limited.get_data(as_text=True)
        assert count(session, Response) == 2
    finally:
        app.extensions["engage.engine"].dispose()


# --- Light and self-contained ---------------------------------------------------------


def test_survey_page_loads_nothing_from_another_host_and_has_no_inline_code(client, parks):
    page = client.get("/s/parks").get_data(as_text=True)
    assert re.findall(r'<script[^>]*src="([^"]+)"', page) == ["/static/respond.js"]
    assert "<script>" not in page and "<style" not in page and " style=" not in page
    sources = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert all(url.startswith(("/", "data:", "http://localhost/")) for url in sources)


def test_survey_pages_with_answers_are_never_kept_by_a_shared_cache(client, parks):
    token = form_token(client.get("/s/parks"))
    page = post(client, token, 0, visited="yes")
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_survey_pages_do_not_vary_on_the_cookie_that_sending_changes(client, parks):
    # Back after sending shows the browser's copy of the last page; Chromium refuses a copy
    # marked "Vary: Cookie" once the cookie changed (ERR_CACHE_MISS), and sending changes
    # it: the session keeps the receipt code for the thank-you page.
    first = client.get("/s/parks")
    token = form_token(first)
    page = post(client, token, 0, visited="yes")
    for response in (first, page):
        assert "cookie" not in response.headers.get("Vary", "").lower()
        assert response.headers["Cache-Control"] == "private, no-cache"
    thanks = client.get("/s/parks/thanks")
    assert "cookie" in thanks.headers["Vary"].lower()  # other pages keep Flask's header


def test_pages_and_their_files_are_compressed_for_browsers_that_accept_gzip(client, parks):
    page = client.get("/s/parks", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"<form" in gzip.decompress(page.data)
    for path in ("/static/engage.css", "/static/respond.js"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", path
        assert len(gzip.decompress(response.data)) > len(response.data)


def test_a_rating_scale_labels_prefer_not_to_answer_in_the_residents_language(client, session):
    score = QuestionDefinition(
        "score", RATING, label={"en": "Score"}, settings={"max": 3}, allow_prefer_not=True
    )
    make_survey(session, questions=(score,))
    html = page_text(client.get("/s/parks?lang=fr"))
    assert re.search(r'value="3"[^>]*><label[^>]*>3</label>', html)
    assert ">Je préfère ne pas répondre</label>" in html
    assert ">prefer_not_to_answer<" not in html

"""The staff survey builder: building, translating, locking, life cycle, and who may use it."""

import io
import re

import openpyxl
import pytest
from jinja2 import FileSystemBytecodeCache
from sqlmodel import Session, select
from support import PASSWORD, make_app

from engage.auth import create_user, session_marks
from surveys.definition import (
    LONG_TEXT,
    NUMBER,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import (
    Answer,
    AuditEvent,
    Choice,
    Question,
    Response,
    Survey,
    SurveyText,
    User,
)
from surveys.store import load_texts, save_definition, survey_by_slug

PARKS = SurveyDefinition(
    slug="parks",
    default_language="en",
    languages=("en", "fr"),
    title={"en": "Parks", "fr": "Parcs"},
    questions=(
        QuestionDefinition(
            "visits",
            SINGLE_CHOICE,
            label={"en": "How often do you visit a park?", "fr": "À quelle fréquence?"},
            choices=(
                ChoiceDefinition("weekly", {"en": "Every week", "fr": "Chaque semaine"}),
                ChoiceDefinition("monthly", {"en": "Every month"}),
                ChoiceDefinition("never", {"en": "Never"}),
            ),
        ),
        QuestionDefinition(
            "why_not",
            LONG_TEXT,
            label={"en": "What keeps you away?"},
            relevant=Condition("visits", "equals", ("never",)),
        ),
        QuestionDefinition("age", NUMBER, label={"en": "How old are you?"}),
    ),
)


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory):
    """Compiled templates shared by the tests' apps (compiling them is most of a page's time)."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja-bytecode")))


@pytest.fixture(autouse=True)
def cached_templates(app, template_cache):
    """Let each test's app reuse the templates compiled by earlier tests."""
    app.jinja_env.bytecode_cache = template_cache


@pytest.fixture
def sign_in(client, session):
    """Sign the client in as a new user of a role, without the deliberately slow password hash.

    Signing in through the form is tested in test_auth.py; here it would spend most
    of each test's time in scrypt.
    """

    def sign_in(role: str) -> User:
        user = User(email=f"{role}@example.ca", name=role.title(), role=role, password_hash="!")
        session.add(user)
        session.commit()
        with client.session_transaction() as cookie_session:
            cookie_session["_user_id"] = str(user.id)
            cookie_session["_fresh"] = True
            cookie_session.update(session_marks(user))  # what signing in keeps
        return user

    return sign_in


@pytest.fixture
def staff(sign_in):
    """Sign the client in as a staff member."""
    return sign_in("staff")


@pytest.fixture
def parks(session):
    """A stored draft survey in English and French with three questions."""
    survey = save_definition(session, PARKS)
    session.commit()
    return survey


def fresh(session, slug: str = "parks") -> Survey:
    """Return the survey as stored now (the session's cached rows are dropped)."""
    session.expire_all()
    return survey_by_slug(session, slug)


def questions_of(session, slug: str = "parks") -> dict[str, Question]:
    return {question.name: question for question in fresh(session, slug).questions}


def texts_of(session, slug: str = "parks") -> dict:
    return load_texts(session, fresh(session, slug).id)


def post(client, url: str, data=None, status: int = 302, **kwargs):
    """Post a form and check the status (a redirect means it was accepted)."""
    response = client.post(url, data=data or {}, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def answer(session, survey_slug: str, question_name: str, **value) -> None:
    """Store one response answering ``question_name`` (as any channel would)."""
    survey = fresh(session, survey_slug)
    question = next(q for q in survey.questions if q.name == question_name)
    response = Response(
        survey_id=survey.id, channel="web", language="en", idempotency_key=f"key-{question.id}"
    )
    session.add(response)
    session.flush()
    session.add(Answer(response_id=response.id, question_id=question.id, **value))
    session.commit()


def audit_actions(session) -> list[str]:
    session.expire_all()
    return [event.action for event in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


# --- Who may use the builder ---------------------------------------------------------------


def test_visitor_is_sent_to_sign_in(client):
    response = client.get("/manage/")
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/manage/"),
        ("get", "/manage/parks/"),
        ("get", "/manage/parks/questions/visits"),
        ("post", "/manage/parks/status"),
        ("post", "/manage/parks/questions/visits/settings"),
        ("get", "/manage/parks/translations/fr.xlsx"),
    ],
)
def test_broker_cannot_use_the_builder(client, sign_in, parks, method, url):
    sign_in("broker")
    assert getattr(client, method)(url).status_code == 403


def test_admin_can_use_the_builder(client, sign_in, parks):
    sign_in("admin")
    assert "Parks" in page(client, "/manage/")


def test_start_page_links_staff_to_the_builder(client, staff):
    assert 'href="/manage/"' in page(client, "/auth/")


# --- The whole builder, through its forms ------------------------------------------------


def test_staff_builds_a_three_language_survey_through_the_forms(client, staff, session):
    post(
        client,
        "/manage/",
        {"create-slug": "library", "create-default_language": "en", "create-title": "Library"},
    )
    base = "/manage/library"
    post(client, f"{base}/languages", {"language-tag": "fr"})
    post(client, f"{base}/languages", {"language-tag": "AR"})  # normalised to ar

    for language, texts in {
        "en": {
            "title": "Your library",
            "description": "Five minutes.",
            "notice_purpose": "To plan library hours.",
            "notice_authority": "Municipal Act, 2001, s. 10.",
            "notice_contact": "Clerk, 1 City Hall Sq., 905-555-0100.",
            "thanks": "Thank you!",
        },
        "fr": {"title": "Votre bibliothèque", "thanks": "Merci!"},
        "ar": {"title": "مكتبتك", "thanks": "شكراً!"},
    }.items():
        data = {"texts-language": language} | {f"texts-{k}": v for k, v in texts.items()}
        post(client, f"{base}/texts", data)

    # A single choice with options, a Likert scale, a rating, a number and a comment.
    post(
        client,
        f"{base}/questions",
        {
            "question-kind": "single_choice",
            "question-label": "Do you have a library card?",
            "question-name": "card",
            "question-options": "Yes\nNo",
        },
    )
    post(
        client,
        f"{base}/questions",
        {"question-kind": "likert", "question-label": "The library meets my needs."},
    )
    post(
        client,
        f"{base}/questions",
        {
            "question-kind": "rating",
            "question-label": "Rate the library",
            "question-name": "rating",
        },
    )
    post(
        client,
        f"{base}/questions/rating/settings",
        {
            "settings-name": "rating",
            "settings-kind": "rating",
            "settings-required": "y",
            "settings-minimum": "1",
            "settings-maximum": "5",
            "settings-step": "1",
        },
    )
    post(
        client,
        f"{base}/questions",
        {
            "question-kind": "number",
            "question-label": "Visits per month",
            "question-name": "visits",
        },
    )
    post(
        client,
        f"{base}/questions/visits/settings",
        {
            "settings-name": "visits",
            "settings-kind": "number",
            "settings-minimum": "0",
            "settings-maximum": "60",
            "settings-integer": "y",
            "settings-allow_prefer_not": "y",
        },
    )
    post(
        client,
        f"{base}/questions",
        {"question-kind": "long_text", "question-label": "Why not?", "question-name": "why_not"},
    )
    post(
        client,
        f"{base}/questions/why_not/condition",
        {
            "condition-depends_on": "card",
            "condition-operator": "equals",
            "condition-answers-card": "no",
        },
    )
    post(client, f"{base}/bank/age_band")
    post(
        client,
        f"{base}/questions/card/settings",
        {"settings-name": "card", "settings-kind": "single_choice", "settings-dimension": "card"},
    )

    # Translate the first question's texts in French and Arabic.
    card = questions_of(session, "library")["card"]
    choice_ids = {choice.name: choice.id for choice in card.choices}
    for language, label, yes, no in (
        ("fr", "Avez-vous une carte de bibliothèque?", "Oui", "Non"),
        ("ar", "هل لديك بطاقة مكتبة؟", "نعم", "لا"),
    ):
        post(
            client,
            f"{base}/questions/card/texts",
            {
                "texts-language": language,
                "texts-label": label,
                f"texts-choice_{choice_ids['yes']}": yes,
                f"texts-choice_{choice_ids['no']}": no,
            },
        )
    arabic = page(client, f"{base}/questions/card?language=ar")
    assert re.search(
        r'<textarea[^>]*dir="rtl"[^>]*id="texts-label"|<textarea[^>]*id="texts-label"[^>]*dir="rtl"',
        arabic,
    )

    post(client, f"{base}/status", {"action": "publish"})

    survey = fresh(session, "library")
    assert (survey.status, survey.default_language, survey.languages) == (
        "open",
        "en",
        ["en", "fr", "ar"],
    )
    assert survey.opened_at is not None
    questions = {q.name: q for q in survey.questions}
    assert [q.name for q in survey.questions] == [
        "card",
        "the_library_meets_my_needs",
        "rating",
        "visits",
        "why_not",
        "age_band",
    ]
    assert [c.name for c in questions["card"].choices] == ["yes", "no"]
    assert questions["card"].dimension == "card"
    assert questions["the_library_meets_my_needs"].kind == "likert"
    assert questions["rating"].settings == {"min": 1, "max": 5, "step": 1}
    assert questions["rating"].required is True
    assert questions["visits"].settings == {"min": 0, "max": 60, "integer": True}
    assert questions["visits"].allow_prefer_not is True
    assert questions["why_not"].relevant == {"question": "card", "op": "equals", "values": ["no"]}
    assert questions["age_band"].dimension == "age_band"
    assert questions["age_band"].allow_prefer_not is True

    texts = load_texts(session, survey.id)
    assert texts["title"] == {"en": "Your library", "fr": "Votre bibliothèque", "ar": "مكتبتك"}
    assert texts["notice.authority"] == {"en": "Municipal Act, 2001, s. 10."}
    assert texts["q.card.label"]["ar"] == "هل لديك بطاقة مكتبة؟"
    assert texts["c.card.no"] == {"en": "No", "fr": "Non", "ar": "لا"}
    # Built-in texts arrive translated: the Likert labels and the demographic bank.
    assert texts["c.the_library_meets_my_needs.agree"]["ar"] == "أوافق"
    assert texts["q.age_band.label"]["fr"]

    for language in ("en", "fr", "ar"):
        preview = page(client, f"{base}/preview?language={language}")
        assert texts["title"][language] in preview
    # The resident pages render the survey in each of its languages.
    for language, direction, label in (
        ("en", "ltr", "Do you have a library card?"),
        ("fr", "ltr", "Avez-vous une carte de bibliothèque?"),
        ("ar", "rtl", "هل لديك بطاقة مكتبة؟"),
    ):
        resident = page(client, f"/s/library?lang={language}")
        assert f'<html lang="{language}" dir="{direction}">' in resident
        assert texts["title"][language] in resident
        assert label in resident
    actions = audit_actions(session)
    assert actions.count("question.add") == 6
    assert "survey.publish" in actions


# --- Creating surveys --------------------------------------------------------------------


def test_a_taken_slug_is_refused_next_to_the_field_and_nothing_is_created(
    client, staff, session, parks
):
    response = post(
        client,
        "/manage/",
        {"create-slug": "parks", "create-default_language": "fr", "create-title": "Autre"},
        status=400,
    )
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert '<a href="#create-slug">A survey with this web address name already exists.</a>' in html
    assert 'id="create-slug-error"' in html
    assert len(session.exec(select(Survey)).all()) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("create-slug", "Parks 2025", "Use lower-case letters a to z"),
        ("create-default_language", "not a language!", "is not a language tag"),
        ("create-title", "   ", "Enter a title."),
    ],
)
def test_bad_new_survey_fields_are_explained(client, staff, session, field, value, message):
    data = {"create-slug": "ok", "create-default_language": "en", "create-title": "Ok"}
    data[field] = value
    response = post(client, "/manage/", data, status=400)
    assert message in response.get_data(as_text=True)
    assert session.exec(select(Survey)).all() == []


def test_builder_errors_are_in_the_staff_members_language(client, staff, parks):
    client.get("/manage/?lang=fr")
    response = post(
        client,
        "/manage/",
        {"create-slug": "parks", "create-default_language": "en", "create-title": "x"},
        status=400,
    )
    assert '<html lang="fr"' in response.get_data(as_text=True)


def test_index_lists_surveys_with_status_languages_and_responses(client, staff, session, parks):
    answer(session, "parks", "visits", choice="weekly")
    html = page(client, "/manage/")
    row = re.search(r"<tr>\s*<td><a href=\"/manage/parks/\".*?</tr>", html, re.S).group(0)
    assert "Parks" in row
    assert "Draft" in row
    assert "English (en), French (fr)" in row
    assert '<td class="num">1</td>' in row


# --- Languages and texts -----------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, name",
    [
        ("oj", "Anishinaabemowin (oj)"),
        ("cr", "ᓀᐦᐃᔭᐍᐏᐣ (Nēhiyawēwin) (cr)"),
        ("iu", "ᐃᓄᒃᑎᑐᑦ (iu)"),
        ("fr-CA", "French (Canada) (fr-CA)"),
    ],
)
def test_any_bcp47_language_can_be_added_and_is_named(client, staff, session, parks, tag, name):
    post(client, "/manage/parks/languages", {"language-tag": tag})
    assert fresh(session).languages == ["en", "fr", tag]
    html = page(client, "/manage/parks/")
    assert f'<th scope="row">{name}' in html


def test_language_completeness_lists_the_untranslated_texts(client, staff, parks):
    html = page(client, "/manage/parks/")
    # Of the 7 texts written in some language, French has the title, a label and an option.
    assert "3/7 (42%)" in html
    assert "4 texts not translated into French (fr)" in html
    assert "Question “visits”: option “monthly”" in html


def test_adding_a_language_twice_is_refused(client, staff, parks):
    response = post(client, "/manage/parks/languages", {"language-tag": "FR"}, status=400)
    assert "The survey already has this language." in response.get_data(as_text=True)


def test_default_language_can_change_and_cannot_be_removed(client, staff, session, parks):
    response = post(client, "/manage/parks/languages/en/remove", status=400)
    assert "The default language cannot be removed" in response.get_data(as_text=True)
    post(client, "/manage/parks/languages/fr/default")
    post(client, "/manage/parks/languages/en/remove")
    survey = fresh(session)
    assert (survey.default_language, survey.languages) == ("fr", ["fr"])


def test_right_to_left_texts_are_edited_right_to_left(client, staff, parks):
    post(client, "/manage/parks/languages", {"language-tag": "ur"})
    html = page(client, "/manage/parks/texts?language=ur")
    assert re.search(r'<input[^>]*dir="rtl"[^>]*id="texts-title"', html) or re.search(
        r'<input[^>]*id="texts-title"[^>]*dir="rtl"', html
    )
    assert 'lang="ur"' in html
    # The English source is shown beside it, left to right.
    assert '<span lang="en" dir="ltr">Parks</span>' in html


def test_the_default_language_needs_a_title(client, staff, session, parks):
    response = post(
        client, "/manage/parks/texts", {"texts-language": "en", "texts-title": ""}, status=400
    )
    assert "Enter a title: the default language needs one." in response.get_data(as_text=True)
    assert texts_of(session)["title"]["en"] == "Parks"


def test_clearing_a_translation_falls_back_and_is_marked(client, staff, session, parks):
    post(client, "/manage/parks/texts", {"texts-language": "fr", "texts-title": ""})
    assert texts_of(session)["title"] == {"en": "Parks"}
    html = page(client, "/manage/parks/preview?language=fr")
    assert re.search(
        r'<span lang="en" dir="ltr">Parks</span>\s*<span class="badge untranslated">', html
    )


# --- Questions ---------------------------------------------------------------------------


def test_a_choice_question_needs_options(client, staff, session, parks):
    response = post(
        client,
        "/manage/parks/questions",
        {"question-kind": "multiple_choice", "question-label": "Which parks?"},
        status=400,
    )
    assert "Write at least one option, one per line." in response.get_data(as_text=True)
    assert len(fresh(session).questions) == 3


def test_question_names_are_unique_and_made_from_the_text(client, staff, session, parks):
    response = post(
        client,
        "/manage/parks/questions",
        {"question-kind": "date", "question-label": "When?", "question-name": "age"},
        status=400,
    )
    assert "Another question is already called “age”." in response.get_data(as_text=True)
    post(client, "/manage/parks/questions", {"question-kind": "date", "question-label": "Âge?"})
    post(client, "/manage/parks/questions", {"question-kind": "note", "question-label": "Âge!"})
    assert [q.name for q in fresh(session).questions][-2:] == ["age_2", "age_3"]


def test_every_kind_can_be_added(client, staff, session, parks):
    from surveys.definition import KINDS

    for kind in KINDS:
        post(
            client,
            "/manage/parks/questions",
            {"question-kind": kind, "question-label": f"A {kind}", "question-options": "A\nB"},
        )
    added = fresh(session).questions[3:]
    assert [q.kind for q in added] == list(KINDS)
    for question in added:
        page(client, f"/manage/parks/questions/{question.name}")


def test_reordering_moves_questions_without_javascript(client, staff, session, parks):
    post(client, "/manage/parks/questions/age/move", {"direction": "up"})
    assert [q.name for q in fresh(session).questions] == ["visits", "age", "why_not"]
    assert [q.position for q in fresh(session).questions] == [0, 1, 2]


def test_reordering_refuses_to_put_a_question_before_the_one_it_depends_on(
    client, staff, session, parks
):
    response = post(client, "/manage/parks/questions/why_not/move", {"direction": "up"}, status=409)
    assert "“why_not” depends on the answer to “visits”, so it must come after it." in (
        response.get_data(as_text=True)
    )
    assert [q.name for q in fresh(session).questions] == ["visits", "why_not", "age"]


def test_deleting_a_question_asks_first_then_removes_its_texts(client, staff, session, parks):
    assert "Delete the question “age”?" in page(client, "/manage/parks/questions/age/delete")
    post(client, "/manage/parks/questions/age/delete")
    assert [q.name for q in fresh(session).questions] == ["visits", "why_not"]
    assert "q.age.label" not in texts_of(session)
    assert "question.delete" in audit_actions(session)


def test_a_question_other_questions_depend_on_cannot_be_deleted(client, staff, session, parks):
    response = post(client, "/manage/parks/questions/visits/delete", status=409)
    assert "change its skip logic first" in response.get_data(as_text=True)
    assert len(fresh(session).questions) == 3


def test_renaming_a_question_moves_its_texts_and_skip_logic(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions/visits/settings",
        {"settings-name": "frequency", "settings-kind": "single_choice"},
    )
    questions = questions_of(session)
    assert questions["why_not"].relevant["question"] == "frequency"
    texts = texts_of(session)
    assert texts["q.frequency.label"]["fr"] == "À quelle fréquence?"
    assert texts["c.frequency.weekly"]["fr"] == "Chaque semaine"
    assert not [key for key in texts if ".visits." in key]


def test_changing_kind_keeps_or_drops_options(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions",
        {"question-kind": "single_choice", "question-label": "Park", "question-options": "A\nB"},
    )
    post(
        client,
        "/manage/parks/questions/park/settings",
        {"settings-name": "park", "settings-kind": "multiple_choice"},
    )
    assert [c.name for c in questions_of(session)["park"].choices] == ["a", "b"]
    post(
        client,
        "/manage/parks/questions/park/settings",
        {"settings-name": "park", "settings-kind": "short_text", "settings-dimension": "x"},
    )
    park = questions_of(session)["park"]
    assert (park.kind, park.choices, park.dimension) == ("short_text", [], None)
    assert "c.park.a" not in texts_of(session)


def test_a_kind_change_that_breaks_skip_logic_is_refused(client, staff, session, parks):
    response = post(
        client,
        "/manage/parks/questions/visits/settings",
        {"settings-name": "visits", "settings-kind": "short_text"},
        status=400,
    )
    assert "“why_not” is shown depending on this answer" in response.get_data(as_text=True)
    assert questions_of(session)["visits"].kind == "single_choice"


@pytest.mark.parametrize(
    ("question", "data", "message"),
    [
        ("age", {"settings-minimum": "10", "settings-maximum": "5"}, "must not be below"),
        ("age", {"settings-minimum": "ten"}, "Enter a number."),
        ("visits", {"settings-dimension": "Race Group"}, "Use lower-case letters"),
        ("why_not", {"settings-dimension": "comment"}, "Only a question with fixed answers"),
        ("why_not", {"settings-max_length": "0"}, "Enter a number of at least 1."),
    ],
)
def test_constraints_are_checked_next_to_their_fields(
    client, staff, session, parks, question, data, message
):
    kind = questions_of(session)[question].kind
    form = {"settings-name": question, "settings-kind": kind} | data
    response = post(client, f"/manage/parks/questions/{question}/settings", form, status=400)
    assert message in response.get_data(as_text=True)
    assert questions_of(session)[question].settings == {}


def test_rating_scale_and_choice_counts_are_checked(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions",
        {"question-kind": "rating", "question-label": "Rate", "question-name": "rate"},
    )
    response = post(
        client,
        "/manage/parks/questions/rate/settings",
        {
            "settings-name": "rate",
            "settings-kind": "rating",
            "settings-minimum": "1",
            "settings-maximum": "10",
            "settings-step": "2",
        },
        status=400,
    )
    assert "The steps must reach the highest point exactly." in response.get_data(as_text=True)
    post(
        client,
        "/manage/parks/questions",
        {
            "question-kind": "multiple_choice",
            "question-label": "Which",
            "question-name": "which",
            "question-options": "A\nB",
        },
    )
    response = post(
        client,
        "/manage/parks/questions/which/settings",
        {"settings-name": "which", "settings-kind": "multiple_choice", "settings-max_choices": "3"},
        status=400,
    )
    assert "The question has only 2 options." in response.get_data(as_text=True)


def test_choices_are_added_reordered_and_removed(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions/visits/choices",
        {"choice-label": "Every day", "choice-name": "daily"},
    )
    visits = questions_of(session)["visits"]
    assert [c.name for c in visits.choices] == ["weekly", "monthly", "never", "daily"]
    daily = visits.choices[-1].id
    post(client, f"/manage/parks/questions/visits/choices/{daily}/move", {"direction": "up"})
    assert [c.name for c in questions_of(session)["visits"].choices] == [
        "weekly",
        "monthly",
        "daily",
        "never",
    ]
    monthly = questions_of(session)["visits"].choices[1].id
    post(client, f"/manage/parks/questions/visits/choices/{monthly}/remove")
    assert [c.name for c in questions_of(session)["visits"].choices] == ["weekly", "daily", "never"]
    assert "c.visits.monthly" not in texts_of(session)
    assert texts_of(session)["c.visits.daily"] == {"en": "Every day"}


def test_an_option_used_by_skip_logic_cannot_be_removed(client, staff, session, parks):
    never = questions_of(session)["visits"].choices[2].id
    response = post(client, f"/manage/parks/questions/visits/choices/{never}/remove", status=409)
    assert "“why_not” is shown depending on this option" in response.get_data(as_text=True)


def test_the_default_language_needs_every_option_text(client, staff, session, parks):
    visits = questions_of(session)["visits"]
    data = {"texts-language": "en", "texts-label": "How often?"}
    data |= {f"texts-choice_{c.id}": "x" for c in visits.choices}
    data[f"texts-choice_{visits.choices[0].id}"] = ""
    response = post(client, "/manage/parks/questions/visits/texts", data, status=400)
    assert "Enter the option text: the default language needs it." in response.get_data(
        as_text=True
    )
    assert texts_of(session)["q.visits.label"]["en"] == "How often do you visit a park?"


# --- Skip logic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "condition-depends_on": "visits",
                "condition-operator": "equals",
                "condition-answers-visits": ["weekly", "never"],
            },
            "use “is one of” for several",
        ),
        (
            {
                "condition-depends_on": "visits",
                "condition-operator": "one_of",
                "condition-answers-visits": "sometimes",
            },
            "Choose answers that the earlier question offers.",
        ),
        (
            {
                "condition-depends_on": "why_not",
                "condition-operator": "equals",
                "condition-answers-why_not": "x",
            },
            "Skip logic can only depend on a choice, scale or number question.",
        ),
        (
            {
                "condition-depends_on": "nowhere",
                "condition-operator": "equals",
                "condition-answers-nowhere": "65",
            },
            "Skip logic can only depend on a question that comes before this one.",
        ),
        (
            {
                "condition-depends_on": "visits",
                "condition-operator": "sometimes",
                "condition-answers-visits": "never",
            },
            "Choose how the earlier answer should be compared.",
        ),
    ],
)
def test_bad_skip_logic_is_refused_with_the_reason(client, staff, session, parks, data, message):
    # "age" comes last: it may depend on "visits" (choice) but not on "why_not" (text).
    response = post(client, "/manage/parks/questions/age/condition", data, status=400)
    assert message in response.get_data(as_text=True)
    assert questions_of(session)["age"].relevant is None


def test_skip_logic_on_a_number_and_its_removal(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions",
        {"question-kind": "short_text", "question-label": "School?", "question-name": "school"},
    )
    post(
        client,
        "/manage/parks/questions/school/condition",
        {
            "condition-depends_on": "age",
            "condition-operator": "one_of",
            "condition-answers-age": "12, 13,14",
        },
    )
    assert questions_of(session)["school"].relevant == {
        "question": "age",
        "op": "one_of",
        "values": ["12", "13", "14"],
    }
    html = page(client, "/manage/parks/")
    assert "Shown when “age” is one of “12”, “13”, “14”" in html
    post(client, "/manage/parks/questions/school/condition", {"condition-depends_on": ""})
    assert questions_of(session)["school"].relevant is None


# --- Locking questions that hold answers -------------------------------------------------


def test_an_answered_question_is_locked_and_the_builder_says_so(client, staff, session, parks):
    answer(session, "parks", "visits", choice="never")
    assert "Has answers: type, name and option names are locked" in page(client, "/manage/parks/")
    html = page(client, "/manage/parks/questions/visits")
    assert "This question has answers." in html
    assert 'name="settings-kind" value="single_choice"' in html  # shown, not editable


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"settings-name": "visits", "settings-kind": "multiple_choice"},
            "This question has answers, so its type cannot change.",
        ),
        (
            {"settings-name": "how_often", "settings-kind": "single_choice"},
            "This question has answers, so its name cannot change.",
        ),
    ],
)
def test_forged_structural_changes_to_an_answered_question_are_refused(
    client, staff, session, parks, data, message
):
    answer(session, "parks", "visits", choice="never")
    response = post(client, "/manage/parks/questions/visits/settings", data, status=400)
    assert message in response.get_data(as_text=True)
    visits = questions_of(session)["visits"]
    assert (visits.name, visits.kind) == ("visits", "single_choice")


def test_an_answered_question_keeps_its_options_and_cannot_be_deleted(
    client, staff, session, parks
):
    answer(session, "parks", "age", number=40)
    response = post(client, "/manage/parks/questions/age/delete", status=409)
    assert "“age” has answers, so it cannot be deleted." in response.get_data(as_text=True)
    answer(session, "parks", "visits", choice="weekly")
    weekly = questions_of(session)["visits"].choices[0].id
    response = post(client, f"/manage/parks/questions/visits/choices/{weekly}/remove", status=409)
    assert "its options cannot be removed" in response.get_data(as_text=True)
    assert len(questions_of(session)["visits"].choices) == 3
    assert "age" in questions_of(session)


def test_an_answered_question_can_still_be_translated_and_given_options(
    client, staff, session, parks
):
    answer(session, "parks", "visits", choice="weekly")
    post(
        client,
        "/manage/parks/questions/visits/texts",
        {"texts-language": "fr", "texts-label": "Combien de fois?"},
    )
    post(client, "/manage/parks/questions/visits/choices", {"choice-label": "Daily"})
    post(
        client,
        "/manage/parks/questions/visits/settings",
        {"settings-name": "visits", "settings-kind": "single_choice", "settings-required": "y"},
    )
    visits = questions_of(session)["visits"]
    assert [c.name for c in visits.choices][-1] == "daily"
    assert visits.required is True
    assert texts_of(session)["q.visits.label"]["fr"] == "Combien de fois?"


# --- Life cycle ----------------------------------------------------------------------------


def test_publish_needs_a_question_and_a_default_language_title(client, staff, session):
    post(
        client,
        "/manage/",
        {"create-slug": "empty", "create-default_language": "en", "create-title": "Empty"},
    )
    response = post(client, "/manage/empty/status", {"action": "publish"}, status=400)
    assert "Add at least one question before publishing." in response.get_data(as_text=True)
    post(client, "/manage/empty/questions", {"question-kind": "note", "question-label": "Hi"})
    response = post(client, "/manage/empty/status", {"action": "publish"}, status=400)
    assert "Add at least one question before publishing." in response.get_data(as_text=True)
    assert fresh(session, "empty").status == "draft"


def test_publish_close_and_reopen_are_audited(client, staff, session, parks):
    post(client, "/manage/parks/status", {"action": "publish"})
    assert fresh(session).status == "open"
    response = post(client, "/manage/parks/status", {"action": "publish"}, status=409)
    assert "cannot be changed that way" in response.get_data(as_text=True)
    post(client, "/manage/parks/status", {"action": "close"})
    survey = fresh(session)
    assert (survey.status, survey.closed_at is not None) == ("closed", True)
    post(client, "/manage/parks/status", {"action": "reopen"})
    assert fresh(session).status == "open"
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "survey").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.old, e.new) for e in events] == [
        ("survey.publish", {"status": "draft"}, {"status": "open"}),
        ("survey.close", {"status": "open"}, {"status": "closed"}),
        ("survey.reopen", {"status": "closed"}, {"status": "open"}),
    ]
    assert {e.user_id for e in events} == {staff.id}


def test_question_edits_are_audited_with_old_and_new_values(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions/age/settings",
        {"settings-name": "age", "settings-kind": "number", "settings-maximum": "120"},
    )
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "question.edit")).one()
    assert (event.old["settings"], event.new["settings"]) == ({}, {"max": 120})


def test_duplicating_makes_a_draft_copy_with_every_text(client, staff, session, parks):
    post(
        client,
        "/manage/parks/texts",
        {"texts-language": "en", "texts-title": "Parks", "texts-notice_purpose": "Planning."},
    )
    post(client, "/manage/parks/status", {"action": "publish"})
    post(client, "/manage/parks/duplicate", {"duplicate-slug": "parks-2026"})
    copy = fresh(session, "parks-2026")
    assert copy.status == "draft"
    assert [q.name for q in copy.questions] == ["visits", "why_not", "age"]
    assert load_texts(session, copy.id) == texts_of(session)
    response = post(client, "/manage/parks/duplicate", {"duplicate-slug": "parks-2026"}, status=400)
    assert "already exists" in response.get_data(as_text=True)


def test_a_bank_entry_is_added_once_with_its_texts(client, staff, session, parks):
    post(client, "/manage/parks/bank/disability")
    questions = fresh(session).questions
    assert len(questions) == 9
    assert {q.dimension for q in questions[3:]} == {"disability"}
    response = post(client, "/manage/parks/bank/disability", status=409)
    assert "cannot be added again" in response.get_data(as_text=True)
    assert len(fresh(session).questions) == 9


# --- Translators' files through the builder ------------------------------------------------


def fill_xlsx(data: bytes, translations: dict[str, str]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row in workbook["translations"].iter_rows(min_row=2):
        if row[0].value in translations:
            row[2].value = translations[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_translation_round_trip_through_the_builder(client, staff, session, parks):
    exported = client.get("/manage/parks/translations/fr.xlsx")
    assert exported.status_code == 200
    assert "parks-fr.xlsx" in exported.headers["Content-Disposition"]
    filled = fill_xlsx(exported.data, {"c.visits.never": "Jamais", "q.age.label": "Quel âge?"})
    post(
        client,
        "/manage/parks/translations",
        {"translation-language": "fr", "translation-file": (io.BytesIO(filled), "parks-fr.xlsx")},
        content_type="multipart/form-data",
    )
    texts = texts_of(session)
    assert texts["c.visits.never"]["fr"] == "Jamais"
    assert texts["q.age.label"]["fr"] == "Quel âge?"
    assert texts["title"]["fr"] == "Parcs"
    assert "survey.translation_import" in audit_actions(session)


def test_translation_for_another_language_is_refused_in_the_builder(client, staff, session, parks):
    post(client, "/manage/parks/languages", {"language-tag": "ar"})
    po = client.get("/manage/parks/translations/ar.po").data
    response = post(
        client,
        "/manage/parks/translations",
        {"translation-language": "fr", "translation-file": (io.BytesIO(po), "parks-ar.po")},
        content_type="multipart/form-data",
        status=400,
    )
    html = response.get_data(as_text=True)
    assert "This file holds translations into Arabic (ar), not French (fr)." in html
    assert 'href="#translation-file"' in html
    assert texts_of(session)["title"] == {"en": "Parks", "fr": "Parcs"}


def test_translation_export_is_only_for_the_survey_languages(client, staff, parks):
    assert client.get("/manage/parks/translations/de.po").status_code == 404
    assert client.get("/manage/parks/translations/en.po").status_code == 404
    assert client.get("/manage/parks/translations/fr.csv").status_code == 404


# --- XLSForm through the builder -----------------------------------------------------------


def test_xlsform_upload_creates_a_draft_and_lists_the_warnings(client, staff, session, parks):
    exported = client.get("/manage/parks/xlsform.xlsx")
    assert exported.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(exported.data))
    workbook["survey"].append(["calculate", "total"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        "/manage/import",
        data={
            "xlsform-file": (io.BytesIO(buffer.getvalue()), "parks.xlsx"),
            "xlsform-slug": "parks-copy",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    html = response.get_data(as_text=True)
    assert "What was not imported or was changed" in html
    assert "calculate" in html
    copy = fresh(session, "parks-copy")
    assert copy.status == "draft"
    assert [q.name for q in copy.questions] == ["visits", "why_not", "age"]


def test_a_corrupt_xlsform_upload_is_refused_and_creates_nothing(client, staff, session):
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(b"PK\x03\x04 not really"), "broken.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "The file could not be imported" in response.get_data(as_text=True)
    assert session.exec(select(Survey)).all() == []


def test_uploads_may_be_larger_than_a_survey_page_post(client, staff, session, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    workbook = openpyxl.Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    survey_sheet.append(["type", "name", "label"])
    survey_sheet.append(["text", "comment", "Comment"])
    notes = workbook.create_sheet("notes")
    # Incompressible filler so the file really is larger than the limit.
    import os

    for _ in range(limit // 2000 + 50):
        notes.append([os.urandom(1500).hex()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) > limit
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(buffer.getvalue()), "big.xlsx"), "xlsform-slug": "big"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert fresh(session, "big") is not None


# --- CSRF ----------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(database_url, tmp_path):
    """A client of an app with CSRF protection on, signed in as staff, with the parks survey."""
    app = make_app(database_url, tmp_path / "csrf-instance", WTF_CSRF_ENABLED=True)
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        create_user(session, "csrf-staff@example.ca", "staff", PASSWORD)
        save_definition(session, PARKS)
        session.commit()
    client = app.test_client()
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    client.post(
        "/auth/login",
        data={"email": "csrf-staff@example.ca", "password": PASSWORD, "csrf_token": token},
    )
    yield client, app
    app.extensions["engage.engine"].dispose()


def csrf_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_builder_forms_refuse_posts_without_the_csrf_token(csrf_client):
    client, app = csrf_client
    response = client.post("/manage/parks/status", data={"action": "publish"})
    assert response.status_code == 400
    assert "This form expired or was sent from elsewhere." in response.get_data(as_text=True)
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(b"x"), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with Session(app.extensions["engage.engine"]) as session:
        assert survey_by_slug(session, "parks").status == "draft"
        assert len(session.exec(select(Survey)).all()) == 1


def test_builder_forms_work_with_the_csrf_token(csrf_client):
    client, app = csrf_client
    token = csrf_token(client, "/manage/parks/")
    response = client.post("/manage/parks/status", data={"action": "publish", "csrf_token": token})
    assert response.status_code == 302
    po = client.get("/manage/parks/translations/fr.po").data
    response = client.post(
        "/manage/parks/translations",
        data={
            "translation-csrf_token": token,
            "translation-language": "fr",
            "translation-file": (io.BytesIO(po), "parks-fr.po"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with Session(app.extensions["engage.engine"]) as session:
        assert survey_by_slug(session, "parks").status == "open"


# --- Pages -----------------------------------------------------------------------------------


def test_builder_pages_render_for_every_question_and_language(client, staff, session, parks):
    post(client, "/manage/parks/languages", {"language-tag": "ar"})
    for url in (
        "/manage/",
        "/manage/parks/",
        "/manage/parks/texts?language=ar",
        "/manage/parks/preview?language=ar",
        "/manage/parks/questions/visits?language=fr",
        "/manage/parks/questions/why_not",
        "/manage/parks/questions/age/delete",
    ):
        html = page(client, url)
        assert "style=" not in html
        assert "<script>" not in html


def test_unknown_surveys_and_questions_are_not_found(client, staff, parks):
    assert client.get("/manage/nope/").status_code == 404
    assert client.get("/manage/parks/questions/nope").status_code == 404
    assert client.post("/manage/parks/bank/nope").status_code == 404


def test_stored_rows_match_between_texts_and_choices(session, client, staff, parks):
    """Every choice has its text key; deleting leaves no orphan texts behind."""
    post(client, "/manage/parks/questions/why_not/condition", {"condition-depends_on": ""})
    post(client, "/manage/parks/questions/visits/delete")
    keys = {row.key for row in session.exec(select(SurveyText))}
    assert not [key for key in keys if "visits" in key]
    assert session.exec(select(Choice)).all() == []


def test_preview_links_open_the_draft_on_the_resident_page_in_each_language(client, staff, parks):
    html = page(client, "/manage/parks/")
    for language, title in (("en", "Parks"), ("fr", "Parcs")):
        link = f"/s/parks?lang={language}&amp;preview=1"
        assert f'href="{link}"' in html
        resident = page(client, link.replace("&amp;", "&"))
        assert title in resident
    # The draft stays hidden from residents.
    with client.session_transaction() as cookie_session:
        cookie_session.clear()
    assert client.get("/s/parks?lang=fr").status_code == 404


def test_an_answered_rating_keeps_its_scale(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions",
        {"question-kind": "rating", "question-label": "Rate", "question-name": "rate"},
    )
    answer(session, "parks", "rate", number=9)
    response = post(
        client,
        "/manage/parks/questions/rate/settings",
        {"settings-name": "rate", "settings-kind": "rating", "settings-maximum": "5"},
        status=400,
    )
    assert "so its scale cannot change" in response.get_data(as_text=True)
    # Spelling out the scale it already has is not a change.
    post(
        client,
        "/manage/parks/questions/rate/settings",
        {
            "settings-name": "rate",
            "settings-kind": "rating",
            "settings-minimum": "0",
            "settings-maximum": "10",
            "settings-required": "y",
        },
    )
    assert questions_of(session)["rate"].required is True


def test_changing_to_the_agreement_scale_brings_its_five_options(client, staff, session, parks):
    post(
        client,
        "/manage/parks/questions",
        {
            "question-kind": "single_choice",
            "question-label": "Agree?",
            "question-name": "opinion",
            "question-options": "Agree\nDisagree",
        },
    )
    post(
        client,
        "/manage/parks/questions/opinion/settings",
        {"settings-name": "opinion", "settings-kind": "likert"},
    )
    opinion = questions_of(session)["opinion"]
    assert [c.name for c in opinion.choices] == [
        "strongly_disagree",
        "disagree",
        "neutral",
        "agree",
        "strongly_agree",
    ]
    assert texts_of(session)["c.opinion.agree"] == {"en": "Agree", "fr": "D’accord"}


def test_a_slug_taken_between_check_and_write_is_still_refused(
    client, staff, session, parks, monkeypatch
):
    from surveys import store

    monkeypatch.setattr(store, "survey_by_slug", lambda session, slug: None)
    response = post(
        client,
        "/manage/",
        {"create-slug": "parks", "create-default_language": "en", "create-title": "Twin"},
        status=400,
    )
    assert "A survey with this web address name already exists." in response.get_data(as_text=True)
    session.expire_all()
    assert len(session.exec(select(Survey)).all()) == 1
    assert audit_actions(session) == []


def test_a_question_counted_in_a_group_session_is_locked_too(client, staff, session, parks):
    from datetime import date

    from surveys.models import GroupSession, GroupTally

    visits = questions_of(session)["visits"]
    group = GroupSession(
        survey_id=visits.survey_id,
        kind="community_meeting",
        facilitator="Ana",
        held_on=date(2025, 5, 1),
        participants=12,
        consent="oral",
        attribution="anonymous",
    )
    session.add(group)
    session.flush()
    session.add(GroupTally(session_id=group.id, question_id=visits.id, choice="weekly", count=7))
    session.commit()
    response = post(
        client,
        "/manage/parks/questions/visits/settings",
        {"settings-name": "visits", "settings-kind": "multiple_choice"},
        status=400,
    )
    assert "This question has answers, so its type cannot change." in response.get_data(
        as_text=True
    )
    assert "This question has answers." in page(client, "/manage/parks/questions/visits")

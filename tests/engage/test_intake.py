"""Broker data entry, paper forms and group sessions, as brokers and staff use them."""

import re
from datetime import date, timedelta

import pytest
from report_support import grouped_rows_afresh, kept_counts
from sqlmodel import func, select
from support import assign, login

from engage.auth import create_user
from surveys import report_counts
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
from surveys.intake import feedback_sentiment_counts, quotable_feedback
from surveys.models import (
    Answer,
    AuditEvent,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Question,
    Response,
)
from surveys.store import save_definition, set_texts

SLUG = "library-hours"


def survey_definition(slug: str = SLUG) -> SurveyDefinition:
    """A small survey with every kind the entry screen handles."""

    def choices(*names):
        return tuple(ChoiceDefinition(n, {"en": n.title(), "fr": n.upper()}) for n in names)

    return SurveyDefinition(
        slug=slug,
        default_language="en",
        languages=("en", "fr", "ar"),
        title={"en": "Library hours", "fr": "Heures des bibliothèques", "ar": "ساعات المكتبة"},
        questions=(
            QuestionDefinition(name="visit", kind=SECTION, label={"en": "Your visits"}),
            QuestionDefinition(
                name="used",
                kind=MULTIPLE_CHOICE,
                required=True,
                label={"en": "Which branches do you use?", "fr": "Quelles succursales?"},
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
                settings={"min": 0, "max": 100, "integer": True},
                label={"en": "Visits last month"},
            ),
            QuestionDefinition(name="comments", kind=LONG_TEXT, label={"en": "Comments"}),
            QuestionDefinition(
                name="gender",
                kind=SINGLE_CHOICE,
                allow_prefer_not=True,
                dimension="gender",
                label={"en": "Gender"},
                choices=choices("man", "woman", "another_gender"),
            ),
        ),
    )


@pytest.fixture
def survey(session, users):
    survey = save_definition(session, survey_definition(), status="open")
    set_texts(session, survey, {"notice.purpose": {"en": "We plan library hours with this."}})
    session.commit()
    assign(session, survey, users["broker"])
    return survey


@pytest.fixture
def second_broker(session, users, survey):
    broker = create_user(session, "broker2@example.ca", "broker", "another password 1", name="Bea")
    assign(session, survey, broker)
    return broker


def entry_form(**overrides) -> dict:
    """A paper form as a broker keys it in: codes for closed questions."""
    form = {
        "channel": "paper",
        "language": "fr",
        "collected_on": (date.today() - timedelta(days=2)).isoformat(),
        "place": "Malton Community Centre",
        "paper_id": "A-001",
        "code:used": "1 3",
        "code:satisfied": "4",
        "visits": "3",
        "comments": "Open later on Sundays please",
        "code:gender": "2",
    }
    form.update(overrides)
    return form


def entries(session):
    return session.exec(select(Response).order_by(Response.id)).all()


def answers_of(session, response) -> dict[str, list]:
    rows = session.exec(
        select(Answer, Question)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)
        .order_by(Answer.id)
    ).all()
    found: dict[str, list] = {}
    for answer, question in rows:
        value = answer.choice or answer.text or answer.number
        found.setdefault(question.name, []).append(value)
    return found


# --- Entering forms -------------------------------------------------------------------


def test_broker_keys_in_a_paper_form_by_codes(client, login_as, session, survey):
    broker = login_as("broker")
    reply = client.post(f"/intake/{SLUG}/enter", data=entry_form())
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(f"/intake/{SLUG}/enter")
    (response,) = entries(session)
    assert (response.channel, response.language, response.paper_id) == ("paper", "fr", "A-001")
    assert response.place == "Malton Community Centre"
    assert response.entered_by_id == broker.id
    assert response.collected_at.date() == date.today() - timedelta(days=2)
    assert answers_of(session, response) == {
        "used": ["central", "west"],
        "satisfied": ["agree"],
        "visits": [3.0],
        "comments": ["Open later on Sundays please"],
        "gender": ["woman"],
    }


def test_next_form_keeps_the_batch_details_and_starts_blank(client, login_as, survey):
    login_as("broker")
    client.post(f"/intake/{SLUG}/enter", data=entry_form())
    page = client.get(f"/intake/{SLUG}/enter").get_data(as_text=True)
    assert "Saved paper form A-001." in page
    assert '<option value="fr" selected>' in page
    assert 'value="Malton Community Centre"' in page
    assert re.search(r'id="paper_id" name="paper_id" value=""', page)
    assert "Forms you entered for this survey: 1." in page


def test_ticked_boxes_are_enough_without_codes(client, login_as, session, survey):
    login_as("broker")
    form = entry_form(**{"code:used": "", "code:satisfied": "", "code:gender": ""})
    form.update({"used": ["east"], "satisfied": "disagree"})
    assert client.post(f"/intake/{SLUG}/enter", data=form).status_code == 302
    (response,) = entries(session)
    assert answers_of(session, response)["used"] == ["east"]
    assert answers_of(session, response)["satisfied"] == ["disagree"]


def test_resending_the_same_form_does_not_store_it_twice(client, login_as, session, survey):
    login_as("broker")
    form = entry_form(entry_key="entry-" + "a" * 32)
    client.post(f"/intake/{SLUG}/enter", data=form)
    again = client.post(f"/intake/{SLUG}/enter", data=form, follow_redirects=True)
    assert "That form was already saved." in again.get_data(as_text=True)
    assert len(entries(session)) == 1


def test_duplicate_paper_id_is_refused_naming_the_earlier_entry(client, login_as, session, survey):
    login_as("broker")
    client.post(f"/intake/{SLUG}/enter", data=entry_form())
    (earlier,) = entries(session)
    reply = client.post(f"/intake/{SLUG}/enter", data=entry_form(paper_id=" a-001 ", visits="9"))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Paper form A-001 was already entered as entry" in page
    assert earlier.public_id in page and "by Broker" in page
    assert 'value="9"' in page  # what was typed is kept
    assert len(entries(session)) == 1


def test_same_paper_id_may_be_used_in_another_survey(client, login_as, session, survey, users):
    other = save_definition(session, survey_definition("other-survey"), status="open")
    session.commit()
    assign(session, other, users["broker"])
    login_as("broker")
    client.post(f"/intake/{SLUG}/enter", data=entry_form())
    assert client.post("/intake/other-survey/enter", data=entry_form()).status_code == 302
    assert len(entries(session)) == 2


def test_a_form_with_an_error_keeps_everything_typed(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/enter", data=entry_form(visits="lots", **{"code:gender": "7"})
    )
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Please correct the following" in page
    assert "Enter a number." in page
    assert "“7” is not a code of this question. Its codes are 1, 2, 3, 9." in page
    assert 'value="lots"' in page and 'value="7"' in page
    assert "Open later on Sundays please</textarea>" in page
    assert 'value="1 3"' in page and 'value="A-001"' in page
    assert 'value="Malton Community Centre"' in page
    assert entries(session) == []


def test_entry_is_validated_like_a_residents_answers(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(f"/intake/{SLUG}/enter", data=entry_form(**{"code:used": ""}))
    assert reply.status_code == 400
    assert "This question requires an answer." in reply.get_data(as_text=True)
    reply = client.post(f"/intake/{SLUG}/enter", data=entry_form(visits="101"))
    assert "Enter a number from 0 to 100." in reply.get_data(as_text=True)
    assert entries(session) == []


def test_paper_forms_need_an_id_and_a_date_not_in_the_future(client, login_as, session, survey):
    login_as("broker")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    page = client.post(
        f"/intake/{SLUG}/enter", data=entry_form(paper_id="", collected_on=tomorrow)
    ).get_data(as_text=True)
    assert "Enter the ID written on the paper form." in page
    assert "The date cannot be in the future." in page
    phone = client.post(f"/intake/{SLUG}/enter", data=entry_form(paper_id="", channel="phone"))
    assert phone.status_code == 302
    assert entries(session)[0].channel == "phone"


def test_entries_cannot_be_made_for_a_draft_survey(client, login_as, session):
    save_definition(session, survey_definition("draft-survey"))
    session.commit()
    login_as("broker")
    assert client.get("/intake/draft-survey/enter").status_code == 404
    assert client.post("/intake/draft-survey/enter", data=entry_form()).status_code == 404


def test_start_page_lists_open_surveys_with_entry_and_paper_links(client, login_as, survey):
    login_as("broker")
    assert "Data entry" in client.get("/auth/").get_data(as_text=True)
    page = client.get("/intake/").get_data(as_text=True)
    assert "Library hours" in page
    assert f"/intake/{SLUG}/enter" in page
    assert f"/intake/{SLUG}/paper/ar" in page


def test_anonymous_visitor_is_sent_to_sign_in(client, survey):
    assert client.get(f"/intake/{SLUG}/enter").status_code == 302


# --- Paper forms --------------------------------------------------------------------


def paper_codes(page: str) -> dict[str, tuple[str, list[str]]]:
    """Return {question: (number, codes)} as printed on the paper form."""
    found = {}
    for name, body in re.findall(
        r'<li class="paper-question[^"]*" id="paper-(\w+)">(.*?)</li>\s*'
        r'(?=<li class="paper-|</ol>)',
        page,
        re.S,
    ):
        number = re.search(r'<span class="q-number">(\d+)\.</span>', body).group(1)
        found[name] = (number, re.findall(r'<span class="option-code[^"]*">([^<]+)</span>', body))
    return found


def entry_codes(page: str) -> dict[str, tuple[str, list[str]]]:
    """Return {question: (number, codes)} as the entry screen shows them."""
    found = {}
    for name, body in re.findall(
        r'<li class="entry-question[^"]*" id="question-(\w+)">(.*?)</li>', page, re.S
    ):
        number = re.search(r'<span class="q-number">(\d+)\.</span>', body).group(1)
        found[name] = (number, re.findall(r'data-code="([^"]+)"', body))
    return found


def test_paper_form_and_entry_screen_number_and_code_alike(client, login_as, survey):
    login_as("broker")
    paper = paper_codes(client.get(f"/intake/{SLUG}/paper/fr").get_data(as_text=True))
    screen = entry_codes(client.get(f"/intake/{SLUG}/enter").get_data(as_text=True))
    assert paper == screen
    assert paper["used"] == ("1", ["1", "2", "3"])
    assert paper["satisfied"] == ("2", ["1", "2", "3", "4", "5", "9"])
    assert paper["gender"][0] == "5"


def test_paper_form_looks_like_a_form_in_the_chosen_language(client, login_as, survey):
    login_as("broker")
    page = client.get(f"/intake/{SLUG}/paper/fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Heures des bibliothèques" in page and "Quelles succursales?" in page
    assert "paper-id-box" in page and "tick-box" in page and "write-line" in page
    assert "We plan library hours with this." in page  # notice of collection
    # Untranslated content is marked with the language it is in.
    assert '<span lang="en" dir="ltr">The hours suit me.</span>' in page


def test_paper_form_in_arabic_is_right_to_left(client, login_as, survey):
    login_as("staff")
    page = client.get(f"/intake/{SLUG}/paper/ar?size=a4").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "الساعات تناسبني." in page and "paper-a4" in page


def test_paper_form_in_a_language_the_survey_lacks_is_not_found(client, login_as, survey):
    login_as("broker")
    assert client.get(f"/intake/{SLUG}/paper/pa").status_code == 404


# --- Who sees what, corrections, review ------------------------------------------------


@pytest.fixture
def keyed_entry(client, login_as, session, survey):
    """One paper form keyed in by the broker, who stays signed in."""
    login_as("broker")
    client.post(f"/intake/{SLUG}/enter", data=entry_form())
    return entries(session)[0]


def test_broker_cannot_open_or_correct_another_brokers_entry(
    client, keyed_entry, second_broker, session
):
    client.post("/auth/logout")
    login(client, second_broker.email, "another password 1")
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=entry_form(visits="50")).status_code == 404
    assert keyed_entry.public_id not in client.get(f"/intake/{SLUG}/entries").get_data(as_text=True)
    session.refresh(keyed_entry)
    assert answers_of(session, keyed_entry)["visits"] == [3.0]


def test_staff_see_every_entry(client, keyed_entry, users):
    client.post("/auth/logout")
    login(client, users["staff"].email)
    listing = client.get(f"/intake/{SLUG}/entries").get_data(as_text=True)
    assert keyed_entry.public_id in listing and "Broker" in listing
    assert client.get(f"/intake/{SLUG}/entries/{keyed_entry.public_id}").status_code == 200


def test_entries_come_fifty_a_page_with_newer_and_older_links(client, login_as, session, survey):
    login_as("broker")
    for number in range(51):
        reply = client.post(f"/intake/{SLUG}/enter", data=entry_form(paper_id=f"P-{number}"))
        assert reply.status_code == 302
    first = client.get(f"/intake/{SLUG}/entries").get_data(as_text=True)
    second = client.get(f"/intake/{SLUG}/entries?page=2").get_data(as_text=True)

    assert "Page 1 of 2" in first and f'href="/intake/{SLUG}/entries?page=2"' in first
    assert "Newer" not in first
    assert "Page 2 of 2" in second and f'href="/intake/{SLUG}/entries?page=1"' in second
    assert "Older" not in second and second.count("P-") == 1


def test_correction_keeps_old_and_new_values_in_the_audit_trail(
    client, keyed_entry, session, users
):
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}"
    reply = client.post(url, data=entry_form(visits="5", paper_id="A-002", **{"code:used": "2"}))
    assert reply.status_code == 302
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all()
    assert (event.action, event.entity, event.entity_id) == (
        "response.correct",
        "response",
        keyed_entry.public_id,
    )
    assert event.user_id == users["broker"].id
    assert event.old == {
        "paper_id": "A-001",
        "answers": {"used": ["central", "west"], "visits": ["3"]},
    }
    assert event.new == {"paper_id": "A-002", "answers": {"used": ["east"], "visits": ["5"]}}
    session.refresh(keyed_entry)
    assert answers_of(session, keyed_entry)["visits"] == [5.0]
    assert keyed_entry.updated_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "History" in page and "Question 3 (visits)" in page


def test_correction_moves_the_entry_in_the_kept_report_counts(client, keyed_entry, session, survey):
    kept_counts(session, survey)  # counting has started
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}"

    client.post(url, data=entry_form(channel="phone", **{"code:used": "2"}))

    assert report_counts.trusted(session, survey)  # kept up to date, not rebuilt
    counted = kept_counts(session, survey)
    assert counted[("totals", "channel")] == {("phone",): 1}
    assert counted == grouped_rows_afresh(session, survey)


def test_correcting_the_area_answer_moves_the_entry_to_the_new_area(
    client, login_as, session, survey
):
    # Ask the single-choice question as the survey's area (ward) question.
    question = session.exec(select(Question).where(Question.name == "gender")).one()
    question.dimension = "area"
    session.commit()
    login_as("broker")
    client.post(f"/intake/{SLUG}/enter", data=entry_form(**{"code:gender": "2"}))
    (entry,) = entries(session)
    assert entry.area == "woman"

    client.post(
        f"/intake/{SLUG}/entries/{entry.public_id}", data=entry_form(**{"code:gender": "1"})
    )

    session.refresh(entry)
    assert entry.area == "man"


def test_correction_with_an_error_changes_nothing(client, keyed_entry, session):
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}"
    reply = client.post(url, data=entry_form(visits="-4"))
    assert reply.status_code == 400
    assert 'value="-4"' in reply.get_data(as_text=True)
    assert (
        session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity != "user")
        ).one()
        == 0
    )


def test_correction_cannot_take_another_forms_paper_id(client, keyed_entry, session):
    client.post(f"/intake/{SLUG}/enter", data=entry_form(paper_id="B-7"))
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}"
    reply = client.post(url, data=entry_form(paper_id="b-7"))
    assert reply.status_code == 400
    assert "Paper form B-7 was already entered" in reply.get_data(as_text=True)


def test_staff_verify_an_entry_or_flag_it_with_a_reason(client, keyed_entry, session, users):
    url = f"/intake/{SLUG}/entries/{keyed_entry.public_id}/review"
    assert client.post(url, data={"decision": "verified"}).status_code == 403  # broker
    client.post("/auth/logout")
    login(client, users["staff"].email)
    refused = client.post(url, data={"decision": "flagged", "review_note": ""})
    assert refused.status_code == 400
    assert "Say why the entry is flagged." in refused.get_data(as_text=True)
    client.post(url, data={"decision": "flagged", "review_note": "Age box unreadable"})
    session.refresh(keyed_entry)
    assert (keyed_entry.status, keyed_entry.review_note) == ("flagged", "Age box unreadable")
    assert keyed_entry.reviewed_by_id == users["staff"].id and keyed_entry.reviewed_at
    client.post(url, data={"decision": "verified"})
    session.refresh(keyed_entry)
    assert keyed_entry.status == "verified" and keyed_entry.review_note is None
    actions = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.entity != "user").order_by(AuditEvent.id)
        )
    ]
    assert actions == ["response.flag", "response.verify"]


def test_brokers_correction_sends_a_reviewed_entry_back_for_review(client, keyed_entry, session):
    keyed_entry.status = "flagged"
    session.add(keyed_entry)
    session.commit()
    client.post(f"/intake/{SLUG}/entries/{keyed_entry.public_id}", data=entry_form(visits="4"))
    session.refresh(keyed_entry)
    assert keyed_entry.status == "submitted"
    event = session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).one()
    assert (event.old["status"], event.new["status"]) == ("flagged", "submitted")


# --- Group sessions -----------------------------------------------------------------


def session_form(**overrides) -> dict:
    form = {
        "kind": "elder_circle",
        "facilitator": "Grandmother Ruth",
        "held_on": (date.today() - timedelta(days=1)).isoformat(),
        "place": "Credit River longhouse",
        "languages": ["en"],
        "other_languages": "oj",
        "participants": "12",
        "consent": "oral",
        "attribution": "anonymous",
        # satisfied (question 2): codes 1..5
        "tally:satisfied:4": "7",
        "tally:satisfied:2": "3",
        "demo:gender:1": "5",
        "demo:gender:2": "6",
        "demo:gender:unknown": "1",
        "feedback_rows": "2",
        "fb:0:kind": "quote",
        "fb:0:text": "The library is a wonderful, welcoming place.",
        "fb:0:language": "en",
        "fb:0:question": "satisfied",
        "fb:1:kind": "note",
        "fb:1:text": "Elders want Sunday hours.",
        "fb:1:language": "en",
        "fb:1:theme": "Hours",
    }
    form.update(overrides)
    return form


def test_elder_circle_is_recorded_with_tallies_demographics_and_scored_feedback(
    client, login_as, session, survey
):
    broker = login_as("broker")
    reply = client.post(f"/intake/{SLUG}/sessions/new", data=session_form())
    assert reply.status_code == 302
    group = session.exec(select(GroupSession)).one()
    assert (group.kind, group.participants, group.consent) == ("elder_circle", 12, "oral")
    assert group.languages == ["en", "oj"] and group.entered_by_id == broker.id
    tallies = {t.choice: t.count for t in session.exec(select(GroupTally))}
    assert tallies == {"agree": 7, "disagree": 3, None: 2}  # 2 did not say
    demographics = {d.choice: d.count for d in session.exec(select(GroupDemographic))}
    assert demographics == {"man": 5, "woman": 6, None: 1}
    quote, note = session.exec(select(GroupFeedback).order_by(GroupFeedback.id)).all()
    assert quote.kind == "quote" and quote.sentiment_label == "positive" and quote.polarity > 0
    assert note.theme == "Hours"
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "7 of 12" in page and "The library is a wonderful, welcoming place." in page


def test_tallies_cannot_exceed_the_participants(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new",
        data=session_form(**{"tally:satisfied:4": "10", "tally:satisfied:2": "3"}),
    )
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "These counts add up to 13, more than the 12 participants." in page
    assert 'value="10"' in page and "Elders want Sunday hours." in page
    assert session.exec(select(func.count()).select_from(GroupSession)).one() == 0


def test_demographic_counts_cannot_exceed_the_participants(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new", data=session_form(**{"demo:gender:unknown": "4"})
    )
    assert reply.status_code == 400
    assert "These counts add up to 15" in reply.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(GroupSession)).one() == 0


def test_a_name_is_refused_unless_participants_agreed_to_attribution(
    client, login_as, session, survey
):
    login_as("broker")
    named = session_form(**{"fb:0:speaker": "Ruth"})
    reply = client.post(f"/intake/{SLUG}/sessions/new", data=named)
    assert reply.status_code == 400
    assert "participants did not agree to be quoted by name" in reply.get_data(as_text=True)
    named["attribution"] = "attributed"
    assert client.post(f"/intake/{SLUG}/sessions/new", data=named).status_code == 302
    assert session.exec(select(GroupFeedback.speaker).where(GroupFeedback.kind == "quote")).one()


def test_session_needs_consent_attribution_and_participants(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new",
        data=session_form(consent="", attribution="", participants="0", other_languages="??"),
    )
    page = reply.get_data(as_text=True)
    assert "Choose how participants gave consent." in page
    assert "Choose how quotes may be used." in page
    assert "Enter how many people took part (1 or more)." in page
    assert "“??” is not a language code" in page


def test_more_boxes_for_notes_keep_what_was_typed(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(f"/intake/{SLUG}/sessions/new", data=session_form(action="more_rows"))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert 'name="fb:4:text"' in page and "Elders want Sunday hours." in page
    assert session.exec(select(func.count()).select_from(GroupSession)).one() == 0


def record_session(client, **overrides) -> GroupSession:
    reply = client.post(f"/intake/{SLUG}/sessions/new", data=session_form(**overrides))
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return reply.headers["Location"].rsplit("/", 1)[1]


def test_text_not_to_be_quoted_is_left_out_of_quotable_feedback(client, login_as, session, survey):
    login_as("broker")
    record_session(client, attribution="no_quote")
    record_session(
        client,
        attribution="attributed",
        **{"fb:0:text": "Great staff, lovely space.", "fb:0:speaker": "Ruth"},
    )
    record_session(client, attribution="anonymous", **{"fb:0:text": "Nice reading room."})
    quotable = quotable_feedback(session, survey.id)
    texts = [item.text for item in quotable]
    assert "The library is a wonderful, welcoming place." not in texts
    assert "Great staff, lovely space." in texts and "Nice reading room." in texts
    assert {item.speaker for item in quotable} == {"Ruth", None}
    # Not quoted, still counted: six feedback rows in all, three of them quotes.
    assert sum(feedback_sentiment_counts(session, survey.id).values()) == 6


def test_speaker_names_are_dropped_when_attribution_is_withdrawn(session, survey, users):
    group = GroupSession(
        survey_id=survey.id,
        kind="focus_group",
        facilitator="F",
        held_on=date.today(),
        participants=4,
        consent="written",
        attribution="anonymous",
    )
    session.add(group)
    session.flush()
    session.add(GroupFeedback(session_id=group.id, kind="quote", text="Hi", speaker="Ruth"))
    session.commit()
    assert [item.speaker for item in quotable_feedback(session, survey.id)] == [None]


def test_no_quote_session_page_warns_that_its_text_is_for_analysis_only(client, login_as, survey):
    login_as("broker")
    public_id = record_session(client, attribution="no_quote")
    page = client.get(f"/intake/{SLUG}/sessions/{public_id}").get_data(as_text=True)
    assert "Not to be quoted." in page


def test_session_correction_is_audited(client, login_as, session, survey):
    login_as("broker")
    public_id = record_session(client)
    form = session_form(participants="14", **{"fb:0:id": "", "fb:1:id": ""})
    edit_page = client.get(f"/intake/{SLUG}/sessions/{public_id}/edit").get_data(as_text=True)
    ids = re.findall(r'name="fb:(\d+):id" value="(\d+)"', edit_page)
    for index, row_id in ids:
        form[f"fb:{index}:id"] = row_id
    reply = client.post(f"/intake/{SLUG}/sessions/{public_id}/edit", data=form)
    assert reply.status_code == 302
    event = session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).one()
    assert event.action == "group_session.correct"
    assert (event.old["participants"], event.new["participants"]) == (12, 14)
    assert event.new["tallies"]["satisfied"][""] == 4  # did-not-say follows the participants
    assert session.exec(select(func.count()).select_from(GroupFeedback)).one() == 2


def test_broker_cannot_open_another_brokers_session(client, login_as, survey, second_broker, users):
    login_as("broker")
    public_id = record_session(client)
    client.post("/auth/logout")
    login(client, second_broker.email, "another password 1")
    assert client.get(f"/intake/{SLUG}/sessions/{public_id}").status_code == 404
    assert client.get(f"/intake/{SLUG}/sessions/{public_id}/edit").status_code == 404
    client.post("/auth/logout")
    login(client, users["staff"].email)
    assert client.get(f"/intake/{SLUG}/sessions/{public_id}").status_code == 200


# --- Demo ---------------------------------------------------------------------------


def test_demo_has_keyed_in_paper_forms_and_group_sessions_once(runner, session):
    from engage.demo import DEMO_PAPER_FORMS

    def counts():
        return tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Response, GroupSession, GroupTally, GroupDemographic, GroupFeedback)
        )

    assert runner.invoke(args=["demo"]).exit_code == 0
    loaded = counts()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert counts() == loaded
    paper = session.exec(select(Response).where(Response.channel == "paper")).all()
    assert len(paper) == DEMO_PAPER_FORMS
    assert {"fr", "pa", "ar"} <= {r.language for r in paper}
    assert {r.place for r in paper} == {"Malton Community Centre"}
    assert all(r.entered_by_id and r.paper_id for r in paper)
    sessions = session.exec(select(GroupSession)).all()
    assert "elder_circle" in {s.kind for s in sessions}
    assert "no_quote" in {s.attribution for s in sessions}
    for group in sessions:
        tallies = session.exec(select(GroupTally).where(GroupTally.session_id == group.id)).all()
        by_question: dict[int, int] = {}
        for tally in tallies:
            by_question[tally.question_id] = by_question.get(tally.question_id, 0) + tally.count
        assert set(by_question.values()) <= {group.participants}


# -- the language of notes and quotes (issue 13) -------------------------------------------


@pytest.mark.parametrize("tag", ["oj", "cr", "iu", "oj-Cans"])
def test_a_note_in_any_language_is_kept_in_it_and_left_unscored_not_neutral(
    client, login_as, session, survey, tag
):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new",
        data=session_form(
            other_languages="",
            **{"fb:1:language": tag, "fb:1:text": "Gichi-miigwech for the Sunday bus."},
        ),
    )

    assert reply.status_code == 302, reply.get_data(as_text=True)
    note = session.exec(select(GroupFeedback).where(GroupFeedback.kind == "note")).one()
    assert note.language == tag
    assert (note.polarity, note.sentiment_label) == (None, None)
    # Spoken at the session, so the session lists the language too.
    assert session.exec(select(GroupSession)).one().languages == ["en", tag]


def test_a_note_in_french_is_scored_though_the_session_was_held_in_english(
    client, login_as, session, survey
):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new",
        data=session_form(
            other_languages="",
            **{"fb:1:language": "fr-CA", "fb:1:text": "La bibliothèque ferme beaucoup trop tôt."},
        ),
    )

    assert reply.status_code == 302
    note = session.exec(select(GroupFeedback).where(GroupFeedback.kind == "note")).one()
    assert (note.language, note.sentiment_label) == ("fr-CA", "negative")


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Choose the language the words were spoken in."), ("??", "“??” is not a language code")],
)
def test_a_note_needs_a_well_formed_language_tag(client, login_as, session, survey, typed, message):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/sessions/new", data=session_form(**{"fb:1:language": typed})
    )

    assert reply.status_code == 400
    assert message in reply.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(GroupSession)).one() == 0


def test_the_note_language_picker_suggests_indigenous_languages(client, login_as, survey):
    login_as("broker")
    page = client.get(f"/intake/{SLUG}/sessions/new").get_data(as_text=True)

    picker = re.search(r'<datalist id="feedback-languages">(.*?)</datalist>', page, re.S).group(1)
    assert {'value="oj"', 'value="cr"', 'value="iu"', 'value="en"'} <= set(
        re.findall(r'value="[^"]+"', picker)
    )
    assert 'list="feedback-languages"' in page


# -- the language an interview was given in (issue 13) -------------------------------------


@pytest.mark.parametrize("channel", ["phone", "in_person"])
def test_an_interview_keeps_the_language_spoken_and_leaves_it_unscored(
    client, login_as, session, survey, channel
):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/enter",
        data=entry_form(
            channel=channel,
            paper_id="",
            language="en",
            spoken_language="pa",
            comments="ਲਾਇਬ੍ਰੇਰੀ ਬਹੁਤ ਜਲਦੀ ਬੰਦ ਹੋ ਜਾਂਦੀ ਹੈ।",
        ),
    )

    assert reply.status_code == 302, reply.get_data(as_text=True)[:3000]
    (response,) = entries(session)
    assert (response.channel, response.language) == (channel, "pa")
    comment = session.exec(select(Answer).where(Answer.text.is_not(None))).one()
    assert (comment.polarity, comment.sentiment_label) == (None, None)
    # The next form starts with the same language spoken; the correction screen shows it.
    assert 'value="pa"' in client.get(f"/intake/{SLUG}/enter").get_data(as_text=True)
    page = client.get(f"/intake/{SLUG}/entries/{response.public_id}").get_data(as_text=True)
    assert re.search(r'id="spoken_language" name="spoken_language" value="pa"', page)


def test_an_interview_in_a_regional_french_is_scored_as_french(client, login_as, session, survey):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/enter",
        data=entry_form(
            channel="phone",
            paper_id="",
            spoken_language="fr-CA",
            comments="La bibliothèque ferme beaucoup trop tôt.",
        ),
    )

    assert reply.status_code == 302
    assert entries(session)[0].language == "fr-CA"
    comment = session.exec(select(Answer).where(Answer.text.is_not(None))).one()
    assert comment.sentiment_label == "negative"


@pytest.mark.parametrize(
    ("channel", "typed", "message"),
    [
        ("paper", "pa", "Only an interview has a language spoken"),
        ("phone", "??", "“??” is not a language code"),
    ],
)
def test_a_language_spoken_must_be_an_interviews_and_a_language_code(
    client, login_as, session, survey, channel, typed, message
):
    login_as("broker")
    reply = client.post(
        f"/intake/{SLUG}/enter", data=entry_form(channel=channel, spoken_language=typed)
    )

    assert reply.status_code == 400
    assert message in reply.get_data(as_text=True)
    assert entries(session) == []


def test_the_language_spoken_picker_suggests_indigenous_languages(client, login_as, survey):
    login_as("broker")
    page = client.get(f"/intake/{SLUG}/enter").get_data(as_text=True)

    picker = re.search(r'<datalist id="spoken-languages">(.*?)</datalist>', page, re.S).group(1)
    assert {'value="oj"', 'value="cr"', 'value="iu"', 'value="pa"'} <= set(
        re.findall(r'value="[^"]+"', picker)
    )

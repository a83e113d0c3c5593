"""Hostile input: control characters refused with a 400 before they reach the database."""

import pytest
from sqlmodel import func, select
from support import PASSWORD, login

from surveys.definition import LONG_TEXT, QuestionDefinition, SurveyDefinition
from surveys.models import GroupSession, Response, SurveyText
from surveys.store import save_definition

REFUSED = "invisible control characters"


@pytest.fixture
def survey(session):
    survey = save_definition(
        session,
        SurveyDefinition(
            slug="roads",
            default_language="en",
            languages=("en",),
            title={"en": "Roads"},
            questions=(
                QuestionDefinition(name="comments", kind=LONG_TEXT, label={"en": "Comments"}),
            ),
        ),
        status="open",
    )
    session.commit()
    return survey


def count(session, table) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(table)).one()


@pytest.mark.parametrize(
    "address", ["/s/%00", "/s/roads%01", "/manage/%00/texts", "/s/roads?lang=%00", "/?%7F=1"]
)
def test_a_control_character_in_an_address_is_a_400(client, survey, address):
    response = client.get(address)
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_a_nul_in_the_login_email_is_a_400_and_signs_no_one_in(client, users):
    response = client.post(
        "/auth/login", data={"email": "staff@example.ca\x00", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/auth/").status_code == 302


def test_a_nul_in_survey_texts_is_a_400_and_stores_nothing(client, login_as, session, survey):
    login_as("staff")
    before = count(session, SurveyText)
    response = client.post(
        "/manage/roads/texts",
        data={"texts-language": "en", "texts-title": "Roads\x00", "texts-thanks": "Thanks"},
    )
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    assert count(session, SurveyText) == before


def test_a_nul_in_a_session_note_is_a_400_and_stores_nothing(client, login_as, session, survey):
    login_as("staff")
    response = client.post(
        "/intake/roads/sessions/new",
        data={"kind": "meeting", "fb:0:kind": "note", "fb:0:text": "Fix\x00 potholes"},
    )
    assert response.status_code == 400
    assert count(session, GroupSession) == 0


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x1b", "\x7f"])
def test_a_resident_answer_with_a_control_character_is_a_400(client, session, survey, character):
    response = client.post(
        "/s/roads", data={"action": "send", "page": "0", "q.comments": f"Hi{character}there"}
    )
    assert response.status_code == 400
    assert count(session, Response) == 0


def test_tabs_and_line_breaks_in_a_text_area_are_kept(client, session, survey):
    page = client.get("/s/roads").get_data(as_text=True)
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/s/roads",
        data={
            "token": token,
            "action": "send",
            "page": "0",
            "q.comments": "First line\r\nSecond\tline",
        },
    )
    assert response.status_code == 303
    assert count(session, Response) == 1


def test_a_control_character_in_an_upload_name_is_a_400(client, login_as, session):
    import io

    login_as("staff")
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(b"not a workbook"), "form\x00.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["1" * 30, "2", "0", "-1"])
def test_a_page_number_out_of_range_is_a_404(client, login_as, survey, page):
    login_as("staff")
    assert client.get("/intake/roads/entries?page=1").status_code == 200
    assert client.get(f"/intake/roads/entries?page={page}").status_code == 404


def paper_entry(paper_id: str) -> dict:
    return {
        "channel": "paper",
        "language": "en",
        "collected_on": "2024-05-01",
        "paper_id": paper_id,
        "comments": "More crosswalks",
    }


@pytest.fixture
def two_brokers(client, session, users, survey):
    from engage.auth import create_user
    from surveys.models import SurveyAssignment

    other = create_user(session, "bea@example.ca", "broker", PASSWORD, name="Bea")
    for broker in (users["broker"], other):
        session.add(SurveyAssignment(survey_id=survey.id, user_id=broker.id))
    session.commit()
    login(client, "bea@example.ca")
    assert client.post("/intake/roads/enter", data=paper_entry("B-7")).status_code == 302
    client.post("/auth/logout")
    return other


def test_another_broker_is_not_told_who_entered_a_paper_id(client, session, two_brokers):
    login(client, "broker@example.ca")
    reply = client.post("/intake/roads/enter", data=paper_entry("B-7"))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "was already entered by someone else" in page
    assert "bea@example.ca" not in page and "Bea" not in page
    earlier = session.exec(select(Response)).one()
    assert earlier.public_id not in page
    assert count(session, Response) == 1


@pytest.mark.parametrize("who", ["bea@example.ca", "staff@example.ca"])
def test_staff_and_the_broker_who_entered_it_are_told_the_earlier_entry(
    client, session, two_brokers, who
):
    login(client, who)
    page = client.post("/intake/roads/enter", data=paper_entry("B-7")).get_data(as_text=True)
    earlier = session.exec(select(Response)).one()
    assert "Paper form B-7 was already entered as entry" in page
    assert earlier.public_id in page and "by Bea" in page

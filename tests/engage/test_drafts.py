"""Save and continue later (issue 18): a resume code and link, the answers encrypted at
rest and unreadable without the code, restored on any browser, expiring, and one response
however many times the resumed walk is sent."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from surveys import drafts
from surveys.definition import (
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Response, ResponseContact, SurveyDraft
from surveys.store import save_definition

SLUG = "parks"
CODE = re.compile(r'<p class="receipt-code" dir="ltr">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</p>')
SECRET_ANSWER = "The swings by Elm Street are broken"


@pytest.fixture
def parks(session):
    """An open two-page survey in English, French and Arabic."""
    yes_no = (
        ChoiceDefinition("yes", {"en": "Yes", "fr": "Oui", "ar": "نعم"}),
        ChoiceDefinition("no", {"en": "No", "fr": "Non", "ar": "لا"}),
    )
    survey = save_definition(
        session,
        SurveyDefinition(
            slug=SLUG,
            default_language="en",
            languages=("en", "fr", "ar"),
            title={"en": "Parks survey", "fr": "Sondage sur les parcs", "ar": "استطلاع الحدائق"},
            questions=(
                QuestionDefinition("visits", SECTION, label={"en": "Your visits"}),
                QuestionDefinition(
                    "visited",
                    SINGLE_CHOICE,
                    label={"en": "Did you visit a park?", "fr": "Parc?", "ar": "حديقة؟"},
                    required=True,
                    choices=yes_no,
                ),
                QuestionDefinition("fix", SHORT_TEXT, label={"en": "What should we fix?"}),
                QuestionDefinition("more", SECTION, label={"en": "A bit more"}),
                QuestionDefinition("idea", SHORT_TEXT, label={"en": "Any idea?"}),
            ),
        ),
        status="open",
    )
    session.commit()
    return survey


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page)[1]


def save(client, data: dict) -> tuple[str, str]:
    """Post "Save and continue later"; return the code and the resume link's path."""
    saved = client.post(f"/s/{SLUG}", data={**data, "action": "save"})
    assert saved.status_code == 200 and saved.headers["Cache-Control"] == "no-store"
    page = saved.get_data(as_text=True)
    code = CODE.search(page)[1]
    link = re.search(r'<a href="(http://localhost/s/parks/resume/[0-9A-Z]+)">', page)[1]
    return code, link.removeprefix("http://localhost")


def test_every_page_of_a_multi_page_survey_offers_to_save(client, parks):
    first = client.get(f"/s/{SLUG}").get_data(as_text=True)
    assert 'name="action" value="save"' in first and "Save and continue later" in first
    token = token_of(first)
    second = client.post(
        f"/s/{SLUG}", data={"token": token, "page": "0", "action": "next", "q.visited": "yes"}
    ).get_data(as_text=True)
    assert "A bit more" in second and 'name="action" value="save"' in second


def test_resuming_in_another_browser_restores_the_page_and_answers(app, client, session, parks):
    token = token_of(client.get(f"/s/{SLUG}?lang=fr").get_data(as_text=True))
    data = {"token": token, "page": "1", "q.visited": "no", "q.fix": SECRET_ANSWER}
    code, link = save(client, data)
    # Encrypted at rest: neither the answer nor the code is in the stored row.
    (draft,) = session.exec(select(SurveyDraft)).all()
    stored = draft.ciphertext + draft.salt + draft.code_hash.encode()
    assert SECRET_ANSWER.encode() not in stored and b"visited" not in stored
    assert code.replace("-", "").encode() not in stored
    # The app's secret alone does not open it: the code is part of the key.
    secret = app.config["SECRET_KEY"].encode()
    wrong = drafts.new_code()
    assert drafts.load_draft(session, parks.id, wrong, secret) is None

    other = app.test_client()  # another device
    resumed = other.get(link)
    page = html.unescape(resumed.get_data(as_text=True))
    assert resumed.status_code == 200 and resumed.headers["Cache-Control"] == "no-store"
    assert "A bit more" in page  # the page the resident saved on
    assert f'name="q.fix" value="{SECRET_ANSWER}"' in page
    assert 'name="q.visited" value="no"' in page
    assert f'name="resume" value="{code.replace("-", "")}"' in page
    # And with the code typed (small letters, no dashes) on the resume page.
    typed = app.test_client().post(
        f"/s/{SLUG}/resume", data={"code": code.lower().replace("-", "")}
    )
    assert typed.status_code == 200 and SECRET_ANSWER in html.unescape(typed.get_data(True))


def test_sending_from_two_devices_stores_one_response_and_deletes_the_draft(
    app, client, session, parks
):
    token = token_of(client.get(f"/s/{SLUG}").get_data(as_text=True))
    data = {"token": token, "page": "1", "q.visited": "yes", "q.fix": "Benches"}
    code, link = save(client, data)
    plain = code.replace("-", "")
    sent = {**data, "q.idea": "Trees", "resume": plain, "action": "send"}
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        assert device.get(link).status_code == 200
    assert phone.post(f"/s/{SLUG}", data=sent).status_code == 303
    assert laptop.post(f"/s/{SLUG}", data=sent).status_code == 303
    assert session.exec(select(func.count()).select_from(Response)).one() == 1
    assert session.exec(select(func.count()).select_from(SurveyDraft)).one() == 0
    gone = app.test_client().get(link)
    assert gone.status_code == 404 and "No saved answers match this code" in gone.text


def test_saving_again_keeps_the_same_code(client, session, parks):
    token = token_of(client.get(f"/s/{SLUG}").get_data(as_text=True))
    code, _link = save(client, {"token": token, "page": "0", "q.visited": "yes"})
    again, _link = save(
        client,
        {"token": token, "page": "1", "q.visited": "no", "resume": code.replace("-", "")},
    )
    assert again == code
    assert session.exec(select(func.count()).select_from(SurveyDraft)).one() == 1


def test_expired_drafts_do_not_open_and_are_purged(app, client, session, parks, runner):
    token = token_of(client.get(f"/s/{SLUG}").get_data(as_text=True))
    code, link = save(client, {"token": token, "page": "0", "q.visited": "yes"})
    draft = session.exec(select(SurveyDraft)).one()
    assert timedelta(days=29) < draft.expires_at - draft.created_at <= timedelta(days=30)
    draft.expires_at = draft.created_at - timedelta(seconds=1)
    session.add(draft)
    session.commit()
    expired = app.test_client().get(link)
    assert expired.status_code == 404 and "deleted after 30 days" in expired.text
    result = runner.invoke(args=["drafts", "purge"])
    assert result.exit_code == 0 and "Removed 1 expired drafts." in result.output
    session.expire_all()
    assert session.exec(select(func.count()).select_from(SurveyDraft)).one() == 0


def test_a_bad_code_gets_a_clear_error(client, parks):
    page = client.post(f"/s/{SLUG}/resume", data={"code": "hello"})
    assert page.status_code == 400
    assert "twelve letters and digits" in page.text and 'aria-invalid="true"' in page.text
    assert client.get(f"/s/{SLUG}/resume").status_code == 200


def test_contact_details_are_kept_in_the_draft_and_staff_see_no_drafts(
    app, client, session, parks, login_as
):
    token = token_of(client.get(f"/s/{SLUG}").get_data(as_text=True))
    data = {"token": token, "page": "1", "q.visited": "yes", "contact_email": "amel@example.ca"}
    _code, link = save(client, data)
    resumed = app.test_client().get(link).get_data(as_text=True)
    assert 'value="amel@example.ca"' in resumed
    assert session.exec(select(ResponseContact)).all() == []

"""A resident's receipt code and withdrawing their answers with it (issue 18)."""

from __future__ import annotations

import re

import pytest
from report_support import add_responses, choice_question, likert, make_survey
from sqlmodel import func, select
from support import make_app

from surveys import receipts, report_counts
from surveys.aggregates import Filters
from surveys.models import Answer, AuditEvent, Response, ResponseContact

SLUG = "transit-2025"
CODE = re.compile(r'<p class="receipt-code" dir="ltr">([0-9A-Z]{4}-[0-9A-Z]{4})</p>')


@pytest.fixture
def survey(session):
    """An open one-page survey with 12 earlier responses, its counts kept."""
    survey = make_survey(
        session,
        [choice_question("age", ["young", "old"], dimension="age_band"), likert("safe")],
        settings={"ask_contact": True},
    )
    add_responses(session, survey, {"age": "old", "safe": "disagree"}, 12)
    report_counts.kept_rows(session, survey, Filters())
    return survey


def send(client, **answers) -> tuple[str, dict]:
    """Answer the survey as a resident; return the thank-you page and the form sent."""
    first = client.get(f"/s/{SLUG}").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', first).group(1)
    data = {"token": token, "page": "0", "action": "send"}
    data.update({f"q.{name}": value for name, value in answers.items()})
    sent = client.post(f"/s/{SLUG}", data=data)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return client.get(f"/s/{SLUG}/thanks").get_data(as_text=True), data


def respondents(session, survey) -> int:
    rows = report_counts.kept_rows(session, survey, Filters())
    return rows[("respondents",)][0][-1]


def test_the_thank_you_page_shows_a_receipt_code_and_what_it_is_for(client, session, survey):
    page, _data = send(client, age="young", safe="agree")
    code = CODE.search(page).group(1)
    assert "withdraw your answers" in page and f'href="/s/{SLUG}/withdraw"' in page
    stored = session.exec(select(Response).order_by(Response.id.desc())).first()
    assert stored.receipt_hash == receipts.receipt_hash(survey.id, code.replace("-", ""))
    # Stored hashed: the code itself is nowhere in the response's row.
    assert code.replace("-", "") not in repr(stored.model_dump())
    # Never kept by the browser: the next person's Back button does not bring it back.
    assert client.get(f"/s/{SLUG}/thanks").headers["Cache-Control"] == "no-store"
    # Starting the survey again (the next person at a shared computer) forgets it.
    client.get(f"/s/{SLUG}")
    forgotten = client.get(f"/s/{SLUG}/thanks")
    assert not CODE.search(forgotten.get_data(as_text=True))
    assert "no-store" not in forgotten.headers.get("Cache-Control", "")


def test_sending_the_same_form_twice_shows_the_same_code(client, session, survey):
    page, data = send(client, age="young", safe="agree")
    again = client.post(f"/s/{SLUG}", data=data)
    assert again.status_code == 303
    repeated = client.get(f"/s/{SLUG}/thanks").get_data(as_text=True)
    assert CODE.search(repeated).group(1) == CODE.search(page).group(1)
    assert session.exec(select(func.count()).select_from(Response)).one() == 13


def test_withdrawing_with_the_code_removes_the_answers_from_every_count_and_export(
    client, session, survey, login_as
):
    page, _data = send(client, age="young", safe="agree", contact_email="me@example.ca")
    code = CODE.search(page).group(1)
    response_id = session.exec(select(func.max(Response.id))).one()
    public_id = session.get(Response, response_id).public_id
    assert respondents(session, survey) == 13
    form = client.get(f"/s/{SLUG}/withdraw")
    assert form.status_code == 200 and 'name="code"' in form.get_data(as_text=True)

    done = client.post(f"/s/{SLUG}/withdraw", data={"code": code.lower(), "confirm": "yes"})
    assert done.status_code == 303
    landed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Your answers were withdrawn" in landed

    session.expire_all()
    assert session.get(Response, response_id) is None
    assert not session.exec(select(Answer).where(Answer.response_id == response_id)).all()
    assert not session.exec(select(ResponseContact)).all()
    assert respondents(session, survey) == 12
    assert report_counts.trusted(session, survey)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdraw")).one()
    assert event.entity_id == public_id and event.user_id is None
    assert "young" not in repr(event.old) and "me@example.ca" not in repr(event.old)
    # Staff see it gone from the dashboard and the responses export.
    login_as("staff")
    dashboard = client.get(f"/reports/{SLUG}/").get_data(as_text=True)
    assert "12 respondents" in dashboard and "13 respondents" not in dashboard
    export = client.get(f"/reports/{SLUG}/download/responses.csv").get_data(as_text=True)
    assert public_id not in export and len(export.strip().splitlines()) == 13
    # The code is spent.
    again = client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"})
    assert again.status_code == 400


def test_withdrawal_leaves_the_published_results_at_once(client, session, survey):
    survey.settings = {**survey.settings, "results_published": True}
    session.add(survey)
    session.commit()
    page, _data = send(client, age="young", safe="agree")
    assert "13 people answered" in client.get(f"/s/{SLUG}/results").get_data(as_text=True)
    code = CODE.search(page).group(1)
    client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"})
    assert "12 people answered" in client.get(f"/s/{SLUG}/results").get_data(as_text=True)


def test_a_wrong_code_is_refused_in_the_residents_language_without_telling_which_exist(
    client, session, survey
):
    page, _data = send(client, age="young", safe="agree")
    real = CODE.search(page).group(1)
    unknown = "ZZZZ-ZZZZ" if real != "ZZZZ-ZZZZ" else "YYYY-YYYY"
    answers = {}
    for typed in (unknown, real):
        confirm = "yes" if typed == unknown else ""
        refused = client.post(
            f"/s/{SLUG}/withdraw?lang=fr", data={"code": typed, "confirm": confirm}
        )
        assert refused.status_code == 400
        answers[typed] = refused.get_data(as_text=True)
    assert '<html lang="fr"' in answers[unknown]
    assert 'aria-invalid="true"' in answers[unknown] and 'id="e-code"' in answers[unknown]
    # Without the confirmation nothing is looked up: the real code's page only asks for it.
    assert 'id="e-code"' not in answers[real] and 'id="e-confirm"' in answers[real]
    malformed = client.post(f"/s/{SLUG}/withdraw?lang=en", data={"code": "12345", "confirm": "yes"})
    assert malformed.status_code == 400
    assert "eight letters and digits" in malformed.get_data(as_text=True)
    empty = client.post(f"/s/{SLUG}/withdraw", data={})
    assert empty.status_code == 400
    assert session.exec(select(func.count()).select_from(Response)).one() == 13


def test_a_code_of_another_survey_or_already_used_gets_the_same_answer(client, session, survey):
    other = make_survey(session, [likert("safe")], slug="other-survey")
    add_responses(session, other, {"safe": "agree"}, 1)
    page, _data = send(client, age="young", safe="agree")
    code = CODE.search(page).group(1)
    client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"})
    spent = client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"})
    elsewhere = client.post("/s/other-survey/withdraw", data={"code": code, "confirm": "yes"})
    never = client.post(f"/s/{SLUG}/withdraw", data={"code": "2222-2222", "confirm": "yes"})

    def message(response):
        return re.search(r'id="e-code"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)[1]

    assert spent.status_code == elsewhere.status_code == never.status_code == 400
    assert message(spent) == message(elsewhere) == message(never)


def test_refused_codes_are_rate_limited_per_address(database_url, tmp_path):
    app = make_app(
        database_url,
        tmp_path / "instance",
        RATELIMIT_ENABLED=True,
        WITHDRAW_RATE_LIMIT="3 per hour",
    )
    from sqlmodel import Session

    with Session(app.extensions["engage.engine"]) as session:
        make_survey(session, [likert("safe")])
    client = app.test_client()
    statuses = [
        client.post(f"/s/{SLUG}/withdraw", data={"code": "2222-2222", "confirm": "yes"}).status_code
        for _attempt in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    limited = client.post(f"/s/{SLUG}/withdraw?lang=fr", data={"code": "2222-2222"})
    assert limited.status_code == 429 and '<html lang="fr"' in limited.get_data(as_text=True)
    app.extensions["engage.engine"].dispose()


def test_a_closed_survey_still_takes_withdrawals_and_a_draft_does_not_exist(
    client, session, survey
):
    page, _data = send(client, age="young", safe="agree")
    code = CODE.search(page).group(1)
    survey.status = "closed"
    session.add(survey)
    session.commit()
    assert client.get(f"/s/{SLUG}/withdraw").status_code == 200
    assert (
        client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"}).status_code == 303
    )
    survey.status = "draft"
    session.add(survey)
    session.commit()
    assert client.get(f"/s/{SLUG}/withdraw").status_code == 404


def test_a_withdrawal_is_told_to_the_surveys_webhooks_as_its_id_alone(client, session, survey):
    from engage.webhooks.rules import add_webhook
    from surveys.models import WebhookDelivery

    page, _data = send(client, age="young", safe="agree")
    public_id = session.exec(select(Response).order_by(Response.id.desc())).first().public_id
    add_webhook(session, survey, "http://127.0.0.1:9/hook", ["response.withdrawn"], actor_id=None)
    code = CODE.search(page).group(1)
    assert (
        client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"}).status_code == 303
    )
    (delivery,) = session.exec(select(WebhookDelivery)).all()
    assert (delivery.event, delivery.response_public_id) == ("response.withdrawn", public_id)
    assert "young" not in repr(delivery.payload) and "agree" not in repr(delivery.payload)

"""The API's responses: submitting as the resident form does, idempotency, lists, access."""

from datetime import UTC, datetime, timedelta

import pytest
from api_support import SLUG, bearer, make_survey, token_for
from sqlmodel import func, select
from support import assign, make_app

from engage.accounts import tokens
from surveys.models import (
    SURVEY_CLOSED,
    Answer,
    ApiToken,
    AuditEvent,
    Response,
    ResponseFacts,
)

GOOD = {"answers": {"rides": "yes", "routes": ["r1", "r2"], "trips": 4, "comment": "Great."}}


def submit(client, secret, body=GOOD, key="key-1", slug=SLUG, **headers):
    """POST a response with an Idempotency-Key."""
    return client.post(
        f"/api/v1/surveys/{slug}/responses",
        json=body,
        headers=bearer(secret, **{"Idempotency-Key": key}, **headers),
    )


def count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def survey(session):
    return make_survey(session)


@pytest.fixture
def staff_token(session, users):
    return token_for(session, users["staff"])


def test_a_submission_is_stored_as_the_resident_form_stores_it(
    client, session, survey, staff_token
):
    reply = submit(client, staff_token)
    assert reply.status_code == 201, reply.get_json()
    body = reply.get_json()
    assert body["answers"] == {
        "rides": ["yes"],
        "routes": ["r1", "r2"],
        "trips": [4],
        "comment": ["Great."],
    }
    assert body["sentiment"] == {"comment": "positive"}
    assert (body["channel"], body["language"], body["survey"]) == ("web", "en", SLUG)
    assert reply.headers["Location"].endswith(f"/api/v1/surveys/{SLUG}/responses/{body['id']}")
    stored = session.exec(select(Response)).one()
    assert stored.public_id == body["id"]
    # Its report facts are kept, as a resident's submission's are.
    assert count(session, ResponseFacts) == 1


def test_skip_logic_drops_a_hidden_answer(client, session, survey, staff_token):
    body = {"answers": {"rides": "no", "routes": ["r1"]}}
    reply = submit(client, staff_token, body)
    assert reply.status_code == 201
    assert reply.get_json()["answers"] == {"rides": ["no"]}


def test_refused_answers_are_422_with_one_error_per_question(client, session, survey, staff_token):
    reply = submit(client, staff_token, {"answers": {"routes": ["r9"], "trips": 99}}, key="bad")
    assert reply.status_code == 422
    problem = reply.get_json()
    assert reply.mimetype == "application/problem+json"
    assert problem["code"] == "invalid_answers"
    fields = sorted(error["field"] for error in problem["errors"])
    assert fields == ["answers.rides", "answers.trips"]  # rides is required; routes hidden
    assert count(session, Response) == 0


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"answers": {"nope": "x"}}, "unknown_question", "answers.nope"),
        ({"answers": {"rides": "yes"}, "language": "de"}, "unknown_language", "language"),
        ({"answers": {"rides": True}}, "invalid_body", "answers.rides.value"),
        ({"answers": {"rides": "yes"}, "extra": 1}, "invalid_body", "extra"),
        ({"answers": {"rides": "a\x00b"}}, "invalid_body", "answers.rides.value"),
        ({"answers": {"rides": "yes"}, "channel": "group"}, "invalid_body", "channel"),
        ({}, "invalid_body", "answers"),
        (
            {"answers": {"rides": "yes"}, "collected_at": "2999-01-01T00:00:00Z"},
            "collected_in_future",
            "collected_at",
        ),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    client, session, survey, staff_token, body, code, field
):
    reply = submit(client, staff_token, body)
    assert reply.status_code == 422, reply.get_json()
    problem = reply.get_json()
    assert problem["code"] == code
    assert field in [error["field"] for error in problem["errors"]]
    assert count(session, Response) == 0


def test_malformed_requests_are_400_and_415(client, survey, staff_token):
    broken = client.post(
        f"/api/v1/surveys/{SLUG}/responses",
        data="{not json",
        headers=bearer(staff_token, **{"Idempotency-Key": "k", "Content-Type": "application/json"}),
    )
    assert (broken.status_code, broken.get_json()["code"]) == (400, "invalid_json")
    form = client.post(
        f"/api/v1/surveys/{SLUG}/responses",
        data={"rides": "yes"},
        headers=bearer(staff_token, **{"Idempotency-Key": "k"}),
    )
    assert (form.status_code, form.get_json()["code"]) == (415, "unsupported_media_type")
    no_key = client.post(
        f"/api/v1/surveys/{SLUG}/responses", json=GOOD, headers=bearer(staff_token)
    )
    assert (no_key.status_code, no_key.get_json()["code"]) == (400, "idempotency_key_missing")
    long_key = submit(client, staff_token, key="k" * 65)
    assert (long_key.status_code, long_key.get_json()["code"]) == (400, "idempotency_key_invalid")


def test_a_request_over_the_size_limit_is_413(app, session, users, tmp_path, database_url):
    small = make_app(database_url, tmp_path / "small", MAX_CONTENT_LENGTH=2000)
    from sqlmodel import Session

    with Session(small.extensions["engage.engine"], expire_on_commit=False) as own:
        make_survey(own)
        from engage.auth import create_user

        user = create_user(own, "big@example.ca", "staff", "correct horse battery")
        secret = token_for(own, user)
    reply = submit(small.test_client(), secret, {"answers": {"comment": "x" * 5000}})
    assert reply.status_code == 413
    assert reply.get_json()["code"] == "too_large"


def test_the_same_key_twice_stores_one_response_and_answers_the_same_body(
    client, session, survey, staff_token
):
    first = submit(client, staff_token)
    again = submit(client, staff_token)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count(session, Response) == 1
    assert count(session, Answer) == 5


def test_the_same_key_with_another_body_is_409_and_stores_nothing(
    client, session, survey, staff_token
):
    submit(client, staff_token)
    other = submit(client, staff_token, {"answers": {"rides": "no"}})
    assert other.status_code == 409
    assert other.get_json()["code"] == "idempotency_key_reused"
    assert count(session, Response) == 1


def test_keys_belong_to_their_account(client, session, survey, users, staff_token):
    admin = token_for(session, users["admin"])
    assert submit(client, staff_token).status_code == 201
    assert submit(client, admin, {"answers": {"rides": "no"}}).status_code == 201
    assert count(session, Response) == 2


def test_a_submission_is_audited_with_its_token(client, session, survey, users, staff_token):
    body = submit(client, staff_token).get_json()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "api.submit")).one()
    assert (event.user_id, event.entity_id, event.survey_id) == (
        users["staff"].id,
        body["id"],
        survey.id,
    )
    assert event.new["idempotency_key"] == "key-1"


def test_submitting_needs_the_submit_scope_and_an_open_survey(client, session, survey, users):
    reader = token_for(session, users["staff"], ["read"])
    refused = submit(client, reader)
    assert (refused.status_code, refused.get_json()["code"]) == (403, "insufficient_scope")
    survey.status = SURVEY_CLOSED
    session.add(survey)
    session.commit()
    writer = token_for(session, users["staff"], ["submit"])
    closed = submit(client, writer)
    assert (closed.status_code, closed.get_json()["code"]) == (409, "survey_not_open")
    paper = submit(client, writer, {**GOOD, "channel": "paper"}, key="paper-1")
    assert paper.status_code == 201
    assert paper.get_json()["channel"] == "paper"


def test_a_broker_submits_only_to_an_assigned_survey(client, session, survey, users):
    broker = token_for(session, users["broker"], ["submit", "read"])
    refused = submit(client, broker)
    assert (refused.status_code, refused.get_json()["code"]) == (403, "survey_not_assigned")
    assign(session, survey, users["broker"])
    assert submit(client, broker).status_code == 201
    # A broker's token never reads responses, assigned or not: staff pages only.
    listed = client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(broker))
    assert (listed.status_code, listed.get_json()["code"]) == (403, "role_forbidden")


def test_restricted_staff_read_only_assigned_surveys(client, session, survey, users):
    staff = users["staff"]
    staff.restricted = True
    session.add(staff)
    session.commit()
    secret = token_for(session, staff, ["read"])
    refused = client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(secret))
    assert refused.status_code == 403
    assign(session, survey, staff)
    assert (
        client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(secret)).status_code == 200
    )


def store_many(client, secret, bodies):
    """Submit each body under its own key; return the ids."""
    ids = []
    for number, body in enumerate(bodies):
        reply = submit(client, secret, body, key=f"many-{number}")
        assert reply.status_code == 201, reply.get_json()
        ids.append(reply.get_json()["id"])
    return ids


def test_pages_follow_the_cursor_in_a_stable_order(client, session, survey, staff_token):
    ids = store_many(client, staff_token, [{"answers": {"rides": "no"}}] * 5)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        reply = client.get(
            f"/api/v1/surveys/{SLUG}/responses", query_string=query, headers=bearer(staff_token)
        )
        assert reply.status_code == 200
        page = reply.get_json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            assert "Link" not in reply.headers
            break
        assert 'rel="next"' in reply.headers["Link"]
    assert seen == ids
    assert pages == 3


def test_a_bad_cursor_or_limit_is_400(client, survey, staff_token):
    url = f"/api/v1/surveys/{SLUG}/responses"
    for query, code in (
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
        ({"cursor": "eyJhZnRlciI6LTF9"}, "invalid_cursor"),  # {"after":-1}
        ({"limit": 0}, "invalid_parameter"),
        ({"limit": "many"}, "invalid_parameter"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "invalid_parameter"),
        ({"channel": "fax"}, "invalid_parameter"),
    ):
        reply = client.get(url, query_string=query, headers=bearer(staff_token))
        assert (reply.status_code, reply.get_json()["code"]) == (400, code), query


def test_filters_by_channel_language_area_days_and_updated_since(
    client, session, survey, staff_token
):
    web_fr, paper_en = store_many(
        client,
        staff_token,
        [
            {"answers": {"rides": "no", "area": "area_1"}, "language": "fr"},
            {
                "answers": {"rides": "no", "area": "area_2"},
                "channel": "paper",
                "collected_at": "2026-01-10T12:00:00Z",
            },
        ],
    )

    def listed(**query):
        reply = client.get(
            f"/api/v1/surveys/{SLUG}/responses", query_string=query, headers=bearer(staff_token)
        )
        assert reply.status_code == 200, reply.get_json()
        return [item["id"] for item in reply.get_json()["items"]]

    assert listed(channel="paper") == [paper_en]
    assert listed(channel=["paper", "web"]) == [web_fr, paper_en]
    assert listed(language="fr") == [web_fr]
    assert listed(area="area_2") == [paper_en]
    assert listed(start="2026-01-10", end="2026-01-10") == [paper_en]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert listed(updated_since=future) == []
    # A correction makes an older response "updated since".
    response = session.exec(select(Response).where(Response.public_id == paper_en)).one()
    response.submitted_at = datetime(2026, 1, 10, 12, tzinfo=UTC)
    response.updated_at = datetime.now(UTC) + timedelta(hours=2)
    session.add(response)
    session.commit()
    assert listed(updated_since=future) == [paper_en]


def test_one_response_is_fetched_by_its_id(client, session, survey, staff_token):
    [first] = store_many(client, staff_token, [GOOD])
    reply = client.get(f"/api/v1/surveys/{SLUG}/responses/{first}", headers=bearer(staff_token))
    assert reply.status_code == 200
    assert reply.get_json()["answers"]["routes"] == ["r1", "r2"]
    missing = client.get(f"/api/v1/surveys/{SLUG}/responses/nope", headers=bearer(staff_token))
    assert (missing.status_code, missing.get_json()["code"]) == (404, "response_not_found")


def test_reading_responses_is_audited_as_a_download(client, session, survey, users, staff_token):
    client.get(f"/api/v1/surveys/{SLUG}/responses?channel=web", headers=bearer(staff_token))
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "download")).one()
    assert event.user_id == users["staff"].id
    assert event.new["what"] == "responses"
    assert event.new["filters"]["channels"] == ["web"]


def test_reading_needs_the_read_scope(client, session, survey, users):
    submitter = token_for(session, users["staff"], ["submit", "export"])
    reply = client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(submitter))
    assert (reply.status_code, reply.get_json()["code"]) == (403, "insufficient_scope")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("revoke", "token_revoked"),
        ("expire", "token_expired"),
        ("deactivate", "account_inactive"),
        ("forge", "invalid_token"),
    ],
)
def test_a_stopped_token_is_401(client, session, survey, users, change, code):
    secret = token_for(session, users["staff"], ["read"], days=30)
    token = tokens.find_token(session, secret)
    if change == "revoke":
        tokens.revoke_token(session, token, actor_id=None)
    elif change == "expire":
        token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(token)
        session.commit()
    elif change == "deactivate":
        users["staff"].active = False
        session.add(users["staff"])
        session.commit()
    else:
        secret = secret[:-4] + "AAAA"
    reply = client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(secret))
    assert reply.status_code == 401
    assert reply.get_json()["code"] == code
    assert 'error="invalid_token"' in reply.headers["WWW-Authenticate"]


def test_a_token_notes_when_it_was_last_used(client, session, survey, staff_token):
    token = tokens.find_token(session, staff_token)
    assert token.last_used_at is None
    client.get(f"/api/v1/surveys/{SLUG}/responses", headers=bearer(staff_token))
    session.expire_all()
    assert session.get(ApiToken, token.id).last_used_at is not None


def test_requests_past_the_rate_limit_are_429_per_token(tmp_path, database_url):
    limited = make_app(
        database_url, tmp_path / "limited", RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute"
    )
    from sqlmodel import Session

    from engage.auth import create_user

    with Session(limited.extensions["engage.engine"], expire_on_commit=False) as own:
        make_survey(own)
        one = token_for(own, create_user(own, "one@example.ca", "staff", "correct horse b"))
        two = token_for(own, create_user(own, "two@example.ca", "staff", "correct horse b"))
    client = limited.test_client()
    url = f"/api/v1/surveys/{SLUG}/responses"
    answers = [client.get(url, headers=bearer(one)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(url, headers=bearer(one))
    assert refused.get_json()["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get(url, headers=bearer(two)).status_code == 200
    limited.extensions["engage.engine"].dispose()

"""The API's surveys, its OpenAPI document and its problem answers."""

import io

from api_support import SLUG, TRANSIT, bearer, make_survey, token_for
from openapi_spec_validator import validate
from support import assign, login

from surveys.definition import QuestionDefinition, SurveyDefinition
from surveys.models import SURVEY_CLOSED, SURVEY_DRAFT
from surveys.xlsform.importer import read_xlsform

PROBLEM = "application/problem+json"


def test_openapi_document_is_openapi_3_1_and_valid(client):
    reply = client.get("/api/v1/openapi.json")
    assert reply.status_code == 200
    document = reply.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routed.add((path, method))
    assert routed, "no API routes"
    assert routed == documented


def test_every_error_is_documented_as_problem_details(client):
    document = client.get("/api/v1/openapi.json").get_json()
    responses = document["components"]["responses"]
    for name in ("UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "TOO_MANY_REQUESTS"):
        assert list(responses[name]["content"]) == [PROBLEM], name


def test_open_surveys_are_listed_to_anyone_and_drafts_only_to_staff(app, session, users):
    make_survey(session)
    make_survey(session, SurveyDefinition("plans", "en", ("en",), {"en": "Plans"}), SURVEY_DRAFT)
    client = app.test_client()
    public = client.get("/api/v1/surveys").get_json()
    assert [item["slug"] for item in public["items"]] == [SLUG]
    assert public["items"][0]["title"] == {"en": "Transit", "fr": "Transport en commun"}
    staff = token_for(session, users["staff"], ["read"])
    listed = client.get("/api/v1/surveys", headers=bearer(staff)).get_json()
    assert [item["slug"] for item in listed["items"]] == [SLUG, "plans"]
    broker = token_for(session, users["broker"], ["submit"])
    mine = client.get("/api/v1/surveys", headers=bearer(broker)).get_json()
    assert [item["slug"] for item in mine["items"]] == [SLUG]


def test_a_survey_definition_has_every_language_and_the_skip_logic(client, session):
    make_survey(session)
    reply = client.get(f"/api/v1/surveys/{SLUG}")
    assert reply.status_code == 200
    definition = reply.get_json()
    assert definition["languages"] == ["en", "fr"]
    assert definition["title"] == {"en": "Transit", "fr": "Transport en commun"}
    rides = definition["questions"][0]
    assert rides["label"] == {"en": "Do you ride the bus?", "fr": "Prenez-vous l'autobus?"}
    assert [choice["name"] for choice in rides["choices"]] == ["yes", "no"]
    routes = definition["questions"][1]
    assert routes["relevant"] == {"question": "rides", "op": "equals", "values": ["yes"]}
    assert definition["questions"][2]["settings"] == {"min": 0, "max": 50}


def test_a_survey_definition_says_what_its_xlsform_export_says(app, session, users):
    make_survey(session)
    client = app.test_client()
    assert login(client, users["staff"].email).status_code == 302
    workbook = client.get(f"/manage/{SLUG}/xlsform.xlsx")
    assert workbook.status_code == 200
    exported = read_xlsform(io.BytesIO(workbook.data), slug=SLUG).definition
    definition = client.get(f"/api/v1/surveys/{SLUG}").get_json()

    def shape(question) -> tuple:
        if isinstance(question, QuestionDefinition):
            relevant = question.relevant.to_dict() if question.relevant else None
            choices = [(choice.name, dict(choice.label)) for choice in question.choices]
            return question.name, question.kind, dict(question.label), choices, relevant
        choices = [(choice["name"], choice["label"]) for choice in question["choices"]]
        return question["name"], question["kind"], question["label"], choices, question["relevant"]

    assert [shape(q) for q in definition["questions"]] == [shape(q) for q in exported.questions]
    assert definition["title"] == dict(exported.title)


def test_a_draft_is_hidden_from_visitors_and_refused_to_an_unassigned_broker(
    client, session, users
):
    make_survey(session, status=SURVEY_DRAFT)
    assert client.get(f"/api/v1/surveys/{SLUG}").status_code == 404
    broker = token_for(session, users["broker"], ["submit"])
    refused = client.get(f"/api/v1/surveys/{SLUG}", headers=bearer(broker))
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "survey_not_assigned"
    staff = token_for(session, users["staff"], ["read"])
    assert client.get(f"/api/v1/surveys/{SLUG}", headers=bearer(staff)).status_code == 200


def test_an_assigned_broker_reads_a_closed_survey(client, session, users):
    survey = make_survey(session, status=SURVEY_CLOSED)
    assign(session, survey, users["broker"])
    broker = token_for(session, users["broker"], ["submit"])
    assert client.get(f"/api/v1/surveys/{SLUG}", headers=bearer(broker)).status_code == 200


def test_unknown_address_and_method_answer_problem_details(client, session):
    make_survey(session)
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.mimetype == PROBLEM
    body = missing.get_json()
    assert body == {
        "type": "urn:engage:problem:not_found",
        "title": "Not found",
        "status": 404,
        "detail": "There is nothing at this address.",
        "code": "not_found",
        "instance": "/api/v1/nothing-here",
    }
    wrong = client.delete(f"/api/v1/surveys/{SLUG}")
    assert wrong.status_code == 405
    assert wrong.mimetype == PROBLEM
    assert "GET" in wrong.headers["Allow"]
    unknown = client.get("/api/v1/surveys/no-such-survey")
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "survey_not_found")


def test_problems_are_translated_by_accept_language(client, session, users):
    make_survey(session, status=SURVEY_DRAFT)
    broker = token_for(session, users["broker"], ["submit"])
    english = client.get(f"/api/v1/surveys/{SLUG}", headers=bearer(broker))
    french = client.get(
        f"/api/v1/surveys/{SLUG}", headers=bearer(broker, **{"Accept-Language": "fr-CA,fr;q=0.9"})
    )
    assert english.get_json()["detail"].startswith("This survey is not assigned to your account.")
    assert french.headers["Content-Language"] == "fr"
    assert french.get_json()["code"] == english.get_json()["code"] == "survey_not_assigned"
    assert french.get_json()["detail"].startswith("Ce sondage")
    assert french.headers.get("Set-Cookie") is None


def test_the_api_ignores_a_signed_in_session_cookie(app, session, users):
    make_survey(session)
    client = app.test_client()
    assert login(client, users["admin"].email).status_code == 302
    reply = client.get(f"/api/v1/surveys/{SLUG}/responses")
    assert reply.status_code == 401
    assert reply.get_json()["code"] == "token_required"
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")


def test_control_characters_in_the_address_are_a_problem_not_a_page(client, session):
    make_survey(session)
    reply = client.get(f"/api/v1/surveys/{SLUG}/responses?area=a%00b")
    assert reply.status_code == 400
    assert reply.get_json()["code"] == "control_characters"


def test_the_demo_definition_is_the_stored_one(client, session):
    # The survey list and definition read the same stored survey.
    make_survey(session)
    listed = client.get("/api/v1/surveys").get_json()["items"][0]
    definition = client.get(f"/api/v1/surveys/{SLUG}").get_json()
    assert listed["languages"] == definition["languages"] == list(TRANSIT.languages)
    assert listed["status"] == definition["status"] == "open"

"""Responses: submit one as the resident form does; list and fetch them (staff, ``read``).

A submission goes through the resident form's rules, unchanged: ``validate_submission``
(skip logic, each question type) and ``record_response`` (answers, sentiment, kept
counts, one transaction). Its ``Idempotency-Key`` makes a retry safe: the same key from
the same account with the same request answers the stored body again and stores nothing
more; the same key with another request is refused (409 ``idempotency_key_reused``).

Lists are in id order (stable while responses arrive) with an opaque cursor; filters are
the dashboard's (collected days, channel, language, area) and ``updated_since`` (stored
or corrected since). The first page of a listing and every single fetch are audited as
downloads; contact details are never read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import marshmallow as ma
from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.accounts.tokens import as_utc
from engage.api.auth import Caller, assigned_survey, require_survey_access, require_token
from engage.api.auth import survey_or_404 as api_survey_or_404
from engage.api.blueprint import TOKEN_PROBLEMS, bp, documented
from engage.api.errors import ApiError
from engage.api.filters import FilterQuerySchema, query_filters
from engage.audit.events import record_download
from engage.exports.responses import read_answers, response_conditions
from engage.reports.dashboard import STAFF_ROLES
from engage.respond.question_views import error_text
from engage.security import CONTROL_IN_ADDRESS, CONTROL_IN_TEXT
from surveys.audit import write_audit
from surveys.models import (
    API_SCOPE_READ,
    API_SCOPE_SUBMIT,
    CHANNEL_WEB,
    CHANNELS,
    SURVEY_CLOSED,
    SURVEY_OPEN,
    ApiSubmission,
    Response,
    Survey,
)
from surveys.questions import question_type
from surveys.recording import ENTRY_CHANNELS, Provenance, record_response
from surveys.responses import validate_submission

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PATTERN = r"^[!-~]{1,64}$"  # visible ASCII, as most clients make them (UUIDs)
SUBMIT_CHANNELS = (CHANNEL_WEB, *ENTRY_CHANNELS)
AUDIT_SUBMIT = "api.submit"
MAX_PAGE = 500

ANSWER_VALUE = {"anyOf": [{"type": "string"}, {"type": "number"}]}


class AnswerField(ma.fields.Field):
    """One question's answer: a string, a number, or a list of strings (several choices)."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if isinstance(value, bool) or value is None:
            raise ma.ValidationError("Send a string, a number or a list of strings.")
        if isinstance(value, int | float):
            return [str(value)]
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            values = value
        else:
            raise ma.ValidationError("Send a string, a number or a list of strings.")
        if any(CONTROL_IN_TEXT.search(item) for item in values):
            raise ma.ValidationError("Remove the control characters.")
        return values


class SubmissionSchema(ma.Schema):
    """A response to store: answers by question name, as the resident form sends them."""

    answers = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Length(min=1, max=100)),
        values=AnswerField(
            metadata={
                "anyOf": [
                    {"type": "string"},
                    {"type": "number"},
                    {"type": "array", "items": {"type": "string"}},
                ]
            }
        ),
        required=True,
        metadata={"description": "question name -> choice name, number, text or choices"},
    )
    language = ma.fields.String(
        validate=ma.validate.Length(min=1, max=35),
        metadata={"description": "one of the survey's languages (default: its default)"},
    )
    channel = ma.fields.String(
        load_default=CHANNEL_WEB,
        validate=ma.validate.OneOf(SUBMIT_CHANNELS),
        metadata={"description": "web, or paper, phone or in_person for what staff key in"},
    )
    collected_at = ma.fields.AwareDateTime(
        metadata={"description": "when it was answered (default: now); not in the future"}
    )

    @ma.validates("answers")
    def check_names(self, value: dict, **_kwargs) -> None:
        """Refuse question names holding control characters."""
        if any(CONTROL_IN_ADDRESS.search(name) for name in value):
            raise ma.ValidationError("Remove the control characters.")


class ResponseSchema(ma.Schema):
    """A stored response: provenance, answers, and each comment's sentiment label."""

    id = ma.fields.String(required=True, metadata={"description": "the response's public id"})
    survey = ma.fields.String(required=True, metadata={"description": "the survey's slug"})
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(CHANNELS))
    language = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    submitted_at = ma.fields.DateTime(required=True)
    collected_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(
        required=True, allow_none=True, metadata={"description": "last correction, if any"}
    )
    area = ma.fields.String(required=True, allow_none=True)
    place = ma.fields.String(required=True, allow_none=True)
    paper_id = ma.fields.String(required=True, allow_none=True)
    answers = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.Raw(metadata=ANSWER_VALUE)),
        required=True,
        metadata={"description": "question name -> its values (one per choice chosen)"},
    )
    sentiment = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(allow_none=True),
        required=True,
        metadata={"description": "comment question -> label (staff's correction first)"},
    )


class ResponsePageSchema(ma.Schema):
    """One page of responses and the cursor of the next (null on the last)."""

    items = ma.fields.List(ma.fields.Nested(ResponseSchema), required=True)
    next_cursor = ma.fields.String(required=True, allow_none=True)


class ResponseQuerySchema(FilterQuerySchema):
    """The dashboard's filters, ``updated_since``, and the page."""

    updated_since = ma.fields.AwareDateTime(
        metadata={"description": "stored or corrected at or after this moment"}
    )
    cursor = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=MAX_PAGE))


IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": True,
    "description": "a key of your own per response (a UUID): a retry with it stores nothing more",
    "schema": {"type": "string", "pattern": IDEMPOTENCY_PATTERN},
}


def encode_cursor(last_id: int) -> str:
    """Return the opaque cursor of the page after ``last_id``."""
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the id a cursor continues after, or answer 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ApiError(400, "invalid_cursor", _("This cursor is not one the API gave."))
    return after


def represent(session: Session, survey: Survey, responses: list[Response]) -> list[dict]:
    """Return responses as the API shows them, reading their answers in one query."""
    values, labels = read_answers(session, responses, survey.questions)
    return [
        {
            "id": response.public_id,
            "survey": survey.slug,
            "channel": response.channel,
            "language": response.language,
            "status": response.status,
            "submitted_at": as_utc(response.submitted_at),
            "collected_at": as_utc(response.collected_at),
            "updated_at": as_utc(response.updated_at),
            "area": response.area,
            "place": response.place,
            "paper_id": response.paper_id,
            "answers": {name: list(given) for name, given in values[response.id].items()},
            "sentiment": dict(labels[response.id]),
        }
        for response in responses
    ]


def idempotency_key() -> str:
    """Return the request's Idempotency-Key, or answer 400."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        raise ApiError(
            400,
            "idempotency_key_missing",
            _("Send an Idempotency-Key header: a key of your own for this response."),
        )
    if not 1 <= len(key) <= 64 or any(not "!" <= char <= "~" for char in key):
        raise ApiError(
            400,
            "idempotency_key_invalid",
            _("An Idempotency-Key has 1 to 64 visible ASCII characters."),
        )
    return key


def request_digest(slug: str) -> str:
    """Return the SHA-256 of what was asked: the survey and the body, keys sorted."""
    asked = {"survey": slug, "body": request.get_json(silent=True)}
    canonical = json.dumps(asked, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def replay(submission: ApiSubmission, digest: str):
    """Answer a repeated key: the stored body when the request is the same, else 409."""
    if submission.request_digest != digest:
        raise ApiError(
            409,
            "idempotency_key_reused",
            _("This Idempotency-Key was used for another request. Use a new key."),
        )
    return created(submission.body, replayed=True)


def created(body: dict, *, replayed: bool = False):
    """Return the 201 answer of a stored response."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.get_response", slug=body["survey"], response_id=body["id"]
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def submittable(survey: Survey, channel: str) -> None:
    """Refuse a survey that does not take responses on this channel now (409)."""
    if survey.status == SURVEY_OPEN:
        return
    if survey.status == SURVEY_CLOSED and channel in ENTRY_CHANNELS:
        return  # forms gathered on paper before it closed may still be keyed in
    raise ApiError(409, "survey_not_open", _("This survey does not take responses now."))


def raw_answers(survey: Survey, answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return the answers as form values, or answer 422 naming unknown questions."""
    known = {q.name for q in survey.questions if question_type(q.kind).takes_answer}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ApiError(
            422,
            "unknown_question",
            _("Some answers name no question of this survey."),
            errors=[
                {
                    "field": f"answers.{name}",
                    "code": "unknown_question",
                    "message": _("This survey has no question named %(name)s.", name=name),
                }
                for name in unknown
            ],
        )
    return answers


def submission_language(survey: Survey, asked: str | None) -> str:
    """Return the response's language (the survey's default unless asked), or answer 422."""
    language = asked or survey.default_language
    if language not in survey.languages and language != survey.default_language:
        raise ApiError(
            422,
            "unknown_language",
            _("This survey is not offered in that language."),
            errors=[
                {
                    "field": "language",
                    "code": "unknown_language",
                    "message": _(
                        "Choose one of: %(languages)s.", languages=", ".join(survey.languages)
                    ),
                }
            ],
        )
    return language


def collected_moment(asked: datetime | None) -> datetime | None:
    """Return when the response was collected, or answer 422 for a moment in the future."""
    if asked is None:
        return None
    moment = asked.astimezone(UTC)
    if moment > datetime.now(UTC):
        raise ApiError(
            422,
            "collected_in_future",
            _("The collection date is in the future."),
            errors=[
                {
                    "field": "collected_at",
                    "code": "collected_in_future",
                    "message": _("The collection date is in the future."),
                }
            ],
        )
    return moment


@bp.route("/surveys/<slug>/responses", methods=["POST"])
@bp.arguments(SubmissionSchema)
@documented(
    "submitResponse",
    "responses",
    201,
    ResponseSchema,
    problems=(*TOKEN_PROBLEMS, 409, 413, 415),
    parameters=[IDEMPOTENCY_PARAMETER],
    headers={"Location": {"schema": {"type": "string"}}},
)
def submit_response(submission: dict, slug: str):
    """Store one response as the resident form does (token with ``submit``).

    The same Idempotency-Key again with the same request answers the same body (201, with
    ``Idempotent-Replayed: true``) and stores nothing; with another request, 409.
    """
    found = require_token(API_SCOPE_SUBMIT)
    key = idempotency_key()
    survey = api_survey_or_404(slug)
    require_survey_access(found, survey)
    session = db.get_session()
    digest = request_digest(slug)
    earlier = earlier_submission(session, found, key)
    if earlier is not None:
        return replay(earlier, digest)
    channel = submission["channel"]
    submittable(survey, channel)
    language = submission_language(survey, submission.get("language"))
    raw = raw_answers(survey, submission["answers"])
    collected_at = collected_moment(submission.get("collected_at"))
    validated = validate_submission(survey.questions, raw)
    if not validated.is_valid:
        raise ApiError(
            422,
            "invalid_answers",
            _("Some answers were refused."),
            errors=[
                {
                    "field": f"answers.{error.question}",
                    "code": "invalid_answer",
                    "message": error_text(error),
                }
                for error in validated.errors
            ],
        )
    provenance = Provenance(
        channel=channel,
        language=language,
        idempotency_key=f"api:{found.user.id}:{key}",
        entered_by_id=found.user.id,
        collected_at=collected_at,
    )
    cutoffs = SentimentCutoffs.from_config(current_app.config)

    def write(session: Session) -> dict | None:
        response, is_new = record_response(
            session, survey, validated.answers, provenance, cutoffs=cutoffs, commit=False
        )
        if not is_new:
            return None  # the same key's other request was stored meanwhile
        body = ResponseSchema().dump(represent(session, survey, [response])[0])
        session.add(
            ApiSubmission(
                user_id=found.user.id,
                key=key,
                request_digest=digest,
                response_id=response.id,
                body=body,
            )
        )
        new = {"token": found.token_id, "channel": channel, "idempotency_key": key}
        write_audit(
            session, found.user.id, AUDIT_SUBMIT, "response", body["id"], survey.id, {}, new
        )
        session.commit()
        return body

    body = db.write_retrying(write)
    if body is None:
        earlier = earlier_submission(session, found, key)
        if earlier is None:
            raise ApiError(409, "conflict")
        return replay(earlier, digest)
    return created(body)


def earlier_submission(session: Session, found: Caller, key: str) -> ApiSubmission | None:
    """Return what this account already submitted under ``key``, if anything."""
    return session.exec(
        select(ApiSubmission).where(
            ApiSubmission.user_id == found.user.id, ApiSubmission.key == key
        )
    ).first()


@bp.route("/surveys/<slug>/responses", methods=["GET"])
@bp.arguments(ResponseQuerySchema, location="query", error_status_code=400)
@documented("listResponses", "responses", 200, ResponsePageSchema, problems=TOKEN_PROBLEMS)
def list_responses(query: dict, slug: str):
    """List a survey's responses in id order, a page at a time (staff token with ``read``)."""
    found, survey = assigned_survey(slug, API_SCOPE_READ, STAFF_ROLES)
    after = decode_cursor(query["cursor"]) if "cursor" in query else 0
    filters = query_filters(query)
    conditions = response_conditions(survey.id, filters)
    since = query.get("updated_since")
    if since is not None:
        since = since.astimezone(UTC)
        conditions.append(or_(Response.submitted_at >= since, Response.updated_at >= since))
    session = db.get_session()
    limit = query["limit"]
    page = session.exec(
        select(Response)
        .where(*conditions, Response.id > after)
        .order_by(Response.id)
        .limit(limit + 1)
    ).all()
    more = len(page) > limit
    page = page[:limit]
    if after == 0:
        asked = {**filters.to_dict(), "updated_since": since.isoformat() if since else None}
        record_download(session, found.user.id, survey, "responses", "api", asked)
    next_cursor = encode_cursor(page[-1].id) if more else None
    reply = jsonify(
        ResponsePageSchema().dump(
            {"items": represent(session, survey, page), "next_cursor": next_cursor}
        )
    )
    if next_cursor:
        args = request.args.to_dict(flat=False)
        args["cursor"] = [next_cursor]
        reply.headers["Link"] = f'<{request.base_url}?{urlencode(args, doseq=True)}>; rel="next"'
    return reply


@bp.route("/surveys/<slug>/responses/<response_id>", methods=["GET"])
@documented("getResponse", "responses", 200, ResponseSchema, problems=TOKEN_PROBLEMS)
def get_response(slug: str, response_id: str):
    """One response by its id (staff token with ``read``)."""
    found, survey = assigned_survey(slug, API_SCOPE_READ, STAFF_ROLES)
    session = db.get_session()
    response = session.exec(
        select(Response).where(Response.survey_id == survey.id, Response.public_id == response_id)
    ).first()
    if response is None:
        raise ApiError(404, "response_not_found", _("This survey has no response with that id."))
    record_download(session, found.user.id, survey, "response", "api", {"id": response_id})
    return represent(session, survey, [response])[0]

"""What a delivery says about a response: the API's shape, within an export's rules.

The response as ``GET /api/v1/.../responses/ID`` shows it (``engage.api.responses``), less
what an export may not carry: contact details are never read, and free-text answers
(comments, short texts) are sent only when the survey's quoting rule lets this response be
quoted (``QuoteConsent``: every comment, or its author agreed on the consent question).
A withdrawn response is sent as its id alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from engage.api.responses import ResponseSchema, represent
from surveys.models import Response, Survey
from surveys.questions import question_type
from surveys.report_records import QuoteConsent

WITHDRAWN = "response.withdrawn"


def may_quote(survey: Survey, answers: dict[str, list]) -> bool:
    """Return whether this response's free text may leave under the survey's quoting rule."""
    consent = QuoteConsent.from_settings(survey.settings or {})
    if consent.policy == "all":
        return True
    if consent.policy == "consent_question":
        return any(value in consent.choices for value in answers.get(consent.question, []))
    return False


def response_data(session: Session, survey: Survey, response: Response) -> dict:
    """Return a stored response as a delivery carries it."""
    data = ResponseSchema().dump(represent(session, survey, [response])[0])
    if not may_quote(survey, data["answers"]):
        free_text = {q.name for q in survey.questions if question_type(q.kind).is_free_text}
        data["answers"] = {
            name: values for name, values in data["answers"].items() if name not in free_text
        }
    data.pop("place", None)  # where a broker met someone: not for other systems
    return data


def payload(event: str, survey: Survey, data: dict) -> dict:
    """Return a delivery's body: the event, when, and the response's data."""
    return {
        "type": event,
        "timestamp": datetime.now(UTC).isoformat(),
        "survey": survey.slug,
        "data": data,
    }


def withdrawn_data(survey: Survey, public_id: str) -> dict:
    """Return what a withdrawal tells: which response of which survey, nothing of it."""
    return {"id": public_id, "survey": survey.slug}

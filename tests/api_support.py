"""What the API tests share: a survey with skip logic, tokens, and their headers."""

from __future__ import annotations

from engage.accounts import tokens
from surveys.definition import (
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    OP_EQUALS,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.demographics import area_question
from surveys.models import SURVEY_OPEN
from surveys.store import save_definition

SLUG = "transit"

TRANSIT = SurveyDefinition(
    slug=SLUG,
    default_language="en",
    languages=("en", "fr"),
    title={"en": "Transit", "fr": "Transport en commun"},
    description={"en": "Tell us about buses."},
    questions=(
        QuestionDefinition(
            name="rides",
            kind=SINGLE_CHOICE,
            label={"en": "Do you ride the bus?", "fr": "Prenez-vous l'autobus?"},
            required=True,
            choices=(
                ChoiceDefinition("yes", {"en": "Yes", "fr": "Oui"}),
                ChoiceDefinition("no", {"en": "No", "fr": "Non"}),
            ),
        ),
        QuestionDefinition(
            name="routes",
            kind=MULTIPLE_CHOICE,
            label={"en": "Which routes?", "fr": "Quelles lignes?"},
            choices=(
                ChoiceDefinition("r1", {"en": "Route 1"}),
                ChoiceDefinition("r2", {"en": "Route 2"}),
            ),
            relevant=Condition("rides", OP_EQUALS, ("yes",)),
        ),
        QuestionDefinition(
            name="trips",
            kind=NUMBER,
            label={"en": "Trips a week"},
            settings={"min": 0, "max": 50},
        ),
        QuestionDefinition(name="comment", kind=LONG_TEXT, label={"en": "Comment"}),
        area_question(["North", "South"]),
    ),
)


def make_survey(session, definition: SurveyDefinition = TRANSIT, status: str = SURVEY_OPEN):
    """Store ``definition`` with this status; return the survey."""
    survey = save_definition(session, definition)
    survey.status = status
    session.add(survey)
    session.commit()
    return survey


def token_for(session, user, scopes=("read", "submit", "export"), days=None) -> str:
    """Make a token for ``user``; return its secret."""
    _token, secret = tokens.create_token(session, user, scopes, actor_id=None, days=days)
    return secret


def bearer(secret: str, **more) -> dict[str, str]:
    """Return the headers of a request signed with ``secret``."""
    return {"Authorization": f"Bearer {secret}", **more}

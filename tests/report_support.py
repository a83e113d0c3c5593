"""Build small surveys with chosen answers for the report and aggregation tests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from sqlmodel import Session

from analysis.sentiment import SentimentCutoffs
from surveys import counting, report_counts
from surveys.aggregates import Filters
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    RATING,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import SURVEY_OPEN, GroupFeedback, GroupSession, Survey
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.store import save_definition

_keys = itertools.count(1)


def choice_question(
    name: str,
    choices: Sequence[str],
    *,
    dimension: str | None = None,
    multiple: bool = False,
    labels: Mapping[str, str] | None = None,
) -> QuestionDefinition:
    """Return a closed question; with ``dimension`` it is an equity dimension."""
    return QuestionDefinition(
        name=name,
        kind=MULTIPLE_CHOICE if multiple else SINGLE_CHOICE,
        label={"en": name.replace("_", " ").capitalize()},
        choices=tuple(
            ChoiceDefinition(choice, {"en": (labels or {}).get(choice, choice.title())})
            for choice in choices
        ),
        allow_prefer_not=True,
        dimension=dimension,
    )


def likert(name: str) -> QuestionDefinition:
    """Return a five-point agreement question."""
    return QuestionDefinition(
        name=name, kind=LIKERT, label={"en": name.capitalize()}, allow_prefer_not=True
    )


def rating(name: str, low: int = 1, high: int = 5) -> QuestionDefinition:
    """Return a rating question from ``low`` to ``high``."""
    return QuestionDefinition(
        name=name,
        kind=RATING,
        label={"en": name.capitalize()},
        settings={"min": low, "max": high},
        allow_prefer_not=True,
    )


def comment(name: str) -> QuestionDefinition:
    """Return a long-text question."""
    return QuestionDefinition(name=name, kind=LONG_TEXT, label={"en": name.capitalize()})


def make_survey(
    session: Session,
    questions: Sequence[QuestionDefinition],
    *,
    slug: str = "transit-2025",
    settings: dict | None = None,
) -> Survey:
    """Store an open survey with these questions (committed)."""
    survey = save_definition(
        session,
        SurveyDefinition(
            slug=slug,
            default_language="en",
            languages=("en", "fr"),
            title={"en": "Transit survey", "fr": "Sondage sur le transport"},
            questions=tuple(questions),
        ),
        status=SURVEY_OPEN,
    )
    survey.settings = settings or {}
    session.commit()
    return survey


def add_responses(
    session: Session,
    survey: Survey,
    answers: Mapping[str, str | Sequence[str]],
    count: int = 1,
    *,
    channel: str = "web",
    language: str = "en",
    area: str | None = None,
    collected_at: datetime | None = None,
) -> None:
    """Store ``count`` identical responses (validated like a real submission)."""
    raw = {
        name: [value] if isinstance(value, str) else list(value) for name, value in answers.items()
    }
    validated = validate_submission(survey.questions, raw)
    assert validated.is_valid, validated.errors
    for _ in range(count):
        record_response(
            session,
            survey,
            validated.answers,
            Provenance(
                channel=channel,
                language=language,
                idempotency_key=f"test-{next(_keys)}",
                area=area,
                collected_at=collected_at or datetime(2025, 6, 2, 15, 0, tzinfo=UTC),
            ),
            cutoffs=SentimentCutoffs(),
            commit=False,
        )
    session.commit()


def add_many(
    session: Session, survey: Survey, groups: Iterable[tuple[Mapping, int]], **provenance
) -> None:
    """Store several batches of identical responses: ``[(answers, count), ...]``."""
    for answers, count in groups:
        add_responses(session, survey, answers, count, **provenance)


def grouped_rows_afresh(session: Session, survey: Survey) -> dict:
    """Return the kept statements' rows as counting the stored answers afresh gives them."""
    shape = report_counts.kept_shape(survey)
    found: dict = {name: {} for name in counting.statement_names(shape)}
    for (name, key), count in counting.count(session, survey, shape).items():
        if count:
            found[name][tuple(json.loads(json.dumps(list(key))))] = count
    return found


def kept_counts(session: Session, survey: Survey) -> dict:
    """Return the kept report counts shaped like ``grouped_rows_afresh``."""
    rows = report_counts.kept_rows(session, survey, Filters())
    return {name: {tuple(row[:-1]): row[-1] for row in found} for name, found in rows.items()}


def add_group_session(
    session: Session, survey: Survey, feedback: Iterable[Mapping] = (), **fields
) -> GroupSession:
    """Store a group session (an anonymous focus group unless told) with its feedback rows."""
    group = GroupSession(
        survey_id=survey.id,
        **{
            "kind": "focus_group",
            "facilitator": "F",
            "held_on": date(2025, 6, 4),
            "participants": 5,
            "consent": "oral",
            "attribution": "anonymous",
            **fields,
        },
    )
    session.add(group)
    session.flush()
    for row in feedback:
        session.add(GroupFeedback(session_id=group.id, **{"language": "en", **row}))
    session.commit()
    return group

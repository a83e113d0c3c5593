"""Storing a response: its answers in one statement, scored and counted as before."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs, score_comment
from surveys import report_counts
from surveys.definition import (
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Answer, Question, utcnow
from surveys.questions import AnswerValue
from surveys.recording import Provenance, record_response
from surveys.report_records import Filters
from surveys.store import save_definition, survey_by_slug

COMMENT = "The library staff are wonderful, but the buses are late."


@pytest.fixture
def survey(session):
    definition = SurveyDefinition(
        slug="transit",
        default_language="en",
        languages=("en",),
        title={"en": "Transit"},
        questions=(
            QuestionDefinition(
                name="modes",
                kind=MULTIPLE_CHOICE,
                choices=(
                    ChoiceDefinition("bus"),
                    ChoiceDefinition("bike"),
                    ChoiceDefinition("walk"),
                ),
            ),
            QuestionDefinition(name="trips", kind=NUMBER),
            QuestionDefinition(name="comment", kind=LONG_TEXT),
        ),
    )
    survey = save_definition(session, definition, status="open")
    session.commit()
    return survey


def test_a_response_stores_all_its_answers_in_one_insert(session, survey):
    report_counts.kept_rows(session, survey, Filters())  # counts kept, as after a dashboard
    engine = session.get_bind()
    inserts: list[tuple[str, int]] = []

    def seen(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.startswith("INSERT INTO answers"):
            inserts.append((statement, len(parameters) if executemany else 1))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        response, created = record_response(
            session,
            survey,
            {
                "modes": [AnswerValue(choice="bus"), AnswerValue(choice="walk")],
                "trips": [AnswerValue(number=12)],
                "comment": [AnswerValue(text=COMMENT)],
            },
            Provenance(channel="web", language="en", idempotency_key="one"),
            cutoffs=SentimentCutoffs(),
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert created
    assert [count for _, count in inserts] == [4]
    rows = session.exec(select(Answer).where(Answer.response_id == response.id)).all()
    assert {(r.choice, r.number) for r in rows if r.text is None} == {
        (None, 12.0),
        ("bus", None),
        ("walk", None),
    }
    (comment,) = [r for r in rows if r.text]
    scored = score_comment(COMMENT, "en")
    assert (comment.polarity, comment.subjectivity) == (scored.polarity, scored.subjectivity)
    assert comment.sentiment_label is not None
    assert report_counts.trusted(session, survey)
    assert not report_counts.differences(session, survey)


def test_a_detached_surveys_kept_shape_is_worked_out_once_per_change(session, survey):
    loaded = survey_by_slug(session, "transit")
    for question in loaded.questions:
        for choice in question.choices:
            session.expunge(choice)
        session.expunge(question)
    session.expunge(loaded)
    first = report_counts.kept_shape(loaded)
    assert report_counts.kept_shape(loaded) is first
    attached = survey_by_slug(session, "transit")
    assert report_counts.kept_shape(attached) is not first  # may be changing: worked out
    assert report_counts.kept_shape(attached) == first
    comment = session.exec(select(Question).where(Question.name == "comment")).one()
    loaded.questions.remove(next(q for q in loaded.questions if q.name == "comment"))
    loaded.updated_at = utcnow()  # as a newly kept survey after the change
    assert comment.id not in report_counts.kept_shape(loaded).comment_ids

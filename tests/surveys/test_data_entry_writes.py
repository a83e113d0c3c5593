"""Data entry's domain writes, called without a web request: corrections, sessions, imports."""

from datetime import date

import pytest
from sqlmodel import func, select

from analysis.sentiment import SentimentCutoffs
from surveys.corrections import EntryInput, apply_correction, record_review
from surveys.definition import (
    LIKERT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.group_sessions import (
    FeedbackInput,
    SessionInput,
    add_session,
    complete_tally,
    correct_session,
)
from surveys.models import AuditEvent, GroupFeedback, GroupTally, Response, User
from surveys.questions import AnswerValue
from surveys.recording import Provenance, record_response
from surveys.response_import import RejectedImportError, import_responses
from surveys.store import save_definition

CUTOFFS = SentimentCutoffs()


@pytest.fixture
def survey(session):
    definition = SurveyDefinition(
        slug="parks-2026",
        default_language="en",
        languages=("en", "fr"),
        title={"en": "Parks"},
        questions=(
            QuestionDefinition(name="satisfied", kind=LIKERT),
            QuestionDefinition(
                name="visits",
                kind=SINGLE_CHOICE,
                choices=(ChoiceDefinition("often"), ChoiceDefinition("rarely")),
            ),
        ),
    )
    survey = save_definition(session, definition, status="open")
    session.commit()
    return survey


@pytest.fixture
def broker(session):
    user = User(email="broker@example.ca", role="broker", password_hash="-")
    session.add(user)
    session.commit()
    return user


def audit_events(session) -> list[AuditEvent]:
    return session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()


def session_input(tally: dict, note_id: str = "") -> SessionInput:
    """Return a focus group of ten; ``note_id`` names its stored note when it is a correction."""
    return SessionInput(
        kind="focus_group",
        facilitator="A. Facilitator",
        held_on=date(2026, 3, 2),
        place="Library",
        languages=["en"],
        participants=10,
        consent="oral",
        attribution="anonymous",
        demographics={},
        tallies={"visits": complete_tally(10, tally, False)},
        feedback=[
            FeedbackInput(id=note_id, kind="note", text="More benches, please.", language="en")
        ],
    )


def test_a_session_correction_audits_only_the_values_that_changed(session, survey, broker):
    group = add_session(
        session, survey, session_input({"often": 6}), entered_by_id=broker.id, cutoffs=CUTOFFS
    )
    session.commit()
    note_id = str(session.exec(select(GroupFeedback.id)).one())

    unchanged = correct_session(
        session,
        survey,
        group,
        session_input({"often": 6}, note_id),
        user_id=broker.id,
        cutoffs=CUTOFFS,
    )
    assert unchanged == ({}, {})
    assert audit_events(session) == []

    old, new = correct_session(
        session,
        survey,
        group,
        session_input({"often": 7}, note_id),
        user_id=broker.id,
        cutoffs=CUTOFFS,
    )
    session.commit()
    assert old == {"tallies": {"visits": {"often": 6, "": 4}}}
    assert new == {"tallies": {"visits": {"often": 7, "": 3}}}
    (event,) = audit_events(session)
    assert (event.action, event.entity_id, event.user_id) == (
        "group_session.correct",
        group.public_id,
        broker.id,
    )
    counts = session.exec(select(GroupTally.count).where(GroupTally.session_id == group.id)).all()
    assert sorted(counts) == [3, 7]


def test_a_broker_correction_sends_a_verified_entry_back_for_review(session, survey, broker):
    response, _ = record_response(
        session,
        survey,
        {"satisfied": [AnswerValue(choice="agree")]},
        Provenance(channel="paper", language="en", idempotency_key="k-1", paper_id="P-1"),
        cutoffs=CUTOFFS,
    )
    record_review(session, survey, response, "verified", None, user_id=broker.id)
    session.commit()

    entry = EntryInput(
        channel="paper",
        language="en",
        collected_on=response.collected_at.date(),
        place=None,
        paper_id="P-1",
        answers={"satisfied": [AnswerValue(choice="disagree")]},
    )
    old, new = apply_correction(
        session, survey, response, entry, user_id=broker.id, by_staff=False, cutoffs=CUTOFFS
    )
    session.commit()

    assert old == {"answers": {"satisfied": ["agree"]}, "status": "verified"}
    assert new == {"answers": {"satisfied": ["disagree"]}, "status": "submitted"}
    assert response.status == "submitted"
    assert [event.action for event in audit_events(session)] == [
        "response.verify",
        "response.correct",
    ]


def test_an_import_with_a_bad_row_names_its_line_and_stores_nothing(session, survey):
    text = "satisfied,visits\nagree,often\nagree,sometimes\n"
    with pytest.raises(RejectedImportError) as rejected:
        import_responses(session, survey, text, cutoffs=CUTOFFS)

    (problem,) = rejected.value.problems
    assert problem.line == 3
    assert problem.message.text == "question %(number)s (%(name)s): %(message)s"
    assert problem.message.params["name"] == "visits"
    assert session.exec(select(func.count()).select_from(Response)).one() == 0

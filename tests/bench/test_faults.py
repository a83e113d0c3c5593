"""bench/faults.py in small: every acknowledged submission is stored once and whole.

A few seconds a fault, six residents and two gunicorn workers, on the test database
(SQLite, or PostgreSQL in the CI pass that sets ENGAGE_TEST_DATABASE_URL). The large
run's figures are in docs/benchmarks.md ("Faults").
"""

import random

import pytest
from sqlalchemy import delete, func, select

from bench import faults
from engage.db import build_engine
from surveys.models import Answer, Response


@pytest.mark.parametrize("fault", ["worker-kill", "restart", "kill-all"])
def test_submissions_survive_the_fault(database_url, tmp_path, fault):
    figures = faults.run_fault(
        database_url,
        fault,
        residents=6,
        workers=2,
        seconds=4,
        interval=1.5,
        workdir=tmp_path,
    )
    print(faults.HEADER, faults.row(figures), sep="\n")
    assert figures.faults_injected >= 1
    assert figures.acknowledged > 0
    assert figures.acknowledged == figures.stored
    assert figures.duplicates == 0
    assert figures.partial == 0
    assert figures.server_errors == 0
    assert figures.unfinished == 0
    assert figures.holds


def resident_answers(seed: int) -> dict[str, list[str]]:
    """One simulated resident's answers, as the harness draws them."""
    from engage.demo_data import synthetic_answers

    return synthetic_answers(random.Random(seed), "en")


def record(url: str, slug: str, token: str, answers: dict) -> None:
    """Store ``answers`` under ``token`` as the app does for a resident's "Send"."""
    from sqlmodel import Session
    from sqlmodel import select as select_model

    from analysis.sentiment import SentimentCutoffs
    from engage.demo import demo_definition
    from surveys.models import CHANNEL_WEB, Survey
    from surveys.recording import Provenance, record_response
    from surveys.responses import validate_submission

    engine = build_engine(url)
    with Session(engine) as session:
        survey = session.exec(select_model(Survey).where(Survey.slug == slug)).one()
        valid = validate_submission(demo_definition().questions, answers).answers
        provenance = Provenance(channel=CHANNEL_WEB, language="en", idempotency_key=token)
        record_response(session, survey, valid, provenance, cutoffs=SentimentCutoffs())
    engine.dispose()


def test_the_count_finds_duplicates_strays_and_partial_responses(database_url, tmp_path):
    slug = "faults-accounting"
    faults.prepare_survey(database_url, slug, tmp_path / "instance")
    first, second = resident_answers(1), resident_answers(2)
    record(database_url, slug, "token-a", first)
    record(database_url, slug, "token-b", second)
    walks = [({"token-a"}, first, False, True), ({"token-b"}, second, False, True)]
    assert faults.outcome(database_url, slug, walks) == (2, 0, 0)

    # The second resident's form came back with a new token and was stored again.
    record(database_url, slug, "token-b2", second)
    walks[1] = ({"token-b", "token-b2"}, second, False, True)
    assert faults.outcome(database_url, slug, walks) == (3, 1, 0)

    # A response nobody sent.
    record(database_url, slug, "token-stray", first)
    assert faults.outcome(database_url, slug, walks) == (4, 2, 0)

    # The first resident's response lost an answer row; the second's said contact me.
    engine = build_engine(database_url)
    with engine.begin() as connection:
        response_id = connection.execute(
            select(Response.id).where(Response.idempotency_key == "token-a")
        ).scalar_one()
        one_row = connection.execute(
            select(func.min(Answer.id)).where(Answer.response_id == response_id)
        ).scalar_one()
        connection.execute(delete(Answer).where(Answer.id == one_row))
    engine.dispose()
    walks[1] = ({"token-b", "token-b2"}, second, True, True)
    assert faults.outcome(database_url, slug, walks) == (4, 2, 3)

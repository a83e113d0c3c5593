"""Receipt codes and withdrawals: a code names one response, and withdrawing it leaves no trace
in the counts but the audit event."""

from __future__ import annotations

import random

import pytest
from report_support import (
    choice_question,
    comment,
    grouped_rows_afresh,
    kept_counts,
    likert,
    make_survey,
)
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from surveys import receipts, report_counts
from surveys.aggregates import Filters
from surveys.models import Answer, AuditEvent, Response, ResponseContact, ResponseFacts
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.withdrawals import BY_RECEIPT, BY_RESIDENT, Withdrawal, withdraw_response

SECRET = b"test-secret"


@pytest.fixture
def survey(session):
    return make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
        ],
    )


def submit(session, survey, seed: int, *, contact: str | None = None) -> tuple[Response, bool]:
    rng = random.Random(seed)
    raw = {
        "age": [rng.choice(["young", "old"])],
        "safe": [rng.choice(["agree", "disagree"])],
        "why": [rng.choice(["The bus is late.", "Great drivers."])],
    }
    validated = validate_submission(survey.questions, raw)
    return record_response(
        session,
        survey,
        validated.answers,
        Provenance(channel="web", language="en", idempotency_key=f"form-{seed}"),
        cutoffs=SentimentCutoffs(),
        contact=contact,
        receipt_secret=SECRET,
    )


def test_a_code_is_eight_unambiguous_characters_in_two_groups_of_four():
    code = receipts.derive_code(SECRET, 1, "form-token")
    assert len(code) == 8 and set(code) <= set(receipts.ALPHABET)
    assert not set("ILOU") & set(receipts.ALPHABET)
    shown = receipts.formatted(code)
    assert shown[4] == "-" and shown.replace("-", "") == code


def test_a_code_is_read_back_whatever_case_spacing_and_confusable_letters():
    assert receipts.read_code("7kq2-m9xd") == "7KQ2M9XD"
    assert receipts.read_code(" 7KQ2 M9XD ") == "7KQ2M9XD"
    assert receipts.read_code("7KQ2–M9XD") == "7KQ2M9XD"  # an en dash, as phones type it
    assert receipts.read_code("O1LI-ABCD") == "0111ABCD"  # O is 0, I and L are 1
    for wrong in ("", "7KQ2-M9X", "7KQ2-M9XDE", "7KQ2-M9XU", "7KQ2/M9XD", "７KQ2M9XD"):
        assert receipts.read_code(wrong) is None, wrong


def test_the_receipt_is_stored_hashed_and_a_resent_form_shows_the_same_code(session, survey):
    response, created = submit(session, survey, 1)
    code = receipts.receipt_code(response, SECRET)
    assert created and code is not None
    assert response.receipt_hash == receipts.receipt_hash(survey.id, code)
    assert code not in response.receipt_hash and len(response.receipt_hash) == 64
    again, created_again = submit(session, survey, 1)  # the same form sent twice
    assert not created_again and again.id == response.id
    assert receipts.receipt_code(again, SECRET) == code
    assert receipts.response_by_receipt(session, survey.id, code).id == response.id
    # The same code means nothing in another survey.
    assert receipts.response_by_receipt(session, survey.id + 1, code) is None


def test_a_code_already_used_in_the_survey_is_not_given_again(session, survey, monkeypatch):
    first, _created = submit(session, survey, 1)
    taken = receipts.receipt_code(first, SECRET)
    real = receipts.derive_code

    def colliding(secret, survey_id, key, attempt=0):
        return taken if attempt == 0 else real(secret, survey_id, key, attempt)

    monkeypatch.setattr(receipts, "derive_code", colliding)
    second, created = submit(session, survey, 2)
    code = receipts.receipt_code(second, SECRET)
    assert created and code is not None and code != taken
    assert receipts.response_by_receipt(session, survey.id, taken).id == first.id
    assert receipts.response_by_receipt(session, survey.id, code).id == second.id


def test_withdrawing_removes_the_response_everywhere_and_audits_it_without_answers(session, survey):
    report_counts.kept_rows(session, survey, Filters())  # counts kept from the start
    stored = [submit(session, survey, seed, contact="me@example.ca")[0] for seed in range(30)]
    leaving = stored[7]
    code = receipts.receipt_code(leaving, SECRET)
    found = receipts.response_by_receipt(session, survey.id, code)
    withdraw_response(session, survey, found, Withdrawal(BY_RESIDENT, BY_RECEIPT))
    session.commit()

    assert session.get(Response, leaving.id) is None
    for table in (Answer, ResponseContact, ResponseFacts):
        assert not session.exec(select(table).where(table.response_id == leaving.id)).all()
    assert receipts.response_by_receipt(session, survey.id, code) is None
    # The kept counts lost exactly its part: they equal the remaining answers counted afresh,
    # and can be read without a rebuild.
    assert report_counts.trusted(session, survey)
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    assert kept_counts(session, survey)[("respondents",)] == {(): 29}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdraw")).one()
    assert event.entity_id == leaving.public_id and event.user_id is None
    assert event.reason == "resident:receipt"
    assert event.old["channel"] == "web" and event.new == {"withdrawn": True}
    written = repr((event.old, event.new, event.reason))
    for answer in ("young", "old", "agree", "bus", "Great drivers", "me@example.ca"):
        assert answer not in written

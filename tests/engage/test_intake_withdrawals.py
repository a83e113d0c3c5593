"""Brokers give interviewees a receipt code and record withdrawals asked for in person or by
phone, by receipt code or by paper form ID (issue 18)."""

from __future__ import annotations

import re

import pytest
from report_support import grouped_rows_afresh, kept_counts
from sqlmodel import func, select
from support import assign

from engage.auth import create_user
from surveys import report_counts
from surveys.aggregates import Filters
from surveys.models import AuditEvent, Response
from surveys.store import save_definition
from tests.engage.test_intake import SLUG, entry_form, survey_definition

RECEIPT = re.compile(r"receipt code: ([0-9A-Z]{4}-[0-9A-Z]{4})")


@pytest.fixture
def survey(session, users):
    survey = save_definition(session, survey_definition(), status="open")
    session.commit()
    assign(session, survey, users["broker"])
    report_counts.kept_rows(session, survey, Filters())
    return survey


def key_in(client, **overrides) -> str:
    """Save one entry and return the page the broker lands on (with its messages)."""
    saved = client.post(f"/intake/{SLUG}/enter", data=entry_form(**overrides))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    return client.get(saved.headers["Location"]).get_data(as_text=True)


def withdraw(client, **fields):
    data = {"withdraw-asked": "phone", "withdraw-identified_by": "receipt", "withdraw-confirm": "y"}
    data.update({f"withdraw-{name}": value for name, value in fields.items()})
    return client.post(f"/intake/{SLUG}/withdraw", data=data)


def count(session) -> int:
    return session.exec(select(func.count()).select_from(Response)).one()


def test_an_interview_ends_with_a_receipt_code_and_a_paper_form_does_not(
    client, login_as, session, survey
):
    login_as("broker")
    paper = key_in(client)
    assert not RECEIPT.search(paper)
    phone = key_in(client, channel="phone", paper_id="")
    code = RECEIPT.search(phone).group(1)
    stored = session.exec(select(Response).where(Response.channel == "phone")).one()
    assert stored.receipt_hash is not None and code.replace("-", "") not in stored.receipt_hash


def test_a_broker_records_a_withdrawal_by_receipt_code(client, login_as, session, survey):
    broker = login_as("broker")
    key_in(client)
    code = RECEIPT.search(key_in(client, channel="in_person", paper_id="")).group(1)
    assert client.get(f"/intake/{SLUG}/withdraw").status_code == 200
    done = withdraw(client, code=code)
    assert done.status_code == 302
    assert "The answers were withdrawn" in client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    assert count(session) == 1
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdraw")).one()
    assert (event.user_id, event.reason) == (broker.id, "phone:receipt")
    assert event.old["channel"] == "in_person"


def test_a_paper_form_is_withdrawn_by_its_id_by_the_broker_who_keyed_it_or_staff(
    client, login_as, session, survey, users
):
    other = create_user(session, "broker2@example.ca", "broker", "another password 1", name="Bea")
    assign(session, survey, other)
    login_as("broker")
    key_in(client, paper_id="A-001")
    key_in(client, paper_id="A-002")
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": other.email, "password": "another password 1"})
    refused = withdraw(client, identified_by="paper_id", paper_id="A-001", asked="in_person")
    assert refused.status_code == 400
    assert "No paper form of this survey that you entered has this ID." in refused.get_data(
        as_text=True
    )
    assert count(session) == 2
    client.post("/auth/logout")
    login_as("staff")
    done = withdraw(client, identified_by="paper_id", paper_id="A-001", asked="in_person")
    assert done.status_code == 302
    assert [row.paper_id for row in session.exec(select(Response))] == ["A-002"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "response.withdraw")).one()
    assert event.reason == "in_person:paper_id" and event.old["paper_id"] == "A-001"


def test_a_withdrawal_needs_a_good_code_and_the_residents_confirmation(
    client, login_as, session, survey
):
    login_as("broker")
    code = RECEIPT.search(key_in(client, channel="phone", paper_id="")).group(1)
    unconfirmed = withdraw(client, code=code, confirm="")
    assert unconfirmed.status_code == 400
    assert "Confirm that the resident wants the answers deleted." in unconfirmed.get_data(
        as_text=True
    )
    for wrong in ("2222-2222", "not a code"):
        assert withdraw(client, code=wrong).status_code == 400
    assert count(session) == 1


def test_an_unassigned_broker_cannot_record_withdrawals(client, login_as, session, survey):
    other = create_user(session, "broker3@example.ca", "broker", "another password 1", name="Cy")
    client.post("/auth/login", data={"email": other.email, "password": "another password 1"})
    assert client.get(f"/intake/{SLUG}/withdraw").status_code == 403
    assert withdraw(client, code="2222-2222").status_code == 403


def test_the_paper_form_has_a_slip_with_the_results_address_and_how_to_withdraw(
    client, login_as, survey
):
    login_as("broker")
    page = client.get(f"/intake/{SLUG}/paper/fr").get_data(as_text=True)
    slip = page[page.index('class="tear-off"') :]
    assert f"http://localhost/s/{SLUG}/results" in slip
    assert "paper-id-box" in slip and "Keep this slip" not in page[: page.index("tear-off")]


def test_the_open_data_dictionary_links_to_the_results_page(client, login_as, session, survey):
    import io
    import json
    import zipfile

    login_as("staff")
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/reports/{SLUG}/download/open-data.zip").data)
    )
    name = next(name for name in archive.namelist() if name.endswith("data_dictionary.json"))
    described = json.loads(archive.read(name))["survey"]
    assert described["results_page"] == f"http://localhost/s/{SLUG}/results"
    assert described["results_published"] is False

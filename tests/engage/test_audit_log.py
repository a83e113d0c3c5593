"""The audit log: sign-ins, failures and downloads recorded; admins read it; nothing edits it."""

from datetime import timedelta

import pytest
from report_support import choice_question, make_survey
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select
from support import POSTGRES_URL, login

from surveys.audit import write_audit
from surveys.models import AuditEvent, utcnow


@pytest.fixture
def survey(session):
    return make_survey(session, [choice_question("age", ["young", "old"])], slug="roads")


def events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_download_is_audited_with_what_and_which_filters(client, login_as, session, survey):
    staff = login_as("staff")
    response = client.get("/reports/roads/download/responses.csv?channel=paper&start=2024-01-01")
    assert response.status_code == 200
    (event,) = events(session, "download")
    assert (event.user_id, event.survey_id, event.entity) == (staff.id, survey.id, "survey")
    assert event.new["what"] == "responses" and event.new["format"] == "csv"
    assert event.new["filters"]["channels"] == ["paper"]
    assert event.new["filters"]["start"] == "2024-01-01"


def test_every_kind_of_download_is_audited(client, login_as, session, survey):
    login_as("staff")
    for what, extension in (("report", "xlsx"), ("report", "json"), ("open-data", "zip")):
        assert client.get(f"/reports/roads/download/{what}.{extension}").status_code == 200
    assert [(e.new["what"], e.new["format"]) for e in events(session, "download")] == [
        ("report", "xlsx"),
        ("report", "json"),
        ("open-data", "zip"),
    ]


def test_a_cli_export_is_audited(runner, session, survey, tmp_path):
    target = tmp_path / "roads.csv"
    result = runner.invoke(args=["export", "roads", "--responses", "-o", str(target)])
    assert result.exit_code == 0, result.output
    (event,) = events(session, "export")
    assert (event.user_id, event.survey_id, event.new["what"], event.new["format"]) == (
        None,
        survey.id,
        "responses",
        "csv",
    )


def test_only_admins_open_the_audit_log(client, users):
    assert client.get("/audit/").status_code == 302
    for role, status in (("broker", 403), ("staff", 403), ("admin", 200)):
        login(client, f"{role}@example.ca")
        assert client.get("/audit/").status_code == status
        client.post("/auth/logout")


def test_admins_filter_the_log_by_kind_user_and_day(client, users, session):
    login(client, "staff@example.ca", "wrong password!")
    login(client, "nobody@example.ca", "wrong password!")
    login(client, "admin@example.ca")
    page = client.get("/audit/?kind=sign_in_failed").get_data(as_text=True)
    assert page.count("<td>sign_in_failed</td>") == 2
    assert "<td>sign_in</td>" not in page
    page = client.get("/audit/?user=staff@example.ca").get_data(as_text=True)
    assert page.count("<td>sign_in_failed</td>") == 1  # the failure to the staff account
    assert "nobody@example.ca" not in page
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    page = client.get(f"/audit/?since={tomorrow}").get_data(as_text=True)
    assert "No events match these filters." in page
    assert client.get("/audit/?page=" + "9" * 30).status_code == 404


def test_the_log_is_paginated(client, users, session):
    for number in range(120):
        write_audit(session, None, "test.event", "thing", str(number), None, {}, {})
    session.commit()
    login(client, "admin@example.ca")
    first = client.get("/audit/?kind=test.event").get_data(as_text=True)
    assert first.count("<td>test.event</td>") == 50
    assert "Page 1 of 3" in first
    assert 'href="/audit/?page=2&amp;kind=test.event"' in first
    last = client.get("/audit/?kind=test.event&page=3").get_data(as_text=True)
    assert last.count("<td>test.event</td>") == 20


def test_engage_audit_prints_the_filtered_log(runner, client, users):
    login(client, "staff@example.ca", "wrong password!")
    login(client, "staff@example.ca")
    result = runner.invoke(args=["audit", "--kind", "sign_in", "--user", "staff@example.ca"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    fields = lines[0].split("\t")
    assert fields[1:4] == ["sign_in", "staff@example.ca", "-"]
    assert runner.invoke(args=["audit", "--since", "2999-01-01"]).output == ""
    assert "sign_in_failed" in runner.invoke(args=["audit"]).output


def test_engage_audit_refuses_a_bad_date(runner):
    result = runner.invoke(args=["audit", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "--since" in result.output


@pytest.mark.skipif(not POSTGRES_URL, reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'edited'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_postgresql_refuses_to_change_or_delete_audit_events(app, session, statement):
    write_audit(session, None, "sign_in", "user", "1", None, {}, {})
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.exec(text(statement))
    session.rollback()
    assert [event.action for event in session.exec(select(AuditEvent))] == ["sign_in"]

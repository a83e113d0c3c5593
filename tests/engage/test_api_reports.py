"""The API's report JSON and open-data bundle: the reports page's own, under its policy."""

import io
import zipfile

from api_support import bearer, token_for
from sqlmodel import Session, select
from support import login

from engage.api.reports import REPORT_SCHEMA
from engage.demo import DEMO_SLUG
from surveys.models import AuditEvent, User

DEMO_STAFF = ("staff@engage.demo", "demo-staff-password")


def demo_token(app, email: str, scopes) -> str:
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return token_for(session, user, scopes)


def test_the_report_is_the_one_the_reports_page_downloads(demo_app):
    secret = demo_token(demo_app, DEMO_STAFF[0], ["export"])
    client = demo_app.test_client()
    reply = client.get(f"/api/v1/surveys/{DEMO_SLUG}/report?channel=web", headers=bearer(secret))
    assert reply.status_code == 200
    assert reply.mimetype == "application/json"
    page = demo_app.test_client()
    assert login(page, *DEMO_STAFF).status_code == 302
    downloaded = page.get(f"/reports/{DEMO_SLUG}/download/report.json?channel=web")
    assert reply.get_json() == downloaded.get_json()
    report = reply.get_json()
    assert report["disclosure"]  # the policy it was withheld under, as on every download
    assert set(REPORT_SCHEMA["required"]) <= set(report)


def test_the_report_speaks_the_accept_language_language(demo_app):
    secret = demo_token(demo_app, DEMO_STAFF[0], ["export"])
    client = demo_app.test_client()
    english = client.get(f"/api/v1/surveys/{DEMO_SLUG}/report", headers=bearer(secret))
    french = client.get(
        f"/api/v1/surveys/{DEMO_SLUG}/report",
        headers=bearer(secret, **{"Accept-Language": "fr"}),
    )
    assert english.status_code == french.status_code == 200
    assert english.get_json() != french.get_json()


def test_the_open_data_bundle_is_the_reports_page_zip(demo_app):
    secret = demo_token(demo_app, DEMO_STAFF[0], ["export"])
    client = demo_app.test_client()
    reply = client.get(f"/api/v1/surveys/{DEMO_SLUG}/open-data", headers=bearer(secret))
    assert reply.status_code == 200
    assert reply.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(reply.data)).namelist()
    page = demo_app.test_client()
    assert login(page, *DEMO_STAFF).status_code == 302
    downloaded = page.get(f"/reports/{DEMO_SLUG}/download/open-data.zip")
    assert names == zipfile.ZipFile(io.BytesIO(downloaded.data)).namelist()
    assert any(name.endswith("representation.csv") for name in names)


def test_exports_are_audited_and_need_the_export_scope_and_a_staff_role(demo_app):
    client = demo_app.test_client()
    reader = demo_token(demo_app, DEMO_STAFF[0], ["read"])
    broker = demo_token(demo_app, "broker@engage.demo", ["export"])
    for secret, code in ((reader, "insufficient_scope"), (broker, "role_forbidden")):
        for what in ("report", "open-data"):
            reply = client.get(f"/api/v1/surveys/{DEMO_SLUG}/{what}", headers=bearer(secret))
            assert (reply.status_code, reply.get_json()["code"]) == (403, code)
    exporter = demo_token(demo_app, DEMO_STAFF[0], ["export"])
    client.get(f"/api/v1/surveys/{DEMO_SLUG}/open-data", headers=bearer(exporter))
    with Session(demo_app.extensions["engage.engine"]) as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "download").order_by(AuditEvent.id)
        ).all()
    assert [(event.new["what"], event.new["format"]) for event in events] == [("open-data", "api")]


def test_a_report_filter_that_makes_no_sense_is_400(demo_app):
    secret = demo_token(demo_app, DEMO_STAFF[0], ["export"])
    reply = demo_app.test_client().get(
        f"/api/v1/surveys/{DEMO_SLUG}/report?start=2026-13-01", headers=bearer(secret)
    )
    assert (reply.status_code, reply.get_json()["code"]) == (400, "invalid_parameter")
    assert reply.get_json()["errors"][0]["field"] == "query.start"

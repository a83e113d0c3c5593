"""Reports: the report JSON and the open-data bundle, as the reports page downloads them.

Both are built by the reports page's own code (``engage.reports.downloads``: the kept
full report, ``analysis.report_formats.to_json``, ``open_data_zip``), so the disclosure
policy, the quoting rules and the labels' language (``Accept-Language``) are the
dashboard's. Staff token with ``export``; each is audited as a download.
"""

from __future__ import annotations

from flask import Response

from engage import db
from engage.api.auth import assigned_survey
from engage.api.blueprint import TOKEN_PROBLEMS, bp, documented
from engage.api.filters import FilterQuerySchema, query_filters
from engage.audit.events import record_download
from engage.reports.dashboard import STAFF_ROLES
from engage.reports.downloads import full_report, open_data_zip
from surveys.models import API_SCOPE_EXPORT

REPORT_SCHEMA = {
    "type": "object",
    "description": "the report (docs/report-format.md): small groups withheld by its policy",
    "required": ["survey", "generated_at", "settings", "totals", "disclosure"],
    "additionalProperties": True,
}
ZIP_SCHEMA = {"type": "string", "contentMediaType": "application/zip"}


@bp.route("/surveys/<slug>/report", methods=["GET"])
@bp.arguments(FilterQuerySchema, location="query", error_status_code=400)
@documented("getReport", "reports", 200, REPORT_SCHEMA, problems=TOKEN_PROBLEMS)
def get_report(query: dict, slug: str):
    """The equity and sentiment report as JSON, under the dashboard's disclosure policy."""
    from analysis.report_formats import to_json

    found, survey = assigned_survey(slug, API_SCOPE_EXPORT, STAFF_ROLES)
    filters = query_filters(query)
    record_download(db.get_session(), found.user.id, survey, "report", "api", filters.to_dict())
    return Response(to_json(full_report(survey, filters)), mimetype="application/json")


@bp.route("/surveys/<slug>/open-data", methods=["GET"])
@documented(
    "getOpenData",
    "reports",
    200,
    ZIP_SCHEMA,
    problems=TOKEN_PROBLEMS,
    content_type="application/zip",
)
def get_open_data(slug: str):
    """The open-data bundle (ZIP): suppressed tables, data dictionary, no record-level rows."""
    found, survey = assigned_survey(slug, API_SCOPE_EXPORT, STAFF_ROLES)
    record_download(db.get_session(), found.user.id, survey, "open-data", "api")
    response = Response(open_data_zip(survey), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}-open-data.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response

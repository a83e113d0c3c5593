"""Reports: the report JSON and the open-data bundle, as the reports page downloads them.

Both are built by the reports page's own code (``engage.reports.downloads``: the kept
full report, ``analysis.report_formats.to_json``, ``open_data_zip``), so the disclosure
policy, the quoting rules and the labels' language (``Accept-Language``) are the
dashboard's. Staff token with ``export``; each is audited as a download.
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response

from engage import db
from engage.api.auth import require_survey_access, require_token, survey_or_404
from engage.api.blueprint import TOKEN_PROBLEMS, bp, documented
from engage.audit.events import record_download
from engage.reports.dashboard import STAFF_ROLES
from engage.reports.downloads import full_report, open_data_zip
from surveys.models import API_SCOPE_EXPORT, CHANNELS
from surveys.report_records import Filters


class ReportQuerySchema(ma.Schema):
    """The dashboard's filters."""

    start = ma.fields.Date(metadata={"description": "first day collected (UTC), included"})
    end = ma.fields.Date(metadata={"description": "last day collected (UTC), included"})
    channel = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(CHANNELS)))
    language = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=35)))
    area = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=100)))

    @ma.validates_schema
    def check_days(self, data: dict, **_kwargs) -> None:
        """Refuse a range whose last day comes before its first."""
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ma.ValidationError("The last day comes before the first.", "end")


REPORT_SCHEMA = {
    "type": "object",
    "description": "the report (docs/report-format.md): small groups withheld by its policy",
    "required": ["survey", "generated_at", "settings", "totals", "disclosure"],
    "additionalProperties": True,
}
ZIP_SCHEMA = {"type": "string", "contentMediaType": "application/zip"}


def exportable_survey(slug: str):
    """Return the caller and survey of an export: staff token with ``export``, assigned."""
    found = require_token(API_SCOPE_EXPORT, STAFF_ROLES)
    survey = survey_or_404(slug)
    require_survey_access(found, survey)
    return found, survey


@bp.route("/surveys/<slug>/report", methods=["GET"])
@bp.arguments(ReportQuerySchema, location="query", error_status_code=400)
@documented("getReport", "reports", 200, REPORT_SCHEMA, problems=TOKEN_PROBLEMS)
def get_report(query: dict, slug: str):
    """The equity and sentiment report as JSON, under the dashboard's disclosure policy."""
    from analysis.report_formats import to_json

    found, survey = exportable_survey(slug)
    filters = Filters(
        start=query.get("start"),
        end=query.get("end"),
        channels=tuple(query.get("channel", ())),
        languages=tuple(query.get("language", ())),
        areas=tuple(query.get("area", ())),
    )
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
    found, survey = exportable_survey(slug)
    record_download(db.get_session(), found.user.id, survey, "open-data", "api")
    response = Response(open_data_zip(survey), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}-open-data.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response

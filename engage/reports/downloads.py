"""Downloads: responses, report tables (CSV, XLSX, JSON), the one-file report and open data."""

from __future__ import annotations

from datetime import date, datetime

from flask import Response, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage import db, report_cache
from engage.audit.events import record_download
from engage.auth import role_required
from engage.exports.html_report import report_html
from engage.exports.open_data import open_data_files, zip_bytes
from engage.exports.report_tables import report_xlsx
from engage.exports.responses import responses_csv, responses_xlsx
from engage.labels import CHANNEL_NAMES
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.dashboard import STAFF_ROLES, interface_tag
from engage.reports.forms import filter_form
from surveys.aggregates import Filters
from surveys.models import Survey

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_name(survey: Survey, what: str, extension: str) -> str:
    """Return a file name such as ``community-services-2026-responses-2026-11-21.csv``."""
    return f"{survey.slug}-{what}-{date.today().isoformat()}.{extension}"


def attachment(body, mimetype: str, filename: str) -> Response:
    """Return a download response that no cache keeps."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def full_report(survey: Survey, filters: Filters | None = None):
    """Return the complete report (every intersection, weighting as the survey sets it).

    Kept like the dashboard's (``engage.report_cache``): downloads of a large
    survey would otherwise rebuild it each time.
    """
    from engage.survey_reports import survey_report

    filters = filters or Filters()
    session = db.get_session()
    language = interface_tag()
    return report_cache.kept_report(
        session,
        survey,
        {"kind": "full", "filters": filters.to_dict(), "language": language},
        lambda: survey_report(
            session,
            survey,
            current_app.config,
            filters,
            language=language,
            generated_at=datetime.now().astimezone(),
        ),
    ).report


@bp.get("/<slug>/download/<what>.<extension>")
@role_required(*STAFF_ROLES)
def download(slug: str, what: str, extension: str):
    """Download responses, report tables, the one-file report or open data."""
    survey = survey_or_404(slug)
    kinds = {
        ("responses", "csv"),
        ("responses", "xlsx"),
        ("report", "csv"),
        ("report", "xlsx"),
        ("report", "json"),
        ("report", "html"),
        ("open-data", "zip"),
    }
    if (what, extension) not in kinds:
        abort(404)
    from analysis.report_formats import to_csv, to_json

    session = db.get_session()
    filename = download_name(survey, what, extension)
    if what == "open-data":
        record_download(session, current_user.id, survey, what, extension)
        return attachment(
            open_data_zip(survey), "application/zip", download_name(survey, "open-data", "zip")
        )
    form = filter_form(survey)
    if not form.validate():
        flash(
            _(
                "Check the filters: %(errors)s",
                errors=" ".join(str(error) for f in form for error in f.errors),
            )
        )
        return redirect(url_for("reports.dashboard", slug=slug))
    filters = form.filters()
    record_download(session, current_user.id, survey, what, extension, filters.to_dict())
    if what == "responses" and extension == "csv":
        body = streamed_responses_csv(db.engine(), survey.id, filters)
        return attachment(body, "text/csv; charset=utf-8", filename)
    if what == "responses":
        return attachment(responses_xlsx(session, survey, filters), XLSX, filename)
    report = full_report(survey, filters)
    if extension == "csv":
        return attachment("\ufeff" + to_csv(report), "text/csv; charset=utf-8", filename)
    if extension == "xlsx":
        return attachment(report_xlsx(report), XLSX, filename)
    if extension == "json":
        return attachment(to_json(report), "application/json", filename)
    return attachment(report_html(report), "text/html; charset=utf-8", filename)


def streamed_responses_csv(engine, survey_id: int, filters: Filters):
    """Yield the responses CSV from a session of its own: it outlives the request's."""
    with db.Session(engine) as session:
        survey = session.get(Survey, survey_id)
        yield from responses_csv(session, survey, filters)


def open_data_zip(survey: Survey) -> bytes:
    """Return the open-data bundle of the whole survey as a ZIP archive."""
    files = open_data_files(db.get_session(), survey, full_report(survey), CHANNEL_NAMES)
    return zip_bytes(files, f"{survey.slug}-open-data")

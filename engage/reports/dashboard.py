"""The survey list and the equity dashboard, with the plotly.js it draws with."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_babel import format_date, format_datetime
from flask_login import current_user
from sqlalchemy import func, select

from engage import db, formatting, report_cache
from engage.accounts.access import usable_surveys
from engage.auth import role_required
from engage.charts.dashboard import build_dashboard, report_values
from engage.exports.html_report import plotly_path, plotly_version
from engage.labels import (
    SENTIMENT_NAMES,
    SESSION_KIND_NAMES,
    STATUS_NAMES,
    channel_name,
    language_name,
    short_label,
)
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.forms import (
    current_url,
    filter_args,
    filter_form,
    interface_tag,
    view_from_args,
)
from surveys.aggregates import Filters, Options, collect, dimension_infos
from surveys.languages import resolve_text, text_direction
from surveys.models import ROLE_ADMIN, ROLE_STAFF, Survey
from surveys.models import Response as ResponseRow
from surveys.report_counts import kept_rows
from surveys.store import load_titles

STAFF_ROLES = (ROLE_ADMIN, ROLE_STAFF)

# Plotly's assets are versioned in their address, so browsers may keep them a year.
ASSET_MAX_AGE = 365 * 24 * 3600


@bp.context_processor
def report_helpers() -> dict:
    """Give the report templates their formatting helpers."""

    def view_url(**changes) -> str:
        return current_url("reports.dashboard", **changes)

    def download_url(what: str, extension: str) -> str:
        return url_for(
            "reports.download",
            slug=request.view_args["slug"],
            what=what,
            extension=extension,
            **filter_args(),
        )

    return {
        "direction": text_direction,
        "count_text": formatting.count_text,
        "ratio_text": formatting.ratio_text,
        "short": short_label,
        "language_name": language_name,
        "channel_name": channel_name,
        "sentiment_names": SENTIMENT_NAMES,
        "session_kind_names": SESSION_KIND_NAMES,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "view_url": view_url,
        "download_url": download_url,
        "filter_args": filter_args() if (request.view_args or {}).get("slug") else {},
    }


def build_page_report(survey: Survey, filters: Filters, pair: tuple[str, str] | None):
    """Build the report a dashboard shows: no weighting, only the chosen intersection.

    Every pair of dimensions comes with the counts (kept, or from the one counting
    pass of a filter); the dashboard shows one pair, so only that one is built into a
    suppressed table.
    """
    from analysis.report import build_report
    from engage.survey_reports import report_settings, titled_derived_dimensions

    session = db.get_session()
    settings = replace(report_settings(current_app.config, survey), weighting_dimensions=())
    kept = kept_rows(session, survey, filters)
    options = Options(intersections=True, language=interface_tag())
    data = titled_derived_dimensions(collect(session, survey, filters, options, kept))
    order = list(data.dimensions)
    chosen = tuple(sorted(pair, key=order.index)) if pair else None
    data = replace(
        data,
        intersections={chosen: data.intersections[chosen]} if chosen in data.intersections else {},
    )
    return build_report(
        data, settings, title=data.labels.get("title"), generated_at=datetime.now().astimezone()
    )


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """List the surveys with their response counts."""
    session = db.get_session()
    counts = dict(
        session.exec(
            select(ResponseRow.survey_id, func.count()).group_by(ResponseRow.survey_id)
        ).all()
    )
    statement = usable_surveys(select(Survey), current_user).order_by(Survey.created_at.desc())
    surveys = session.exec(statement).scalars().all()
    tag = interface_tag()
    titles = load_titles(session, [survey.id for survey in surveys])
    rows = [
        (
            survey,
            resolve_text(titles.get(survey.id, {}), tag, survey.default_language),
            counts.get(survey.id, 0),
        )
        for survey in surveys
    ]
    return render_template("reports/index.html", rows=rows, status_names=STATUS_NAMES)


@bp.get("/<slug>/")
@role_required(*STAFF_ROLES)
def dashboard(slug: str):
    """Show the equity dashboard of one survey under the filters in the query string."""
    survey = survey_or_404(slug)
    form = filter_form(survey)
    if not form.validate():
        return render_template("reports/dashboard.html", survey=survey, form=form, board=None), 400
    view = view_from_args()
    keys = list(dimension_infos(survey))
    first = view.dimension if view.dimension in keys else (keys[0] if keys else None)
    second = view.by if view.by in keys and view.by != first else None
    if second is None:
        second = next((key for key in keys if key != first), None)
    pair = (first, second) if first and second else None
    filters = form.filters()
    kept = report_cache.kept_report(
        db.get_session(),
        survey,
        {
            "kind": "dashboard",
            "filters": filters.to_dict(),
            "pair": pair,
            "language": interface_tag(),
        },
        lambda: build_page_report(survey, filters, pair),
        refresh=request.args.get("refresh") == "1",
    )
    board = build_dashboard(report_values(kept.report), view)
    return render_template(
        "reports/dashboard.html",
        survey=survey,
        form=form,
        board=board,
        kept=kept,
        built_at=datetime.fromtimestamp(kept.built_at, UTC),
        refresh_url=current_url("reports.dashboard", refresh="1"),
        title=kept.report.survey.get("title") or survey.slug,
        plotly_url=url_for("reports.plotly", version=plotly_version()),
        style_guards=plotly_style_guards(),
    )


@bp.get("/assets/plotly-<version>.min.js")
def plotly(version: str):
    """Serve plotly.js from the installed plotly package, cacheable for a year."""
    if version != plotly_version():
        abort(404)
    response = send_file(
        plotly_path(), mimetype="text/javascript", max_age=ASSET_MAX_AGE, conditional=True
    )
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response


@cache
def plotly_style_guards() -> tuple[str, ...]:
    """Return the ids plotly.js checks before injecting a ``<style>`` element.

    plotly.js bundles MapLibre's style sheet and adds it as an inline
    ``<style>``, which a strict CSP refuses (a console error), unless an
    element with this id is already in the page. Charts here use no maps, so
    an empty marker element is all it needs. The id is read from the
    installed bundle, so an upgrade keeps working.
    """
    text = plotly_path().read_text(encoding="utf-8")
    pattern = r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)'
    return tuple(dict.fromkeys(re.findall(pattern, text)))

"""Population benchmarks in the browser: see the figures, upload a CSV file, correct a table.

Benchmarks are shared by every survey (a Census table describes an area, not a
survey); the page opens from a survey's settings to show the figures next to that
survey's groups. The upload reads the file with ``surveys.benchmarks.parse_benchmarks``,
the command line's reader, so both accept and refuse the same files.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from analysis.population import survey_population
from engage import db, report_cache
from engage.auth import csrf
from engage.loading import survey_or_404
from engage.manage.forms import add_error
from engage.manage.uploads import accept_upload
from engage.settings.blueprint import bp
from engage.settings.context import Dimension, SurveyContext, survey_context
from engage.settings.forms import BenchmarkUploadForm
from engage.settings.views import area_name
from surveys.benchmarks import (
    TOTAL,
    BenchmarkError,
    BenchmarkFileError,
    benchmark_areas,
    benchmark_sources,
    check_figures,
    correct_benchmarks,
    import_benchmarks,
    parse_benchmarks,
    stored_figures,
)
from surveys.models import Survey
from surveys.report_records import DimensionInfo


@dataclass(frozen=True)
class FigureRow:
    """One group's figure as the correction form shows it."""

    group: str
    label: str
    value: str  # as stored, or as typed when the form was refused
    share: float | None  # of the survey's population
    status: str  # "asked", "not_asked" or "total"
    error: str | None = None


def figure_rows(
    context: SurveyContext,
    dimension: Dimension,
    stored: dict[str, int],
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> list[FigureRow]:
    """Return a dimension's groups (asked, then stored but not asked, then its total)."""
    population = survey_population(stored, dimension.info)
    groups = [group for group, _label in dimension.groups]
    groups += [group for group in stored if group not in groups and group != TOTAL]
    if dimension.info.multi_select or TOTAL in stored:
        groups.append(TOTAL)
    rows = []
    for group in groups:
        if group == TOTAL:
            status, label = "total", _("Total population (people, not groups)")
        elif group in dimension.info.groups:
            status, label = "asked", context.group_label(dimension.key, group)
        else:
            status, label = "not_asked", context.group_label(dimension.key, group)
        value = (typed or {}).get(group, str(stored[group]) if group in stored else "")
        share = population.share(group) if status == "asked" else None
        rows.append(FigureRow(group, label, value, share, status, (errors or {}).get(group)))
    return rows


def allowed_groups(dimension: DimensionInfo, stored: dict[str, int]) -> set[str]:
    """Return the groups a dimension's table may hold: the survey's, the stored ones, a total."""
    return {*dimension.groups, *stored, TOTAL}


def shown_area(context: SurveyContext) -> str:
    """Return the area the page shows: the one asked for, else the survey's."""
    area = request.args.get("area")
    if area is None or (area and area not in benchmark_areas(db.get_session())):
        return context.area
    return area


def render_benchmarks(
    survey: Survey,
    status: int = 200,
    *,
    upload_form: BenchmarkUploadForm | None = None,
    file_errors: list[str] | None = None,
    failed: tuple[str, dict[str, str], dict[str, str]] | None = None,
):
    """Render the figures of the survey's dimensions in one area, with the upload form."""
    context = survey_context(survey)
    area = shown_area(context)
    stored = stored_figures(db.get_session(), area)
    tables, table_errors = [], []
    for key, dimension in context.dimensions.items():
        typed = errors = None
        if failed and failed[0] == key:
            typed, errors = failed[1], failed[2]
        rows = figure_rows(context, dimension, stored.get((key, area), {}), typed, errors)
        shown = {row.group for row in rows}
        table_errors += [message for group, message in (errors or {}).items() if group not in shown]
        tables.append((dimension, rows))
    areas = dict.fromkeys(["", *benchmark_areas(db.get_session()), context.area])
    return (
        render_template(
            "settings/benchmarks.html",
            survey=survey,
            context=context,
            area=area,
            area_label=area_name(area),
            areas=[(name, area_name(name)) for name in areas],
            tables=tables,
            sources=benchmark_sources(db.get_session(), area),
            upload_form=upload_form or BenchmarkUploadForm(prefix="upload", formdata=None),
            file_errors=file_errors or [],
            table_errors=table_errors,
            failed_dimension=failed[0] if failed else None,
        ),
        status,
    )


@bp.get("/<slug>/benchmarks")
def benchmarks(slug: str):
    """Show the population figures next to the survey's groups."""
    return render_benchmarks(survey_or_404(slug))


@bp.post("/<slug>/benchmarks/upload")
@csrf.exempt
def upload_benchmarks(slug: str):
    """Import a benchmark CSV file: every row checked first, then all stored, or none."""
    accept_upload()
    survey = survey_or_404(slug)
    form = BenchmarkUploadForm(prefix="upload")
    if not form.validate_on_submit():
        return render_benchmarks(survey, 400, upload_form=form)
    try:
        rows = parse_benchmarks(form.file.data.read())
    except BenchmarkFileError as error:
        add_error(form.file, _("The file was not imported; nothing changed."))
        return render_benchmarks(
            survey, 400, upload_form=form, file_errors=[_problem(p) for p in error.errors]
        )
    session = db.get_session()
    import_benchmarks(session, rows, form.source.data or None, current_user.id)
    session.commit()
    report_cache.forget_all(session)
    flash(
        _(
            "Imported %(count)s population figures for %(dimensions)s.",
            count=len(rows),
            dimensions=", ".join(sorted({row.dimension for row in rows})),
        )
    )
    return redirect(url_for(".benchmarks", slug=survey.slug, area=request.args.get("area")))


@bp.post("/<slug>/benchmarks/<dimension>")
def correct_dimension(slug: str, dimension: str):
    """Correct one dimension's figures in one area: checked like a file's rows, audited."""
    survey = survey_or_404(slug)
    context = survey_context(survey)
    found = context.dimensions.get(dimension)
    if found is None:
        abort(404)
    area = shown_area(context)
    session = db.get_session()
    stored = stored_figures(session, area).get((dimension, area), {})
    groups, values = request.form.getlist("group"), request.form.getlist("population")
    typed = dict(zip(groups, values, strict=False))
    figures, problems = check_figures(dimension, area, typed, allowed_groups(found.info, stored))
    if problems:
        errors = {group: _problem(problem, line=False) for group, problem in problems.items()}
        return render_benchmarks(survey, 400, failed=(dimension, typed, errors))
    changed = correct_benchmarks(session, dimension, area, figures, current_user.id)
    session.commit()
    if changed:
        report_cache.forget_all(session)
    flash(
        _("Saved the figures of %(dimension)s.", dimension=found.label)
        if changed
        else _("Nothing changed.")
    )
    return redirect(
        url_for(".benchmarks", slug=survey.slug, area=area or None) + f"#dimension-{dimension}"
    )


def _problem(problem: BenchmarkError, line: bool = True) -> str:
    """Return a problem in the reader's language, with its line of the file."""
    message = _(problem.message, **problem.params)
    if line and problem.line:
        return _("Line %(line)s: %(message)s", line=problem.line, message=message)
    return message

"""``build_report``: every section of the report from one set of suppressed tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from analysis.disclosure import disclosure_of
from analysis.report.answers import answers
from analysis.report.group_sessions import combined, group_sessions
from analysis.report.independence import adjust_for_multiple_comparisons
from analysis.report.intersections import intersection
from analysis.report.outcomes import outcome
from analysis.report.rounding import round_report
from analysis.report.sentiment import sentiment
from analysis.report.shapes import Report, ReportSettings
from analysis.report.tables import ReportTables
from analysis.report.themes import themes
from analysis.report.totals import representation, settings_dict, totals
from analysis.report.weighted import weighted
from analysis.stats import BENJAMINI_HOCHBERG, SIGNIFICANCE_LEVEL
from surveys.report_records import SurveyAggregates

# Frozen, so one shared default is safe (as a default argument evaluated once would be).
DEFAULT_SETTINGS = ReportSettings()


def build_report(
    data: SurveyAggregates,
    settings: ReportSettings = DEFAULT_SETTINGS,
    *,
    title: str | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """Build the report for ``data`` under ``settings``."""
    tables = ReportTables(data, settings)
    generated = (generated_at or datetime.now(UTC)).isoformat(timespec="seconds")
    report = Report(
        survey={
            "slug": data.slug,
            "title": title,
            "default_language": data.default_language,
            "language": data.language,
        },
        generated_at=generated,
        settings={
            **settings_dict(tables),
            "multiple_comparisons": BENJAMINI_HOCHBERG,
            "significance_level": SIGNIFICANCE_LEVEL,
        },
        totals=totals(tables),
        representation=tuple(representation(tables, key) for key in data.dimensions),
        outcomes=adjust_for_multiple_comparisons(
            [
                outcome(tables, question, dimension)
                for question in tables.outcome_questions
                for dimension in data.dimensions
            ]
        ),
        answers=tuple(answers(tables, question) for question in tables.outcome_questions),
        intersections=tuple(intersection(tables, pair) for pair in data.intersections),
        sentiment=sentiment(tables),
        themes=themes(tables),
        weighted=weighted(tables),
        group_sessions=group_sessions(tables),
        combined=combined(tables) if settings.combined else None,
        disclosure=disclosure_of(
            settings.disclosure_policy, settings.min_cell, settings.random_rounding
        ),
    )
    if settings.random_rounding:
        # Seeded by the survey and its filters: the same download rounds the same way.
        seed = json.dumps([data.slug, data.filters.to_dict()], sort_keys=True)
        report = round_report(report, seed)
    return report

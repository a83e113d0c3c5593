"""Build a survey's report with the app's settings: the one entry point for CLI and pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from flask_babel import force_locale, gettext
from sqlmodel import Session

from analysis.disclosure import DEFAULT_POLICY, POLICIES
from analysis.report import Report, ReportSettings, build_report
from analysis.sentiment import SentimentCutoffs
from engage.i18n import INTERFACE_LANGUAGES, babel_locale_id
from surveys.aggregates import Filters, Options, SurveyAggregates, collect, dimension_infos
from surveys.demographics import bank_entries
from surveys.models import Survey
from surveys.report_counts import kept_rows
from surveys.report_records import DimensionInfo


def report_settings(
    config: Mapping,
    survey: Survey,
    *,
    combined: bool = False,
    weighting_dimensions: Sequence[str] | None = None,
) -> ReportSettings:
    """Return the report settings: thresholds from the app config, choices from the survey.

    ``Survey.settings`` may hold (each set on the survey's analysis settings page):
    ``reference_groups`` (``{dimension: group}``), ``weighting_dimensions`` (used
    unless ``weighting_dimensions`` is given), ``min_cell`` (overrides the app's
    ``MIN_CELL``), ``disclosure_policy`` (a policy name) and ``random_rounding``.
    """
    survey_settings = survey.settings or {}
    if weighting_dimensions is None:
        weighting_dimensions = survey_settings.get("weighting_dimensions") or ()
    return ReportSettings(
        min_cell=int(survey_settings.get("min_cell") or config["MIN_CELL"]),
        under_representation_below=float(config["UNDER_REPRESENTATION_BELOW"]),
        over_representation_above=float(config["OVER_REPRESENTATION_ABOVE"]),
        sentiment_negative_below=float(config["SENTIMENT_NEGATIVE_BELOW"]),
        sentiment_positive_above=float(config["SENTIMENT_POSITIVE_ABOVE"]),
        sentiment_languages=SentimentCutoffs.from_config(config).languages,
        reference_groups=dict(survey_settings.get("reference_groups") or {}),
        combined=combined,
        weighting_dimensions=tuple(weighting_dimensions),
        disclosure_policy=known_policy(survey_settings.get("disclosure_policy")),
        random_rounding=bool(survey_settings.get("random_rounding")),
    )


def known_policy(name) -> str:
    """Return a stored disclosure policy name, or the default for a missing or unknown one.

    The settings page only stores names of ``POLICIES``; a value written another way
    (an old or hand-edited setting) must not stop the survey's reports.
    """
    return name if isinstance(name, str) and name in POLICIES else DEFAULT_POLICY


def titled_derived_dimensions(data: SurveyAggregates) -> SurveyAggregates:
    """Name each derived dimension by its demographic-bank title, in the report's language.

    A derived dimension (disability status from the six Washington Group questions)
    would otherwise be labelled with its first question ("Do you have difficulty
    seeing..."). Surveys in a language the interface lacks keep that label.
    """
    return replace(data, labels=titled_labels(data.labels, data.dimensions, data.language))


def titled_labels(
    labels: Mapping[str, str], dimensions: Mapping[str, DimensionInfo], language: str
) -> dict[str, str]:
    """Return ``labels`` with each derived dimension named by its bank title (see above)."""
    labels = dict(labels)
    if language not in INTERFACE_LANGUAGES:
        return labels
    titles = {entry.id: entry.title for entry in bank_entries()}
    with force_locale(babel_locale_id(language)):
        for key, dimension in dimensions.items():
            if dimension.derived and key in titles:
                title = titles[key]  # an N_ message of the bank's entries
                labels[f"d.{key}"] = gettext(title)
    return labels


def unknown_dimensions(survey: Survey, names: Sequence[str]) -> list[str]:
    """Return the names that are not dimensions of the survey."""
    known = dimension_infos(survey)
    return [name for name in names if name not in known]


def survey_report(
    session: Session,
    survey: Survey,
    config: Mapping,
    filters: Filters | None = None,
    *,
    combined: bool = False,
    weighting_dimensions: Sequence[str] | None = None,
    language: str | None = None,
    intersections: bool = True,
    generated_at: datetime | None = None,
) -> Report:
    """Aggregate ``survey`` (from its kept counts when unfiltered) and build its report."""
    settings = report_settings(
        config, survey, combined=combined, weighting_dimensions=weighting_dimensions
    )
    language = language or survey.default_language
    filters = filters or Filters()
    data = collect(
        session,
        survey,
        filters,
        Options(
            intersections=intersections,
            weighting_dimensions=settings.weighting_dimensions,
            language=language,
        ),
        kept_rows(session, survey, filters),
    )
    data = titled_derived_dimensions(data)
    return build_report(data, settings, title=data.labels.get("title"), generated_at=generated_at)

"""The report's settings, totals (respondents by channel, language, area, day) and representation.

Representation compares each group's share of the respondents with its share of
the population the survey covers: the disproportionality index (share /
population share), flagged against the organisation's thresholds, with Wilson
95% intervals (``analysis.stats``). Benchmark groups the survey did not ask
(``analysis.population``) are listed as "not asked" and left out of the shares.
"""

from __future__ import annotations

from analysis.disclosure import low_reliability
from analysis.population import NOT_ASKED, survey_population
from analysis.report.shapes import RepresentationRow, RepresentationTable, Totals
from analysis.report.tables import (
    GROUP,
    MULTI_SELECT_NOTE,
    NO_ANSWER_NAME,
    ReportTables,
    kind_of,
    ratio,
)
from analysis.stats import disproportionality_index, representation_flag, wilson_interval
from surveys.definition import PREFER_NOT_TO_ANSWER


def settings_dict(tables: ReportTables) -> dict:
    """Return the settings the report followed, as it prints them."""
    settings = tables.settings
    return {
        "min_cell": settings.min_cell,
        "under_representation_below": settings.under_representation_below,
        "over_representation_above": settings.over_representation_above,
        "sentiment_negative_below": settings.sentiment_negative_below,
        "sentiment_positive_above": settings.sentiment_positive_above,
        "confidence_level": 0.95,
        "reference_groups": dict(tables.reference_groups),
        "reference_groups_configured": dict(settings.reference_groups),
        "benchmark_area": tables.data.benchmark_area,
        "filters": tables.data.filters.to_dict(),
        "scored_languages": list(settings.sentiment_languages),
        "quote_policy": tables.data.quote_consent.policy,
        "weighting_dimensions": list(settings.weighting_dimensions),
        "combined": settings.combined,
    }


def totals(tables: ReportTables) -> Totals:
    """Return the respondents, and how they came."""
    respondents = tables.respondents
    return Totals(
        respondents=respondents,
        suppressed=respondents is None,
        by_channel=tables.count_rows(("totals", "channel"), "channel"),
        by_language=tables.count_rows(("totals", "language"), "language"),
        by_area=tables.count_rows(("totals", "area"), "area"),
        by_day=tables.count_rows(("totals", "day"), "day"),
    )


def representation(tables: ReportTables, key: str) -> RepresentationTable:
    """Return one dimension's groups against the population benchmark."""
    data, settings = tables.data, tables.settings
    dimension = data.dimensions[key]
    shown = tables.shown_margins[("representation", key)]
    respondents = tables.respondents
    base = None
    if respondents is not None:
        base = respondents - sum(
            shown.counts[name] or 0 for name in (PREFER_NOT_TO_ANSWER, NO_ANSWER_NAME)
        )
    population = survey_population(data.benchmarks.get(key, {}), dimension)
    rows = []
    for group, count in shown.counts.items():
        kind = kind_of(group)
        share = ci = index = index_ci = flag = None
        group_population = population.groups.get(group) if kind == GROUP else None
        population_share = population.share(group) if kind == GROUP else None
        # A share is an estimate: published on a base of at least min_cell (analysis.disclosure).
        if kind == GROUP and count is not None and base and base >= tables.min_cell:
            share = count / base
            ci = wilson_interval(count, base)
            index = disproportionality_index(share, population_share)
            if index is not None:
                index_ci = (ci[0] / population_share, ci[1] / population_share)
            flag = representation_flag(
                index,
                settings.under_representation_below,
                settings.over_representation_above,
            )
        rows.append(
            RepresentationRow(
                dimension=key,
                group=group,
                kind=kind,
                label=tables.group_label(key, group),
                n=count,
                suppressed=count is None,
                share=share,
                ci=ci,
                share_of_respondents=ratio(count, respondents),
                population=group_population,
                population_share=population_share,
                index=index,
                index_ci=index_ci,
                flag=flag,
                low_reliability=low_reliability(share, ci),
            )
        )
    rows.extend(
        RepresentationRow(
            dimension=key,
            group=group,
            kind=NOT_ASKED,
            label=tables.group_label(key, group),
            n=None,
            suppressed=False,
            share=None,
            ci=None,
            share_of_respondents=None,
            population=count,
            population_share=None,
            index=None,
            index_ci=None,
            flag=NOT_ASKED,
        )
        for group, count in population.not_asked.items()
    )
    return RepresentationTable(
        dimension=key,
        label=tables.label(f"d.{key}"),
        questions=dimension.questions,
        multi_select=dimension.multi_select,
        note=MULTI_SELECT_NOTE if dimension.multi_select else None,
        share_base=base,
        benchmark_area=data.benchmark_area,
        has_benchmark=bool(population.groups),
        unmatched_benchmark_groups=tuple(population.not_asked),
        rows=tuple(rows),
    )

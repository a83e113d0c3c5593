"""The survey's population: benchmark groups a survey cannot have are "not asked"."""

import pytest

from analysis.population import survey_population
from analysis.report import ReportSettings, build_report
from surveys.report_records import (
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    QuoteConsent,
    SurveyAggregates,
)

ADULT_BANDS = ("age_18_24", "age_25_64", "age_65_plus")
# A Census-like age benchmark: everyone in the area, children included.
AGE_BENCHMARK = {"age_under_18": 200, "age_18_24": 100, "age_25_64": 500, "age_65_plus": 200}
# 200 adults: 14%, 61% and 25% of the respondents.
RESPONDENTS = {"age_18_24": 28, "age_25_64": 122, "age_65_plus": 50}


def adults_survey(weighting=False) -> SurveyAggregates:
    """Counts of an adults' survey (its age question starts at 18) with the benchmark above."""
    total = sum(RESPONDENTS.values())
    return SurveyAggregates(
        slug="adults",
        default_language="en",
        language="en",
        settings={},
        filters=Filters(),
        questions={},
        dimensions={"age": DimensionInfo("age", ("age",), ADULT_BANDS, multi_select=False)},
        labels={},
        benchmarks={"age": dict(AGE_BENCHMARK)},
        benchmark_area="",
        respondents=total,
        by_channel={"web": total},
        by_language={"en": total},
        by_area={None: total},
        by_day={"2025-06-02": total},
        representation={"age": dict(RESPONDENTS)},
        distribution={},
        answered={},
        outcomes={},
        outcome_answered={},
        intersections={},
        sentiment_by_question={},
        sentiment_by_group={},
        sentiment_by_channel={},
        sentiment_by_language={},
        quotes={},
        quote_consent=QuoteConsent("none"),
        group_sessions=GroupSessionAggregates(0, 0, {}, {}, {}, {}, ()),
        weighting_cells={(group,): count for group, count in RESPONDENTS.items()}
        if weighting
        else None,
        weighting_outcomes={} if weighting else None,
    )


def test_adult_bands_are_compared_with_the_adult_population_only():
    table = build_report(adults_survey()).representation[0]
    rows = {row.group: row for row in table.rows}

    # Population shares renormalised over the 800 adults: 12.5%, 62.5%, 25%.
    assert rows["age_18_24"].population_share == pytest.approx(100 / 800)
    assert rows["age_25_64"].population_share == pytest.approx(500 / 800)
    assert rows["age_65_plus"].population_share == pytest.approx(200 / 800)
    # Index = sample share / renormalised population share; with children in the
    # denominator they would be 1.40, 1.22 and 1.25, all "over-represented".
    assert rows["age_18_24"].index == pytest.approx(0.14 / 0.125)
    assert rows["age_25_64"].index == pytest.approx(0.61 / 0.625)
    assert rows["age_65_plus"].index == pytest.approx(1.0)
    assert [rows[group].flag for group in ADULT_BANDS] == ["within", "within", "within"]


def test_under_18_is_listed_as_not_asked_with_its_figure_and_no_flag_of_representation():
    table = build_report(adults_survey()).representation[0]
    under = table.rows[-1]

    assert (under.group, under.kind, under.flag) == ("age_under_18", "not_asked", "not_asked")
    assert under.population == 200
    assert under.n is None and not under.suppressed
    assert under.population_share is None and under.index is None
    assert table.unmatched_benchmark_groups == ("age_under_18",)
    assert table.has_benchmark


def test_weighting_rakes_to_the_adult_population():
    report = build_report(
        adults_survey(weighting=True), ReportSettings(weighting_dimensions=("age",))
    )

    assert report.weighted.dimensions == ("age",)
    assert report.weighted.empty_groups == {"age": ()}
    # Post-stratification: weight = population share * respondents / respondents in the group.
    assert report.weighted.weight_range == pytest.approx((0.125 * 200 / 28, 0.625 * 200 / 122))


def test_a_total_row_of_a_partition_loses_the_groups_not_asked():
    dimension = DimensionInfo("age", ("age",), ADULT_BANDS, multi_select=False)

    population = survey_population({**AGE_BENCHMARK, "total": 1000}, dimension)

    assert population.total == 800
    assert population.share("age_18_24") == pytest.approx(0.125)
    assert population.not_asked == {"age_under_18": 200}


def test_select_all_dimension_keeps_its_population_total_and_only_lists_groups_not_asked():
    # Indigenous identity asked on its own, so the race question does not offer it:
    # Indigenous people are still in the survey's population (and among its respondents).
    race = DimensionInfo("race", ("race",), ("black", "white"), multi_select=True)
    benchmark = {"black": 150, "white": 700, "indigenous": 50, "total": 1000}

    population = survey_population(benchmark, race)

    assert population.total == 1000
    assert population.share("black") == pytest.approx(0.15)
    assert population.not_asked == {"indigenous": 50}


def test_a_benchmark_of_groups_not_asked_only_is_no_benchmark():
    dimension = DimensionInfo("age", ("age",), ADULT_BANDS, multi_select=False)

    population = survey_population({"age_under_18": 200}, dimension)

    assert population.groups == {} and population.total is None
    assert population.share("age_18_24") is None

"""Every closed question is an outcome: favourable rates, tests, why not tested, adjustment."""

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from analysis.report import ReportSettings, build_report
from analysis.stats import adjust_p_values, independence_test
from surveys.report_records import (
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    QuestionInfo,
    QuoteConsent,
    SurveyAggregates,
)

PNA = "prefer_not_to_answer"


# -- the statistics against published figures ------------------------------------------


def test_benjamini_hochberg_adjustment_matches_the_worked_example_of_the_1995_paper():
    # Benjamini & Hochberg (1995), section 4: the 15 p-values of Neuhaus et al.'s
    # thrombolysis trial. At 0.05 the procedure rejects the four smallest (Bonferroni
    # only three). The adjusted values are those of scipy's documented example.
    p_values = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344]
    p_values += [0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]

    adjusted = adjust_p_values(p_values)

    expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645]
    expected += [0.0765, 0.486, 0.58118182, 0.714875, 0.75323077, 0.81321429, 1.0]
    assert adjusted == pytest.approx(expected, abs=1e-8)
    assert sum(value < 0.05 for value in adjusted) == 4
    assert sum(value * len(p_values) < 0.05 for value in p_values) == 3


def test_adjusted_p_values_keep_the_order_given():
    assert adjust_p_values([0.5, 0.6, 0.1, 0.001]) == pytest.approx([0.6, 0.6, 0.2, 0.004])
    assert adjust_p_values([]) == []


def test_chi_square_matches_agrestis_gender_and_party_identification_table():
    # Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Table 2.5:
    # X^2 = 30.1 on 2 degrees of freedom, P < 0.001.
    result = independence_test([[762, 327, 468], [484, 239, 477]])

    assert result.test == "chi_square"
    assert result.dof == 2
    assert result.statistic == pytest.approx(30.07, abs=0.005)
    assert result.p_value < 0.001


# -- hand-made counts ---------------------------------------------------------------------


def yes_no(name="transit_ok", favourable=("yes",)):
    return QuestionInfo(name, "single_choice", ("yes", "no"), frozenset(favourable), None, False)


def nominal(name="mode"):
    return QuestionInfo(name, "single_choice", ("bus", "car", "bike"), frozenset(), None, False)


def services(favourable=("transit", "library")):
    return QuestionInfo(
        "services",
        "multiple_choice",
        ("transit", "library", "parks"),
        frozenset(favourable),
        None,
        True,
    )


def report_of(
    question: QuestionInfo,
    answers: dict,
    groups: dict,
    *,
    multi_dimension=False,
    favourable=None,
    answered=None,
    settings=None,
):
    """Build a report of one question by one dimension ``area``.

    ``answers`` maps group -> {choice: count} (respondents choosing it),
    ``groups`` group -> respondents; for a select-all question ``answered`` maps
    group -> respondents who answered it and ``favourable`` group -> respondents
    who chose at least one favourable choice.
    """
    respondents = sum(groups.values())
    distribution, outcomes = {}, {}
    for group, by_choice in answers.items():
        for choice, count in by_choice.items():
            distribution[choice] = distribution.get(choice, 0) + count
            outcomes[(group, choice)] = count
    area = DimensionInfo(
        "area", ("area",), tuple(g for g in groups if g not in (PNA, None)), multi_dimension
    )
    total_answered = sum(answered.values()) if answered is not None else sum(distribution.values())
    data = SurveyAggregates(
        slug="s",
        default_language="en",
        language="en",
        settings={},
        filters=Filters(),
        questions={question.name: question},
        dimensions={"area": area},
        labels={},
        benchmarks={},
        benchmark_area="",
        respondents=respondents,
        by_channel={"web": respondents},
        by_language={"en": respondents},
        by_area={None: respondents},
        by_day={"2025-06-02": respondents},
        representation={"area": dict(groups)},
        distribution={question.name: distribution},
        answered={question.name: total_answered},
        outcomes={(question.name, "area"): outcomes},
        outcome_answered={(question.name, "area"): dict(answered or {})},
        intersections={},
        sentiment_by_question={},
        sentiment_by_group={},
        sentiment_by_channel={},
        sentiment_by_language={},
        quotes={},
        quote_consent=QuoteConsent("none"),
        group_sessions=GroupSessionAggregates(0, 0, {}, {}, {}, {}, ()),
        favourable={question.name: sum((favourable or {}).values())} if favourable else {},
        outcome_favourable={(question.name, "area"): dict(favourable)} if favourable else {},
    )
    return build_report(data, settings or ReportSettings())


def row_of(table, group):
    return next(row for row in table.rows if row.group == group)


def test_a_yes_no_question_with_yes_favourable_gets_rate_interval_disparity_and_a_test():
    table = report_of(
        yes_no(),
        {"north": {"yes": 120, "no": 80}, "south": {"yes": 60, "no": 90}},
        {"north": 200, "south": 150},
    ).outcomes[0]

    north, south = row_of(table, "north"), row_of(table, "south")
    assert table.favourable == ("yes",) and table.reference_group == "north"
    assert south.rate == pytest.approx(0.4) and north.rate == pytest.approx(0.6)
    assert south.ci[0] < 0.4 < south.ci[1]
    assert south.index == pytest.approx(0.4 / 0.6)
    assert south.rate_difference == pytest.approx(-0.2)
    assert table.test.test == "chi_square" and table.test.p_value < 0.001
    assert table.test.p_adjusted == pytest.approx(table.test.p_value)  # the only test


def test_a_nominal_question_gets_its_distribution_per_group_and_a_test_on_all_of_it():
    # Agresti's Table 2.5 again, as "how do you get around?" by area.
    table = report_of(
        nominal(),
        {
            "north": {"bus": 762, "car": 327, "bike": 468},
            "south": {"bus": 484, "car": 239, "bike": 477},
        },
        {"north": 1557, "south": 1200},
    ).outcomes[0]

    assert table.favourable == () and table.overall.rate is None
    assert [c.n for c in row_of(table, "south").distribution][:3] == [484, 239, 477]
    assert table.test.test == "chi_square" and table.test.dof == 2
    assert table.test.statistic == pytest.approx(30.07, abs=0.005)


def test_the_favourable_rate_of_a_select_all_question_is_respondents_choosing_at_least_one():
    # North: 100 answered, 70 chose transit or the library (some both: 50 + 40 > 70).
    table = report_of(
        services(),
        {
            "north": {"transit": 50, "library": 40, "parks": 60},
            "south": {"transit": 20, "library": 20, "parks": 70},
        },
        {"north": 100, "south": 100},
        answered={"north": 100, "south": 100},
        favourable={"north": 70, "south": 30},
    ).outcomes[0]

    north, south = row_of(table, "north"), row_of(table, "south")
    assert north.n == 100 and north.rate == pytest.approx(0.70)
    assert south.rate == pytest.approx(0.30)
    assert table.overall.rate == pytest.approx(0.50)
    assert south.index == pytest.approx(0.30 / 0.70)
    # The test compares those with and without a favourable choice: 70/30 against 30/70.
    assert table.test.test == "chi_square" and table.test.dof == 1
    assert table.test.statistic == pytest.approx(32.0)


def test_a_small_count_of_favourable_respondents_withholds_the_rates_that_give_it_back():
    table = report_of(
        services(),
        {
            "north": {"transit": 50, "library": 40, "parks": 60},
            "south": {"transit": 4, "library": 0, "parks": 96},
        },
        {"north": 100, "south": 100},
        answered={"north": 100, "south": 100},
        favourable={"north": 70, "south": 4},
        settings=ReportSettings(disclosure_policy="counts"),
    ).outcomes[0]

    # Under complementary suppression, south's 4 is withheld; with all respondents'
    # 74 shown, north's 70 must be too.
    assert row_of(table, "south").rate is None and row_of(table, "north").rate is None
    assert table.overall.rate == pytest.approx(74 / 200)
    assert table.test.test == "not_applicable" and table.test.reason == "suppressed"


def test_a_select_all_question_without_favourable_choices_says_why_it_is_not_tested():
    table = report_of(
        services(favourable=()),
        {"north": {"transit": 50, "parks": 60}, "south": {"transit": 20, "parks": 70}},
        {"north": 100, "south": 100},
        answered={"north": 100, "south": 90},
    ).outcomes[0]

    assert table.overall.rate is None
    assert table.test.test == "not_applicable"
    assert table.test.reason == "multi_select_question"


@pytest.mark.parametrize(
    ("answers", "groups", "reason"),
    [
        ({}, {"north": 0, "south": 0}, "no_answers"),
        ({"north": {"yes": 30, "no": 20}}, {"north": 50, "south": 0}, "one_group_only"),
        (
            {"north": {"yes": 30, "no": 20}, "south": {"yes": 2, "no": 3}},
            {"north": 50, "south": 5},
            "suppressed",
        ),
        (
            {"north": {"yes": 30}, "south": {"yes": 40}},
            {"north": 30, "south": 40},
            "same_answer",
        ),
    ],
)
def test_a_question_and_dimension_without_a_test_say_why(answers, groups, reason):
    table = report_of(yes_no(), answers, groups).outcomes[0]

    assert table.test.test == "not_applicable" and table.test.p_value is None
    assert table.test.reason == reason
    assert table.test.p_adjusted is None


def test_every_p_value_of_a_report_is_adjusted_together_and_the_method_is_printed():
    data_settings = ReportSettings()
    first = report_of(
        yes_no(),
        {"north": {"yes": 120, "no": 80}, "south": {"yes": 60, "no": 90}},
        {"north": 200, "south": 150},
        settings=data_settings,
    )

    assert first.settings["multiple_comparisons"] == "benjamini_hochberg"
    assert first.settings["significance_level"] == 0.05


def test_group_tests_of_a_select_all_dimension_are_adjusted_with_the_rest():
    table = report_of(
        yes_no(),
        {
            "north": {"yes": 70, "no": 30},
            "south": {"yes": 40, "no": 60},
            "east": {"yes": 52, "no": 48},
        },
        {"north": 100, "south": 100, "east": 100},
        multi_dimension=True,
    ).outcomes[0]

    raw = [row.p_value for row in table.rows if row.p_value is not None]
    assert len(raw) == 3
    assert [row.p_adjusted for row in table.rows if row.p_value is not None] == pytest.approx(
        adjust_p_values(raw)
    )
    assert table.test.reason == "multi_select_dimension"


def pinned(values: dict, relations: list) -> set:
    """Return withheld values (None) that the relations ``sum(parts) == whole`` fix exactly."""
    unknown = [key for key, value in values.items() if value is None]
    index = {key: column for column, key in enumerate(unknown)}
    matrix = np.zeros((len(relations), len(unknown)))
    known = np.zeros(len(relations))
    for row, (parts, whole) in enumerate(relations):
        for key, sign in [(part, 1.0) for part in parts] + [(whole, -1.0)]:
            if values[key] is None:
                matrix[row, index[key]] += sign
            else:
                known[row] -= sign * values[key]
    found = set()
    for key, column in index.items():
        objective = np.zeros(len(unknown))
        objective[column] = 1.0
        low = linprog(objective, A_eq=matrix, b_eq=known, bounds=(0, None))
        high = linprog(-objective, A_eq=matrix, b_eq=known, bounds=(0, None))
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            found.add(key)
    return found


def test_favourable_rates_of_a_select_all_question_never_give_back_a_withheld_count():
    """Under complementary suppression (the survey-estimates policy shows small counts)."""
    rng = random.Random(20250603)
    for _ in range(20):
        groups = {group: rng.choice([0, 4, 12, 30, 80]) for group in ("north", "south", "east")}
        answered, chosen, answers = {}, {}, {}
        for group, size in groups.items():
            answered[group] = rng.randint(0, size)
            chosen[group] = rng.randint(0, answered[group])
            answers[group] = {"transit": chosen[group], "parks": answered[group]}
        table = report_of(
            services(favourable=("transit",)),
            answers,
            groups,
            answered=answered,
            favourable=chosen,
            settings=ReportSettings(disclosure_policy="counts"),
        ).outcomes[0]

        values, relations = {}, []
        for row in [table.overall, *table.rows]:
            if row.n == 0:  # nobody answered: no rate, nothing withheld
                values[("yes", row.group)] = values[("no", row.group)] = 0
            else:
                shown = row.rate is not None
                values[("yes", row.group)] = round(row.rate * row.n) if shown else None
                values[("no", row.group)] = row.n - values[("yes", row.group)] if shown else None
            values[("n", row.group)] = row.n
            relations.append(([("yes", row.group), ("no", row.group)], ("n", row.group)))
        for column in ("yes", "no"):
            relations.append(([(column, row.group) for row in table.rows], (column, "all")))
        leaked = {key for key in pinned(values, relations) if key[0] != "n" and key[1] != "all"}
        assert not leaked, (groups, answered, chosen)

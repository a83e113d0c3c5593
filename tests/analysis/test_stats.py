from math import comb

import pytest

from analysis.stats import (
    IndependenceTest,
    Proportion,
    disproportionality_index,
    independence_test,
    proportion,
    rate_difference,
    rate_ratio,
    representation_flag,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3.
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
    ],
)
def test_wilson_interval_matches_newcombe_table_ii(successes, n, expected):
    lower, upper = wilson_interval(successes, n)

    assert (round(lower, 4), round(upper, 4)) == expected


def test_wilson_interval_reaches_exactly_one_when_every_respondent_agrees():
    assert wilson_interval(10, 10)[1] == 1.0


def test_wilson_interval_without_respondents_is_the_whole_range():
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_widens_with_a_larger_z():
    narrow = wilson_interval(30, 100)
    wide = wilson_interval(30, 100, z=2.575829)

    assert wide[0] < narrow[0] and wide[1] > narrow[1]


@pytest.mark.parametrize(("successes", "n"), [(5, 4), (-1, 4), (0, -1)])
def test_impossible_counts_are_rejected(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


def test_proportion_carries_rate_and_interval():
    result = proportion(81, 263)

    assert result.rate == pytest.approx(81 / 263)
    assert result.ci == wilson_interval(81, 263)


def test_proportion_of_nobody_has_no_rate():
    assert proportion(0, 0) == Proportion(0, 0, None, (0.0, 1.0))


def test_disproportionality_index_is_share_over_population_share():
    assert disproportionality_index(0.10, 0.20) == pytest.approx(0.5)
    assert disproportionality_index(0.30, 0.20) == pytest.approx(1.5)


@pytest.mark.parametrize(("share", "population_share"), [(0.1, 0.0), (0.1, None), (None, 0.2)])
def test_disproportionality_index_is_undefined_without_a_population_share(share, population_share):
    assert disproportionality_index(share, population_share) is None


def test_rate_ratio_and_difference_follow_cihi_example_per_100():
    assert rate_ratio(10, 5) == pytest.approx(2.0)
    assert rate_difference(10, 5) == pytest.approx(5)


def test_rate_difference_keeps_the_unit_of_its_inputs():
    assert rate_ratio(0.10, 0.05) == pytest.approx(2.0)
    assert rate_difference(0.10, 0.05) == pytest.approx(0.05)


def test_rate_ratio_against_a_zero_reference_is_undefined():
    assert rate_ratio(3, 0) is None


@pytest.mark.parametrize(
    ("index", "flag"),
    [(0.79, "under"), (0.8, "within"), (1.0, "within"), (1.2, "within"), (1.21, "over")],
)
def test_representation_flag_uses_the_configured_thresholds(index, flag):
    assert representation_flag(index, under=0.8, over=1.2) == flag


def test_representation_flag_follows_other_thresholds():
    assert representation_flag(0.85, under=0.9, over=1.1) == "under"


def test_representation_flag_without_an_index_is_unknown():
    assert representation_flag(None, under=0.8, over=1.2) == "unknown"


def test_representation_thresholds_must_be_ordered():
    with pytest.raises(ValueError):
        representation_flag(1.0, under=1.2, over=0.8)


def test_fisher_exact_two_sided_p_for_small_two_by_two():
    result = independence_test([[3, 1], [1, 3]])

    assert result.test == "fisher_exact"
    assert round(result.p_value, 4) == 0.4857


def test_chi_square_without_yates_correction_when_expected_counts_are_large():
    # Expected counts are all 20; Pearson X^2 = 4 * 10^2 / 20 = 20 on 1 df.
    result = independence_test([[30, 10], [10, 30]])

    assert result.test == "chi_square"
    assert result.statistic == pytest.approx(20.0)
    assert result.dof == 1
    assert result.p_value == pytest.approx(7.744216e-06, rel=1e-5)


def test_chi_square_degrees_of_freedom_for_a_larger_table():
    result = independence_test([[20, 30, 25], [30, 20, 25], [25, 25, 25]])

    assert result.test == "chi_square"
    assert result.dof == 4


def test_all_zero_rows_and_columns_are_dropped_before_testing():
    with_empty = independence_test([[30, 0, 10], [0, 0, 0], [10, 0, 30]])

    assert with_empty == independence_test([[30, 10], [10, 30]])


def freeman_halton_p(table: list[list[int]]) -> float:
    """Return the exact Fisher-Freeman-Halton p-value of an r x 2 table by enumeration."""
    rows = [sum(row) for row in table]
    first_column = sum(row[0] for row in table)
    total = sum(rows)

    def probability(column: list[int]) -> float:
        ways = 1
        for row_total, count in zip(rows, column, strict=True):
            ways *= comb(row_total, count)
        return ways / comb(total, first_column)

    def columns(remaining_rows: list[int], left: int):
        if not remaining_rows:
            if left == 0:
                yield []
            return
        for count in range(min(left, remaining_rows[0]) + 1):
            for rest in columns(remaining_rows[1:], left - count):
                yield [count, *rest]

    observed = probability([row[0] for row in table])
    return sum(
        p for p in map(probability, columns(rows, first_column)) if p <= observed * (1 + 1e-7)
    )


def test_larger_table_with_small_counts_uses_fisher_monte_carlo_close_to_exact():
    table = [[6, 1], [2, 5], [3, 3]]

    result = independence_test(table)

    assert result.test == "fisher_exact_monte_carlo"
    assert result.p_value == pytest.approx(freeman_halton_p(table), abs=0.02)


def test_monte_carlo_p_value_is_the_same_every_time():
    table = [[6, 1, 0], [2, 5, 1], [3, 3, 4]]

    assert independence_test(table) == independence_test(table)


@pytest.mark.parametrize("table", [[[5, 7]], [[5], [7]], [[5, 0], [7, 0]], [], [[0, 0], [0, 0]]])
def test_table_without_two_rows_and_two_columns_is_not_applicable(table):
    assert independence_test(table) == IndependenceTest("not_applicable", None, None, None)

import random
from math import sqrt

import pytest

from analysis.weighting import post_stratify, rake, weighted_shares


def people(*groups: tuple[str, str], dimensions=("age", "gender")) -> list[dict]:
    """Return respondents from tuples of groups, one per dimension."""
    return [dict(zip(dimensions, row, strict=True)) for row in groups]


def test_post_stratification_weights_by_population_share_over_sample_share():
    respondents = [{"age": "young"}] * 2 + [{"age": "old"}] * 3

    result = post_stratify(respondents, "age", {"young": 600, "old": 400})

    # young: 0.6 * 5 / 2 = 1.5; old: 0.4 * 5 / 3 = 2/3
    assert result.weights == pytest.approx([1.5, 1.5, 2 / 3, 2 / 3, 2 / 3])
    assert result.converged


def test_respondents_without_a_benchmarked_group_keep_weight_one():
    respondents = [
        {"age": "young"},
        {"age": "young"},
        {"age": "old"},
        {"age": "prefer_not_to_answer"},
        {"age": None},
        {},
    ]

    result = post_stratify(respondents, "age", {"young": 50, "old": 50})

    assert result.weights == pytest.approx([0.75, 0.75, 1.5, 1.0, 1.0, 1.0])
    assert sum(result.weights) == pytest.approx(len(respondents))
    assert result.unbenchmarked_groups == {"age": ("prefer_not_to_answer",)}


def test_raking_two_by_two_matches_hand_computed_weights():
    # Sample: young women 2, young men 1, old women 1, old men 1; targets 50/50
    # on both. Raking gives w = a_age * b_gender; solving the margins by hand,
    # young men and old women get y = 2.5 / (1 + sqrt 2), old men 2.5 - y and
    # each young woman (2.5 - y) / 2.
    respondents = people(
        ("young", "woman"),
        ("young", "woman"),
        ("young", "man"),
        ("old", "woman"),
        ("old", "man"),
    )
    y = 2.5 / (1 + sqrt(2))

    result = rake(
        respondents,
        {"age": {"young": 1, "old": 1}, "gender": {"woman": 1, "man": 1}},
    )

    assert result.converged
    assert result.weights == pytest.approx([(2.5 - y) / 2, (2.5 - y) / 2, y, y, 2.5 - y], abs=1e-6)


def test_raked_weights_reproduce_every_target_margin():
    rng = random.Random(7)
    ages, genders, wards = ["18-34", "35-64", "65+"], ["woman", "man", "another"], "ABCD"
    respondents = [
        {"age": rng.choice(ages), "gender": rng.choice(genders), "ward": rng.choice(wards)}
        for _ in range(300)
    ]
    margins = {
        "age": {"18-34": 30_500, "35-64": 48_200, "65+": 21_300},
        "gender": {"woman": 51_000, "man": 48_500, "another": 500},
        "ward": {"A": 20_000, "B": 30_000, "C": 25_000, "D": 25_000},
    }

    result = rake(respondents, margins)

    assert result.converged
    for dimension, population in margins.items():
        whole = sum(population.values())
        shares = weighted_shares(result.weights, respondents, dimension, list(population))
        for group, count in population.items():
            assert shares[group] == pytest.approx(count / whole, abs=1e-6)
    assert sum(result.weights) == pytest.approx(len(respondents))


def test_unanswered_dimension_leaves_respondent_out_of_that_margin_only():
    respondents = people(
        ("young", "woman"),
        ("young", "man"),
        ("old", "woman"),
        ("old", "man"),
        ("prefer_not_to_answer", "woman"),
        ("old", "man"),
    )
    margins = {"age": {"young": 40, "old": 60}, "gender": {"woman": 50, "man": 50}}

    result = rake(respondents, margins)

    # Shares among those who gave an age; the fifth respondent counts for gender only.
    age_shares = weighted_shares(result.weights, respondents, "age", ["young", "old"])
    gender_shares = weighted_shares(result.weights, respondents, "gender", ["woman", "man"])
    assert age_shares == pytest.approx({"young": 0.4, "old": 0.6}, abs=1e-6)
    assert gender_shares == pytest.approx({"woman": 0.5, "man": 0.5}, abs=1e-6)
    assert sum(result.weights) == pytest.approx(len(respondents))


def test_benchmark_group_without_respondents_is_reported_and_others_rescaled():
    respondents = [{"age": "young"}, {"age": "old"}, {"age": "old"}]

    result = post_stratify(respondents, "age", {"young": 30, "old": 30, "middle": 40})

    assert result.empty_groups == {"age": ("middle",)}
    # young and old are half each of the population that can be represented.
    assert result.weights == pytest.approx([1.5, 0.75, 0.75])


def test_margins_that_cannot_all_hold_do_not_converge():
    # Every young respondent is a woman, so 70% young and 30% women cannot both hold.
    respondents = people(("young", "woman"), ("old", "man"), ("old", "man"))

    result = rake(
        respondents,
        {"age": {"young": 70, "old": 30}, "gender": {"woman": 30, "man": 70}},
        max_iterations=50,
    )

    assert not result.converged
    assert result.iterations == 50
    assert result.max_share_error > 0.1


def test_negative_population_is_rejected():
    with pytest.raises(ValueError):
        post_stratify([{"age": "young"}], "age", {"young": -1})

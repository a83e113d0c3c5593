"""Disclosure policies: survey estimates, counts with complementary suppression, random rounding."""

import json
import statistics

import pytest

from analysis.disclosure import (
    COUNTS,
    DEFAULT_POLICY,
    POLICIES,
    SURVEY_ESTIMATES,
    disclosure_of,
    low_reliability,
)
from analysis.disclosure_estimates import withheld_rows
from analysis.disclosure_rounding import random_round
from analysis.report import ReportSettings, build_report, report_dict
from analysis.report_formats import to_json
from surveys.report_records import GroupSessionAggregates
from tests.analysis.test_report import PNA, attacker_view, data_from, recoverable, row_of

COUNTS_SETTINGS = ReportSettings(disclosure_policy=COUNTS)

# The demo's complaint in small: satisfaction by race, where one answer of 1 in a group
# of 45 made the old rule withhold the whole group (and its complements).
RACE = {"black": 45, "east_asian": 30, "latino": 4, "white": 161, PNA: 19, None: 48}
RACE_ANSWERS = {
    "black": {
        "strongly_disagree": 17,
        "disagree": 10,
        "neutral": 8,
        "agree": 9,
        "strongly_agree": 1,
    },
    "east_asian": {
        "strongly_disagree": 5,
        "disagree": 7,
        "neutral": 5,
        "agree": 12,
        "strongly_agree": 1,
    },
    "latino": {"disagree": 3, "agree": 1},
    "white": {
        "strongly_disagree": 18,
        "disagree": 40,
        "neutral": 25,
        "agree": 54,
        "strongly_agree": 24,
    },
    PNA: {"disagree": 9, "neutral": 6, "agree": 4},
    None: {"strongly_disagree": 15, "disagree": 10, "neutral": 9, "agree": 11, "strongly_agree": 3},
}


def race_data():
    return data_from(RACE, key="race", answers=RACE_ANSWERS)


# -- the registry the settings page offers ----------------------------------------------


def test_policies_are_named_with_a_title_and_description_and_survey_estimates_is_the_default():
    assert set(POLICIES) == {SURVEY_ESTIMATES, COUNTS}
    assert DEFAULT_POLICY == SURVEY_ESTIMATES == ReportSettings().disclosure_policy
    for name, policy in POLICIES.items():
        assert policy.name == name and policy.title and len(policy.description) > 40


def test_an_unknown_policy_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="unknown disclosure policy"):
        build_report(race_data(), ReportSettings(disclosure_policy="none"))


def test_every_report_carries_its_policy_and_reasoning_in_every_format():
    report = build_report(race_data(), ReportSettings(min_cell=10))

    disclosure = json.loads(to_json(report))["disclosure"]

    assert disclosure["policy"] == SURVEY_ESTIMATES
    assert disclosure["group_sessions_policy"] == COUNTS
    assert disclosure["min_cell"] == 10 and disclosure["random_rounding"] is False
    messages = [statement["message"] for statement in disclosure["statements"]]
    assert any("at least %(min)s respondents" in message for message in messages)
    assert all(
        (statement["message"] % statement["params"]) for statement in disclosure["statements"]
    )


# -- survey estimates -------------------------------------------------------------------


def test_a_large_group_the_old_rule_hid_now_shows_its_rate_interval_and_disparity_index():
    data = race_data()

    old = row_of(build_report(data, COUNTS_SETTINGS).outcomes[0].rows, "black")
    new = row_of(build_report(data).outcomes[0].rows, "black")

    assert old.rate is None and old.index is None  # one "strongly agree" hid 45 people
    assert new.n == 45 and new.respondents == 45 and not new.suppressed
    assert new.rate == pytest.approx(10 / 45)
    assert new.ci[0] < new.rate < new.ci[1]
    assert new.index == pytest.approx((10 / 45) / (78 / 161))
    assert [choice.n for choice in new.distribution][:5] == [17, 10, 8, 9, 1]


def test_a_group_under_the_minimum_has_its_answers_withheld_but_its_respondents_shown():
    table = build_report(race_data()).outcomes[0]

    latino = row_of(table.rows, "latino")
    assert latino.respondents == 4 and latino.n == 4
    assert latino.suppressed and latino.rate is None and latino.ci is None
    assert latino.mean is None and latino.index is None
    assert all(choice.n is None for choice in latino.distribution[:5])
    # Its respondents are what Representation shows: never withheld in one and shown in the other.
    representation = build_report(race_data()).representation[0]
    assert row_of(representation.rows, "latino").n == 4


def test_small_numerators_are_not_suppressed_when_the_denominator_is_large_enough():
    data = data_from(
        {"young": 7, "middle": 45, "old": 300},
        benchmarks={"age": {"young": 10, "middle": 40, "old": 50}},
    )

    rows = build_report(data).representation[0].rows

    young = row_of(rows, "young")
    assert young.n == 7 and not young.suppressed
    assert young.share == pytest.approx(7 / 352) and young.index is not None


def test_withheld_groups_with_too_few_respondents_together_take_one_more_row_with_them():
    # Alone, "another" (3) could be worked out from the totals: prefer-not goes with it.
    rows = {"a": 40, "another": 3, "b": 25, PNA: 12, "no_answer": 30}
    order = [PNA, "no_answer", "another", "b", "a"]

    assert withheld_rows(rows, 10, partition=True, complement_order=order) == {"another", PNA}
    assert withheld_rows(rows, 10, partition=False) == {"another"}
    # Two small groups with ten respondents between them need no complement.
    assert withheld_rows({"x": 4, "y": 6, "z": 50}, 10, partition=True) == {"x", "y"}


def test_a_tiny_survey_withholds_everything_but_its_zeros():
    report = build_report(data_from({"young": 4, "old": 3}))

    assert report.totals.respondents is None
    assert [row.n for row in report.representation[0].rows] == [None, None, 0, 0]


def test_low_reliability_follows_the_nchs_interval_criteria():
    assert low_reliability(0.5, (0.32, 0.66))  # 34 points wide
    assert low_reliability(0.04, (0.02, 0.08))  # 6 points, 1.5 times the estimate
    assert not low_reliability(0.5, (0.45, 0.55))
    assert not low_reliability(0.02, (0.01, 0.05))  # narrow in points
    assert not low_reliability(0.08, (0.05, 0.12))  # 7 points, under 1.3 times
    assert low_reliability(3.2, None, 12) and not low_reliability(3.2, None, 30)
    assert not low_reliability(None, None, 3)


def test_flagged_estimates_are_the_small_groups_not_the_large_ones():
    rows = build_report(race_data()).outcomes[0].rows

    assert row_of(rows, "east_asian").low_reliability  # 13/30: interval 33 points wide
    assert not row_of(rows, "white").low_reliability
    assert not row_of(rows, "latino").low_reliability  # withheld, so nothing to flag


def test_group_session_tallies_follow_the_counts_policy_under_survey_estimates():
    sessions = GroupSessionAggregates(
        2, 30, {"focus_group": 2}, {"safe": {"agree": 3, "disagree": 12, "neutral": 15}}, {}, {}, ()
    )
    data = data_from({"young": 100}, sessions=sessions)

    tallies = {row.group: row.n for row in build_report(data).group_sessions.tallies}

    assert tallies == {"agree": None, "disagree": None, "neutral": 15}


# -- counts: the linear-programming attacker -----------------------------------------------


def test_counts_policy_leaves_nothing_recoverable_on_the_demo_like_table():
    report = build_report(race_data(), COUNTS_SETTINGS)

    values, relations = attacker_view(report)

    assert any(value is None for value in values.values())
    assert recoverable(values, relations) == set()
    # A count shown anywhere is never withheld elsewhere: the outcome rows' respondents
    # are exactly Representation's counts.
    shown = {row.group: row.n for row in report.representation[0].rows}
    assert {row.group: row.respondents for row in report.outcomes[0].rows} == shown


# -- random rounding ---------------------------------------------------------------------


def test_random_rounding_keeps_the_expected_value_and_gives_the_same_figure_every_time():
    rounded = [random_round(37, "survey", ("table", n)) for n in range(20000)]

    assert set(rounded) == {35, 40}
    assert statistics.mean(rounded) == pytest.approx(37, abs=0.1)
    assert random_round(37, "survey", ("table", 5)) == rounded[5]
    assert random_round(40, "survey", "any") == 40 and random_round(0, "s", "k") == 0
    assert random_round(None, "s", "k") is None


def test_a_rounded_report_shows_only_multiples_of_five_the_same_way_every_time():
    settings = ReportSettings(random_rounding=True)

    first = report_dict(build_report(race_data(), settings, generated_at=None))
    second = report_dict(build_report(race_data(), settings, generated_at=None))

    first.pop("generated_at"), second.pop("generated_at")
    assert first == second
    counts = [first["totals"]["respondents"]]
    counts += [row["n"] for row in first["representation"][0]["rows"]]
    for row in first["outcomes"][0]["rows"]:
        counts += [row["respondents"]] + [choice["n"] for choice in row["distribution"]]
    assert all(count % 5 == 0 for count in counts if count is not None)
    # One count, one rounding: a group's respondents agree across tables.
    shown = {row["group"]: row["n"] for row in first["representation"][0]["rows"]}
    assert {row["group"]: row["respondents"] for row in first["outcomes"][0]["rows"]} == shown
    assert first["disclosure"]["random_rounding"] and first["disclosure"]["rounding_base"] == 5
    # Estimates are worked out before rounding.
    black = next(row for row in first["outcomes"][0]["rows"] if row["group"] == "black")
    assert black["rate"] == pytest.approx(10 / 45)


def test_disclosure_statement_says_when_counts_are_rounded():
    plain = disclosure_of(SURVEY_ESTIMATES, 10, False)
    rounded = disclosure_of(SURVEY_ESTIMATES, 10, True)

    assert len(rounded.statements) == len(plain.statements) + 1
    assert "rounded on their own" in rounded.statements[-1].message

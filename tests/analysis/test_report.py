"""The report builder on hand-made counts: statistics, privacy and the output formats."""

import csv
import dataclasses
import io
import json
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from analysis.report import ReportSettings, build_report, report_dict
from analysis.report_formats import to_csv, to_json
from analysis.weighting import rake_cells
from surveys.questions import LIKERT_CHOICES
from surveys.report_records import (
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    QuestionInfo,
    Quote,
    QuoteConsent,
    SurveyAggregates,
)

PNA = "prefer_not_to_answer"
LIKERT_SCORES = {name: float(index + 1) for index, name in enumerate(LIKERT_CHOICES)}


def likert_info(name="safe"):
    return QuestionInfo(
        name=name,
        kind="likert",
        choices=LIKERT_CHOICES,
        favourable=frozenset(LIKERT_CHOICES[-2:]),
        dimension=None,
        multi_select=False,
        scores=LIKERT_SCORES,
    )


def dimension(key, groups, multi=False):
    return DimensionInfo(key, (key,), tuple(groups), multi_select=multi)


def no_sessions():
    return GroupSessionAggregates(0, 0, {}, {}, {}, {}, ())


def data_from(
    respondents_by_group: dict,
    *,
    key="age",
    groups=None,
    answers=None,
    benchmarks=None,
    comments=None,
    quotes=None,
    sessions=None,
    settings=None,
    multi=False,
    intersections=None,
    extra_dimensions=None,
    weighting=None,
):
    """Build counts for one dimension (and one Likert question ``safe``) as ``collect`` would.

    ``answers`` maps group -> {choice: count}; respondents of a group who are
    not in ``answers`` did not answer ``safe``.
    """
    groups = groups or [g for g in respondents_by_group if g not in (PNA, None)]
    answers = answers or {}
    respondents = sum(respondents_by_group.values())
    distribution: dict = {}
    outcomes: dict = {}
    for group, by_choice in answers.items():
        for choice, count in by_choice.items():
            distribution[choice] = distribution.get(choice, 0) + count
            outcomes[(group, choice)] = count
    dimensions = {key: dimension(key, groups, multi)}
    representation = {key: dict(respondents_by_group)}
    for extra_key, (extra_groups, extra_counts) in (extra_dimensions or {}).items():
        dimensions[extra_key] = dimension(extra_key, extra_groups)
        representation[extra_key] = extra_counts
    return SurveyAggregates(
        slug="transit",
        default_language="en",
        language="en",
        settings=settings or {},
        filters=Filters(),
        questions={"safe": likert_info()} if answers else {},
        dimensions=dimensions,
        labels={"q.safe.label": "I feel safe on the bus"},
        benchmarks=benchmarks or {},
        benchmark_area="",
        respondents=respondents if not multi else respondents,
        by_channel={"web": respondents},
        by_language={"en": respondents},
        by_area={None: respondents},
        by_day={"2025-06-02": respondents},
        representation=representation,
        distribution={"safe": distribution} if answers else {},
        answered={"safe": sum(distribution.values())} if answers else {},
        outcomes={("safe", key): outcomes} if answers else {},
        outcome_answered={},
        intersections=intersections or {},
        sentiment_by_question=comments or {},
        # Every comment from the web, in English, by someone who gave no age.
        sentiment_by_group={
            (question, key): {(None, label): count for label, count in counts.items()}
            for question, counts in (comments or {}).items()
        },
        sentiment_by_channel={
            question: {("web", label): count for label, count in counts.items()}
            for question, counts in (comments or {}).items()
        },
        sentiment_by_language={
            question: {("en", label): count for label, count in counts.items()}
            for question, counts in (comments or {}).items()
        },
        quotes=quotes or {},
        quote_consent=QuoteConsent("all"),
        group_sessions=sessions or no_sessions(),
        weighting_cells=(weighting or {}).get("cells"),
        weighting_outcomes=(weighting or {}).get("outcomes"),
    )


def row_of(rows, group):
    return next(row for row in rows if row.group == group)


# -- statistics against published numbers -----------------------------------------


def test_representation_share_carries_newcombe_wilson_interval_81_of_263():
    data = data_from({"young": 81, "old": 182})

    report = build_report(data)

    young = row_of(report.representation[0].rows, "young")
    assert young.n == 81 and young.share == pytest.approx(81 / 263)
    assert (round(young.ci[0], 4), round(young.ci[1], 4)) == (0.2553, 0.3662)


def test_favourable_rate_carries_newcombe_wilson_interval_15_of_148():
    data = data_from(
        {"young": 148, "old": 200},
        answers={
            "young": {"agree": 15, "disagree": 133},
            "old": {"agree": 100, "disagree": 100},
        },
    )

    report = build_report(data)

    young = row_of(report.outcomes[0].rows, "young")
    assert young.rate == pytest.approx(15 / 148)
    assert (round(young.ci[0], 4), round(young.ci[1], 4)) == (0.0624, 0.1605)


def test_disproportionality_index_and_flags_follow_the_configured_thresholds():
    data = data_from(
        {"young": 100, "middle": 300, "old": 600},
        benchmarks={"age": {"young": 300, "middle": 300, "old": 400}},
    )

    strict = build_report(data, ReportSettings(under_representation_below=0.9))
    lenient = build_report(data, ReportSettings(under_representation_below=0.3))

    rows = strict.representation[0].rows
    assert row_of(rows, "young").index == pytest.approx(0.1 / 0.3)
    assert row_of(rows, "young").flag == "under"
    assert row_of(rows, "middle").index == pytest.approx(1.0)
    assert row_of(rows, "middle").flag == "within"
    assert row_of(rows, "old").index == pytest.approx(0.6 / 0.4)
    assert row_of(rows, "old").flag == "over"
    assert row_of(lenient.representation[0].rows, "young").flag == "within"
    assert strict.settings["under_representation_below"] == 0.9


def test_prefer_not_and_no_answer_are_their_own_rows_and_out_of_the_share_base():
    data = data_from(
        {"young": 100, "old": 300, PNA: 40, None: 60},
        benchmarks={"age": {"young": 50, "old": 50}},
    )

    table = build_report(data).representation[0]

    assert [(row.group, row.kind, row.n) for row in table.rows] == [
        ("young", "group", 100),
        ("old", "group", 300),
        (PNA, "prefer_not", 40),
        ("no_answer", "no_answer", 60),
    ]
    assert table.share_base == 400
    assert row_of(table.rows, "young").share == pytest.approx(0.25)
    assert row_of(table.rows, PNA).index is None
    assert row_of(table.rows, "no_answer").share_of_respondents == pytest.approx(60 / 500)


def test_disparity_index_and_rate_difference_use_the_largest_group_by_default():
    data = data_from(
        {"young": 100, "old": 200},
        answers={
            "young": {"agree": 10, "disagree": 90},
            "old": {"agree": 10, "disagree": 190},
        },
    )

    table = build_report(data).outcomes[0]

    assert table.reference_group == "old"
    young = row_of(table.rows, "young")
    # 10 vs 5 per 100: CIHI's example of a rate ratio of 2.0 and a difference of 5 per 100.
    assert young.rate == pytest.approx(0.10)
    assert young.index == pytest.approx(2.0)
    assert young.rate_difference * 100 == pytest.approx(5.0)
    assert row_of(table.rows, "old").index == pytest.approx(1.0)


def test_reference_group_is_a_setting_per_dimension():
    data = data_from(
        {"young": 100, "old": 200},
        answers={"young": {"agree": 20, "disagree": 80}, "old": {"agree": 20, "disagree": 180}},
    )

    report = build_report(data, ReportSettings(reference_groups={"age": "young"}))

    table = report.outcomes[0]
    assert table.reference_group == "young"
    assert row_of(table.rows, "old").index == pytest.approx(0.1 / 0.2)
    assert report.settings["reference_groups"] == {"age": "young"}


def test_likert_mean_scores_strongly_disagree_1_to_strongly_agree_5():
    data = data_from(
        {"young": 40},
        answers={"young": {"strongly_disagree": 10, "neutral": 10, "strongly_agree": 20}},
    )

    overall = build_report(data).outcomes[0].overall

    assert overall.mean == pytest.approx((10 * 1 + 10 * 3 + 20 * 5) / 40)


def test_large_expected_counts_use_pearson_chi_square():
    data = data_from(
        {"young": 200, "old": 200},
        answers={"young": {"agree": 120, "disagree": 80}, "old": {"agree": 80, "disagree": 120}},
    )

    test = build_report(data).outcomes[0].test

    assert test.test == "chi_square"
    assert test.p_value == pytest.approx(6.3e-5, rel=0.05)
    assert test.groups == ("young", "old")


def test_small_expected_counts_use_fishers_exact_test():
    data = data_from(
        {"young": 4, "old": 4},
        answers={"young": {"agree": 3, "disagree": 1}, "old": {"agree": 1, "disagree": 3}},
    )

    test = build_report(data, ReportSettings(min_cell=1)).outcomes[0].test

    assert test.test == "fisher_exact"
    assert round(test.p_value, 4) == 0.4857


# -- suppression ----------------------------------------------------------------------

# The counts policy (primary and complementary suppression); surveys default to
# survey estimates (tests/analysis/test_disclosure_report.py).
COUNTS = ReportSettings(disclosure_policy="counts")


def attacker_view(report):
    """Return the published values and every relation between them, across tables."""
    data = report_dict(report)
    values, relations = {}, []
    values[("N",)] = data["totals"]["respondents"]
    for table in data["representation"]:
        key = table["dimension"]
        parts = []
        for row in table["rows"]:
            values[("rep", key, row["group"])] = row["n"]
            parts.append(("rep", key, row["group"]))
        if not table["multi_select"]:
            relations.append((parts, ("N",)))
    for table in data["outcomes"]:
        question, key = table["question"], table["dimension"]
        columns = [choice["choice"] for choice in table["overall"]["distribution"]]
        for choice in table["overall"]["distribution"]:
            values[("dist", question, choice["choice"])] = choice["n"]
        relations.append(([("dist", question, c) for c in columns], ("N",)))
        for row in table["rows"]:
            for choice in row["distribution"]:
                values[("cell", question, key, row["group"], choice["choice"])] = choice["n"]
            relations.append(
                (
                    [("cell", question, key, row["group"], c) for c in columns],
                    ("rep", key, row["group"]),
                )
            )
        for c in columns:
            relations.append(
                (
                    [("cell", question, key, row["group"], c) for row in table["rows"]],
                    ("dist", question, c),
                )
            )
    return values, relations


def recoverable(values, relations) -> set:
    """Return withheld values pinned down by the relations (linear programming), or by x >= 0."""
    unknown = [key for key, value in values.items() if value is None]
    if not unknown:
        return set()
    index = {key: n for n, key in enumerate(unknown)}
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
        assert low.status == 0
        if high.status == 0 and -high.fun - low.fun < 0.5:
            found.add(key)
    return found


def test_small_group_is_suppressed_with_a_complement_and_no_derived_figures():
    data = data_from(
        {"young": 7, "middle": 45, "old": 300},
        benchmarks={"age": {"young": 10, "middle": 40, "old": 50}},
    )

    rows = build_report(data, COUNTS).representation[0].rows

    young = row_of(rows, "young")
    assert young.n is None and young.suppressed
    assert young.share is None and young.ci is None and young.index is None
    assert young.flag is None
    # The total is published, so one other group is withheld too.
    assert row_of(rows, "middle").suppressed
    assert row_of(rows, "old").n == 300


def test_no_withheld_count_can_be_recovered_across_representation_and_outcomes():
    # Built to tempt recovery: a small group whose answers sit in otherwise large
    # columns, with the group sizes and the overall distribution both published.
    data = data_from(
        {"young": 6, "middle": 90, "old": 150, PNA: 12, None: 30},
        answers={
            "young": {"agree": 4, "disagree": 2},
            "middle": {"agree": 40, "disagree": 35, "neutral": 15},
            "old": {"agree": 70, "disagree": 50, "strongly_agree": 30},
            PNA: {"agree": 12},
            None: {"disagree": 11},
        },
    )

    report = build_report(data, COUNTS)

    values, relations = attacker_view(report)
    assert any(value is None for value in values.values())
    for parts, whole in relations:
        unknown = [key for key in [*parts, whole] if values[key] is None]
        assert len(unknown) != 1, (parts, whole)
    assert recoverable(values, relations) == set()


def test_random_tables_never_leak_a_withheld_count():
    rng = random.Random(20250602)
    for _ in range(15):
        groups = {g: rng.choice([0, 3, 8, 12, 25, 60]) for g in ("a", "b", "c")}
        groups[PNA] = rng.choice([0, 4, 15])
        groups[None] = rng.choice([0, 6, 20])
        answers = {}
        for group, size in groups.items():
            answered = rng.randint(0, size)
            split = rng.randint(0, answered)
            answers[group] = {"agree": split, "disagree": answered - split}
        data = data_from(groups, groups=["a", "b", "c"], answers=answers)

        values, relations = attacker_view(build_report(data, COUNTS))

        assert recoverable(values, relations) == set(), groups


def test_rates_of_a_row_with_any_withheld_cell_are_withheld():
    data = data_from(
        {"young": 60, "old": 300},
        answers={
            "young": {"strongly_disagree": 3, "disagree": 30, "agree": 27},
            "old": {"agree": 150, "disagree": 150},
        },
    )

    young = row_of(build_report(data, COUNTS).outcomes[0].rows, "young")

    assert young.respondents == 60
    assert any(choice.suppressed for choice in young.distribution)
    assert young.suppressed and young.rate is None and young.ci is None
    assert young.mean is None and young.index is None


def test_a_withheld_prefer_not_count_does_not_withhold_the_rate_it_is_not_part_of():
    # Ten young respondents skipped the question: their count is the cheapest complement.
    data = data_from(
        {"young": 110, "old": 300},
        answers={
            "young": {"agree": 30, "disagree": 64, PNA: 6},
            "old": {"agree": 150, "disagree": 150},
        },
    )

    young = row_of(build_report(data, COUNTS).outcomes[0].rows, "young")

    counts = {choice.choice: choice.n for choice in young.distribution}
    assert counts[PNA] is None and counts["no_answer"] is None
    assert young.n == 94 and young.rate == pytest.approx(30 / 94)


def test_a_tiny_survey_withholds_its_total_everywhere():
    data = data_from({"young": 4, "old": 3})

    report = build_report(data)

    assert report.totals.respondents is None and report.totals.suppressed
    assert all(row.n is None for row in report.totals.by_channel)
    # Zeros describe nobody and stay; every other count is withheld.
    assert [row.n for row in report.representation[0].rows] == [None, None, 0, 0]


def test_minimum_cell_and_thresholds_are_printed_in_every_format():
    data = data_from({"young": 100, "old": 200})
    settings = ReportSettings(min_cell=5, under_representation_below=0.7)
    report = build_report(data, settings)

    as_json = json.loads(to_json(report))
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))

    assert as_json["settings"]["min_cell"] == 5
    assert as_json["settings"]["under_representation_below"] == 0.7
    settings_rows = {row["label"]: row["value"] for row in rows if row["table"] == "settings"}
    assert settings_rows["min_cell"] == "5"
    assert settings_rows["over_representation_above"] == "1.2"
    # The HTML rendering is engage's: tests/engage/test_html_report.py.


# -- multi-select dimensions ----------------------------------------------------------


def test_multi_select_dimension_says_each_respondent_counts_in_every_group_chosen():
    # 100 respondents: 70 chose black, 50 white (20 chose both).
    data = data_from(
        {"black": 70, "white": 50},
        key="race",
        multi=True,
        benchmarks={"race": {"black": 10, "white": 60, "total": 100}},
    )
    data = data.__class__(**{**data.__dict__, "respondents": 100})

    table = build_report(data).representation[0]

    assert table.multi_select and "more than one group" in table.note
    assert sum(row.n for row in table.rows if row.kind == "group") == 120
    assert table.share_base == 100
    assert row_of(table.rows, "black").share == pytest.approx(0.7)
    # The population total row is the denominator when groups overlap.
    assert row_of(table.rows, "black").population_share == pytest.approx(0.1)


def test_multi_select_dimension_tests_each_group_against_the_rest():
    data = data_from(
        {"black": 100, "white": 100},
        key="race",
        multi=True,
        answers={
            "black": {"agree": 70, "disagree": 30},
            "white": {"agree": 40, "disagree": 60},
        },
    )
    data = data.__class__(
        **{
            **data.__dict__,
            "respondents": 200,
            "distribution": {"safe": {"agree": 110, "disagree": 90}},
            "answered": {"safe": 200},
        }
    )

    table = build_report(data).outcomes[0]

    assert table.test.test == "not_applicable" and table.test.reason == "multi_select_dimension"
    black = row_of(table.rows, "black")
    assert black.test == "chi_square" and black.p_value < 0.05


# -- sentiment -----------------------------------------------------------------------------


def test_unscored_comments_are_counted_apart_never_as_neutral():
    data = data_from(
        {"young": 100},
        comments={"why": {"negative": 20, "neutral": 10, "positive": 30, None: 40}},
    )

    row = build_report(data).sentiment.by_question[0]

    assert row.counts == {"negative": 20, "neutral": 10, "positive": 30, "unscored": 40}
    assert row.scored == 60
    assert row.shares["neutral"] == pytest.approx(10 / 60)
    assert build_report(data).sentiment.scored_languages == ("en", "fr")


def labelled_comments(person_pa=3):
    """English comments mostly scored by the method; Punjabi ones labelled by a person or not."""
    data = data_from(
        {"young": 100},
        comments={"why": {"negative": 20 + person_pa, "positive": 30, None: 2}},
    )
    return dataclasses.replace(
        data,
        sentiment_by_language={
            "why": {("en", "negative"): 20, ("en", "positive"): 30, ("pa", None): 2}
            | {("pa", "negative"): person_pa}
        },
        sentiment_labelled_by={
            "why": {("en", "person"): 10, ("en", "method"): 40, ("pa", "person"): person_pa}
        },
    )


def test_reports_say_how_many_comments_a_person_labelled_overall_and_per_language():
    report = build_report(labelled_comments(person_pa=12))

    rows = {(row.dimension, row.group): row for row in report.sentiment.labelled_by}
    assert rows[("question", "why")].counts == {"person": 22, "method": 40, "unscored": 2}
    assert rows[("question", "why")].n == 64
    assert rows[("language", "en")].counts == {"person": 10, "method": 40, "unscored": 0}
    assert rows[("language", "pa")].counts == {"person": 12, "method": 0, "unscored": 2}
    assert report_dict(report)["sentiment"]["labelled_by"][0]["counts"]["person"] == 22
    table = {
        (row["group"], row["choice"]): row["n"]
        for row in csv.DictReader(io.StringIO(to_csv(report)))
        if row["table"] == "sentiment_labelled_by"
    }
    assert table[("pa", "person")] == "12"
    rounded = build_report(labelled_comments(12), ReportSettings(random_rounding=True))
    by_place = {(row.dimension, row.group): row for row in rounded.sentiment.labelled_by}
    assert all(count % 5 == 0 for row in by_place.values() for count in row.counts.values())
    # One count, one rounding: the unscored comments are rounded as the sentiment rows round them.
    assert (
        by_place[("question", "why")].counts["unscored"]
        == (rounded.sentiment.by_question[0].counts["unscored"])
    )


def test_a_few_comments_labelled_by_a_person_are_withheld_under_the_counts_policy():
    report = build_report(labelled_comments(person_pa=3), COUNTS)

    rows = {(row.dimension, row.group): row for row in report.sentiment.labelled_by}
    pa = rows[("language", "pa")]
    assert pa.counts["person"] is None and pa.counts["unscored"] is None and pa.suppressed
    overall = rows[("question", "why")].counts
    # 13 people-labelled overall less the 10 in English would give the 3 in Punjabi away.
    assert None in (overall["person"], rows[("language", "en")].counts["person"])


def test_quotes_are_left_out_when_too_few_comments_could_point_to_someone():
    quote = Quote("why", "Great buses.", 0.8, "positive", "en", "response")
    few = data_from({"young": 100}, comments={"why": {"positive": 6}}, quotes={"why": (quote,)})
    many = data_from({"young": 100}, comments={"why": {"positive": 60}}, quotes={"why": (quote,)})

    assert build_report(few).sentiment.most_positive == ()
    assert build_report(many).sentiment.most_positive[0].text == "Great buses."


# -- group sessions ---------------------------------------------------------------------------


def test_group_tallies_are_their_own_source_and_combined_only_on_request():
    sessions = GroupSessionAggregates(
        sessions=2,
        participants=30,
        by_kind={"elder_circle": 2},
        tallies={"safe": {"agree": 12, "disagree": 18}},
        demographics={},
        sentiment={},
        quotes=(),
    )
    data = data_from(
        {"young": 100, "old": 100},
        answers={"young": {"agree": 50, "disagree": 50}, "old": {"agree": 20, "disagree": 80}},
        sessions=sessions,
    )

    plain = build_report(data)
    combined = build_report(data, ReportSettings(combined=True))

    assert plain.totals.respondents == 200
    assert plain.outcomes[0].overall.n == 200
    assert plain.combined is None
    assert {(row.group, row.n) for row in plain.group_sessions.tallies} == {
        ("agree", 12),
        ("disagree", 18),
    }
    assert combined.outcomes[0].overall.n == 200
    assert "Combined view" in combined.combined.label
    counts = {row.group: row.n for row in combined.combined.distribution}
    assert counts["agree"] == 82 and counts["disagree"] == 148


# -- weighting ----------------------------------------------------------------------------------


def test_raking_grouped_counts_meets_each_margin_with_one_factor_per_group():
    """Raking's solution: weights that meet every margin and are a product of group factors.

    Deming and Stephan (1940): iterative proportional fitting converges to the weights
    w(age, gender) = a(age) * b(gender) that reproduce both margins; a respondent who did
    not give a group (prefer not, or no answer) counts in the other margin only.
    """
    rng = random.Random(3)
    ages, genders = ("young", "old", PNA), ("woman", "man", None)
    cells = {(age, gender): rng.randint(1, 40) for age in ages for gender in genders}
    margins = {"age": {"young": 45, "old": 55}, "gender": {"woman": 51, "man": 49}}

    grouped = rake_cells(cells, ["age", "gender"], margins)

    assert grouped.converged
    weights = grouped.weights

    def share(position: int, group: str, named: tuple) -> float:
        weighed = {
            key: weights[key] * count for key, count in cells.items() if key[position] in named
        }
        return sum(w for key, w in weighed.items() if key[position] == group) / sum(
            weighed.values()
        )

    assert share(0, "young", ("young", "old")) == pytest.approx(0.45, abs=1e-6)
    assert share(1, "woman", ("woman", "man")) == pytest.approx(0.51, abs=1e-6)
    ratio = weights[("young", "woman")] / weights[("old", "woman")]
    assert weights[("young", "man")] / weights[("old", "man")] == pytest.approx(ratio, rel=1e-6)
    assert ratio != pytest.approx(1.0, abs=1e-3)


def test_weighted_figures_are_reported_beside_unweighted_ones():
    answers = {"young": {"agree": 80, "disagree": 20}, "old": {"agree": 20, "disagree": 80}}
    data = data_from(
        {"young": 100, "old": 100},
        answers=answers,
        benchmarks={"age": {"young": 25, "old": 75}},
        weighting={
            "cells": {("young",): 100, ("old",): 100},
            "outcomes": {
                "safe": {
                    ((group,), choice): count
                    for group, counts in answers.items()
                    for choice, count in counts.items()
                }
            },
        },
    )

    weighted = build_report(data, ReportSettings(weighting_dimensions=("age",))).weighted

    assert weighted.dimensions == ("age",) and weighted.converged
    question = weighted.questions[0]
    assert question.rate == pytest.approx(0.5)
    assert question.weighted_rate == pytest.approx(0.25 * 0.8 + 0.75 * 0.2)


# -- output formats -------------------------------------------------------------------------------


def test_json_has_the_documented_top_level_keys_and_row_fields():
    data = data_from(
        {"young": 100, "old": 200},
        answers={"young": {"agree": 50, "disagree": 50}, "old": {"agree": 100, "disagree": 100}},
    )

    document = json.loads(to_json(build_report(data)))

    assert {
        "survey",
        "generated_at",
        "settings",
        "totals",
        "representation",
        "outcomes",
        "sentiment",
    } <= set(document)
    row = document["representation"][0]["rows"][0]
    assert {"dimension", "group", "n", "suppressed", "share", "ci", "index"} <= set(row)
    assert isinstance(row["ci"], list) and len(row["ci"]) == 2
    assert {"test", "p_value"} <= set(document["outcomes"][0]["test"])
    assert {"rate", "ci", "index"} <= set(document["outcomes"][0]["rows"][0])


def test_csv_names_each_row_s_table_and_neutralises_formulas():
    data = data_from({"=cmd": 100, "old": 200}, key="age")

    rows = list(csv.DictReader(io.StringIO(to_csv(build_report(data)))))

    assert {"settings", "totals", "representation"} <= {row["table"] for row in rows}
    groups = [row["group"] for row in rows if row["table"] == "representation"]
    assert "'=cmd" in groups and "=cmd" not in groups

"""The report's answers of all respondents: every closed question, with dimensions or none."""

import dataclasses

import pytest

from analysis.report import ReportSettings, build_report, report_dict
from analysis.report_formats import csv_rows
from surveys.questions import LIKERT_CHOICES
from surveys.report_records import (
    DimensionInfo,
    Filters,
    GroupSessionAggregates,
    QuestionInfo,
    QuoteConsent,
    SurveyAggregates,
)

PNA = "prefer_not_to_answer"


def data_from(respondents_by_group: dict, *, answers: dict) -> SurveyAggregates:
    """Return counts of one dimension ``age`` and one Likert question ``safe``, as ``collect``.

    ``answers`` maps group -> {choice: count}; the rest of a group did not answer.
    """
    respondents = sum(respondents_by_group.values())
    distribution: dict = {}
    outcomes: dict = {}
    for group, by_choice in answers.items():
        for choice, count in by_choice.items():
            distribution[choice] = distribution.get(choice, 0) + count
            outcomes[(group, choice)] = count
    return SurveyAggregates(
        slug="transit",
        default_language="en",
        language="en",
        settings={},
        filters=Filters(),
        questions={
            "safe": QuestionInfo(
                name="safe",
                kind="likert",
                choices=LIKERT_CHOICES,
                favourable=frozenset(LIKERT_CHOICES[-2:]),
                dimension=None,
                multi_select=False,
                scores={name: float(index + 1) for index, name in enumerate(LIKERT_CHOICES)},
            )
        },
        dimensions={
            "age": DimensionInfo("age", ("age",), tuple(respondents_by_group), multi_select=False)
        },
        labels={"q.safe.label": "I feel safe on the bus"},
        benchmarks={},
        benchmark_area="",
        respondents=respondents,
        by_channel={"web": respondents},
        by_language={"en": respondents},
        by_area={None: respondents},
        by_day={"2025-06-02": respondents},
        representation={"age": dict(respondents_by_group)},
        distribution={"safe": distribution},
        answered={"safe": sum(distribution.values())},
        outcomes={("safe", "age"): outcomes},
        outcome_answered={},
        intersections={},
        sentiment_by_question={},
        sentiment_by_group={},
        sentiment_by_channel={},
        sentiment_by_language={},
        quotes={},
        quote_consent=QuoteConsent("all"),
        group_sessions=GroupSessionAggregates(0, 0, {}, {}, {}, {}, ()),
    )


def without_dimensions(data: SurveyAggregates) -> SurveyAggregates:
    """Return the same counts as a survey that asks no equity dimension."""
    return dataclasses.replace(data, dimensions={}, representation={}, outcomes={})


def counts(row) -> dict:
    return {choice.choice: choice.n for choice in row.distribution}


def test_a_survey_without_dimensions_has_each_closed_questions_answers():
    data = without_dimensions(
        data_from(
            {"young": 30, "old": 20},
            answers={"young": {"agree": 20, "disagree": 8, PNA: 2}, "old": {"agree": 10}},
        )
    )

    report = build_report(data)

    assert report.outcomes == ()
    [safe] = report.answers
    assert safe.question == "safe" and safe.label == "I feel safe on the bus"
    overall = safe.overall
    assert overall.n == 38 and overall.respondents == 50
    assert counts(overall)["agree"] == 30 and counts(overall)[PNA] == 2
    assert counts(overall)["no_answer"] == 10
    shares = {choice.choice: choice.share for choice in overall.distribution}
    # "Prefer not to answer" and no answer are counted, but left out of the shares.
    assert shares["agree"] == pytest.approx(30 / 38) and shares[PNA] is None
    assert overall.rate == pytest.approx(30 / 38) and overall.ci is not None
    assert overall.mean == pytest.approx((30 * 4 + 8 * 2) / 38)


def test_with_dimensions_the_answers_are_the_outcome_tables_all_respondents_row():
    data = data_from(
        {"young": 30, "old": 20},
        answers={"young": {"agree": 20, "disagree": 10}, "old": {"agree": 4, "disagree": 16}},
    )

    for settings in (ReportSettings(), ReportSettings(random_rounding=True)):
        report = build_report(data, settings)
        [safe] = report.answers
        assert safe.overall == report.outcomes[0].overall


def test_a_small_answer_is_withheld_with_a_complement_under_the_counts_policy():
    data = without_dimensions(
        data_from({"young": 30}, answers={"young": {"agree": 25, "disagree": 3, "neutral": 2}})
    )

    report = build_report(data, ReportSettings(disclosure_policy="counts", min_cell=5))

    overall = report.answers[0].overall
    shown = counts(overall)
    assert shown["disagree"] is None and shown["neutral"] is None
    assert overall.suppressed and overall.rate is None and overall.mean is None
    assert all(choice.share is None for choice in overall.distribution)
    # Nothing withheld reaches the flat files.
    flat = [row for row in csv_rows(report) if row["table"] == "answers_distribution"]
    assert {
        row["choice"]: row["n"] for row in flat if row["choice"] in ("disagree", "neutral")
    } == {
        "disagree": None,
        "neutral": None,
    }
    assert report_dict(report)["answers"][0]["overall"]["distribution"]


def test_under_survey_estimates_a_question_few_answered_has_counts_but_no_shares():
    data = without_dimensions(
        data_from({"young": 30}, answers={"young": {"agree": 4, "disagree": 2}})
    )

    overall = build_report(data, ReportSettings(min_cell=10)).answers[0].overall

    assert counts(overall)["agree"] == 4 and overall.n == 6
    assert overall.rate is None and all(c.share is None for c in overall.distribution)

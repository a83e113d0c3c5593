"""A select-all question's favourable respondents: counted once, kept and filtered alike."""

from datetime import date

import pytest
from report_support import add_responses, choice_question, make_survey

from analysis.report import build_report
from surveys import report_counts
from surveys.aggregates import Filters, collect
from surveys.definition import ChoiceDefinition, QuestionDefinition


@pytest.fixture
def survey(session):
    """North: 30 chose bus and train, 10 train only, 20 neither. South: 10 bus, 30 neither."""
    modes = QuestionDefinition(
        name="modes",
        kind="multiple_choice",
        label={"en": "Which would you use more if it improved?"},
        choices=tuple(
            ChoiceDefinition(name, {"en": name.title()}) for name in ("bus", "train", "walk")
        ),
        allow_prefer_not=True,
        settings={"favourable_choices": ["bus", "train"]},
    )
    survey = make_survey(
        session, [modes, choice_question("area", ["north", "south"], dimension="area")]
    )
    report_counts.kept_rows(session, survey, Filters())  # counts are kept from now on
    for area, chosen, count in (
        ("north", ["bus", "train"], 30),
        ("north", ["train", "walk"], 10),
        ("north", ["walk"], 20),
        ("south", ["bus"], 10),
        ("south", ["walk"], 30),
        ("south", ["prefer_not_to_answer"], 12),
    ):
        add_responses(session, survey, {"modes": chosen, "area": area}, count)
    return survey


def rates(session, survey, filters: Filters) -> dict:
    data = collect(session, survey, filters, kept=report_counts.kept_rows(session, survey, filters))
    (table,) = build_report(data).outcomes
    return {row.group: row.rate for row in [table.overall, *table.rows] if row.rate is not None}


def test_the_rate_counts_each_respondent_with_a_favourable_choice_once(session, survey):
    data = collect(session, survey, Filters())

    assert data.favourable == {"modes": 50}
    assert data.outcome_favourable[("modes", "area")] == {"north": 40, "south": 10}
    assert set(data.distribution["modes"]) == {"bus", "train", "walk", "prefer_not_to_answer"}
    assert rates(session, survey, Filters()) == pytest.approx(
        {"all": 50 / 100, "north": 40 / 60, "south": 10 / 40}
    )


def test_kept_and_filtered_counts_give_the_same_rates(session, survey):
    everyone = Filters(start=date(2000, 1, 1))  # a filter: counted now, not kept

    assert rates(session, survey, everyone) == rates(session, survey, Filters())


def test_marking_choices_favourable_recounts_the_kept_rows(session, survey):
    question = next(q for q in survey.questions if q.name == "modes")
    question.settings = {"favourable_choices": ["walk"]}
    session.commit()

    assert rates(session, survey, Filters()) == pytest.approx(
        {"all": 60 / 100, "north": 30 / 60, "south": 30 / 40}
    )

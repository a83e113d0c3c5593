"""Every write that changes a response keeps the survey's report counts right."""

from __future__ import annotations

import pytest
from report_support import (
    add_responses,
    choice_question,
    comment,
    grouped_rows_afresh,
    kept_counts,
    likert,
    make_survey,
)
from sqlalchemy import update
from sqlmodel import select

from engage.comments import override_answer_sentiment
from surveys import report_counts
from surveys.models import Answer, ReportCount, ReportCountState

SLUG = "counted-2026"


@pytest.fixture
def survey(session):
    """A survey whose counts are being kept (read once, so counting has started)."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
        ],
        slug=SLUG,
    )
    add_responses(session, survey, {"age": "old", "safe": "agree", "why": "Great buses."}, 3)
    add_responses(session, survey, {"age": "young", "safe": "disagree", "why": "Terrible."}, 2)
    kept_counts(session, survey)
    return survey


def sentiment_by_age(session, survey) -> dict:
    why = next(question.id for question in survey.questions if question.name == "why")
    rows = kept_counts(session, survey)[("sentiment", "group", "age_band")]
    return {
        (group, label): count for (question, group, label), count in rows.items() if question == why
    }


def test_a_staff_override_moves_the_comment_in_the_kept_counts(session, survey, users):
    answer = session.exec(select(Answer).where(Answer.text == "Great buses.")).first()

    override_answer_sentiment(session, answer.id, "negative", users["staff"], reason="Sarcasm")

    assert report_counts.trusted(session, survey)  # kept up to date, not rebuilt
    assert sentiment_by_age(session, survey) == {
        ("old", "positive"): 2,
        ("old", "negative"): 1,
        ("young", "negative"): 2,
    }
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)


def test_clearing_an_override_restores_the_scored_label_in_the_kept_counts(session, survey, users):
    answer = session.exec(select(Answer).where(Answer.text == "Great buses.")).first()
    override_answer_sentiment(session, answer.id, "negative", users["staff"])
    override_answer_sentiment(session, answer.id, None, users["staff"])

    assert sentiment_by_age(session, survey) == {("old", "positive"): 3, ("young", "negative"): 2}
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)


def test_rescoring_every_comment_has_the_counts_rebuilt_from_the_new_labels(
    runner, session, survey
):
    result = runner.invoke(args=["sentiment", "score", "--all"])
    assert result.exit_code == 0, result.output

    assert session.get(ReportCountState, survey.id) is None
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    assert report_counts.trusted(session, survey)


def test_imported_responses_are_counted_as_they_are_stored(runner, session, survey, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text("age,safe,why,_channel\nold,agree,,paper\nyoung,neutral,,paper\n")

    result = runner.invoke(args=["import-responses", SLUG, str(path)])

    assert result.exit_code == 0, result.output
    assert report_counts.trusted(session, survey)
    counted = kept_counts(session, survey)
    assert counted[("respondents",)] == {(): 7}
    assert counted[("totals", "channel")] == {("web",): 5, ("paper",): 2}
    assert counted == grouped_rows_afresh(session, survey)


def test_counts_check_finds_a_wrong_kept_count_and_rebuild_mends_it(runner, session, survey):
    assert runner.invoke(args=["counts", "check", SLUG]).output == (
        f"{SLUG}: the kept counts match the answers.\n"
    )
    session.execute(
        update(ReportCount)
        .where(ReportCount.survey_id == survey.id, ReportCount.query == '["distribution"]')
        .values(count=ReportCount.count + 1)
    )
    session.commit()

    checked = runner.invoke(args=["counts", "check", SLUG])
    assert checked.exit_code == 1
    assert "differ from the answers in distribution." in checked.output

    rebuilt = runner.invoke(args=["counts", "rebuild", SLUG])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["counts", "check"]).exit_code == 0
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)


def test_counts_commands_name_an_unknown_survey(runner):
    result = runner.invoke(args=["counts", "rebuild", "no-such-survey"])
    assert result.exit_code == 1
    assert "No survey has the address “no-such-survey”." in result.output

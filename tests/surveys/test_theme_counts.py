"""Respondents per comment theme by group and channel, counted as the report counts them."""

from __future__ import annotations

import itertools

from report_support import add_responses, choice_question, comment, make_survey
from sqlmodel import delete, select

from surveys.models import Answer, CommentThemeMember, Question, ResponseFacts
from surveys.report_records import Filters
from surveys.theme_counts import theme_counts
from surveys.themes import compute_themes

COMMENTS = [
    f"{subject} {predicate}."
    for subjects, predicates in (
        (["The bus", "The train", "The bus route"], ["is late", "is crowded", "costs too much"]),
        (["The library", "Our library"], ["needs longer hours", "has great books", "is small"]),
    )
    for subject, predicate in itertools.product(subjects, predicates)
]


def themed_survey(session):
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("race", ["black", "white", "asian"], dimension="race", multiple=True),
            comment("why"),
        ],
        slug="theme-counts",
    )
    for index, text in enumerate(COMMENTS):
        add_responses(
            session,
            survey,
            {"why": text, "age": "young" if index % 2 else "old", "race": ["black", "asian"]},
            channel="paper" if index < 3 else "web",
        )
    question = session.exec(select(Question).where(Question.name == "why")).one()
    compute_themes(session, survey, question, None)
    session.commit()
    return survey


def test_each_themed_respondent_counts_once_per_group_and_in_every_group_chosen(session):
    survey = themed_survey(session)

    found = theme_counts(session, survey)["why"]

    assert sum(found.by_theme.values()) == len(COMMENTS)
    assert sum(found.by_group["age_band"].values()) == len(COMMENTS)
    # Race is select-all-that-apply: each respondent counts in both groups they chose.
    assert sum(found.by_group["race"].values()) == 2 * len(COMMENTS)
    assert {group for group, _theme in found.by_group["race"]} == {"black", "asian"}
    assert sum(c for (channel, _), c in found.by_channel.items() if channel == "paper") == 3


def test_a_filter_counts_only_the_responses_the_report_covers(session):
    survey = themed_survey(session)

    found = theme_counts(session, survey, Filters(channels=("paper",)))["why"]

    assert sum(found.by_theme.values()) == 3
    assert {channel for channel, _theme in found.by_channel} == {"paper"}


def test_responses_without_kept_facts_are_grouped_from_their_answers(session):
    survey = themed_survey(session)
    kept = theme_counts(session, survey)

    session.exec(delete(ResponseFacts))
    session.commit()

    assert theme_counts(session, survey) == kept


def test_a_comment_without_a_theme_is_not_counted(session):
    survey = themed_survey(session)
    answer = session.exec(select(Answer.id).where(Answer.text == COMMENTS[0])).one()

    session.exec(delete(CommentThemeMember).where(CommentThemeMember.answer_id == answer))
    session.commit()

    assert sum(theme_counts(session, survey)["why"].by_theme.values()) == len(COMMENTS) - 1

"""Stored themes of a question's comments, and staff's edits surviving a recomputation."""

from __future__ import annotations

import itertools

import pytest
from report_support import add_responses, comment, make_survey
from sqlmodel import select

from surveys.models import Answer, AuditEvent, CommentTheme, CommentThemeMember, Question
from surveys.themes import (
    ThemeError,
    compute_themes,
    merge_themes,
    move_comment,
    rename_theme,
    split_theme,
    theme_views,
)

TOPICS = {
    "transit": (
        ["The bus", "The train", "The bus route"],
        ["is always late", "is too crowded", "needs more service", "fares are too high"],
    ),
    "library": (
        ["The library", "Our library", "The library branch"],
        ["needs longer hours", "books are great", "reading room is small", "should lend ebooks"],
    ),
    "parks": (
        ["The park", "The dog park", "Our parks"],
        ["needs more benches", "grass is never mowed", "is lovely in summer", "needs lighting"],
    ),
}


def texts(topic: str) -> list[str]:
    subjects, predicates = TOPICS[topic]
    return [f"{s} {p}." for s, p in itertools.product(subjects, predicates)]


@pytest.fixture
def survey(session):
    survey = make_survey(
        session, [comment("why")], slug="themes", settings={"quote_comments": True}
    )
    for topic in TOPICS:
        for text in texts(topic):
            add_responses(session, survey, {"why": text})
    return survey


def question(session):
    return session.exec(select(Question).where(Question.name == "why")).one()


def topic_of_members(session, theme: CommentTheme) -> set[str]:
    rows = session.exec(
        select(Answer.text)
        .join(CommentThemeMember, CommentThemeMember.answer_id == Answer.id)
        .where(CommentThemeMember.theme_id == theme.id)
    ).all()
    return {topic for topic in TOPICS for text in rows if text in texts(topic)}


def compute(session, survey):
    compute_themes(session, survey, question(session), user_id=None)
    session.commit()


def test_computing_stores_every_comment_in_one_theme(session, survey):
    compute(session, survey)

    members = session.exec(select(CommentThemeMember)).all()
    assert len(members) == 36
    views = theme_views(session, survey, question(session))
    assert sum(view.size for view in views) == 36
    assert all(view.examples for view in views)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "themes.computed")).one()


def test_a_staff_name_and_moved_comments_survive_recomputation(session, survey):
    compute(session, survey)
    views = theme_views(session, survey, question(session))
    first, second = views[0], views[1]
    named = session.get(CommentTheme, first.id)
    rename_theme(session, named, "  Getting  around ", user_id=None)
    moved = first.members[0][0]
    move_comment(session, question(session), moved, session.get(CommentTheme, second.id), None)
    session.commit()
    terms = tuple(named.terms)

    add_responses(session, survey, {"why": "The bus is late again."})
    compute(session, survey)

    renamed = session.exec(select(CommentTheme).where(CommentTheme.label == "Getting around")).one()
    assert set(renamed.terms) & set(terms)
    member = session.get(CommentThemeMember, moved)
    assert member.pinned and member.theme_id != renamed.id
    assert set(session.get(CommentTheme, member.theme_id).terms) & set(second.terms)


def test_merging_keeps_the_comments_together_after_recomputation(session, survey):
    compute(session, survey)
    views = theme_views(session, survey, question(session))
    source, target = (session.get(CommentTheme, view.id) for view in views[:2])
    moved = {answer for answer, _ in views[0].members}
    merge_themes(session, source, target, user_id=None)
    session.commit()

    compute(session, survey)

    homes = {session.get(CommentThemeMember, answer).theme_id for answer in moved}
    assert len(homes) == 1
    # The method finds the merged theme again, but it does not come back empty.
    session.expire_all()
    assert all(view.size for view in theme_views(session, survey, question(session)))
    with pytest.raises(ThemeError):
        merge_themes(session, target, target, user_id=None)


def test_splitting_a_theme_makes_two_from_its_comments(session, survey):
    compute(session, survey)  # 36 comments: two themes for three topics
    biggest = session.get(CommentTheme, theme_views(session, survey, question(session))[0].id)
    before = topic_of_members(session, biggest)

    other = split_theme(session, survey, biggest, user_id=None)
    session.commit()

    assert len(before) >= 2
    assert topic_of_members(session, biggest) | topic_of_members(session, other) == before
    assert biggest.staff_made and other.staff_made


def test_examples_follow_the_quoting_rule(session, survey):
    survey.settings = {}
    session.add(survey)
    session.commit()
    compute(session, survey)

    views = theme_views(session, survey, question(session))
    assert views and all(view.examples == () for view in views)
    assert all(view.members for view in views)  # staff still see the comments


def test_a_long_name_is_refused(session, survey):
    compute(session, survey)
    theme = session.exec(select(CommentTheme)).first()

    with pytest.raises(ThemeError):
        rename_theme(session, theme, "x" * 201, user_id=None)

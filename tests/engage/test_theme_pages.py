"""The comment themes page: staff compute themes, name, merge, split and move (issue 13)."""

from __future__ import annotations

import itertools

import pytest
from report_support import add_responses, comment, make_survey
from sqlmodel import select

from surveys.models import CommentTheme, CommentThemeMember

COMMENTS = [
    f"{subject} {predicate}."
    for subjects, predicates in (
        (["The bus", "The train", "The bus route"], ["is late", "is crowded", "costs too much"]),
        (["The library", "Our library"], ["needs longer hours", "has great books", "is small"]),
        (["The park", "The dog park"], ["needs benches", "is lovely", "needs lighting"]),
    )
    for subject, predicate in itertools.product(subjects, predicates)
]


@pytest.fixture
def survey(session):
    survey = make_survey(
        session, [comment("why")], slug="themes", settings={"quote_comments": True}
    )
    for text in COMMENTS:
        add_responses(session, survey, {"why": text})
    return survey


def themes(session) -> list[CommentTheme]:
    session.expire_all()
    return session.exec(select(CommentTheme).order_by(CommentTheme.id)).all()


def test_staff_compute_themes_and_see_their_terms_and_examples(client, login_as, survey, session):
    login_as("staff")
    assert "Compute the themes" in client.get("/reports/themes/comments/themes").get_data(True)

    reply = client.post("/reports/themes/comments/themes", data={"question": "why"})

    assert reply.status_code == 302
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "The themes were computed." in page
    again = client.post("/reports/themes/comments/themes", data={"question": "why"})
    assert "your names and moved comments were kept" in client.get(
        again.headers["Location"]
    ).get_data(as_text=True)
    stored = themes(session)
    assert len(stored) == 2
    assert all(", ".join(theme.terms[:3]) in page for theme in stored)
    assert "Examples" in page and "Move to" in page


def test_rename_move_merge_and_split_through_the_page(client, login_as, survey, session):
    login_as("staff")
    client.post("/reports/themes/comments/themes", data={"question": "why"})
    first, second = themes(session)
    base = "/reports/themes/comments/themes"

    client.post(f"{base}/{first.id}", data={"action": "rename", "label": "Getting around"})
    answer = session.exec(
        select(CommentThemeMember.answer_id).where(CommentThemeMember.theme_id == first.id)
    ).first()
    moved = client.post(
        f"{base}/move", data={"question": "why", "answer": answer, "theme": second.id}
    )
    client.post(base, data={"question": "why"})  # recomputed: the edits stay

    assert moved.status_code == 302
    assert "Getting around" in client.get(f"{base}?question=why").get_data(as_text=True)
    session.expire_all()
    member = session.get(CommentThemeMember, answer)
    assert member.pinned
    assert session.get(CommentTheme, member.theme_id).label != "Getting around"

    named = next(theme for theme in themes(session) if theme.label == "Getting around")
    other = next(theme for theme in themes(session) if theme.id != named.id)
    assert client.post(f"{base}/{other.id}", data={"action": "split"}).status_code == 302
    assert len(themes(session)) == 3
    merged = client.post(f"{base}/{other.id}", data={"action": "merge", "into": named.id})
    assert merged.status_code == 302
    assert len(themes(session)) == 2


def test_bad_edits_get_a_clear_error_not_a_500(client, login_as, survey, session):
    login_as("staff")
    client.post("/reports/themes/comments/themes", data={"question": "why"})
    theme = themes(session)[0]
    base = "/reports/themes/comments/themes"

    long_name = client.post(f"{base}/{theme.id}", data={"action": "rename", "label": "x" * 201})
    into_itself = client.post(f"{base}/{theme.id}", data={"action": "merge", "into": theme.id})
    nowhere = client.post(f"{base}/move", data={"question": "why", "answer": "1", "theme": "x"})
    no_question = client.post(base, data={"question": "nope"})

    assert long_name.status_code == 400
    assert "at most 200 characters" in long_name.get_data(as_text=True)
    assert into_itself.status_code == 400
    assert nowhere.status_code == 400
    assert no_question.status_code == 400
    assert client.post(f"{base}/99999", data={"action": "split"}).status_code == 404

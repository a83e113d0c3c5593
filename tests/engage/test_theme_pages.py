"""The comment themes page: staff compute themes, name, merge, split and move (issue 13)."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape
from report_support import add_responses, choice_question, comment, make_survey
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

# Arabic comments about two things (buses, the library), for themes named in Arabic.
ARABIC = [
    f"{subject} {predicate}"
    for subject, predicates in (
        ("الحافلة", ["متأخرة دائما", "مزدحمة جدا", "غالية الثمن", "لا تأتي في المساء"]),
        ("المكتبة", ["جميلة وهادئة", "تغلق مبكرا", "فيها كتب كثيرة", "بعيدة عن البيت"]),
    )
    for predicate in predicates
    for _ in range(2)
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


def edit_location(reply) -> tuple[str, dict[str, list[str]], str]:
    """Return the path, query and anchor an edit sends staff back to."""
    assert reply.status_code == 302
    address = urlsplit(reply.headers["Location"])
    return address.path, parse_qs(address.query), address.fragment


def test_an_edit_returns_to_its_theme_by_the_same_groups(client, login_as, session):
    survey = make_survey(
        session,
        [choice_question("area", ["north", "south"], dimension="area"), comment("why")],
        slug="themes",
        settings={"quote_comments": True},
    )
    for index, text in enumerate(COMMENTS):
        add_responses(session, survey, {"why": text, "area": ("north", "south")[index % 2]})
    login_as("staff")
    base = "/reports/themes/comments/themes"
    client.post(base, data={"question": "why"})
    first, second = themes(session)
    answer = session.exec(
        select(CommentThemeMember.answer_id).where(CommentThemeMember.theme_id == first.id)
    ).first()

    renamed = client.post(
        f"{base}/{first.id}", data={"action": "rename", "label": "Buses", "dimension": "area"}
    )
    moved = client.post(
        f"{base}/move",
        data={"question": "why", "answer": answer, "theme": second.id, "from": first.id},
    )
    merged = client.post(f"{base}/{first.id}", data={"action": "merge", "into": second.id})

    assert edit_location(renamed) == (
        base,
        {"question": ["why"], "dimension": ["area"]},
        f"theme-{first.id}",
    )
    assert edit_location(moved)[2] == f"theme-{first.id}"  # back where the comment was
    assert edit_location(merged)[2] == f"theme-{second.id}"  # the theme it went into
    page = client.get(f"{base}?question=why&dimension=area").get_data(as_text=True)
    assert '<input type="hidden" name="dimension" value="area">' in page
    assert f'<a href="#theme-{second.id}"' in page  # the contents, above every comment
    assert page.index('href="#theme-breakdowns"') < page.index(f'id="theme-{second.id}"')


def test_a_theme_named_by_its_terms_is_marked_with_their_language(client, login_as, session):
    survey = make_survey(
        session, [comment("why")], slug="themes", settings={"quote_comments": True}
    )
    for text in ARABIC:
        add_responses(session, survey, {"why": text}, language="ar")
    login_as("staff")
    base = "/reports/themes/comments/themes"
    client.post(base, data={"question": "why"})
    first = themes(session)[0]

    page = client.get(f"{base}?question=why").get_data(as_text=True)
    name = escape(", ".join(first.terms[:3]))
    assert f'<h2 id="theme-{first.id}-title" lang="ar" dir="rtl">{name}</h2>' in page
    assert f'<th scope="col" lang="ar" dir="rtl">{name}</th>' in page  # the tables' headers
    client.post(f"{base}/{first.id}", data={"action": "rename", "label": "Buses"})
    page = client.get(f"{base}?question=why").get_data(as_text=True)
    assert f'<h2 id="theme-{first.id}-title">Buses</h2>' in page
    assert '<th scope="col">Buses</th>' in page


@pytest.mark.parametrize(
    "path, data",
    [
        ("{theme}", {"action": "merge", "into": "9" * 30}),
        ("move", {"question": "why", "answer": "9" * 30, "theme": "{theme}"}),
        ("move", {"question": "why", "answer": "1", "theme": "9" * 12}),
        ("move", {"question": "why", "answer": "²", "theme": "{theme}"}),
    ],
)
def test_a_number_too_large_for_an_id_is_refused_not_a_500(
    client, login_as, survey, session, path, data
):
    login_as("staff")
    base = "/reports/themes/comments/themes"
    client.post(base, data={"question": "why"})
    theme = str(themes(session)[0].id)
    data = {key: value.replace("{theme}", theme) for key, value in data.items()}

    reply = client.post(f"{base}/{path.replace('{theme}', theme)}", data=data)

    assert reply.status_code == 400
    assert "There is a problem" in reply.get_data(as_text=True)
    assert client.post(f"{base}/{'9' * 30}", data={"action": "split"}).status_code == 404

"""Comment themes by group and by channel: the themes page, the report and open data (issue 13)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import zipfile
from collections import Counter
from html import unescape

import pytest
from report_support import add_responses, choice_question, comment, make_survey
from sqlmodel import select

from surveys.models import Answer, CommentTheme, CommentThemeMember

COMMENTS = [
    f"{subject} {predicate}."
    for subjects, predicates in (
        (["The bus", "The train", "The bus route"], ["is late", "is crowded", "costs too much"]),
        (["The library", "Our library"], ["needs longer hours", "has great books", "is small"]),
        (["The park", "The dog park"], ["needs benches", "is lovely", "needs lighting"]),
    )
    for subject, predicate in itertools.product(subjects, predicates)
]
# Who wrote each comment: two in the south (a row too small to show under the counts
# policy at 3), young and old alternating, the last four on paper.
AUTHORS = {
    text: (
        "young" if index % 2 else "old",
        "south" if index < 2 else "north",
        "paper" if index >= len(COMMENTS) - 4 else "web",
    )
    for index, text in enumerate(COMMENTS)
}
BASE = "/reports/themes/comments/themes"


def make_themed_survey(session, settings: dict):
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("area", ["north", "south"], dimension="area"),
            comment("why"),
        ],
        slug="themes",
        settings={"quote_comments": True, **settings},
    )
    for text, (age, area, channel) in AUTHORS.items():
        add_responses(session, survey, {"why": text, "age": age, "area": area}, channel=channel)
    return survey


@pytest.fixture
def survey(session):
    return make_themed_survey(session, {"disclosure_policy": "counts", "min_cell": 1})


@pytest.fixture
def small_cells(session):
    return make_themed_survey(session, {"disclosure_policy": "counts", "min_cell": 3})


def membership(session) -> dict[str, int]:
    """Return each comment's theme id, as stored."""
    session.expire_all()
    return dict(
        session.exec(
            select(Answer.text, CommentThemeMember.theme_id).join(
                CommentThemeMember, CommentThemeMember.answer_id == Answer.id
            )
        ).all()
    )


def expected(session) -> dict[str, Counter]:
    """Return respondents per (group, theme) for each breakdown, from who wrote what."""
    found = {"age_band": Counter(), "area": Counter(), "channel": Counter()}
    for text, theme in membership(session).items():
        age, area, channel = AUTHORS[text]
        found["age_band"][(age, str(theme))] += 1
        found["area"][(area, str(theme))] += 1
        found["channel"][(channel, str(theme))] += 1
    return found


def report_counts(client, table: str = "by_group") -> dict[str, Counter]:
    """Return the downloaded report JSON's theme counts per breakdown, (group, theme) keyed."""
    document = json.loads(client.get("/reports/themes/download/report.json").get_data(True))
    found: dict[str, Counter] = {}
    for row in document["themes"][table]:
        for theme, count in row["counts"].items():
            if count:
                found.setdefault(row["dimension"], Counter())[(row["group"], theme)] = count
    return found


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_report_counts_each_respondent_in_their_comments_theme_by_group_and_channel(
    client, login_as, survey, session
):
    login_as("staff")
    client.post(BASE, data={"question": "why"})
    truth = expected(session)

    by_group = report_counts(client)
    by_channel = report_counts(client, "by_channel")

    assert by_group["age_band"] == truth["age_band"]
    assert by_group["area"] == truth["area"]
    assert by_channel["channel"] == truth["channel"]
    assert sum(truth["channel"].values()) == len(COMMENTS)


def test_moving_a_comment_to_another_theme_changes_the_tables(client, login_as, survey, session):
    login_as("staff")
    client.post(BASE, data={"question": "why"})
    client.get(f"{BASE}?question=why")  # the page keeps the report it shows
    first, second = session.exec(select(CommentTheme.id).order_by(CommentTheme.id)).all()
    text = next(text for text, theme in membership(session).items() if theme == first)
    age, _area, channel = AUTHORS[text]
    before = report_counts(client)["age_band"]
    answer = session.exec(select(Answer.id).where(Answer.text == text)).one()

    client.post(f"{BASE}/move", data={"question": "why", "answer": answer, "theme": second})

    after = report_counts(client)["age_band"]
    assert after[(age, str(first))] == before[(age, str(first))] - 1
    assert after[(age, str(second))] == before[(age, str(second))] + 1
    assert after == expected(session)["age_band"]
    assert report_counts(client, "by_channel")["channel"] == expected(session)["channel"]


def test_themes_page_shows_tables_by_the_chosen_dimension_and_by_channel(
    client, login_as, survey, session
):
    login_as("staff")
    client.post(BASE, data={"question": "why"})
    truth = expected(session)

    html = client.get(f"{BASE}?question=why").get_data(as_text=True)
    by_area = client.get(f"{BASE}?question=why&dimension=area").get_data(as_text=True)

    words = text_of(html)
    assert "Themes by group and by channel" in words
    assert "Comment themes by group: Age" in words and "Comment themes by channel" in words
    assert "Comment themes by group: Area" not in words
    assert "Comment themes by group: Area" in text_of(by_area)
    assert '<select name="dimension" id="themes-dimension">' in html
    assert "<caption>Comment themes by channel: Why</caption>" in html
    assert '<th scope="col">Respondents with a themed comment</th>' in html
    paper = sum(count for (channel, _), count in truth["channel"].items() if channel == "paper")
    row = re.search(r'<th scope="row">\s*Paper form\s*</th>\s*<td class="num">([^<]+)</td>', html)
    assert row and row.group(1).strip() == str(paper)


def test_small_cells_read_suppressed_on_the_page_and_in_every_download(
    client, login_as, small_cells, session
):
    login_as("staff")
    client.post(BASE, data={"question": "why"})

    html = client.get(f"{BASE}?question=why&dimension=area").get_data(as_text=True)
    document = json.loads(client.get("/reports/themes/download/report.json").get_data(True))
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/reports/themes/download/open-data.zip").data))
    one_file = client.get("/reports/themes/download/report.html").get_data(as_text=True)

    south = next(
        row
        for row in document["themes"]["by_group"]
        if row["dimension"] == "area" and row["group"] == "south"
    )
    # Two respondents: their row total and every count of theirs but the zeros are
    # withheld, and so is a complement in each such theme's column (the north row),
    # so the south row cannot be worked back from the themes' totals.
    assert south["n"] is None and south["suppressed"]
    assert None in south["counts"].values()
    assert all(count in (None, 0) for count in south["counts"].values())
    north = next(
        row
        for row in document["themes"]["by_group"]
        if row["dimension"] == "area" and row["group"] == "north"
    )
    for theme, count in south["counts"].items():
        if count is None and north["counts"][theme] is not None:
            pytest.fail("a withheld south count could be worked out from its column total")
    rows = list(
        csv.DictReader(io.StringIO(bundle.read("themes-open-data/themes.csv").decode("utf-8")))
    )
    south_rows = [row for row in rows if row["breakdown"] == "area" and row["group"] == "south"]
    withheld = [row for row in south_rows if row["suppressed"] == "true"]
    assert withheld and all(row["respondents"] == "" for row in withheld)
    assert '<td class="num suppressed">suppressed</td>' in html
    assert "Comment themes" in one_file and "suppressed" in text_of(one_file)


def test_open_data_names_each_shown_theme_and_its_language(client, login_as, small_cells):
    login_as("staff")
    client.post(BASE, data={"question": "why"})

    bundle = zipfile.ZipFile(io.BytesIO(client.get("/reports/themes/download/open-data.zip").data))
    reader = csv.DictReader(io.StringIO(bundle.read("themes-open-data/themes.csv").decode("utf-8")))
    assert reader.fieldnames[-1] == "theme_language"  # added last
    rows = list(reader)
    overall = [row for row in rows if row["breakdown"] == "question"]
    assert overall and all(row["theme_language"] == "en" for row in overall)
    for row in rows:  # named where shown, and the language with the name only
        assert bool(row["theme_name"]) == bool(row["theme_language"])


def test_brokers_cannot_open_the_themes_page(client, login_as, survey):
    login_as("broker")
    assert client.get(f"{BASE}?question=why").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    reply = client.get(f"{BASE}?question=why")
    assert reply.status_code == 302 and "/login" in reply.headers["Location"]


def test_dashboard_shows_the_themes_of_the_chosen_question_by_the_chosen_dimension(
    client, login_as, survey
):
    login_as("staff")
    client.post(BASE, data={"question": "why"})

    page = client.get("/reports/themes/?dimension=area").get_data(as_text=True)
    words = text_of(page)

    assert '<li><a href="#themes">Comment themes</a></li>' in page  # in the dashboard's contents
    assert "Comment themes by group: Area" in words and "Comment themes by channel" in words
    assert "Comment themes by group: Age" not in words
    assert "Name and edit the themes" in words


def test_a_table_caption_joins_its_title_and_question_as_the_language_writes(
    client, login_as, survey
):
    login_as("staff")
    client.post(BASE, data={"question": "why"})

    english = client.get(f"{BASE}?question=why&lang=en").get_data(as_text=True)
    french = client.get(f"{BASE}?question=why&lang=fr").get_data(as_text=True)

    assert re.search(r"<caption>[^<]*: Age: Why</caption>", english)
    # French puts a space before the colon that joins the table to its question.
    assert re.search(r"<caption>[^<]* : Why</caption>", french)
    assert not re.search(r"<caption>[^<]*[^ ]: Why</caption>", french)

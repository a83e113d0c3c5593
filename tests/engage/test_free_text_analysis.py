"""Every free-text question is analysed unless staff switch it off (issue 13, part 2)."""

import io

import openpyxl
from report_support import add_responses
from sqlmodel import select

from engage.survey_reports import survey_report
from surveys.definition import LONG_TEXT, SHORT_TEXT
from surveys.demographics.bank_files import bank_question, question_from_file
from surveys.languages import BUILT_IN_LANGUAGES
from surveys.models import SURVEY_OPEN, Answer
from surveys.questions import analysed
from surveys.store import survey_by_slug

# A Kobo/ODK form's "Any other comments?" is a plain ``text`` row.
KOBO_FORM = [
    ["type", "name", "label", "analyse"],
    ["select_one wards", "ward", "Your ward", ""],
    ["text", "postal_code", "Postal code", "no"],
    ["text", "anything_else", "Any other comments?", ""],
]
WARDS = [["list_name", "name", "label"], ["wards", "w1", "Ward 1"], ["wards", "w2", "Ward 2"]]

COMMENTS = [
    "I never feel safe at the bus stop at night.",
    "Great, another fare increase.",
    "The library closes far too early. I cannot visit after work.",
    "Thank you for the new benches at the park, they are lovely.",
    "The snow clearing on my street was excellent this winter.",
    "The bus comes every twenty minutes.",
]
# Each comment is stored this many times, so that no count is a small cell.
REPEATS = 5


def import_kobo_form(client, session):
    """Upload the form through the builder, open it and return it."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "survey"
    for row in KOBO_FORM:
        workbook["survey"].append(row)
    choices = workbook.create_sheet("choices")
    for row in WARDS:
        choices.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(buffer.getvalue()), "kobo.xlsx"), "xlsform-slug": "kobo"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    survey = survey_by_slug(session, "kobo")
    survey.status = SURVEY_OPEN
    session.commit()
    return survey


def answer(session, survey, text, postal_code="K1A 0B1", count=REPEATS):
    """Store ``count`` responses with this comment (enough for the report to show them)."""
    session.expire_all()  # the survey as the builder left it
    add_responses(
        session,
        survey_by_slug(session, survey.slug),
        {"ward": "w1", "postal_code": postal_code, "anything_else": text},
        count,
    )


def sentiment_of(app, session, survey):
    """Return the report's sentiment rows by question, as the report's JSON has them."""
    session.expire_all()
    survey = survey_by_slug(session, survey.slug)
    report = survey_report(session, survey, app.config)
    return {row.question: row for row in report.sentiment.by_question}


def switch(client, survey, name, kind, on: bool):
    data = {"settings-name": name, "settings-kind": kind}
    if on:
        data["settings-analyse"] = "y"
    response = client.post(f"/manage/{survey.slug}/questions/{name}/settings", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def stored(session, survey, name):
    session.expire_all()
    question = next(q for q in survey_by_slug(session, survey.slug).questions if q.name == name)
    return session.exec(
        select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
    ).all()


def test_an_imported_text_question_is_scored_and_in_the_reports_sentiment_section(
    app, client, session, login_as
):
    login_as("staff")
    survey = import_kobo_form(client, session)
    for text in COMMENTS:
        answer(session, survey, text)

    comments = stored(session, survey, "anything_else")
    assert {a.sentiment_label for a in comments} >= {"negative", "positive"}
    assert all(
        a.polarity is None and a.sentiment_label is None
        for a in stored(session, survey, "postal_code")
    )
    rows = sentiment_of(app, session, survey)
    assert set(rows) == {"anything_else"}
    assert rows["anything_else"].n == len(COMMENTS) * REPEATS
    assert rows["anything_else"].counts["negative"] >= 2

    explorer = client.get("/reports/kobo/comments").get_data(as_text=True)
    assert "Great, another fare increase." in explorer
    assert "K1A 0B1" not in explorer


def test_switching_analysis_off_takes_the_question_out_and_on_scores_what_came_meanwhile(
    app, client, session, login_as
):
    login_as("staff")
    survey = import_kobo_form(client, session)
    for text in COMMENTS:
        answer(session, survey, text)
    assert "anything_else" in sentiment_of(app, session, survey)

    switch(client, survey, "anything_else", SHORT_TEXT, on=False)
    answer(session, survey, "The new bike lanes are wonderful.")

    assert sentiment_of(app, session, survey) == {}
    assert stored(session, survey, "anything_else")[-1].sentiment_label is None
    explorer = client.get("/reports/kobo/comments").get_data(as_text=True)
    assert "Great, another fare increase." not in explorer
    page = client.get("/manage/kobo/questions/anything_else").get_data(as_text=True)
    assert (
        'name="settings-analyse"' in page
        and "checked" not in page.split('name="settings-analyse"')[1].split(">")[0]
    )

    switch(client, survey, "anything_else", SHORT_TEXT, on=True)

    assert stored(session, survey, "anything_else")[-1].sentiment_label == "positive"
    rows = sentiment_of(app, session, survey)
    assert rows["anything_else"].n == (len(COMMENTS) + 1) * REPEATS


def test_a_postal_code_switched_on_by_staff_becomes_a_comment_question(
    app, client, session, login_as
):
    login_as("staff")
    survey = import_kobo_form(client, session)
    answer(session, survey, "Fine.", postal_code="The postal code form is confusing and slow.")

    switch(client, survey, "postal_code", SHORT_TEXT, on=True)

    assert set(sentiment_of(app, session, survey)) == {"postal_code", "anything_else"}
    assert stored(session, survey, "postal_code")[0].sentiment_label == "negative"


def test_a_bank_text_field_starts_with_its_analysis_off():
    label = dict.fromkeys(BUILT_IN_LANGUAGES, "Please describe your gender")
    described = question_from_file(
        {"name": "gender_described", "kind": SHORT_TEXT, "label": label, "choices": []}
    )
    story = bank_question("story", LONG_TEXT, label, [])

    assert not analysed(described) and not analysed(story)
    assert described.dimension is None
    assert bank_question("age", "single_choice", label, []).settings == {}

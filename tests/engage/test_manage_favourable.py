"""Staff choose which answers of a closed question reports count as favourable."""

import io
import re

import openpyxl
import pytest
from sqlmodel import select

from surveys.definition import (
    LIKERT,
    NUMBER,
    RATING,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Answer, AuditEvent, Response
from surveys.report_structure import question_infos
from surveys.store import save_definition, survey_by_slug

LIBRARY = SurveyDefinition(
    slug="library",
    default_language="en",
    languages=("en", "fr"),
    title={"en": "Library"},
    questions=(
        QuestionDefinition(
            "branch",
            SINGLE_CHOICE,
            label={"en": "Which branch do you use?"},
            allow_prefer_not=True,
            choices=(
                ChoiceDefinition("central", {"en": "Central"}),
                ChoiceDefinition("east", {"en": "East"}),
                ChoiceDefinition("west", {"en": "West"}),
            ),
        ),
        QuestionDefinition("welcome", LIKERT, label={"en": "Staff make me feel welcome."}),
        QuestionDefinition(
            "hours", RATING, label={"en": "Rate the opening hours."}, settings={"max": 5}
        ),
        QuestionDefinition("visits", NUMBER, label={"en": "Visits last year"}),
    ),
)
URL = "/manage/library/questions/{}/favourable"
FIELD = "favourable-favourable"


@pytest.fixture
def library(session, login_as):
    """A stored draft survey, and a staff member signed in."""
    survey = save_definition(session, LIBRARY)
    session.commit()
    login_as("staff")
    return survey


def stored(session, name: str):
    """Return the question's stored favourable choices (None: the kind's default)."""
    session.expire_all()
    survey = survey_by_slug(session, "library")
    question = next(q for q in survey.questions if q.name == name)
    return (question.settings or {}).get("favourable_choices")


def favourable_in_report(session, name: str) -> frozenset[str]:
    """Return what the report's records count as favourable for the question."""
    session.expire_all()
    return question_infos(survey_by_slug(session, "library"))[name].favourable


def ticked(html: str) -> list[str]:
    """Return the values of the ticked favourable checkboxes on a question page."""
    return re.findall(rf'name="{FIELD}" value="([^"]+)" checked', html)


def test_staff_mark_the_favourable_options_of_a_single_choice_question(client, session, library):
    before = survey_by_slug(session, "library").updated_at
    html = client.get("/manage/library/questions/branch").get_data(as_text=True)
    assert "<legend>Answers counted as favourable</legend>" in html
    assert ticked(html) == []
    assert 'value="prefer_not_to_answer"' not in html.split('id="favourable"')[1]

    response = client.post(URL.format("branch"), data={FIELD: ["central", "west"]})

    assert response.status_code == 302
    assert stored(session, "branch") == ["central", "west"]
    assert favourable_in_report(session, "branch") == {"central", "west"}
    assert ticked(client.get("/manage/library/questions/branch").get_data(as_text=True)) == [
        "central",
        "west",
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "question.edit")).one()
    assert (event.old["settings"], event.new["settings"]) == (
        {},
        {"favourable_choices": ["central", "west"]},
    )
    # Kept reports are keyed on the survey's last change.
    assert survey_by_slug(session, "library").updated_at > before


def test_likert_keeps_its_top_two_unless_staff_change_them(client, session, library):
    html = client.get("/manage/library/questions/welcome").get_data(as_text=True)
    assert ticked(html) == ["agree", "strongly_agree"]
    assert "Unless you change them, the top two answers count as favourable." in html

    client.post(URL.format("welcome"), data={FIELD: ["strongly_agree"]})
    assert favourable_in_report(session, "welcome") == {"strongly_agree"}

    # None ticked: the question has no favourable end (a nominal question).
    client.post(URL.format("welcome"), data={})
    assert stored(session, "welcome") == []
    assert favourable_in_report(session, "welcome") == frozenset()

    # Back to the top two: the default again, nothing stored.
    client.post(URL.format("welcome"), data={FIELD: ["agree", "strongly_agree"]})
    assert stored(session, "welcome") is None
    assert favourable_in_report(session, "welcome") == {"agree", "strongly_agree"}


def test_rating_points_can_be_favourable(client, session, library):
    html = client.get("/manage/library/questions/hours").get_data(as_text=True)
    assert ticked(html) == ["4", "5"]
    client.post(URL.format("hours"), data={FIELD: ["3", "4", "5"]})
    assert favourable_in_report(session, "hours") == {"3", "4", "5"}


@pytest.mark.parametrize("value", ["north", "prefer_not_to_answer"])
def test_only_the_questions_own_options_can_be_favourable(client, session, library, value):
    response = client.post(URL.format("branch"), data={FIELD: ["central", value]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"“{value}” is not one of this question&#39;s options." in html
    assert 'aria-invalid="true"' in html
    assert stored(session, "branch") is None
    assert session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all() == []


def test_a_question_without_options_has_no_favourable_answers(client, library):
    assert 'id="favourable"' not in client.get("/manage/library/questions/visits").get_data(
        as_text=True
    )
    assert client.post(URL.format("visits"), data={FIELD: ["1"]}).status_code == 404


def test_favourable_answers_can_change_after_answers_arrive(client, session, library):
    survey = survey_by_slug(session, "library")
    branch = next(q for q in survey.questions if q.name == "branch")
    response = Response(survey_id=survey.id, channel="web", language="en", idempotency_key="k")
    session.add(response)
    session.flush()
    session.add(Answer(response_id=response.id, question_id=branch.id, choice="east"))
    session.commit()
    assert client.post(URL.format("branch"), data={FIELD: ["east"]}).status_code == 302
    assert stored(session, "branch") == ["east"]


def test_a_removed_option_is_no_longer_favourable(client, session, library):
    client.post(URL.format("branch"), data={FIELD: ["central", "west"]})
    survey = survey_by_slug(session, "library")
    west = next(c for q in survey.questions if q.name == "branch" for c in q.choices[2:])
    client.post(f"/manage/library/questions/branch/choices/{west.id}/remove")
    assert stored(session, "branch") == ["central"]


def test_new_options_start_from_the_kinds_default(client, session, library):
    client.post(URL.format("branch"), data={FIELD: ["central"]})
    client.post(
        "/manage/library/questions/branch/settings",
        data={"settings-name": "branch", "settings-kind": "multiple_choice"},
    )
    # Same options: staff's choice stays.
    assert stored(session, "branch") == ["central"]
    client.post(
        "/manage/library/questions/branch/settings",
        data={"settings-name": "branch", "settings-kind": "likert"},
    )
    assert stored(session, "branch") is None
    assert favourable_in_report(session, "branch") == {"agree", "strongly_agree"}


def test_the_xlsform_download_carries_favourable_answers_into_a_new_survey(
    client, session, library
):
    client.post(URL.format("branch"), data={FIELD: ["east"]})
    client.post(URL.format("welcome"), data={})
    client.post(URL.format("hours"), data={FIELD: ["3", "4", "5"]})
    workbook = client.get("/manage/library/xlsform.xlsx").get_data()

    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(workbook), "library.xlsx"), "xlsform-slug": "copy"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    session.expire_all()
    copy = question_infos(survey_by_slug(session, "copy"))
    assert copy["branch"].favourable == {"east"}
    assert copy["welcome"].favourable == frozenset()
    assert copy["hours"].favourable == {"3", "4", "5"}


def test_an_xlsform_with_an_unreadable_favourable_cell_is_refused_by_row(client, session, library):
    workbook = openpyxl.Workbook()
    workbook.active.title = "survey"
    workbook["survey"].append(["type", "name", "label"])
    workbook["survey"].append(["select_one yn", "ok", "OK?"])
    choices = workbook.create_sheet("choices")
    for row in (["list_name", "name", "label", "favourable"], ["yn", "yes", "Yes", "maybe"]):
        choices.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = client.post(
        "/manage/import",
        data={"xlsform-file": (io.BytesIO(buffer.getvalue()), "bad.xlsx"), "xlsform-slug": "bad"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert (
        "The file could not be imported: on the choices sheet, row 2, “favourable” must be "
        "yes, no or empty, not “maybe”." in response.get_data(as_text=True)
    )
    assert survey_by_slug(session, "bad") is None

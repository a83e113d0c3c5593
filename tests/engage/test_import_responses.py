"""`engage import-responses SLUG FILE.csv`: KoboToolbox and ODK exports, all rows or none."""

from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from engage.auth import create_user
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    SECTION,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import Answer, Response
from surveys.store import save_definition

SLUG = "transit-2026"
HEADER = "used,satisfied,visits,comments,_channel,_language,_collected_at,_paper_id"


@pytest.fixture
def survey(session):
    definition = SurveyDefinition(
        slug=SLUG,
        default_language="en",
        languages=("en", "fr", "pa"),
        title={"en": "Transit"},
        questions=(
            QuestionDefinition(name="intro", kind=SECTION, label={"en": "Transit"}),
            QuestionDefinition(
                name="used",
                kind=MULTIPLE_CHOICE,
                required=True,
                choices=tuple(ChoiceDefinition(n) for n in ("bus", "train", "bike")),
            ),
            QuestionDefinition(name="satisfied", kind=LIKERT, allow_prefer_not=True),
            QuestionDefinition(name="visits", kind=NUMBER, settings={"min": 0, "max": 100}),
            QuestionDefinition(name="comments", kind=LONG_TEXT),
        ),
    )
    survey = save_definition(session, definition, status="open")
    session.commit()
    return survey


def write_csv(tmp_path, *lines, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run_import(runner, path, *extra):
    return runner.invoke(args=["import-responses", SLUG, str(path), *extra])


def response_count(session) -> int:
    return session.exec(select(func.count()).select_from(Response)).one()


GOOD_ROWS = (
    'bus train,agree,3,"Le personnel est excellent et très gentil",paper,fr,2026-03-02,P-1',
    "bike,prefer_not_to_answer,,,in_person,pa,2026-03-03T10:15:00-05:00,",
    "train,strongly_disagree,12,,phone,,,P-2",
)


def test_import_stores_every_row_with_where_it_came_from(runner, session, survey, tmp_path):
    result = run_import(runner, write_csv(tmp_path, HEADER, *GOOD_ROWS))
    assert result.exit_code == 0, result.output
    assert "Imported 3 responses into transit-2026; 0 were already imported." in result.output
    first, second, third = session.exec(select(Response).order_by(Response.id)).all()
    assert (first.channel, first.language, first.paper_id) == ("paper", "fr", "P-1")
    assert first.collected_at.replace(tzinfo=UTC) == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert (second.channel, second.language, second.paper_id) == ("in_person", "pa", None)
    assert second.collected_at.replace(tzinfo=UTC) == datetime(2026, 3, 3, 15, 15, tzinfo=UTC)
    assert (third.channel, third.language) == ("phone", "en")
    choices = session.exec(
        select(Answer.choice).where(Answer.response_id == first.id).order_by(Answer.id)
    ).all()
    assert choices == ["bus", "train", "agree", None, None]
    comment = session.exec(
        select(Answer).where(Answer.response_id == first.id, Answer.text.is_not(None))
    ).one()
    assert comment.sentiment_label == "positive"


def test_any_invalid_row_imports_nothing_and_every_bad_line_is_reported(
    runner, session, survey, tmp_path
):
    path = write_csv(
        tmp_path,
        HEADER,
        GOOD_ROWS[0],
        "bus,agree,lots,,paper,en,,P-3",  # line 3: not a number
        GOOD_ROWS[2],
        ",agree,1,,paper,en,,P-4",  # line 5: required question left blank
        "bus,maybe,1,,fax,xx,31/12/2025,P-5",  # line 6: four problems
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    output = result.output
    assert "line 3: question 3 (visits): Enter a number." in output
    assert "line 5: question 1 (used): This question requires an answer." in output
    assert "line 6: question 2 (satisfied): “maybe” is not one of the options." in output
    assert "line 6: _channel “fax” is not one of paper, phone, in_person, web." in output
    assert "line 6: _language “xx” is not a language of this survey (en, fr, pa)." in output
    assert "line 6: _collected_at:" in output
    assert "line 2" not in output and "line 4" not in output
    assert "Nothing was stored." in output
    assert response_count(session) == 0


def test_importing_the_same_file_twice_does_not_duplicate(runner, session, survey, tmp_path):
    path = write_csv(tmp_path, HEADER, *GOOD_ROWS, GOOD_ROWS[2].replace("P-2", ""))
    assert run_import(runner, path).exit_code == 0
    again = run_import(runner, path)
    assert again.exit_code == 0, again.output
    assert "Imported 0 responses into transit-2026; 4 were already imported." in again.output
    assert response_count(session) == 4


def test_a_longer_export_imports_only_the_new_rows(runner, session, survey, tmp_path):
    run_import(runner, write_csv(tmp_path, HEADER, *GOOD_ROWS[:2]))
    result = run_import(runner, write_csv(tmp_path, HEADER, *GOOD_ROWS, name="later.csv"))
    assert "Imported 1 responses into transit-2026; 2 were already imported." in result.output
    assert response_count(session) == 3


def test_identical_answers_from_two_people_are_two_responses(runner, session, survey, tmp_path):
    result = run_import(runner, write_csv(tmp_path, "used,visits", "bus,2", "bus,2"))
    assert result.exit_code == 0, result.output
    assert response_count(session) == 2


def test_paper_id_already_keyed_in_is_refused_with_its_line(runner, session, survey, tmp_path):
    run_import(runner, write_csv(tmp_path, HEADER, GOOD_ROWS[0]))
    existing = session.exec(select(Response)).one()
    clash = "bike,agree,1,,paper,en,,p-1"
    result = run_import(runner, write_csv(tmp_path, HEADER, GOOD_ROWS[2], clash, name="b.csv"))
    assert result.exit_code == 1
    assert f"line 3: _paper_id P-1 was already entered as entry {existing.public_id}." in (
        result.output
    )
    assert response_count(session) == 1


def test_paper_id_twice_in_one_file_is_refused(runner, session, survey, tmp_path):
    result = run_import(
        runner, write_csv(tmp_path, HEADER, GOOD_ROWS[0], "bike,agree,1,,paper,en,,P-1")
    )
    assert "line 3: _paper_id P-1 is also on line 2." in result.output
    assert response_count(session) == 0


def test_kobo_export_with_semicolons_groups_and_submission_ids(runner, session, survey, tmp_path):
    path = write_csv(
        tmp_path,
        "start;end;transit/used;used/bus;used/train;transit/visits;_id;_uuid;_submission_time",
        "2026-03-01T10:00;2026-03-01T10:05;bus train;1;1;4;17;uuid-a;2026-03-01T10:06:00",
        "2026-03-01T11:00;2026-03-01T11:05;bike;0;0;;18;uuid-b;2026-03-01T11:06:00",
        encoding="utf-8-sig",
    )
    result = run_import(runner, path, "--channel", "in_person")
    assert result.exit_code == 0, result.output
    assert "Ignored columns (not questions of this survey): start, end, used/bus" in result.output
    keys = session.exec(select(Response.idempotency_key).order_by(Response.id)).all()
    assert keys == ["import-id-uuid-a", "import-id-uuid-b"]
    assert {r.channel for r in session.exec(select(Response))} == {"in_person"}


def test_rows_can_be_entered_for_a_broker(runner, session, survey, tmp_path, users):
    result = run_import(
        runner, write_csv(tmp_path, HEADER, GOOD_ROWS[0]), "--entered-by", "broker@example.ca"
    )
    assert result.exit_code == 0, result.output
    assert session.exec(select(Response)).one().entered_by_id == users["broker"].id


def test_a_file_with_no_question_columns_is_refused(runner, session, survey, tmp_path):
    result = run_import(runner, write_csv(tmp_path, "name,email", "Ana,ana@example.ca"))
    assert result.exit_code == 1
    assert "No column is named after a question of survey transit-2026." in result.output


def test_a_row_with_more_cells_than_columns_is_refused(runner, session, survey, tmp_path):
    result = run_import(runner, write_csv(tmp_path, "used,visits", "bus,2,extra"))
    assert "line 2: the row has 1 more cells than the header has columns." in result.output
    assert response_count(session) == 0


def test_a_file_that_is_not_utf8_is_refused(runner, session, survey, tmp_path):
    path = write_csv(tmp_path, "used,comments", "bus,très bien", encoding="latin-1")
    result = run_import(runner, path)
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output


def test_an_unknown_survey_is_refused(runner, tmp_path):
    result = runner.invoke(args=["import-responses", "nope", str(write_csv(tmp_path, "a", "1"))])
    assert result.exit_code == 1 and "there is no survey 'nope'" in result.output


def test_an_unknown_account_is_refused(runner, survey, tmp_path):
    result = run_import(runner, write_csv(tmp_path, HEADER, GOOD_ROWS[0]), "--entered-by", "x@y.ca")
    assert result.exit_code == 1 and "there is no account 'x@y.ca'" in result.output


def test_rows_imported_without_an_account_belong_to_nobody(runner, session, survey, tmp_path):
    create_user(session, "other@example.ca", "staff", "long enough password")
    result = run_import(runner, write_csv(tmp_path, HEADER, GOOD_ROWS[2]))
    assert result.exit_code == 0
    assert session.exec(select(Response)).one().entered_by_id is None

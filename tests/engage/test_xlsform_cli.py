"""`engage import-xlsform` and `engage export-xlsform`: real forms, clear refusals, round trip."""

from dataclasses import replace

import pytest
from sqlmodel import select
from support import FIXTURES

from surveys.definition import (
    LIKERT,
    MULTIPLE_CHOICE,
    NUMBER,
    RATING,
    SECTION,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.models import AuditEvent, Survey
from surveys.questions import LIKERT_CHOICES, LIKERT_LABELS
from surveys.store import save_definition, survey_by_slug, to_definition

# Real public forms (tests/fixtures/xlsform); listed by name so that a missing folder
# fails every test instead of leaving nothing to parametrize.
XLSFORMS = FIXTURES / "xlsform"
FIXTURE_NAMES = (
    "case_insensitivity.xlsx",
    "choice_filter_test.xlsx",
    "or_other.xlsx",
    "yes_or_no_question.xlsx",
)


def surveys(session) -> list[Survey]:
    session.expire_all()
    return session.exec(select(Survey)).all()


def test_every_form_in_the_fixture_folder_is_tested():
    assert tuple(sorted(path.name for path in XLSFORMS.glob("*.xlsx"))) == FIXTURE_NAMES


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_imports_as_a_draft_and_prints_its_slug_last(runner, session, name):
    result = runner.invoke(args=["import-xlsform", str(XLSFORMS / name)])
    assert result.exit_code == 0, result.output
    slug = result.stdout.splitlines()[-1]
    survey = survey_by_slug(session, slug)
    assert survey is not None
    assert survey.status == "draft"
    assert survey.questions
    assert "warning" not in result.stdout
    event = session.exec(select(AuditEvent)).one()
    assert (event.action, event.new["slug"]) == ("survey.import", slug)


def test_unsupported_constructs_are_warned_about_on_standard_error(runner, session):
    result = runner.invoke(args=["import-xlsform", str(XLSFORMS / "case_insensitivity.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.stdout == "yesno\n"
    assert "survey row 3: external choice lists (select_one_external)" in result.stderr
    assert "OpenStreetMap" in result.stderr
    assert [q.name for q in survey_by_slug(session, "yesno").questions] == ["q1"]


def test_or_other_becomes_an_other_choice_and_a_follow_up(runner, session):
    result = runner.invoke(
        args=["import-xlsform", str(XLSFORMS / "or_other.xlsx"), "--slug", "colours"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "colours"
    questions = {q.name: q for q in survey_by_slug(session, "colours").questions}
    assert "other" in [choice.name for choice in questions["fav_color"].choices]
    assert questions["fav_color_other"].relevant == {
        "question": "fav_color",
        "op": "equals",
        "values": ["other"],
    }


def test_a_taken_slug_gives_one_error_and_creates_nothing(runner, session):
    first = runner.invoke(args=["import-xlsform", str(XLSFORMS / "or_other.xlsx")])
    assert first.exit_code == 0
    again = runner.invoke(args=["import-xlsform", str(XLSFORMS / "or_other.xlsx")])
    assert again.exit_code == 1
    assert again.stdout == ""
    assert again.stderr.strip() == (
        "Error: A survey called “or-other” already exists; choose another web address name."
    )
    assert len(surveys(session)) == 1


def test_a_slug_that_cannot_be_an_address_is_refused(runner, session):
    result = runner.invoke(
        args=["import-xlsform", str(XLSFORMS / "or_other.xlsx"), "--slug", "Bad Slug"]
    )
    assert result.exit_code == 1
    assert "“Bad Slug” cannot be a web address name" in result.stderr
    assert surveys(session) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04 this zip ends early", "broken.xlsx"),
        (b"name,label\nq1,Question\n", "form.csv"),
        (b"", "empty.xlsx"),
    ],
    ids=["truncated-zip", "not-a-workbook", "empty"],
)
def test_a_corrupt_file_gives_one_error_and_creates_nothing(
    runner, session, tmp_path, content, name
):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["import-xlsform", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: The file could not be imported:")
    assert name in lines[0]
    assert surveys(session) == []


def test_a_missing_file_gives_one_error(runner, session, tmp_path):
    result = runner.invoke(args=["import-xlsform", str(tmp_path / "nowhere.xlsx")])
    assert result.exit_code == 1
    assert "was not found" in result.stderr
    assert surveys(session) == []


def test_export_then_import_gives_back_the_same_survey(runner, session, tmp_path):
    labels = {tag: LIKERT_LABELS[tag] for tag in ("en", "fr", "ar")}
    original = SurveyDefinition(
        slug="transit",
        default_language="en",
        languages=("en", "fr", "ar"),
        title={"en": "Transit", "fr": "Transport en commun", "ar": "النقل العام"},
        description={"en": "Ten minutes.", "fr": "Dix minutes.", "ar": "عشر دقائق."},
        questions=(
            QuestionDefinition(
                "intro", SECTION, label={"en": "About you", "fr": "À propos", "ar": "عنك"}
            ),
            QuestionDefinition(
                "modes",
                MULTIPLE_CHOICE,
                label={"en": "How do you travel?", "fr": "Comment?", "ar": "كيف تتنقل؟"},
                required=True,
                choices=(
                    ChoiceDefinition("bus", {"en": "Bus", "fr": "Autobus", "ar": "حافلة"}),
                    ChoiceDefinition("bike", {"en": "Bike", "fr": "Vélo", "ar": "دراجة"}),
                ),
                settings={"max_choices": 2},
            ),
            QuestionDefinition(
                "reliable",
                LIKERT,
                label={"en": "Buses are on time.", "fr": "À l’heure.", "ar": "في الموعد."},
                choices=tuple(
                    ChoiceDefinition(name, {tag: labels[tag][name] for tag in labels})
                    for name in LIKERT_CHOICES
                ),
                relevant=Condition("modes", "equals", ("bus",)),
            ),
            QuestionDefinition(
                "score",
                RATING,
                label={"en": "Score", "fr": "Note", "ar": "التقييم"},
                settings={"min": 0, "max": 10, "step": 1},
            ),
            QuestionDefinition(
                "trips",
                NUMBER,
                label={"en": "Trips a week", "fr": "Trajets", "ar": "الرحلات"},
                settings={"min": 0, "max": 50, "integer": True},
                allow_prefer_not=True,
            ),
            QuestionDefinition(
                "ward",
                SINGLE_CHOICE,
                label={"en": "Ward", "fr": "Quartier", "ar": "الدائرة"},
                choices=(
                    ChoiceDefinition("w1", {"en": "Ward 1", "fr": "Quartier 1", "ar": "1"}),
                    ChoiceDefinition("w2", {"en": "Ward 2", "fr": "Quartier 2", "ar": "2"}),
                ),
                allow_prefer_not=True,
                dimension="area",
                relevant=Condition("trips", "not", ("0",)),
            ),
        ),
    )
    save_definition(session, original)
    session.commit()
    path = tmp_path / "transit.xlsx"

    exported = runner.invoke(args=["export-xlsform", "transit", str(path)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(args=["import-xlsform", str(path), "--slug", "transit-copy"])
    assert imported.exit_code == 0, imported.output
    assert imported.stderr == ""

    session.expire_all()
    copy = to_definition(session, survey_by_slug(session, "transit-copy"))
    assert copy == replace(
        to_definition(session, survey_by_slug(session, "transit")), slug=copy.slug
    )
    assert copy.slug == "transit-copy"


def test_exporting_an_unknown_survey_is_refused(runner, tmp_path):
    result = runner.invoke(args=["export-xlsform", "nowhere", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: there is no survey called 'nowhere'"
    assert not (tmp_path / "x.xlsx").exists()


def test_exporting_to_a_folder_that_does_not_exist_is_refused(runner, session, tmp_path):
    save_definition(
        session,
        SurveyDefinition("tiny", "en", ("en",), title={"en": "Tiny"}, questions=()),
    )
    session.commit()
    result = runner.invoke(args=["export-xlsform", "tiny", str(tmp_path / "no" / "x.xlsx")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")

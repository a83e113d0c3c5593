"""The analysis commands: report, benchmarks import, sentiment score; and label overrides."""

import csv
import io
import json

import pytest
from report_support import add_many, choice_question, comment, likert, make_survey
from sqlmodel import select

from analysis.sentiment import score_comment
from engage.analysis_commands import interface_language_for
from engage.comments import CommentError, override_sentiment
from surveys.models import Answer, AuditEvent, PopulationBenchmark

COMMENTS = [
    ("The bus service is terrible.", "en"),
    ("Great buses, lovely drivers.", "en"),
    ("Le service est mauvais.", "fr"),
    ("Basi ni nzuri sana.", "sw"),
]


@pytest.fixture
def survey(session):
    """A survey with 120 respondents in two age groups, answers and comments."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
        ],
        settings={"quote_comments": True},
    )
    for text, language in COMMENTS:
        add_many(
            session,
            survey,
            [
                ({"age": "young", "safe": "agree", "why": text}, 15),
                ({"age": "old", "safe": "disagree", "why": text}, 15),
            ],
            language=language,
        )
    return survey


def report_json(runner, tmp_path, *args):
    target = tmp_path / "report.json"
    result = runner.invoke(args=["report", "transit-2025", "-o", str(target), *args])
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text(encoding="utf-8"))


def test_report_json_has_the_documented_keys(runner, tmp_path, survey):
    document = report_json(runner, tmp_path)

    assert {
        "survey",
        "generated_at",
        "settings",
        "totals",
        "representation",
        "outcomes",
        "sentiment",
    } <= set(document)
    assert document["survey"]["slug"] == "transit-2025"
    assert document["settings"]["min_cell"] == 10
    assert document["totals"]["respondents"] == 120
    young = document["representation"][0]["rows"][0]
    assert (young["dimension"], young["group"], young["n"]) == ("age_band", "young", 60)
    outcome = document["outcomes"][0]
    assert outcome["test"]["test"] == "chi_square" and outcome["test"]["p_value"] < 0.001
    assert {row["group"]: row["rate"] for row in outcome["rows"]}["young"] == 1.0


def test_report_follows_the_app_settings_and_filters(app, runner, tmp_path, survey):
    app.config["MIN_CELL"] = 50
    app.config["UNDER_REPRESENTATION_BELOW"] = 0.5

    document = report_json(runner, tmp_path, "--language", "fr")

    assert document["settings"]["min_cell"] == 50
    assert document["settings"]["under_representation_below"] == 0.5
    assert document["settings"]["filters"]["languages"] == ["fr"]
    assert document["totals"]["respondents"] is None  # 30 French responses < 50


def test_report_labels_follow_the_requested_language(runner, tmp_path, survey):
    document = report_json(runner, tmp_path, "--lang", "fr")

    assert document["survey"]["title"] == "Sondage sur le transport"
    assert document["survey"]["language"] == "fr"


def test_report_csv_and_html_go_to_standard_output(runner, survey):
    as_csv = runner.invoke(args=["report", "transit-2025", "--format", "csv"])
    as_html = runner.invoke(args=["report", "transit-2025", "--format", "html"])

    assert as_csv.exit_code == 0, as_csv.output
    tables = {row["table"] for row in csv.DictReader(io.StringIO(as_csv.output))}
    assert {"representation", "outcome_rates", "sentiment_by_question"} <= tables
    assert as_html.exit_code == 0, as_html.output
    assert "<html" in as_html.output and "Representation" in as_html.output


def test_combined_view_only_when_asked(runner, tmp_path, survey):
    assert report_json(runner, tmp_path)["combined"] is None
    assert "Combined view" in report_json(runner, tmp_path, "--combined")["combined"]["label"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "no-such-survey"], "No survey has the address"),
        (["report", "transit-2025", "--channel", "fax"], "Unknown channel fax"),
        (["report", "transit-2025", "--from", "30/06/2025"], "year-month-day"),
        (["report", "transit-2025", "--from", "2025-07-01", "--to", "2025-06-01"], "after"),
        (["report", "transit-2025", "--weight-by", "shoe_size"], "not a dimension"),
    ],
)
def test_report_refuses_bad_requests_clearly(runner, survey, args, message):
    result = runner.invoke(args=args)

    assert result.exit_code != 0
    assert message in result.output


def test_a_failed_report_leaves_an_existing_file_alone(runner, tmp_path, survey):
    target = tmp_path / "report.json"
    target.write_text("earlier report")

    result = runner.invoke(args=["report", "transit-2025", "--channel", "fax", "-o", str(target)])

    assert result.exit_code != 0
    assert target.read_text() == "earlier report"


# -- sentiment overrides ---------------------------------------------------------------


def test_override_keeps_who_and_when_and_is_audited(session, users, survey):
    answer = session.exec(select(Answer).where(Answer.text == COMMENTS[0][0])).first()

    event = override_sentiment(session, answer, "positive", users["staff"], reason="sarcasm")

    session.refresh(answer)
    assert answer.sentiment_label == "negative"
    assert answer.sentiment_override == "positive"
    assert answer.override_by_id == users["staff"].id and answer.override_at is not None
    stored = session.get(AuditEvent, event.id)
    assert stored.action == "sentiment_override" and stored.user_id == users["staff"].id
    assert stored.old["sentiment_override"] is None
    assert stored.new["sentiment_override"] == "positive"
    assert stored.survey_id == survey.id


def test_reports_use_the_override(runner, tmp_path, session, users, survey):
    before = report_json(runner, tmp_path)["sentiment"]["by_question"][0]["counts"]
    for answer in session.exec(select(Answer).where(Answer.text == COMMENTS[0][0])).all():
        override_sentiment(session, answer, "neutral", users["staff"])

    after = report_json(runner, tmp_path)["sentiment"]["by_question"][0]["counts"]

    assert after["negative"] == before["negative"] - 30
    assert after["neutral"] == before["neutral"] + 30


def test_override_takes_only_known_labels_on_comments(session, users, survey):
    comment_answer = session.exec(select(Answer).where(Answer.text.is_not(None))).first()
    choice_answer = session.exec(select(Answer).where(Answer.choice == "agree")).first()

    with pytest.raises(CommentError):
        override_sentiment(session, comment_answer, "furious", users["staff"])
    with pytest.raises(CommentError):
        override_sentiment(session, choice_answer, "positive", users["staff"])
    assert session.exec(select(AuditEvent)).all() == []


# -- sentiment scoring -------------------------------------------------------------------


def test_sentiment_score_fills_in_comments_without_a_score(runner, session, survey):
    for answer in session.exec(select(Answer).where(Answer.text.is_not(None))).all():
        answer.polarity = answer.subjectivity = answer.sentiment_label = None
    session.commit()

    result = runner.invoke(args=["sentiment", "score", "transit-2025"])

    assert result.exit_code == 0, result.output
    assert "Scored 90 comments; 30 are in languages that are not scored" in result.output
    assert "(scored languages: en, fr)" in result.output
    session.expire_all()
    french = session.exec(select(Answer).where(Answer.text == "Le service est mauvais.")).first()
    swahili = session.exec(select(Answer).where(Answer.text == "Basi ni nzuri sana.")).first()
    assert french.polarity == score_comment("Le service est mauvais.", "fr").polarity
    assert french.sentiment_label == "negative"
    assert swahili.polarity is None and swahili.sentiment_label is None


def test_sentiment_score_all_rescores_with_new_cutoffs_and_keeps_overrides(
    app, runner, session, users, survey
):
    answer = session.exec(select(Answer).where(Answer.text == COMMENTS[1][0])).first()
    override_sentiment(session, answer, "negative", users["staff"])
    app.config["SENTIMENT_POSITIVE_ABOVE"] = 0.999

    result = runner.invoke(args=["sentiment", "score", "--all"])

    assert result.exit_code == 0, result.output
    session.expire_all()
    answer = session.get(Answer, answer.id)
    assert answer.sentiment_label == "neutral"
    assert answer.sentiment_override == "negative"


def test_sentiment_score_of_unknown_survey_is_an_error(runner, survey):
    result = runner.invoke(args=["sentiment", "score", "nope"])

    assert result.exit_code != 0 and "No survey has the address" in result.output


# -- benchmarks ---------------------------------------------------------------------------


def stored_benchmarks(session):
    session.expire_all()
    return {
        (row.dimension, row.group, row.area): row.population
        for row in session.exec(select(PopulationBenchmark)).all()
    }


def test_benchmarks_import_replaces_figures_of_the_same_dimension_and_area(
    runner, session, tmp_path
):
    first = tmp_path / "first.csv"
    first.write_text(
        "dimension,group,population,area\n"
        "age_band,young,100,\n"
        "age_band,old,300,\n"
        "age_band,young,40,ward_1\n"
        "gender,woman,500,\n",
        encoding="utf-8",
    )
    second = tmp_path / "second.csv"
    second.write_text("\ufeffDimension,Group,Population\nage_band,young,150\n", encoding="utf-8")

    assert runner.invoke(args=["benchmarks", "import", str(first)]).exit_code == 0
    result = runner.invoke(args=["benchmarks", "import", str(second), "--source", "Census 2021"])

    assert result.exit_code == 0, result.output
    assert "Imported 1 population figures for age_band" in result.output
    assert stored_benchmarks(session) == {
        ("age_band", "young", ""): 150,
        ("age_band", "young", "ward_1"): 40,
        ("gender", "woman", ""): 500,
    }


def test_benchmarks_import_reports_every_bad_row_and_writes_nothing(runner, session, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("dimension,group,population\nage_band,young,100\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "dimension,group,population\n"
        "age_band,old,300\n"
        "age_band,,20\n"
        "age_band,middle,lots\n"
        "age_band,old,12\n"
        "age_band,teen,-5\n",
        encoding="utf-8",
    )
    runner.invoke(args=["benchmarks", "import", str(good)])

    result = runner.invoke(args=["benchmarks", "import", str(bad)])

    assert result.exit_code != 0
    assert "Line 3: The group is empty." in result.output
    assert "Line 4: The population “lots” is not a whole number" in result.output
    assert "Line 5: This group is already given on line 2." in result.output
    assert "Line 6:" in result.output
    assert "Nothing was imported." in result.output
    assert stored_benchmarks(session) == {("age_band", "young", ""): 100}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"dimension,group\nage_band,young\n", "Missing column(s): population."),
        (b"dimension,group,population,colour\n", "Unknown column(s): colour."),
        (b"dimension,group,population\n", "only a header"),
        ("dimension,group,population\nâge,jeune,5\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_benchmarks_import_refuses_unusable_files(runner, tmp_path, content, message):
    path = tmp_path / "file.csv"
    path.write_bytes(content)

    result = runner.invoke(args=["benchmarks", "import", str(path)])

    assert result.exit_code != 0 and message in result.output


def test_representation_uses_imported_benchmarks(runner, session, tmp_path, survey):
    path = tmp_path / "age.csv"
    path.write_text("dimension,group,population\nage_band,young,250\nage_band,old,750\n")
    runner.invoke(args=["benchmarks", "import", str(path)])

    rows = report_json(runner, tmp_path)["representation"][0]["rows"]

    young = rows[0]
    assert young["population_share"] == 0.25
    assert young["index"] == 2.0 and young["flag"] == "over"


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("fr_CA.UTF-8", "fr"),
        ("zh_CN.UTF-8", "zh-Hans"),
        ("pa_IN", "pa"),
        ("C", None),
        ("de_DE", None),
    ],
)
def test_terminal_locale_picks_an_interface_language(locale, language):
    assert interface_language_for(locale) == language

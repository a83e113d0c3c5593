"""``engage sentiment label`` and ``engage sentiment score --all`` (issue 13)."""

import csv
import io

import pytest
from report_support import add_many, comment, make_survey
from sqlmodel import select

from analysis.sentiment import METHOD
from engage.comments import override_sentiment
from surveys.models import Answer

COMMENTS = [
    ("I never feel safe at the bus stop at night.", "en"),
    ("Thank you to the crew who plowed our street at 3 am!", "en"),
    ("L'autobus est toujours en retard et personne ne nous avertit.", "fr-CA"),
    ("Aaniin. Gaawiin bimaadizi-odaabaan.", "oj"),
]


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def write_csv(path, rows, header=("id", "text", "language")):
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def survey(session):
    survey = make_survey(session, [comment("why")])
    for text, language in COMMENTS:
        add_many(session, survey, [({"why": text}, 1)], language=language)
    return survey


def test_label_adds_label_polarity_and_method_and_keeps_the_other_columns(runner, tmp_path):
    source = write_csv(
        tmp_path / "comments.csv", [(i, text, lang) for i, (text, lang) in enumerate(COMMENTS)]
    )

    result = runner.invoke(args=["sentiment", "label", str(source)])

    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert list(rows[0]) == ["id", "text", "language", "label", "polarity", "method"]
    assert [row["label"] for row in rows] == ["negative", "positive", "negative", "unscored"]
    assert [row["id"] for row in rows] == ["0", "1", "2", "3"]
    assert float(rows[0]["polarity"]) < -0.05 and rows[0]["method"] == METHOD
    # Anishinaabemowin has no validated method: unscored, never neutral, and no polarity.
    assert (rows[3]["polarity"], rows[3]["method"]) == ("", "")


def test_label_gives_stored_comments_their_stored_labels(runner, session, survey, tmp_path):
    stored = session.exec(select(Answer.text, Answer.sentiment_label, Answer.polarity)).all()
    source = write_csv(
        tmp_path / "comments.csv", [(i, t, lang) for i, (t, lang) in enumerate(COMMENTS)]
    )

    result = runner.invoke(args=["sentiment", "label", str(source)])

    labelled = {row["text"]: (row["label"], row["polarity"]) for row in rows_of(result.stdout)}
    for text, label, polarity in stored:
        expected = (label or "unscored", "" if polarity is None else f"{polarity:.4f}")
        assert labelled[text] == expected


def test_label_writes_the_output_file_and_replaces_earlier_labels(runner, tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        [("Great, another fare increase.", "en", "positive")],
        header=("Text", "Language", "label"),
    )
    target = tmp_path / "out.csv"

    result = runner.invoke(args=["sentiment", "label", str(source), "-o", str(target)])

    assert result.exit_code == 0, result.output
    rows = rows_of(target.read_text(encoding="utf-8"))
    assert list(rows[0]) == ["Text", "Language", "label", "polarity", "method"]
    assert rows[0]["label"] == "negative"


def test_label_follows_the_configured_languages(app, runner, tmp_path):
    app.config["SENTIMENT_LANGUAGES"] = "en"
    source = write_csv(tmp_path / "in.csv", [(1, "Le service est mauvais.", "fr")])

    result = runner.invoke(args=["sentiment", "label", str(source)])

    assert rows_of(result.stdout)[0]["label"] == "unscored"


def test_a_row_with_a_malformed_language_tag_is_unscored(runner, tmp_path):
    source = write_csv(tmp_path / "in.csv", [(1, "The bus is late.", "english please")])

    result = runner.invoke(args=["sentiment", "label", str(source)])

    assert result.exit_code == 0, result.output
    assert rows_of(result.stdout)[0]["label"] == "unscored"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,text\n1,The bus is late.\n", "Missing column(s): language"),
        (b"", "The file is empty."),
        ("text,language\nTrès bien,fr\n".encode("latin-1"), "not UTF-8"),
        (b"text,language\nThe bus,en,extra\n", "Line 2 has 3 values"),
        (b'text,language\n"The bus is late,en\n', "not valid CSV"),
    ],
)
def test_a_bad_csv_is_refused_with_a_clear_message_and_exit_code_2(
    runner, tmp_path, content, message
):
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    target = tmp_path / "out.csv"

    result = runner.invoke(args=["sentiment", "label", str(source), "-o", str(target)])

    assert result.exit_code == 2
    assert message in result.output
    assert not target.exists()


def test_a_missing_file_is_refused_with_exit_code_2(runner, tmp_path):
    result = runner.invoke(args=["sentiment", "label", str(tmp_path / "nope.csv")])

    assert result.exit_code == 2
    assert "Cannot read the file" in result.output


def test_score_all_rescores_with_the_configured_languages_and_keeps_overrides(
    app, runner, session, users, survey
):
    answers = {a.text: a for a in session.exec(select(Answer)).all()}
    french = answers[COMMENTS[2][0]]
    english = answers[COMMENTS[0][0]]
    override_sentiment(session, french, "neutral", users["staff"])
    # Stored before the current method (as TextBlob had it): score --all replaces it.
    english.polarity, english.sentiment_label = 0.5, "positive"
    session.commit()
    app.config["SENTIMENT_LANGUAGES"] = "en"

    result = runner.invoke(args=["sentiment", "score", "--all"])

    assert result.exit_code == 0, result.output
    assert "(scored languages: en)" in result.output
    session.expire_all()
    english = session.get(Answer, english.id)
    assert english.sentiment_label == "negative" and english.polarity < -0.05
    french = session.get(Answer, french.id)
    # French is no longer scored, and staff's label is kept.
    assert (french.polarity, french.sentiment_label) == (None, None)
    assert french.sentiment_override == "neutral"

"""The open-data bundle: suppressed aggregate tables, a data dictionary and metadata.

Open data holds no record-level rows at all, and free text only when the
survey's settings publish comments (``open_data_comments``) and the quoting
rule allows each one.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, has_request_context
from sqlalchemy import and_, func, select
from sqlmodel import Session

from engage.accounts.links import site_url
from engage.exports.data_dictionary import (
    DICTIONARY_COLUMNS,
    data_dictionary,
    dictionary_rows,
    disclosure_description,
)
from engage.exports.open_data_answers import ANSWERS_COLUMNS, answer_rows
from engage.exports.responses import feedback_rows
from engage.exports.spreadsheets import csv_text
from surveys.aggregates import QuoteConsent
from surveys.intake import paper_numbering
from surveys.models import Answer, Response, Survey
from surveys.questions import question_type
from surveys.retention import REMOVED_TEXT
from surveys.store import load_texts

if TYPE_CHECKING:
    from analysis.report import Report

# The survey setting that lets open data carry comments (default: it does not).
OPEN_DATA_COMMENTS = "open_data_comments"

OPEN_DATA_FILES = {
    "responses_by_channel.csv": "Responses by channel (web, paper, phone, in person).",
    "responses_by_language.csv": "Responses by the language the survey was answered in.",
    "responses_by_day.csv": "Responses by day collected (UTC).",
    "representation.csv": (
        "Respondents per group of each equity dimension against the population: share, "
        "95% Wilson interval, population share, disproportionality index and flag."
    ),
    "answers.csv": (
        "How all respondents answered each closed question (every survey, with equity "
        "dimensions or none): respondents and share per choice, and the question's answered "
        "count, favourable rate with 95% interval, and mean."
    ),
    "outcomes.csv": (
        "Favourable rate and mean per group of each dimension, with 95% interval, disparity "
        "index and rate difference against the reference group, and the test used with its "
        "p-value, unadjusted and adjusted for all the survey's tests (Benjamini-Hochberg)."
    ),
    "outcome_distributions.csv": "Answers to each closed question per group of each dimension.",
    "sentiment.csv": "Comment sentiment by question, channel, language and group.",
    "themes.csv": (
        "Respondents per comment theme of each question, overall, by group of each dimension "
        "and by channel; a theme is named by staff or by its top terms, and its comments' "
        "language is given."
    ),
    "group_sessions.csv": (
        "Group sessions (elder circles, focus groups, community meetings), their own source: "
        "tallies, participants' demographics, feedback sentiment and who labelled the notes "
        "(a person or the method). Never added to responses."
    ),
    "comments.csv": (
        "Comments the survey's settings publish, from respondents whose answers allow quoting "
        "and group sessions that allowed quotes. No names."
    ),
    "data_dictionary.csv": "Question and choice texts in every language, with codes.",
    "data_dictionary.json": "The same dictionary, files, channels and codes as JSON.",
    "metadata.json": (
        "Survey, date generated, minimum cell size, thresholds, and the disclosure policy "
        "followed (what is withheld and why, and whether counts are randomly rounded)."
    ),
}


def open_data_files(
    session: Session,
    survey: Survey,
    report: Report,
    channel_names: Mapping[str, str],
) -> dict[str, bytes]:
    """Return the open-data bundle as {file name: bytes} (UTF-8 CSV and JSON).

    ``report`` must cover the whole survey (no filters). No file holds a row per
    person: every figure comes from the suppressed report.
    """
    from analysis.report import report_dict

    data = report_dict(report)
    texts = load_texts(session, survey.id)
    files: dict[str, bytes] = {}

    def add_csv(name: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
        files[name] = csv_text(header, rows).encode("utf-8")

    totals = data["totals"]
    for key, name in (
        ("by_channel", "channel"),
        ("by_language", "language"),
        ("by_day", "day"),
    ):
        add_csv(
            f"responses_{key}.csv",
            (name, "responses", "suppressed", "share"),
            ([row["group"], row["n"], row["suppressed"], row["share"]] for row in totals[key]),
        )
    add_csv(
        "representation.csv",
        (
            "dimension",
            "group",
            "group_label",
            "kind",
            "respondents",
            "suppressed",
            "share",
            "ci_low",
            "ci_high",
            "population",
            "population_share",
            "disproportionality_index",
            "index_ci_low",
            "index_ci_high",
            "flag",
            "low_reliability",
        ),
        (
            [
                row["dimension"],
                row["group"],
                row["label"],
                row["kind"],
                row["n"],
                row["suppressed"],
                row["share"],
                *_pair(row["ci"]),
                row["population"],
                row["population_share"],
                row["index"],
                *_pair(row["index_ci"]),
                row["flag"],
                row["low_reliability"],
            ]
            for table in data["representation"]
            for row in table["rows"]
        ),
    )
    codes = {
        item.question.name: {option.name: option.code for option in item.options}
        for item in paper_numbering(survey.questions)
    }
    outcome_rows, distribution_rows = [], []
    for table in data["outcomes"]:
        question = table["question"]
        for row in table["rows"]:
            outcome_rows.append(
                [
                    question,
                    table["dimension"],
                    row["group"],
                    row["label"],
                    row["kind"],
                    row["n"],
                    row["suppressed"],
                    row["rate"],
                    *_pair(row["ci"]),
                    row["mean"],
                    row["index"],
                    row["rate_difference"],
                    table["reference_group"],
                    row["test"] or table["test"]["test"],
                    row["p_value"] if row["test"] else table["test"]["p_value"],
                    row["p_adjusted"] if row["test"] else table["test"]["p_adjusted"],
                    row["low_reliability"],
                ]
            )
            for choice in row["distribution"]:
                distribution_rows.append(
                    [
                        question,
                        table["dimension"],
                        row["group"],
                        choice["choice"],
                        choice["n"],
                        choice["suppressed"],
                        choice["share"],
                    ]
                )
    add_csv("answers.csv", ANSWERS_COLUMNS, answer_rows(data, codes))
    add_csv(
        "outcomes.csv",
        (
            "question",
            "dimension",
            "group",
            "group_label",
            "kind",
            "answered",
            "suppressed",
            "favourable_rate",
            "ci_low",
            "ci_high",
            "mean",
            "disparity_index",
            "rate_difference",
            "reference_group",
            "test",
            "p_value",
            "p_adjusted",
            "low_reliability",
        ),
        outcome_rows,
    )
    add_csv(
        "outcome_distributions.csv",
        ("question", "dimension", "group", "choice", "respondents", "suppressed", "share"),
        distribution_rows,
    )
    sentiment = data["sentiment"]
    add_csv(
        "sentiment.csv",
        (
            "question",
            "breakdown",
            "group",
            "comments",
            "suppressed",
            "negative",
            "neutral",
            "positive",
            "unscored",
            "negative_share",
            "neutral_share",
            "positive_share",
        ),
        (
            [
                row["question"],
                row["dimension"],
                row["group"],
                row["n"],
                row["suppressed"],
                row["counts"].get("negative"),
                row["counts"].get("neutral"),
                row["counts"].get("positive"),
                row["counts"].get("unscored"),
                row["shares"].get("negative"),
                row["shares"].get("neutral"),
                row["shares"].get("positive"),
            ]
            for key in ("by_question", "by_channel", "by_language", "by_group")
            for row in sentiment[key]
        ),
    )
    add_csv(
        "themes.csv",
        (
            "question",
            "breakdown",
            "group",
            "theme",
            "theme_name",
            "respondents",
            "suppressed",
            "share",
            "theme_language",
        ),
        theme_csv_rows(data["themes"]),
    )
    sessions = data["group_sessions"]
    add_csv(
        "group_sessions.csv",
        ("table", "question_or_dimension", "group", "count", "suppressed", "share", "language"),
        [
            ["sessions", None, None, sessions["sessions"], False, None, None],
            [
                "participants",
                None,
                None,
                sessions["participants"],
                sessions["participants_suppressed"],
                None,
                None,
            ],
            *(
                [
                    table,
                    row["dimension"],
                    row["group"],
                    row["n"],
                    row["suppressed"],
                    row["share"],
                    None,
                ]
                for table in ("tallies", "demographics", "sentiment")
                for row in sessions[table]
            ),
            *labelled_by_csv_rows(sessions.get("labelled_by", ())),
        ],
    )
    if survey_publishes_comments(survey):
        add_csv(
            "comments.csv",
            ("source", "question", "language", "sentiment", "text"),
            open_comment_rows(session, survey, report),
        )
    add_csv("data_dictionary.csv", DICTIONARY_COLUMNS, dictionary_rows(survey, texts))
    described = {name: text for name, text in OPEN_DATA_FILES.items() if name in files}
    described["data_dictionary.json"] = OPEN_DATA_FILES["data_dictionary.json"]
    described["metadata.json"] = OPEN_DATA_FILES["metadata.json"]
    dictionary = data_dictionary(
        survey, texts, described, channel_names, report, results_page_address(survey.slug)
    )
    files["data_dictionary.json"] = _json_bytes(dictionary)
    files["metadata.json"] = _json_bytes(
        {
            "survey": survey.slug,
            "title": dict(texts.get("title", {})),
            "generated_at": data["generated_at"],
            "respondents": totals["respondents"],
            "min_cell": data["settings"]["min_cell"],
            "under_representation_below": data["settings"]["under_representation_below"],
            "over_representation_above": data["settings"]["over_representation_above"],
            "reference_groups": data["settings"]["reference_groups"],
            "comments_published": "comments.csv" in files,
            "privacy": (
                "Aggregate tables only. No names, contact details or record-level rows. Small "
                "numbers are withheld under the disclosure policy described here."
            ),
            "disclosure": disclosure_description(data["disclosure"]),
        }
    )
    return files


def results_page_address(slug: str) -> str:
    """Return the survey's public results page: on ENGAGE_BASE_URL or the request's address.

    A command run without either (``engage export``) gives the page's path.
    """
    if current_app.config.get("BASE_URL") or has_request_context():
        return site_url("respond.results", slug=slug)
    return current_app.url_map.bind("localhost").build("respond.results", {"slug": slug})


def survey_publishes_comments(survey: Survey) -> bool:
    """Return whether the survey's settings allow comments in open data (default: no)."""
    return (survey.settings or {}).get(OPEN_DATA_COMMENTS) is True


def open_comment_rows(session: Session, survey: Survey, report: Report) -> Iterator[list]:
    """Yield the comments open data may carry: quotable, from questions with enough comments.

    A respondent's comment needs the survey's quoting rule to allow it (every
    comment, or only respondents who said yes to the consent question); group
    feedback comes from ``quotable_feedback`` and is published without names.
    Nothing links a comment to the respondent's other answers.
    """
    from analysis.report import report_dict

    consent = QuoteConsent.from_settings(survey.settings or {})
    shown = {
        row["question"]
        for row in report_dict(report)["sentiment"]["by_question"]
        if row["n"] is not None
    }
    ids = {question.name: question.id for question in survey.questions}
    names = {question.id: question.name for question in survey.questions}
    comment_ids = [
        question.id
        for question in survey.questions
        if question_type(question.kind).analyses(question) and question.name in shown
    ]
    if consent.policy != "none" and comment_ids:
        label = func.coalesce(Answer.sentiment_override, Answer.sentiment_label)
        statement = (
            select(Answer.question_id, Response.language, label, Answer.text)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Response.survey_id == survey.id,
                Answer.question_id.in_(comment_ids),
                Answer.text.is_not(None),
                Answer.text != REMOVED_TEXT,
            )
            .order_by(Answer.question_id, Answer.id)
        )
        if consent.policy == "consent_question":
            consent_id = ids.get(consent.question)
            consenting = select(Answer.response_id).where(
                and_(Answer.question_id == consent_id, Answer.choice.in_(consent.choices))
            )
            statement = statement.where(Response.id.in_(consenting))
        for question_id, language, sentiment, text in session.exec(statement):
            yield ["response", names[question_id], language, sentiment, text]
    for row in feedback_rows(session, survey, speakers=False):
        yield ["group_session", row[4], row[6], row[7], row[9]]


def labelled_by_csv_rows(rows: Iterable[Mapping]) -> Iterator[list]:
    """Return group_sessions.csv's rows of who labelled the notes, as the report shows them.

    One row per ``person``, ``method`` or ``unscored`` in ``group``, for each question's
    notes (``question_or_dimension``, empty for notes tied to no question), in every
    language (``language`` empty) and in each language. The counts are the report's, so
    they are withheld and rounded exactly as the report withholds and rounds them.
    """
    for row in rows:
        language = row["group"] if row["dimension"] == "language" else None
        for source, count in row["counts"].items():
            yield ["labelled_by", row["question"], source, count, count is None, None, language]


def theme_csv_rows(themes: Mapping) -> Iterator[list]:
    """Yield themes.csv: each theme overall, then by group and by channel.

    A theme is named (staff's name, else its top three terms) and its comments'
    language given only where its count is shown: words of a theme too small to
    publish could point to its authors. The language comes last, added after the
    other columns, so files read by column position keep working.
    """
    names = {
        (theme["question"], theme["theme"]): (
            (None, None)
            if theme["suppressed"]
            else (theme["label"] or ", ".join(theme["terms"][:3]), theme["language"])
        )
        for theme in themes["themes"]
    }
    for theme in themes["themes"]:
        question, key = theme["question"], theme["theme"]
        name, language = names[(question, key)]
        yield [
            question,
            "question",
            None,
            key,
            name,
            theme["n"],
            theme["suppressed"],
            None,
            language,
        ]
    for table in ("by_group", "by_channel"):
        for row in themes[table]:
            for theme, count in row["counts"].items():
                name, language = names.get((row["question"], theme), (None, None))
                yield [
                    row["question"],
                    row["dimension"],
                    row["group"],
                    theme,
                    name,
                    count,
                    count is None,
                    row["shares"].get(theme),
                    language,
                ]


def _pair(values) -> list:
    return [values[0], values[1]] if values else [None, None]


def _json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def write_open_data(files: Mapping[str, bytes], directory: Path) -> None:
    """Write the bundle into ``directory`` whole: all new files appear together.

    Files are written to a temporary folder beside it first. Bundle files left
    from an earlier export that this one does not contain (``comments.csv``
    after comments stopped being published) are removed.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".engage-open-data-", dir=directory.parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        if not directory.exists():
            os.replace(staging, directory)
            return
        for name in files:
            os.replace(staging / name, directory / name)
        for name in OPEN_DATA_FILES:
            if name not in files:
                (directory / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def zip_bytes(files: Mapping[str, bytes], folder: str) -> bytes:
    """Return the files in a ZIP archive, inside ``folder``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return buffer.getvalue()

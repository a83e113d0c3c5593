"""Downloads: responses with provenance, report tables, open data and the one-file HTML report.

Every CSV and XLSX cell passes through ``neutralise``: text that a spreadsheet
would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading apostrophe, as OWASP advises against CSV
injection. Numbers stay numbers.

Privacy rules, whatever the format:

- Contact details (``response_contacts``) are never read here.
- Group feedback text comes only from ``surveys.intake.quotable_feedback``,
  which leaves out sessions whose participants asked not to be quoted.
- Report tables come from the suppressed report only, so no withheld count
  reaches a file.
- Open data holds no record-level rows at all: suppressed aggregate tables,
  a data dictionary, and free text only when the survey's settings publish
  comments (``open_data_comments``) and the quoting rule allows each one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import and_, func, select
from sqlmodel import Session

from surveys.aggregates import Filters, QuoteConsent
from surveys.definition import LONG_TEXT, PREFER_NOT_TO_ANSWER
from surveys.intake import paper_numbering, quotable_feedback
from surveys.models import (
    CHANNELS,
    RESPONSE_VERIFIED,
    Answer,
    Question,
    Response,
    Survey,
    User,
)
from surveys.questions import question_type
from surveys.store import choice_key, hint_key, label_key, load_texts

if TYPE_CHECKING:
    from analysis.report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Provenance columns of the responses export, before one column per question.
PROVENANCE_COLUMNS = (
    "response_id",
    "channel",
    "language",
    "collected_at_utc",
    "submitted_at_utc",
    "entered_by",
    "paper_id",
    "status",
    "verified",
    "flag_reason",
    "area",
    "place",
)
# Suffix of the column holding a comment's sentiment label (staff's override first).
SENTIMENT_SUFFIX = "__sentiment"
BATCH_SIZE = 1000

# No filter: every response of the survey.
ALL_RESPONSES = Filters()

# The survey setting that lets open data carry comments (default: it does not).
OPEN_DATA_COMMENTS = "open_data_comments"


# ---------------------------------------------------------------------------
# Cells, CSV and XLSX


def neutralise(value):
    """Return ``value`` safe for a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value) -> str | int | float:
    """Return a CSV cell: None empty, booleans true/false, times in ISO 8601 UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def xlsx_cell(value):
    """Return an XLSX cell value: text neutralised and stripped of characters XML forbids."""
    if isinstance(value, datetime):
        return _utc(value).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _utc(moment: datetime) -> datetime:
    """Return a timestamp in UTC; SQLite hands back naive UTC times."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iter_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """Yield a CSV file line by line (for streaming large exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(value) for value in header])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Return a whole CSV file as text."""
    return "".join(iter_csv(header, rows))


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (at most 31 characters), a header row and rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Return a workbook with one sheet per ``Sheet``, written row by row (low memory)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.append([xlsx_cell(value) for value in sheet.header])
        for row in sheet.rows:
            worksheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Responses with provenance


def response_conditions(survey_id: int, filters: Filters) -> list:
    """Return the WHERE conditions on responses for a survey and the dashboard's filters."""
    conditions = [Response.survey_id == survey_id]
    if filters.start:
        conditions.append(Response.collected_at >= datetime.combine(filters.start, clock.min, UTC))
    if filters.end:
        after = datetime.combine(filters.end + timedelta(days=1), clock.min, UTC)
        conditions.append(Response.collected_at < after)
    if filters.channels:
        conditions.append(Response.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(Response.language.in_(filters.languages))
    if filters.areas:
        conditions.append(Response.area.in_(filters.areas))
    return conditions


def answerable_questions(survey: Survey) -> list[Question]:
    """Return the questions that take an answer, in survey order."""
    return [q for q in survey.questions if question_type(q.kind).takes_answer]


def response_columns(survey: Survey) -> list[str]:
    """Return the header of the responses export: provenance, then one column per question."""
    columns = list(PROVENANCE_COLUMNS)
    for question in answerable_questions(survey):
        columns.append(question.name)
        if question.kind == LONG_TEXT:
            columns.append(question.name + SENTIMENT_SUFFIX)
    return columns


def response_rows(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES
) -> Iterator[list]:
    """Yield one row per response, oldest first, reading answers a batch at a time.

    Multiple choices are space-separated choice names, as KoboToolbox and ODK
    export them. Contact details are never read.
    """
    questions = answerable_questions(survey)
    by_id = {question.id: question for question in questions}
    people = {
        user_id: name or email
        for user_id, name, email in session.exec(select(User.id, User.name, User.email)).all()
    }
    conditions = response_conditions(survey.id, filters)
    last_id = 0
    while True:
        batch = session.scalars(
            select(Response)
            .where(*conditions, Response.id > last_id)
            .order_by(Response.id)
            .limit(BATCH_SIZE)
        ).all()
        if not batch:
            return
        last_id = batch[-1].id
        values: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        sentiments: dict[int, dict[str, str | None]] = defaultdict(dict)
        answers = session.scalars(
            select(Answer)
            .where(Answer.response_id.in_([response.id for response in batch]))
            .order_by(Answer.id)
        ).all()
        for answer in answers:
            question = by_id.get(answer.question_id)
            if question is None:
                continue
            values[answer.response_id][question.name].append(_answer_value(answer))
            if question.kind == LONG_TEXT:
                sentiments[answer.response_id][question.name] = (
                    answer.sentiment_override or answer.sentiment_label
                )
        for response in batch:
            row = [
                response.public_id,
                response.channel,
                response.language,
                response.collected_at,
                response.submitted_at,
                people.get(response.entered_by_id) if response.entered_by_id else None,
                response.paper_id,
                response.status,
                response.status == RESPONSE_VERIFIED,
                response.review_note,
                response.area,
                response.place,
            ]
            answered = values.get(response.id, {})
            for question in questions:
                given = answered.get(question.name, [])
                if not given:
                    row.append(None)
                elif len(given) == 1:
                    row.append(given[0])
                else:
                    row.append(" ".join(str(value) for value in given))
                if question.kind == LONG_TEXT:
                    row.append(sentiments.get(response.id, {}).get(question.name))
            yield row


def _answer_value(answer: Answer):
    """Return the exported value of one answer row: choice name, number or text."""
    if answer.choice is not None:
        return answer.choice
    if answer.number is not None:
        return int(answer.number) if float(answer.number).is_integer() else answer.number
    return answer.text


def responses_csv(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES
) -> Iterator[str]:
    """Yield the responses export as CSV, with a byte-order mark so Excel reads UTF-8."""
    yield "\ufeff"
    yield from iter_csv(response_columns(survey), response_rows(session, survey, filters))


def responses_xlsx(session: Session, survey: Survey, filters: Filters = ALL_RESPONSES) -> bytes:
    """Return the responses export as a workbook: responses, group feedback, questions."""
    texts = load_texts(session, survey.id)
    return xlsx_bytes(
        [
            Sheet("responses", response_columns(survey), response_rows(session, survey, filters)),
            Sheet("group_feedback", FEEDBACK_COLUMNS, feedback_rows(session, survey, filters)),
            Sheet("questions", DICTIONARY_COLUMNS, dictionary_rows(survey, texts)),
        ]
    )


FEEDBACK_COLUMNS = (
    "session",
    "session_kind",
    "held_on",
    "kind",
    "question",
    "theme",
    "language",
    "sentiment",
    "speaker",
    "text",
)


def feedback_rows(
    session: Session, survey: Survey, filters: Filters = ALL_RESPONSES, *, speakers: bool = True
) -> Iterator[list]:
    """Yield the group feedback that may be quoted (never a ``no_quote`` session's)."""
    if filters.channels and "group" not in filters.channels:
        return
    names = {question.id: question.name for question in survey.questions}
    for item in quotable_feedback(session, survey.id):
        if filters.start and item.held_on < filters.start:
            continue
        if filters.end and item.held_on > filters.end:
            continue
        if filters.languages and item.language not in filters.languages:
            continue
        yield [
            item.session_public_id,
            item.session_kind,
            item.held_on,
            item.kind,
            names.get(item.question_id),
            item.theme,
            item.language,
            item.sentiment_label,
            item.speaker if speakers else None,
            item.text,
        ]


# ---------------------------------------------------------------------------
# Report tables


def report_tables(report: Report) -> dict[str, tuple[list[str], list[list]]]:
    """Return the report's flat rows split by table: {table: (columns, rows)}.

    Each table keeps only the columns it fills, in the order of the report CSV.
    """
    from analysis.report_formats import CSV_COLUMNS, csv_rows

    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in csv_rows(report):
        grouped[row["table"]].append(row)
    tables = {}
    for name, rows in grouped.items():
        columns = [
            column
            for column in CSV_COLUMNS
            if column != "table" and any(row.get(column) not in (None, "") for row in rows)
        ]
        tables[name] = (columns, [[row.get(column) for column in columns] for row in rows])
    return tables


def report_xlsx(report: Report) -> bytes:
    """Return the report tables as a workbook, one sheet per table."""
    return xlsx_bytes(
        Sheet(name, columns, rows) for name, (columns, rows) in report_tables(report).items()
    )


# ---------------------------------------------------------------------------
# Data dictionary


DICTIONARY_COLUMNS = (
    "item",
    "question",
    "number",
    "kind",
    "dimension",
    "choice",
    "code",
    "language",
    "text",
)


def survey_languages(survey: Survey, texts: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Return the survey's languages, default first, plus any a text is written in."""
    found = [survey.default_language, *survey.languages]
    for by_language in texts.values():
        found.extend(by_language)
    return list(dict.fromkeys(found))


def dictionary_rows(survey: Survey, texts: Mapping[str, Mapping[str, str]]) -> Iterator[list]:
    """Yield the dictionary of questions and codes: every text in every language.

    Numbers and option codes are the paper form's (``surveys.intake.paper_numbering``),
    so a printed form, keyed entries and open data all agree.
    """
    languages = survey_languages(survey, texts)
    for item in paper_numbering(survey.questions):
        if item.number is None:
            continue
        question = item.question
        for language in languages:
            for key, kind in (
                (label_key(question.name), "question"),
                (hint_key(question.name), "hint"),
            ):
                text = texts.get(key, {}).get(language)
                if text:
                    yield [
                        kind,
                        question.name,
                        item.number,
                        question.kind,
                        question.dimension,
                        None,
                        None,
                        language,
                        text,
                    ]
        for option in item.options:
            for language in languages:
                text = texts.get(choice_key(question.name, option.name), {}).get(language)
                if option.name == PREFER_NOT_TO_ANSWER and not text:
                    text = "Prefer not to answer" if language == languages[0] else None
                if text or language == languages[0]:
                    yield [
                        "choice",
                        question.name,
                        item.number,
                        question.kind,
                        question.dimension,
                        option.name,
                        option.code,
                        language,
                        text,
                    ]


def data_dictionary(
    survey: Survey,
    texts: Mapping[str, Mapping[str, str]],
    files: Mapping[str, str],
    channel_names: Mapping[str, str],
    report: Report,
) -> dict:
    """Return the data dictionary as JSON values: survey, files, questions, channels, codes."""
    from analysis.report import report_dict

    languages = survey_languages(survey, texts)
    settings = report_dict(report)["settings"]
    questions = []
    for item in paper_numbering(survey.questions):
        if item.number is None:
            continue
        question = item.question
        questions.append(
            {
                "name": question.name,
                "number": item.number,
                "kind": question.kind,
                "dimension": question.dimension,
                "text": dict(texts.get(label_key(question.name), {})),
                "hint": dict(texts.get(hint_key(question.name), {})),
                "choices": [
                    {
                        "name": option.name,
                        "code": option.code,
                        "text": dict(texts.get(choice_key(question.name, option.name), {})),
                    }
                    for option in item.options
                ],
            }
        )
    return {
        "survey": {
            "slug": survey.slug,
            "title": dict(texts.get("title", {})),
            "default_language": survey.default_language,
            "languages": languages,
        },
        "files": [{"name": name, "description": text} for name, text in files.items()],
        "questions": questions,
        "channels": [
            {"name": name, "text": str(channel_names.get(name, name))} for name in CHANNELS
        ],
        "codes": {
            PREFER_NOT_TO_ANSWER: "The respondent chose not to answer.",
            "no_answer": "The respondent left the question unanswered (or did not see it).",
            "suppressed": (
                "true when a count is withheld: counts from 1 to min_cell - 1 are withheld, "
                "and further counts where they could reveal them. Withheld counts are empty."
            ),
        },
        "min_cell": settings["min_cell"],
        "under_representation_below": settings["under_representation_below"],
        "over_representation_above": settings["over_representation_above"],
        "confidence_level": settings["confidence_level"],
        "reference_groups": settings["reference_groups"],
        "scored_languages": settings["scored_languages"],
    }


# ---------------------------------------------------------------------------
# Open data


OPEN_DATA_FILES = {
    "responses_by_channel.csv": "Responses by channel (web, paper, phone, in person).",
    "responses_by_language.csv": "Responses by the language the survey was answered in.",
    "responses_by_day.csv": "Responses by day collected (UTC).",
    "representation.csv": (
        "Respondents per group of each equity dimension against the population: share, "
        "95% Wilson interval, population share, disproportionality index and flag."
    ),
    "answers.csv": "How all respondents answered each closed question.",
    "outcomes.csv": (
        "Favourable rate and mean per group of each dimension, with 95% interval, disparity "
        "index and rate difference against the reference group, and the test used."
    ),
    "outcome_distributions.csv": "Answers to each closed question per group of each dimension.",
    "sentiment.csv": "Comment sentiment by question, channel, language and group.",
    "group_sessions.csv": (
        "Group sessions (elder circles, focus groups, community meetings), their own source: "
        "tallies, participants' demographics and feedback sentiment. Never added to responses."
    ),
    "comments.csv": (
        "Comments the survey's settings publish, from respondents whose answers allow quoting "
        "and group sessions that allowed quotes. No names."
    ),
    "data_dictionary.csv": "Question and choice texts in every language, with codes.",
    "data_dictionary.json": "The same dictionary, files, channels and codes as JSON.",
    "metadata.json": "Survey, date generated, minimum cell size and thresholds.",
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
            ]
            for table in data["representation"]
            for row in table["rows"]
        ),
    )
    codes = {
        item.question.name: {option.name: option.code for option in item.options}
        for item in paper_numbering(survey.questions)
    }
    seen_overall: set[str] = set()
    answer_rows, outcome_rows, distribution_rows = [], [], []
    for table in data["outcomes"]:
        question = table["question"]
        if question not in seen_overall:
            seen_overall.add(question)
            for choice in table["overall"]["distribution"]:
                answer_rows.append(
                    [
                        question,
                        choice["choice"],
                        codes.get(question, {}).get(choice["choice"]),
                        choice["label"],
                        choice["n"],
                        choice["suppressed"],
                        choice["share"],
                    ]
                )
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
    add_csv(
        "answers.csv",
        ("question", "choice", "code", "choice_label", "respondents", "suppressed", "share"),
        answer_rows,
    )
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
    sessions = data["group_sessions"]
    add_csv(
        "group_sessions.csv",
        ("table", "question_or_dimension", "group", "count", "suppressed", "share"),
        [
            ["sessions", None, None, sessions["sessions"], False, None],
            [
                "participants",
                None,
                None,
                sessions["participants"],
                sessions["participants_suppressed"],
                None,
            ],
            *(
                [table, row["dimension"], row["group"], row["n"], row["suppressed"], row["share"]]
                for table in ("tallies", "demographics", "sentiment")
                for row in sessions[table]
            ),
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
    dictionary = data_dictionary(survey, texts, described, channel_names, report)
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
                "Aggregate tables only. Counts from 1 to min_cell - 1 are suppressed, with "
                "complementary suppression. No names, contact details or record-level rows."
            ),
        }
    )
    return files


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
        if question.kind == LONG_TEXT and question.name in shown
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


def write_file(content: bytes, target: Path) -> None:
    """Write a file whole: a temporary file beside it, then renamed over it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".engage-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def zip_bytes(files: Mapping[str, bytes], folder: str) -> bytes:
    """Return the files in a ZIP archive, inside ``folder``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# The one-file HTML report


STATIC = Path(__file__).parent / "static"


def plotly_path() -> Path:
    """Return the plotly.js bundle shipped inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@cache
def plotly_version() -> str:
    """Return the version of the bundled plotly.js (read from its banner)."""
    with plotly_path().open(encoding="utf-8") as handle:
        head = handle.read(200)
    marker = "plotly.js v"
    start = head.find(marker)
    if start < 0:
        return "unknown"
    return head[start + len(marker) :].split()[0]


def inline_assets() -> dict[str, str]:
    """Return what a one-file report inlines: the style sheets and the scripts.

    ``</script`` inside a script would end it early, so it is escaped.
    """

    def script(path: Path) -> str:
        return path.read_text(encoding="utf-8").replace("</script", "<\\/script")

    return {
        "css": (STATIC / "engage.css").read_text(encoding="utf-8")
        + "\n"
        + (STATIC / "reports.css").read_text(encoding="utf-8"),
        "plotly_js": script(plotly_path()),
        "reports_js": script(STATIC / "reports.js"),
    }

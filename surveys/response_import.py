"""Import responses from a KoboToolbox or ODK CSV export: every row, or none.

Every row is validated first, as a resident's answers are; when any row has a
problem nothing is written and every problem is reported with its line (the
header is line 1). Rows imported before (same idempotency key, see
``surveys.csv_rows.row_keys``) are skipped, so a file can be imported twice safely.
Problems are ``N_`` messages the web layer translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from surveys.csv_rows import (
    CHANNEL_COLUMN,
    COLLECTED_AT_COLUMN,
    LANGUAGE_COLUMN,
    PAPER_ID_COLUMN,
    PLACE_COLUMN,
    CsvFormatError,
    plan_columns,
    raw_answers,
    read_csv,
    row_keys,
)
from surveys.intake import normalize_paper_id, paper_numbering, parse_collected_at, today
from surveys.languages import is_valid_tag, normalize_tag
from surveys.messages import N_
from surveys.models import CHANNEL_PAPER, Response, Survey
from surveys.questions import AnswerError
from surveys.recording import IMPORT_CHANNELS, Provenance, record_response
from surveys.responses import validate_submission


@dataclass(frozen=True)
class Message:
    """An ``N_`` message, its ``%(name)s`` values (a value may be a Message) and a fixed prefix."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""


@dataclass(frozen=True)
class ImportProblem:
    """A problem of one row (``line``), or of the whole file (``line`` None)."""

    line: int | None
    message: Message


class RejectedImportError(Exception):
    """The file was refused; ``problems`` says why, in line order. Nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the import")


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    imported: int
    already_imported: int
    ignored_columns: tuple[str, ...]


def whole_file(message: str, **params: Any) -> RejectedImportError:
    """Return the refusal of a file for one reason that is no row's."""
    return RejectedImportError([ImportProblem(None, Message(message, params))])


def import_responses(
    session: Session,
    survey: Survey,
    text: str,
    *,
    channel: str = CHANNEL_PAPER,
    entered_by_id: int | None = None,
    cutoffs: SentimentCutoffs,
) -> ImportResult:
    """Validate every row of a Kobo/ODK CSV export, then store them all in one commit.

    Raises ``RejectedImportError`` listing every bad row when any row is
    invalid; nothing is written then.
    """
    try:
        table = read_csv(text)
    except CsvFormatError as error:
        raise whole_file(error.message, **error.params) from None
    questions = list(survey.questions)
    plan = plan_columns(table.headers, questions)
    if not plan.questions:
        raise whole_file(
            N_("No column is named after a question of survey %(slug)s."), slug=survey.slug
        )
    by_name = {question.name: question for question in questions}
    numbers = {item.name: item.number for item in paper_numbering(questions)}
    keys = row_keys(table.rows, plan)
    problems: list[tuple[int, Message]] = []
    prepared: list[tuple[str, dict, Provenance]] = []
    paper_lines: dict[str, int] = {}
    for row, key in zip(table.rows, keys, strict=True):
        provenance, row_problems = import_provenance(survey, row.cells, key, channel, paper_lines)
        provenance = Provenance(**{**provenance.__dict__, "entered_by_id": entered_by_id})
        if provenance.paper_id and provenance.paper_id not in paper_lines:
            paper_lines[provenance.paper_id] = row.line
        validated = validate_submission(questions, raw_answers(row, plan, by_name))
        row_problems += [question_problem(numbers, error) for error in validated.errors]
        if row.extra_cells:
            row_problems.append(
                Message(
                    N_("the row has %(count)s more cells than the header has columns."),
                    {"count": row.extra_cells},
                )
            )
        problems += [(row.line, problem) for problem in row_problems]
        prepared.append((key, validated.answers, provenance))
    key_by_line = {row.line: key for row, key in zip(table.rows, keys, strict=True)}
    existing_keys = set()
    for chunk in chunks(keys):
        existing_keys |= set(
            session.exec(
                select(Response.idempotency_key).where(
                    Response.survey_id == survey.id, Response.idempotency_key.in_(chunk)
                )
            ).all()
        )
    for chunk in chunks(list(paper_lines)):
        for holder in session.exec(
            select(Response).where(Response.survey_id == survey.id, Response.paper_id.in_(chunk))
        ):
            line = paper_lines[holder.paper_id]
            if holder.idempotency_key != key_by_line[line]:
                problems.append(
                    (
                        line,
                        Message(
                            N_("_paper_id %(paper_id)s was already entered as entry %(entry)s."),
                            {"paper_id": holder.paper_id, "entry": holder.public_id},
                        ),
                    )
                )
    if problems:
        raise RejectedImportError(
            [
                ImportProblem(line, problem)
                for line, problem in sorted(problems, key=lambda item: item[0])
            ]
        )
    imported = 0
    for key, answers, provenance in prepared:
        if key in existing_keys:
            continue
        _response, created = record_response(
            session, survey, answers, provenance, cutoffs=cutoffs, commit=False
        )
        if not created:
            # Only a concurrent import can get here; record_response rolled back.
            session.rollback()
            raise whole_file(
                N_(
                    "Another import of the same rows ran at the same time; nothing was "
                    "imported. Run the import again."
                )
            )
        imported += 1
    session.commit()
    return ImportResult(imported, len(prepared) - imported, plan.ignored)


def chunks(values: list[str], size: int = 500) -> list[list[str]]:
    """Split values for ``IN`` queries of a bounded size."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def question_problem(numbers: Mapping[str, int | None], error: Any) -> Message:
    """Describe an answer error of an imported row, naming the question's number and name."""
    return Message(
        N_("question %(number)s (%(name)s): %(message)s"),
        {
            "number": numbers.get(error.question, "?"),
            "name": error.question,
            "message": Message(error.message, error.params),
        },
    )


def import_provenance(
    survey: Survey, cells: Mapping[str, str], key: str, channel: str, paper_lines: Mapping[str, int]
) -> tuple[Provenance, list[Message]]:
    """Read a row's ``_channel``, ``_language``, ``_collected_at``, ``_paper_id`` and ``_place``."""
    problems: list[Message] = []
    row_channel = cells.get(CHANNEL_COLUMN, "").strip() or channel
    if row_channel not in IMPORT_CHANNELS:
        problems.append(
            Message(
                N_("_channel “%(value)s” is not one of %(allowed)s."),
                {"value": row_channel, "allowed": ", ".join(IMPORT_CHANNELS)},
            )
        )
    languages = {normalize_tag(tag): tag for tag in survey.languages}
    language = survey.default_language
    language_cell = cells.get(LANGUAGE_COLUMN, "").strip()
    if language_cell:
        found = languages.get(normalize_tag(language_cell)) if is_valid_tag(language_cell) else None
        if found is None:
            problems.append(
                Message(
                    N_("_language “%(value)s” is not a language of this survey (%(allowed)s)."),
                    {"value": language_cell, "allowed": ", ".join(survey.languages)},
                )
            )
        else:
            language = found
    collected_at = None
    collected_cell = cells.get(COLLECTED_AT_COLUMN, "").strip()
    if collected_cell:
        try:
            collected_at = parse_collected_at(collected_cell)
        except AnswerError as error:
            problems.append(Message(error.message, error.params, prefix="_collected_at: "))
        else:
            if collected_at.date() > today():
                problems.append(Message(N_("_collected_at: the date cannot be in the future.")))
    paper_id = normalize_paper_id(cells.get(PAPER_ID_COLUMN, ""))
    if paper_id and len(paper_id) > 100:
        problems.append(Message(N_("_paper_id: write 100 characters at most.")))
    elif paper_id in paper_lines:
        problems.append(
            Message(
                N_("_paper_id %(paper_id)s is also on line %(line)s."),
                {"paper_id": paper_id, "line": paper_lines[paper_id]},
            )
        )
    place = cells.get(PLACE_COLUMN, "").strip() or None
    if place and len(place) > 200:
        problems.append(Message(N_("_place: write 200 characters at most.")))
    provenance = Provenance(
        channel=row_channel,
        language=language,
        idempotency_key=key,
        collected_at=collected_at,
        paper_id=paper_id,
        place=place,
    )
    return provenance, problems

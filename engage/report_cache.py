"""Built reports kept for a while, so that a large survey's dashboard opens in a moment.

A report on 200,000 responses takes tens of seconds of GROUP BY queries (see
``docs/benchmarks.md``); staff open the dashboard, change a filter, come back.
Each built report is kept in the instance folder (shared by every worker
process of the app) under a key naming the survey, the filters, the view and
the settings. It is used again

- as long as nothing it was built from has changed (the *fingerprint*: the
  survey's responses, corrections and overrides in the audit trail, group
  sessions, population benchmarks and settings), or
- for ``REPORT_CACHE_SECONDS`` (default 10 minutes) even if something has, so
  that a survey still collecting responses is not rebuilt for each one. The
  page then says how old its figures are and offers to refresh them.

A staff override of a sentiment label drops the survey's kept reports, so the
next page shows it. Kept reports hold only what the report shows (suppressed
figures), like any download.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlmodel import Session

from surveys.models import AuditEvent, GroupSession, PopulationBenchmark, Response, Survey

DEFAULT_MAX_AGE = 600
FOLDER = "report-cache"


@dataclass(frozen=True)
class KeptReport:
    """A report and when it was built; ``stale`` when its data has changed since."""

    report: object
    built_at: float
    stale: bool


def fingerprint(session: Session, survey: Survey) -> list:
    """Return what a report on ``survey`` depends on, in a few cheap indexed queries."""
    responses = session.execute(
        select(func.count(), func.max(Response.id), func.max(Response.updated_at)).where(
            Response.survey_id == survey.id
        )
    ).one()
    audit = session.execute(
        select(func.max(AuditEvent.id)).where(AuditEvent.survey_id == survey.id)
    ).scalar()
    sessions = session.execute(
        select(func.count(), func.max(GroupSession.id)).where(GroupSession.survey_id == survey.id)
    ).one()
    benchmarks = session.execute(
        select(func.count(), func.max(PopulationBenchmark.imported_at))
    ).one()
    return json.loads(
        json.dumps(
            [
                list(responses),
                audit,
                list(sessions),
                list(benchmarks),
                survey.settings or {},
                survey.updated_at,
            ],
            default=str,
        )
    )


def folder() -> Path:
    """Return the instance folder's report cache."""
    return Path(current_app.instance_path) / FOLDER


def cache_key(survey: Survey, parts: dict) -> str:
    """Return the file name for a survey's report built with ``parts`` (filters, view)."""
    settings = {
        name: current_app.config.get(name)
        for name in (
            "MIN_CELL",
            "UNDER_REPRESENTATION_BELOW",
            "OVER_REPRESENTATION_ABOVE",
            "SENTIMENT_NEGATIVE_BELOW",
            "SENTIMENT_POSITIVE_ABOVE",
        )
    }
    text = json.dumps(
        {"parts": parts, "settings": settings, "code": report_code_version()},
        sort_keys=True,
        default=str,
    )
    return f"{survey.id}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.pickle"


@cache
def report_code_version() -> str:
    """Return a digest of the report builder's code: a new version never reads old reports."""
    import analysis.report

    return hashlib.sha256(Path(analysis.report.__file__).read_bytes()).hexdigest()[:16]


def kept_report(
    session: Session,
    survey: Survey,
    parts: dict,
    build: Callable[[], object],
    *,
    refresh: bool = False,
) -> KeptReport:
    """Return the kept report for ``parts``, building (and keeping) it when needed."""
    max_age = float(current_app.config.get("REPORT_CACHE_SECONDS", DEFAULT_MAX_AGE))
    path = folder() / cache_key(survey, parts)
    current = fingerprint(session, survey)
    if not refresh and max_age > 0:
        kept = _read(path)
        if kept is not None:
            if kept["fingerprint"] == current:
                return KeptReport(kept["report"], kept["built_at"], stale=False)
            if time.time() - kept["built_at"] < max_age:
                return KeptReport(kept["report"], kept["built_at"], stale=True)
    report = build()
    built_at = time.time()
    if max_age > 0:
        _write(path, {"fingerprint": current, "built_at": built_at, "report": report})
    return KeptReport(report, built_at, stale=False)


def forget_survey(survey_id: int) -> None:
    """Drop every kept report of a survey (after a change its pages must show at once)."""
    for path in folder().glob(f"{survey_id}-*.pickle"):
        path.unlink(missing_ok=True)


def _read(path: Path) -> dict | None:
    """Return a kept entry, or None when there is none or it cannot be read."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        # Missing, half-written by a crash, or written by another version of Engage.
        return None


def _write(path: Path, entry: dict) -> None:
    """Keep an entry whole: written beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".report-")
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(entry, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Built reports kept for a while, so that a large survey's dashboard opens in a moment.

A report on 200,000 responses takes tens of seconds of GROUP BY queries (see
``docs/benchmarks.md``); staff open the dashboard, change a filter, come back.
Each built report is kept in the database (table ``stored_reports``), so every
worker process and every app server behind a load balancer sees the same ones,
under a key naming the survey, the filters, the view, the settings and the code
that built it (the Engage version and a digest of the reporting packages). It is
used again

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
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from surveys.models import (
    AuditEvent,
    GroupSession,
    PopulationBenchmark,
    Response,
    StoredReport,
    Survey,
)

DEFAULT_MAX_AGE = 600


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


def cache_key(survey: Survey, parts: dict) -> str:
    """Return the key of a survey's report built with ``parts`` (filters, view)."""
    settings = {
        name: current_app.config.get(name)
        for name in (
            "MIN_CELL",
            "UNDER_REPRESENTATION_BELOW",
            "OVER_REPRESENTATION_ABOVE",
            "SENTIMENT_NEGATIVE_BELOW",
            "SENTIMENT_POSITIVE_ABOVE",
            "SENTIMENT_LANGUAGES",
        )
    }
    text = json.dumps(
        {"parts": parts, "settings": settings, "code": report_code_version()},
        sort_keys=True,
        default=str,
    )
    return f"{survey.id}-{hashlib.sha256(text.encode()).hexdigest()[:48]}"


@cache
def report_code_version() -> str:
    """Return the Engage version and a digest of the code a report is built by.

    A fix anywhere in the reporting path (counting, suppression, statistics, the
    report's sections) gives new keys, so no report built by older code is read.
    """
    import analysis
    import surveys

    digest = hashlib.sha256(engage_version().encode())
    for package in (analysis, surveys):
        folder = Path(package.__file__).parent
        # Code, and data files the reports read (the demographic bank's texts).
        for path in sorted([*folder.rglob("*.py"), *folder.rglob("*.json")]):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def engage_version() -> str:
    """Return the installed Engage version ("unknown" in a checkout that was never installed)."""
    try:
        return version("engage")
    except PackageNotFoundError:
        return "unknown"


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
    key = cache_key(survey, parts)
    current = json.dumps(fingerprint(session, survey), sort_keys=True)
    engine = session.get_bind()
    if not refresh and max_age > 0:
        kept = _read(engine, key)
        if kept is not None:
            report, kept_fingerprint, built_at = kept
            if kept_fingerprint == current:
                return KeptReport(report, built_at, stale=False)
            if time.time() - built_at < max_age:
                return KeptReport(report, built_at, stale=True)
    report = build()
    built_at = time.time()
    if max_age > 0:
        _write(engine, key, survey.id, current, built_at, report)
    return KeptReport(report, built_at, stale=False)


def forget_survey(session: Session, survey_id: int) -> None:
    """Drop every kept report of a survey (after a change its pages must show at once)."""
    with Session(session.get_bind()) as own:
        own.execute(delete(StoredReport).where(StoredReport.survey_id == survey_id))
        own.commit()


def forget_all(session: Session) -> None:
    """Drop every kept report (after a change of the benchmarks all surveys share)."""
    with Session(session.get_bind()) as own:
        own.execute(delete(StoredReport))
        own.commit()


def _read(engine, key: str) -> tuple[object, str, float] | None:
    """Return a kept (report, fingerprint, built_at), or None when none can be read."""
    with Session(engine) as own:
        stored = own.get(StoredReport, key)
        if stored is None:
            return None
        try:
            return pickle.loads(stored.payload), stored.fingerprint, stored.built_at
        except (EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # written by code that no longer exists


def _write(engine, key: str, survey_id: int, fingerprint_: str, built_at: float, report) -> None:
    """Keep a built report, replacing an older one under the same key, in one short write."""
    payload = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    with Session(engine) as own:
        own.execute(delete(StoredReport).where(StoredReport.key == key))
        own.add(
            StoredReport(
                key=key,
                survey_id=survey_id,
                fingerprint=fingerprint_,
                built_at=built_at,
                payload=payload,
            )
        )
        try:
            own.commit()
        except IntegrityError:  # another process kept the same report meanwhile
            own.rollback()

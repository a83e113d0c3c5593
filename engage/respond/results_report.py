"""What a survey's public results page shows, taken from the survey's report and kept.

The page's figures come from the report every other output is built from
(``engage.survey_reports.survey_report``: the kept counts, the survey's disclosure
policy and random rounding, its quoting rule), as open data's do, so the page never
shows what the open-data files withhold. Only the parts the page shows are kept
(``PublicResults``, a few kilobytes): respondents and channels, group sessions,
representation, the overall answers of the questions staff chose, and quotable
comments when staff chose to show them, without speakers' names.

They are kept in the database like the dashboard's reports (``engage.report_cache``),
one per language of the survey's texts, so that a busy results page reads them
rather than counting; a withdrawal or a change of the survey's settings drops them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from engage import db, report_cache
from engage.charts.dashboard import report_values
from surveys.models import Survey
from surveys.publication import headline_questions, shows_quotes

# Quotes shown at most, of each sentiment and from group sessions.
QUOTES_SHOWN = 3


@dataclass(frozen=True)
class PublicResults:
    """The parts of a survey's report its public results page shows (plain values)."""

    generated_at: str
    language: str
    respondents: int | None
    by_channel: tuple[dict, ...]
    group_sessions: dict
    representation: tuple[dict, ...]
    headlines: tuple[dict, ...]
    quotes: tuple[dict, ...]
    disclosure: dict | None
    settings: dict


def public_results(survey: Survey, language: str) -> report_cache.KeptReport:
    """Return the kept public results of ``survey`` with labels in ``language``."""
    from engage.survey_reports import survey_report

    session = db.get_session()

    def build() -> PublicResults:
        report = survey_report(
            session,
            survey,
            current_app.config,
            language=language,
            intersections=False,
            generated_at=datetime.now().astimezone(),
        )
        return results_of(report_values(report), survey)

    # The survey's settings are part of the key: a change of its disclosure policy, quoting
    # rule or chosen questions is never answered with results kept from before.
    parts = {
        "kind": "public-results",
        "version": 1,
        "language": language,
        "settings": survey.settings or {},
    }
    return report_cache.kept_report(session, survey, parts, build)


def results_of(report: dict, survey: Survey) -> PublicResults:
    """Return what the results page shows of a report (as ``report_values`` gives it)."""
    chosen = headline_questions(survey)
    # Every closed question's answers over all respondents, with equity dimensions or none.
    overall = {
        table["question"]: {
            "question": table["question"],
            "label": table["label"],
            "kind": table["kind"],
            "multi_select": table["multi_select"],
            "overall": table["overall"],
        }
        for table in report["answers"]
        if table["question"] in chosen
    }
    quotes: list[dict] = []
    if shows_quotes(survey):
        sentiment = report["sentiment"]
        for quote in (
            *sentiment["most_positive"][:QUOTES_SHOWN],
            *sentiment["most_negative"][:QUOTES_SHOWN],
            *report["group_sessions"]["quotes"][:QUOTES_SHOWN],
        ):
            quotes.append(
                {
                    "text": quote["text"],
                    "language": quote["language"],
                    "sentiment": quote["sentiment"],
                    "source": quote["source"],
                }
            )
    sessions = report["group_sessions"]
    return PublicResults(
        generated_at=report["generated_at"],
        language=report["survey"]["language"],
        respondents=report["totals"]["respondents"],
        by_channel=tuple(report["totals"]["by_channel"]),
        group_sessions={
            "sessions": sessions["sessions"],
            "participants": sessions["participants"],
            "participants_suppressed": sessions["participants_suppressed"],
        },
        representation=tuple(report["representation"]),
        headlines=tuple(overall[name] for name in chosen if name in overall),
        quotes=tuple(quotes),
        disclosure=report["disclosure"],
        settings={
            key: report["settings"][key]
            for key in ("min_cell", "under_representation_below", "over_representation_above")
        },
    )

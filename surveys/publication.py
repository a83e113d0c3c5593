"""What a survey shows residents after they answer: its results page's settings.

Kept in ``Survey.settings`` (set on the builder's results page, audited like every
settings change):

- ``results_published`` (default false): ``/s/<slug>/results`` and its Atom feed
  exist only once staff publish them;
- ``results_questions``: the closed questions whose answers the page shows, in the
  survey's order (their overall answers, under the survey's disclosure policy);
- ``results_quotes`` (default false): the page also shows the comments the report may
  quote (the survey's quoting rule and consent, ``surveys.report_records.QuoteConsent``).
"""

from __future__ import annotations

from surveys.models import Survey
from surveys.questions import question_type

RESULTS_PUBLISHED = "results_published"
RESULTS_QUESTIONS = "results_questions"
RESULTS_QUOTES = "results_quotes"


def results_published(survey: Survey) -> bool:
    """Return whether the survey's results page is published."""
    return (survey.settings or {}).get(RESULTS_PUBLISHED) is True


def shows_quotes(survey: Survey) -> bool:
    """Return whether staff chose to show quotable comments on the results page."""
    return (survey.settings or {}).get(RESULTS_QUOTES) is True


def headline_candidates(survey: Survey) -> list[str]:
    """Return the questions whose answers a results page can show: closed, not dimensions.

    They are the questions every report breaks down (``analysis.report``): equity
    dimensions are shown as representation instead, comments only as quotes.
    """
    return [
        question.name
        for question in survey.questions
        if question_type(question.kind).is_closed and not question.dimension
    ]


def headline_questions(survey: Survey) -> list[str]:
    """Return the questions staff chose for the results page that can still be shown."""
    chosen = set((survey.settings or {}).get(RESULTS_QUESTIONS) or ())
    return [name for name in headline_candidates(survey) if name in chosen]

"""How all respondents answered each closed question: one table per question, every survey.

Outcome tables break a question down by an equity dimension, so a survey without
one (a quick "rate the new bus route" survey, an XLSForm imported without the
demographic bank) has none; this section gives every closed question its answers
over all respondents whatever the dimensions. It reads the question's
``("distribution", question)`` margin, suppressed with the report's other tables
(``analysis.report.tables``), and its figures are those of an outcome table's
overall row (``analysis.report.outcomes.overall_row``): counts per choice, with
"prefer not to answer" and no answer as their own columns and left out of the
shares, the favourable rate with its Wilson interval, and the mean.
"""

from __future__ import annotations

from analysis.report.outcomes import overall_row
from analysis.report.shapes import QuestionAnswers
from analysis.report.tables import ReportTables


def answers(tables: ReportTables, name: str) -> QuestionAnswers:
    """Return how all respondents answered closed question ``name``."""
    question = tables.data.questions[name]
    return QuestionAnswers(
        question=name,
        label=tables.label(f"q.{name}.label"),
        kind=question.kind,
        multi_select=question.multi_select,
        favourable=tuple(c for c in question.choices if c in question.favourable),
        overall=overall_row(tables, question),
    )

"""The dashboard of one report: the reader's view and every section's figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from engage.charts.answers import all_respondents_figure
from engage.charts.differences import differences_table
from engage.charts.figures import Figure, Table
from engage.charts.group_sessions import group_session_tables
from engage.charts.intersections import intersection_figure
from engage.charts.outcomes import outcome_figure
from engage.charts.quotes import quotes_table
from engage.charts.representation import representation_figure
from engage.charts.sentiment import sentiment_figures
from engage.charts.themes import theme_tables
from engage.charts.totals import counts_figure, largest_summary, totals_figures
from engage.charts.weighted import combined_tables, weighted_table


@dataclass(frozen=True)
class View:
    """What the reader chose to look at (all of it in the query string)."""

    question: str | None = None
    dimension: str | None = None
    by: str | None = None
    comments_question: str | None = None


@dataclass
class Dashboard:
    """Everything the dashboard template shows, built from one report."""

    report: dict
    min_cell: int
    respondents: int | None
    totals: list[Figure] = field(default_factory=list)
    representation: list[Figure] = field(default_factory=list)
    representation_notes: dict[str, str] = field(default_factory=dict)
    differences: Table | None = None
    # Each closed question over all respondents, when no dimension breaks answers down.
    answers: list[Figure] = field(default_factory=list)
    outcomes: list[Figure] = field(default_factory=list)
    sentiment: list[Figure] = field(default_factory=list)
    themes: list[Table] = field(default_factory=list)
    intersection: Figure | None = None
    # Only in a complete report: every other pair of dimensions, weighting, the combined view.
    other_intersections: list[Figure] = field(default_factory=list)
    weighted: Table | None = None
    combined_note: str | None = None
    combined: list[Table] = field(default_factory=list)
    group_sessions: list[Table] = field(default_factory=list)
    quotes: Table | None = None
    dimensions: list[tuple[str, str]] = field(default_factory=list)
    questions: list[tuple[str, str]] = field(default_factory=list)
    comment_questions: list[tuple[str, str]] = field(default_factory=list)
    view: View = field(default_factory=View)
    notices: list[str] = field(default_factory=list)


def report_values(value):
    """Return a report (frozen dataclasses) as plain dicts and lists, like ``report_dict``.

    ``dataclasses.asdict`` deep-copies every leaf, which costs more than the
    rest of the page on a large report; a report's leaves are immutable, so
    they are shared instead.
    """
    if hasattr(value, "__dataclass_fields__"):
        return {name: report_values(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [report_values(item) for item in value]
    if isinstance(value, dict):
        return {key: report_values(item) for key, item in value.items()}
    return value


def build_dashboard(report: dict, view: View, *, complete: bool = False) -> Dashboard:
    """Return the dashboard of a report dict for the chosen view.

    With ``complete`` (the one-file report) every question is broken down by
    every dimension, comments by every dimension, every pair of dimensions is
    crossed, and responses by area, weighted rates and the combined view are added
    when the report has them; otherwise only the chosen question and dimension are.
    """
    settings = report["settings"]
    min_cell = settings["min_cell"]
    dimensions = [
        (table["dimension"], table["label"] or table["dimension"])
        for table in report["representation"]
    ]
    questions = list(
        dict.fromkeys(
            (table["question"], table["label"] or table["question"]) for table in report["outcomes"]
        )
    )
    comment_questions = [
        (row["question"], row["label"] or row["question"])
        for row in report["sentiment"]["by_question"]
    ]
    view, notices = settle_view(view, dimensions, questions, comment_questions)
    dashboard = Dashboard(
        report=report,
        min_cell=min_cell,
        respondents=report["totals"]["respondents"],
        dimensions=dimensions,
        questions=questions,
        comment_questions=comment_questions,
        view=view,
        notices=notices,
    )
    dashboard.totals = totals_figures(report, min_cell)
    for table in report["representation"]:
        dashboard.representation.append(representation_figure(table, settings, min_cell))
    dashboard.differences = differences_table(report, dimensions)
    if not report["outcomes"]:
        # Nothing to compare between groups: how everyone answered is the whole story.
        dashboard.answers = [
            all_respondents_figure(table, min_cell) for table in report.get("answers", ())
        ]
    for table in report["outcomes"]:
        chosen = table["question"] == view.question and table["dimension"] == view.dimension
        if complete or chosen:
            dashboard.outcomes.append(outcome_figure(table, min_cell))
    for name, label in comment_questions:
        if complete or name == view.comments_question:
            chosen = [view.dimension, *(key for key, _label in dimensions if complete)]
            for dimension in dict.fromkeys(chosen):
                drawn = {figure.key for figure in dashboard.sentiment}
                dashboard.sentiment.extend(
                    figure
                    for figure in sentiment_figures(
                        report, name, label, dimension, dimensions, min_cell
                    )
                    if figure.key not in drawn
                )
    for name, label in comment_questions:
        if complete or name == view.comments_question:
            chosen = [item for item in dimensions if complete or item[0] == view.dimension]
            dashboard.themes.extend(theme_tables(report, name, label, chosen))
    if report["intersections"]:
        dashboard.intersection = intersection_figure(
            report["intersections"][0], report["representation"], min_cell, view.dimension
        )
    if complete:
        add_complete_parts(dashboard, report, min_cell)
    dashboard.group_sessions = group_session_tables(report)
    dashboard.quotes = quotes_table(report)
    return dashboard


def add_complete_parts(dashboard: Dashboard, report: dict, min_cell: int) -> None:
    """Add what only the complete report shows: areas, every pair, weighting, combined."""
    by_area = report["totals"]["by_area"]
    if by_area:

        def area(group: str) -> str:
            return next((row["label"] or group for row in by_area if row["group"] == group), group)

        dashboard.totals.append(
            counts_figure(
                "by-area",
                _("Responses by area"),
                by_area,
                {},
                largest_summary(by_area, area, report["totals"]["respondents"]),
                min_cell,
                _("Area"),
            )
        )
    dashboard.other_intersections = [
        intersection_figure(table, report["representation"], min_cell)
        for table in report["intersections"][1:]
    ]
    dashboard.weighted = weighted_table(report)
    if report["combined"]:
        note = report["combined"]["label"]  # an N_ message of analysis.report
        dashboard.combined_note = _(note)
        dashboard.combined = combined_tables(report)


def settle_view(
    view: View,
    dimensions: list[tuple[str, str]],
    questions: list[tuple[str, str]],
    comment_questions: list[tuple[str, str]],
) -> tuple[View, list[str]]:
    """Replace unknown choices by the first available, saying so."""
    notices = []
    dimension_keys = [key for key, _ in dimensions]
    question_keys = [key for key, _ in questions]
    comment_keys = [key for key, _ in comment_questions]

    def pick(chosen: str | None, options: list[str], fallback: str | None) -> str | None:
        if chosen and chosen not in options:
            # Said only when another is shown: a filter that leaves no comments hides the
            # comment section, and there is nothing to say about a choice it drops.
            if options:
                notices.append(
                    _("“%(name)s” is not part of this report; showing another.", name=chosen)
                )
            chosen = None
        return chosen or fallback

    dimension = pick(view.dimension, dimension_keys, dimension_keys[0] if dimension_keys else None)
    others = [key for key in dimension_keys if key != dimension]
    by = pick(view.by, dimension_keys, others[0] if others else None)
    if by is not None and by == dimension:
        # Only a reader's own choice of the same dimension twice gets here.
        notices.append(_("Choose two different dimensions to cross."))
        by = others[0] if others else None
    return (
        View(
            question=pick(
                view.question, question_keys, question_keys[0] if question_keys else None
            ),
            dimension=dimension,
            by=by,
            comments_question=pick(
                view.comments_question, comment_keys, comment_keys[0] if comment_keys else None
            ),
        ),
        notices,
    )

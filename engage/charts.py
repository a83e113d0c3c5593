"""Dashboard figures: Plotly chart specs, data tables and one-sentence summaries of a report.

Everything here reads the report as plain JSON values (``analysis.report.report_dict``)
and returns small dataclasses the templates render. A chart and its table are
built from the same rows, so they always show the same numbers; a withheld count
is drawn as "suppressed", never as a bar. Charts use Okabe and Ito's palette,
which stays distinct under the common colour-vision deficiencies, and never rely
on colour alone: bars carry outlines, patterns tell series apart, flags and the
reference group are written out in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from babel import dates, numbers
from flask import g
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveys.languages import display_name
from surveys.models import (
    CHANNEL_GROUP,
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    SURVEY_STATUSES,
)

CHANNEL_NAMES = {
    CHANNEL_WEB: _l("Online"),
    CHANNEL_PAPER: _l("Paper form"),
    CHANNEL_PHONE: _l("Phone interview"),
    CHANNEL_IN_PERSON: _l("In-person interview"),
    CHANNEL_GROUP: _l("Group session"),
}
SENTIMENT_NAMES = {
    "negative": _l("Negative"),
    "neutral": _l("Neutral"),
    "positive": _l("Positive"),
    "unscored": _l("Not scored"),
}
FLAG_NAMES = {
    "under": _l("▼ Under-represented"),
    "over": _l("▲ Over-represented"),
    "within": _l("Within the thresholds"),
    "unknown": _l("No population figure"),
}
TEST_NAMES = {
    "chi_square": _l("Pearson's chi-square test"),
    "fisher_exact": _l("Fisher's exact test"),
    "fisher_exact_monte_carlo": _l("Fisher's exact test (Monte Carlo)"),
    "not_applicable": _l("No test"),
}
SESSION_KIND_NAMES = {
    "elder_circle": _l("Elder circle"),
    "focus_group": _l("Focus group"),
    "community_meeting": _l("Community meeting"),
}
STATUS_NAMES = dict(zip(SURVEY_STATUSES, (_l("Draft"), _l("Open"), _l("Closed")), strict=True))

# Okabe and Ito's palette, safe for the common colour-vision deficiencies. Bars also get
# a dark outline and, where series share a chart, a fill pattern, so that nothing is
# told by colour alone.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
PATTERNS = ("", "/", "x", ".", "\\", "-", "+", "|")
SENTIMENT_STYLE = {
    "negative": ("#D55E00", "x"),
    "neutral": ("#BBBBBB", "."),
    "positive": ("#0072B2", "/"),
}
OUTLINE = {"color": "#1a1a1a", "width": 1}
FONT = {"family": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'}


# ---------------------------------------------------------------------------
# Formatting (numbers in the reader's locale)


def reader_locale():
    """Return the reader's Babel locale, looked up once per request (pages format hundreds)."""
    if "report_locale" not in g:
        g.report_locale = get_locale()
    return g.report_locale


def format_decimal(value: float, pattern: str | None = None) -> str:
    """Return a number in the reader's locale."""
    return numbers.format_decimal(value, pattern, locale=reader_locale())


def format_percent(value: float, pattern: str) -> str:
    """Return a share as a percentage in the reader's locale."""
    return numbers.format_percent(value, pattern, locale=reader_locale())


def format_date(value: date, style: str = "medium") -> str:
    """Return a date in the reader's locale."""
    return dates.format_date(value, style, locale=reader_locale())


def count_text(value: int | None) -> str:
    """Return a count as the reader writes numbers."""
    return "" if value is None else format_decimal(value)


def percent_text(value: float | None) -> str:
    """Return a share as a percentage with one decimal."""
    return "" if value is None else format_percent(value, "#,##0.0%")


def ratio_text(value: float | None) -> str:
    """Return an index with two decimals."""
    return "" if value is None else format_decimal(value, "#,##0.00")


def points_text(value: float | None) -> str:
    """Return a rate difference in percentage points, with its sign."""
    if value is None:
        return ""
    return _("%(points)s points", points=format_decimal(value * 100, "+#,##0.0;-#,##0.0"))


def interval_text(ci: Sequence[float] | None, percent: bool = True) -> str:
    """Return a confidence interval as "low – high"."""
    if not ci:
        return ""
    show = percent_text if percent else ratio_text
    return f"{show(ci[0])} – {show(ci[1])}"


def p_text(value: float | None) -> str:
    """Return a p-value; very small ones as "< 0.001"."""
    if value is None:
        return ""
    if value < 0.001:
        return "< " + format_decimal(0.001, "0.000")
    return format_decimal(value, "0.000")


def day_text(value: str) -> str:
    """Return an ISO day in the reader's long date format."""
    try:
        return format_date(date.fromisoformat(value), "medium")
    except ValueError:
        return value


def channel_name(code: str) -> str:
    """Return a channel's name in the interface language."""
    return str(CHANNEL_NAMES.get(code, code))


def language_name(tag: str) -> str:
    """Return a language's name in the interface language."""
    try:
        return display_name(tag, g.get("interface_language") or "en")
    except ValueError:
        return tag


def short_label(text: str, limit: int = 34) -> str:
    """Return a chart axis label: without a parenthesised example, and not too long."""
    text = re.sub(r"\s*\(.*\)\s*$", "", text).strip() or text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_name(row: Mapping) -> str:
    """Return a group's name for a sentence: without its parenthesised examples."""
    return short_label(group_name(row), 60)


def group_name(row: Mapping) -> str:
    """Return the name of a report row's group, prefer-not and no-answer included."""
    if row.get("kind") == "prefer_not" or row.get("group") == "prefer_not_to_answer":
        return _("Prefer not to answer")
    if row.get("kind") == "no_answer" or row.get("group") == "no_answer":
        return _("No answer")
    return row.get("label") or row.get("group") or ""


# ---------------------------------------------------------------------------
# Tables and figures (what the templates render)


@dataclass(frozen=True)
class Cell:
    """One table cell as shown; ``suppressed`` cells read "suppressed" in words."""

    text: str
    numeric: bool = True
    suppressed: bool = False


@dataclass(frozen=True)
class Row:
    """A table row: its header cell and data cells."""

    header: str
    cells: tuple[Cell, ...]
    language: str | None = None
    # A view this row leads to: (question, dimension) in the differences table.
    target: tuple[str, str] | None = None


@dataclass(frozen=True)
class Table:
    """A data table with a caption."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str | None = None


@dataclass(frozen=True)
class Figure:
    """A chart with its plain-language summary and the table of its numbers."""

    key: str
    title: str
    summary: str
    spec: dict
    table: Table

    @property
    def element_id(self) -> str:
        """Return the chart's element id."""
        return "chart-" + re.sub(r"[^a-z0-9-]+", "-", self.key.lower()).strip("-")


def translated_note(table: Mapping) -> str | None:
    """Return a report table's note (an ``N_`` message of analysis.report), translated."""
    note = table["note"]
    return note and _(note)


def count_cell(value: int | None, suppressed: bool) -> Cell:
    """Return a count cell, "suppressed" when withheld."""
    if suppressed or value is None:
        return Cell(_("suppressed"), suppressed=True)
    return Cell(count_text(value))


def figure_cell(text: str, row_suppressed: bool) -> Cell:
    """Return a derived figure: blank when not defined, "suppressed" when withheld."""
    if text:
        return Cell(text)
    if row_suppressed:
        return Cell(_("suppressed"), suppressed=True)
    return Cell("")


def base_layout(height: int, **extra) -> dict:
    """Return a Plotly layout with the house font, white ground and room for long labels."""
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 30, "t": 10, "b": 50},
        "font": {**FONT, "size": 14, "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {**FONT, "size": 14}},
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "yaxis": {"automargin": True},
        "xaxis": {"automargin": True, "gridcolor": "#dddddd", "zerolinecolor": "#555555"},
        "bargap": 0.25,
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def bar_height(categories: int, series: int = 1) -> int:
    """Return a chart height that gives each bar room to be read."""
    return 110 + categories * max(28, 18 * series)


def row_notes(labels: Sequence[str], notes: Sequence[str]) -> dict:
    """Return a text-only trace writing a note (say, "suppressed") on rows that have no bar."""
    marked = [(label, note) for label, note in zip(labels, notes, strict=True) if note]
    return {
        "type": "scatter",
        "mode": "text",
        "orientation": "h",
        "y": [label for label, _note in marked],
        "x": [0 for _marked in marked],
        "text": [note for _label, note in marked],
        "textposition": "middle right",
        "textfont": {"size": 13, "color": "#1a1a1a"},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def share_ticks(top: float) -> list[float]:
    """Return at most six round ticks from 0 to ``top`` (a share), never past 100%."""
    step = next((step for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if top / step <= 5), 0.25)
    return [round(index * step, 4) for index in range(int(top / step + 1e-9) + 1)]


def suppressed_text() -> str:
    """Return the label drawn where a bar is withheld.

    Not "fewer than N": complementary suppression also withholds larger counts, and
    saying which were small would undo it. The page states the minimum cell size.
    """
    return _("suppressed")


# ---------------------------------------------------------------------------
# Building the dashboard from a report


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
    outcomes: list[Figure] = field(default_factory=list)
    sentiment: list[Figure] = field(default_factory=list)
    intersection: Figure | None = None
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
    every dimension; otherwise only the chosen question and dimension are.
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
    for table in report["outcomes"]:
        chosen = table["question"] == view.question and table["dimension"] == view.dimension
        if complete or chosen:
            dashboard.outcomes.append(outcome_figure(table, min_cell))
    for name, label in comment_questions:
        if complete or name == view.comments_question:
            dashboard.sentiment.extend(
                sentiment_figures(report, name, label, view.dimension, dimensions, min_cell)
            )
    if report["intersections"]:
        dashboard.intersection = intersection_figure(
            report["intersections"][0], report["representation"], min_cell, view.dimension
        )
    dashboard.group_sessions = group_session_tables(report)
    dashboard.quotes = quotes_table(report)
    return dashboard


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
            notices.append(
                _("“%(name)s” is not part of this report; showing another.", name=chosen)
            )
            chosen = None
        return chosen or fallback

    dimension = pick(view.dimension, dimension_keys, dimension_keys[0] if dimension_keys else None)
    others = [key for key in dimension_keys if key != dimension]
    by = pick(view.by, dimension_keys, others[0] if others else None)
    if by == dimension:
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


def counts_figure(
    key: str,
    title: str,
    rows: Sequence[Mapping],
    names: Mapping[str, str],
    summary: str,
    min_cell: int,
    column: str,
) -> Figure:
    """Return a horizontal bar chart of counts with shares (channels, languages)."""
    labels = [names.get(row["group"]) or group_name(row) for row in rows]
    shown = [row for row in rows]
    spec = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [row["n"] or 0 for row in shown],
                "text": [
                    suppressed_text()
                    if row["suppressed"]
                    else f"{count_text(row['n'])} ({percent_text(row['share'])})"
                    for row in shown
                ],
                "textposition": "outside",
                "constraintext": "none",
                "textfont": {"size": 13},
                "cliponaxis": False,
                "hoverinfo": "y+text",
                "marker": {"color": PALETTE[0], "line": OUTLINE},
                "name": _("Responses"),
            }
        ],
        "layout": base_layout(
            bar_height(len(rows)),
            showlegend=False,
            yaxis={"autorange": "reversed"},
            # Room on the right for the counts written beside the bars.
            xaxis={
                "title": {"text": _("Responses")},
                "range": [0, 1.45 * max([row["n"] or 0 for row in rows] + [1])],
            },
        ),
    }
    table = Table(
        caption=title,
        columns=(column, _("Responses"), _("Share")),
        rows=tuple(
            Row(
                label,
                (
                    count_cell(row["n"], row["suppressed"]),
                    figure_cell(percent_text(row["share"]), row["suppressed"]),
                ),
            )
            for label, row in zip(labels, rows, strict=True)
        ),
    )
    return Figure(key, title, summary, spec, table)


def totals_figures(report: dict, min_cell: int) -> list[Figure]:
    """Return responses over time, by channel and by language."""
    totals = report["totals"]
    respondents = totals["respondents"]
    days = totals["by_day"]
    figures = []
    shown_days = [row for row in days if not row["suppressed"]]
    if days:
        busiest = max(shown_days, key=lambda row: row["n"]) if shown_days else None
        summary = _(
            "%(count)s responses were collected from %(first)s to %(last)s.",
            count=count_text(respondents) if respondents is not None else _("suppressed"),
            first=day_text(days[0]["group"]),
            last=day_text(days[-1]["group"]),
        )
        if busiest:
            summary += " " + _(
                "The busiest day shown was %(day)s, with %(count)s.",
                day=day_text(busiest["group"]),
                count=count_text(busiest["n"]),
            )
        withheld = [row for row in days if row["suppressed"]]
        spec = {
            "data": [
                {
                    "type": "bar",
                    "x": [row["group"] for row in shown_days],
                    "y": [row["n"] for row in shown_days],
                    "name": _("Responses"),
                    "marker": {"color": PALETTE[0], "line": OUTLINE},
                    "hovertemplate": "%{x}: %{y}<extra></extra>",
                },
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [row["group"] for row in withheld],
                    "y": [0 for _row in withheld],
                    "name": suppressed_text(),
                    "marker": {"symbol": "x-thin-open", "size": 12, "color": "#1a1a1a"},
                    "hovertemplate": "%{x}: " + _("suppressed") + "<extra></extra>",
                },
            ],
            "layout": base_layout(
                320,
                xaxis={"type": "date", "title": {"text": _("Day collected")}},
                yaxis={"title": {"text": _("Responses")}, "rangemode": "tozero"},
            ),
        }
        table = Table(
            caption=_("Responses by day collected"),
            columns=(_("Day"), _("Responses")),
            rows=tuple(
                Row(day_text(row["group"]), (count_cell(row["n"], row["suppressed"]),))
                for row in days
            ),
        )
        figures.append(Figure("over-time", _("Responses over time"), summary, spec, table))
    by_channel = totals["by_channel"]
    if by_channel:
        figures.append(
            counts_figure(
                "by-channel",
                _("Responses by channel"),
                by_channel,
                {row["group"]: channel_name(row["group"]) for row in by_channel},
                largest_summary(by_channel, channel_name, respondents),
                min_cell,
                _("Channel"),
            )
        )
    by_language = totals["by_language"]
    if by_language:
        figures.append(
            counts_figure(
                "by-language",
                _("Responses by language"),
                by_language,
                {row["group"]: language_name(row["group"]) for row in by_language},
                largest_summary(by_language, language_name, respondents),
                min_cell,
                _("Language"),
            )
        )
    return figures


def largest_summary(rows: Sequence[Mapping], name, respondents: int | None) -> str:
    """Return "Most responses came through X: n (share)." for a one-way table."""
    shown = [row for row in rows if not row["suppressed"] and row["n"]]
    if not shown:
        return _("Every count here is too small to show.")
    top = max(shown, key=lambda row: row["n"])
    text = _(
        "The largest group is %(name)s, with %(count)s responses (%(share)s).",
        name=name(top["group"]),
        count=count_text(top["n"]),
        share=percent_text(top["share"]),
    )
    others = len(rows) - 1
    if others:
        text += " " + ngettext(
            "%(num)s other is shown in the table.", "%(num)s others are shown in the table.", others
        )
    return text


def representation_figure(table: dict, settings: Mapping, min_cell: int) -> Figure:
    """Return one dimension's respondents against its population, with intervals and flags."""
    dimension = table["dimension"]
    title = table["label"] or dimension
    groups = [row for row in table["rows"] if row["kind"] == "group"]
    labels = [short_label(group_name(row)) for row in groups]
    under = [summary_name(row) for row in groups if row["flag"] == "under"]
    over = [summary_name(row) for row in groups if row["flag"] == "over"]
    low, high = (
        ratio_text(settings["under_representation_below"]),
        ratio_text(settings["over_representation_above"]),
    )
    if not table["has_benchmark"]:
        summary = _(
            "There is no population figure for this dimension, so only the respondents are shown."
        )
    elif under or over:
        parts = []
        if under:
            parts.append(_("under-represented: %(groups)s", groups=", ".join(under)))
        if over:
            parts.append(_("over-represented: %(groups)s", groups=", ".join(over)))
        summary = _(
            "Compared with the population (index below %(low)s or above %(high)s), %(parts)s.",
            low=low,
            high=high,
            parts="; ".join(parts),
        )
    else:
        summary = _(
            "Every group shown is within the thresholds (index from %(low)s to %(high)s) of "
            "its population share.",
            low=low,
            high=high,
        )
    respondents = {
        "type": "bar",
        "orientation": "h",
        "name": _("Share of respondents (95% interval)"),
        "y": labels,
        "x": [row["share"] if row["share"] is not None else 0 for row in groups],
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [(row["ci"][1] - row["share"]) if row["ci"] else 0 for row in groups],
            "arrayminus": [(row["share"] - row["ci"][0]) if row["ci"] else 0 for row in groups],
            "color": "#1a1a1a",
            "thickness": 1.5,
        },
        "text": [
            suppressed_text()
            if row["suppressed"]
            else percent_text(row["share"])
            + (" " + str(FLAG_NAMES[row["flag"]]) if row["flag"] in ("under", "over") else "")
            for row in groups
        ],
        "textposition": "outside",
        "constraintext": "none",
        "textfont": {"size": 13},
        "cliponaxis": False,
        "hoverinfo": "y+text",
        "marker": {"color": PALETTE[0], "line": OUTLINE},
    }
    data = [respondents]
    if table["has_benchmark"]:
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _("Share of the population"),
                "y": labels,
                "x": [row["population_share"] for row in groups],
                "text": [percent_text(row["population_share"]) for row in groups],
                "textposition": "outside",
                "constraintext": "none",
                "textfont": {"size": 13},
                "cliponaxis": False,
                "hoverinfo": "y+text",
                "marker": {"color": PALETTE[1], "pattern": {"shape": "/"}, "line": OUTLINE},
            }
        )
    widest = max(
        [row["ci"][1] for row in groups if row["ci"]]
        + [row["population_share"] or 0 for row in groups]
        + [0]
    )
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(groups), len(data)),
            barmode="group",
            yaxis={"autorange": "reversed"},
            xaxis={
                "tickformat": ".0%",
                "title": {"text": _("Share")},
                # Room on the right for the shares and flags written beside the bars.
                "range": [0, 1.6 * widest if widest else 1.0],
                "tickvals": share_ticks(min(1.0, widest or 1.0)),
            },
        ),
    }
    rows = []
    for row in table["rows"]:
        suppressed = row["suppressed"]
        rows.append(
            Row(
                group_name(row),
                (
                    count_cell(row["n"], suppressed),
                    figure_cell(percent_text(row["share"]), suppressed),
                    figure_cell(interval_text(row["ci"]), suppressed),
                    Cell(percent_text(row["population_share"])),
                    figure_cell(ratio_text(row["index"]), suppressed),
                    figure_cell(interval_text(row["index_ci"], percent=False), suppressed),
                    Cell(
                        str(FLAG_NAMES.get(row["flag"], "")) if row["flag"] else "", numeric=False
                    ),
                ),
            )
        )
    data_table = Table(
        caption=_("Representation: %(dimension)s", dimension=title),
        columns=(
            _("Group"),
            _("Respondents"),
            _("Share"),
            _("95% interval"),
            _("Population share"),
            _("Disproportionality index"),
            _("Index 95% interval"),
            _("Flag"),
        ),
        rows=tuple(rows),
        note=translated_note(table),
    )
    return Figure("representation-" + dimension, title, summary, spec, data_table)


def differences_table(report: dict, dimensions: list[tuple[str, str]]) -> Table:
    """Return every question-by-dimension test: where do experiences differ?"""
    names = dict(dimensions)
    rows = []
    for table in report["outcomes"]:
        test = table["test"]
        tested = [row for row in table["rows"] if row.get("test")]
        if test["test"] != "not_applicable":
            method, p_value = str(TEST_NAMES[test["test"]]), test["p_value"]
        elif tested:
            method = _("Each group against the rest")
            p_value = min(row["p_value"] for row in tested if row["p_value"] is not None)
        else:
            method, p_value = str(TEST_NAMES["not_applicable"]), None
        differs = p_value is not None and p_value < 0.05
        rows.append(
            Row(
                table["label"] or table["question"],
                (
                    Cell(names.get(table["dimension"], table["dimension"]), numeric=False),
                    Cell(method, numeric=False),
                    Cell(p_text(p_value)),
                    Cell(_("Yes") if differs else _("No"), numeric=False),
                ),
                target=(table["question"], table["dimension"]),
            )
        )
    return Table(
        caption=_("Where answers differ between groups (tests of independence)"),
        columns=(
            _("Question"),
            _("Dimension"),
            _("Test"),
            _("p-value"),
            _("Differs (p < 0.05)"),
        ),
        rows=tuple(rows),
        note=_(
            "Tests use only the groups shown in full. Where respondents could choose several "
            "groups, each group is compared with everyone else and the smallest p-value is shown."
        ),
    )


def outcome_figure(table: dict, min_cell: int) -> Figure:
    """Return one question broken down by one dimension."""
    if (
        any(row["rate"] is not None for row in [table["overall"], *table["rows"]])
        or (table["favourable"])
    ):
        return rate_figure(table, min_cell)
    return distribution_figure(table, min_cell)


def rate_figure(table: dict, min_cell: int) -> Figure:
    """Return favourable rates per group, with 95% intervals and the reference group marked."""
    question = table["label"] or table["question"]
    reference = table["reference_group"]
    groups = [row for row in table["rows"] if row["kind"] == "group"]
    favourable = ", ".join(
        next(
            (
                c["label"] or c["choice"]
                for c in table["overall"]["distribution"]
                if c["choice"] == name
            ),
            name,
        )
        for name in table["favourable"]
    )

    def label(row: Mapping) -> str:
        name = short_label(group_name(row))
        return _("%(group)s (reference)", group=name) if row["group"] == reference else name

    labels = [label(row) for row in groups]
    overall = table["overall"]
    shown = [row for row in groups if row["rate"] is not None]
    reference_row = next((row for row in groups if row["group"] == reference), None)
    if not shown:
        summary = _("No group is large enough to show its favourable rate.")
    elif len(shown) == 1:
        summary = _(
            "Only one group is large enough to show: %(group)s, where %(rate)s answered "
            "%(favourable)s; all respondents: %(overall)s.",
            group=summary_name(shown[0]),
            rate=percent_text(shown[0]["rate"]),
            favourable=favourable,
            overall=percent_text(overall["rate"]) or _("suppressed"),
        )
    else:
        lowest = min(shown, key=lambda row: row["rate"])
        highest = max(shown, key=lambda row: row["rate"])
        summary = _(
            "The share answering %(favourable)s ranged from %(low)s (%(low_group)s) to "
            "%(high)s (%(high_group)s); all respondents: %(overall)s.",
            favourable=favourable,
            low=percent_text(lowest["rate"]),
            low_group=summary_name(lowest),
            high=percent_text(highest["rate"]),
            high_group=summary_name(highest),
            overall=percent_text(overall["rate"]) or _("suppressed"),
        )
        if (
            len(shown) > 1
            and reference_row is not None
            and reference_row["rate"] is not None
            and lowest["index"] is not None
            and lowest is not reference_row
        ):
            summary += " " + _(
                "Against the reference group (%(reference)s), the lowest disparity index is "
                "%(index)s.",
                reference=summary_name(reference_row),
                index=ratio_text(lowest["index"]),
            )
    test_sentence = test_summary(table["test"])
    if test_sentence:
        summary += " " + test_sentence
    colours = [PALETTE[1] if row["group"] == reference else PALETTE[0] for row in groups]
    patterns = ["/" if row["group"] == reference else "" for row in groups]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _("Favourable rate (95% interval)"),
            "y": labels,
            "x": [row["rate"] if row["rate"] is not None else 0 for row in groups],
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": [(row["ci"][1] - row["rate"]) if row["ci"] else 0 for row in groups],
                "arrayminus": [(row["rate"] - row["ci"][0]) if row["ci"] else 0 for row in groups],
                "color": "#1a1a1a",
                "thickness": 1.5,
            },
            "text": [
                suppressed_text()
                if row["suppressed"]
                else (percent_text(row["rate"]) if row["rate"] is not None else _("no answers"))
                for row in groups
            ],
            "textposition": "outside",
            "constraintext": "none",
            "textfont": {"size": 13},
            "cliponaxis": False,
            "hoverinfo": "y+text",
            "marker": {"color": colours, "pattern": {"shape": patterns}, "line": OUTLINE},
        }
    ]
    shapes, annotations = [], []
    if overall["rate"] is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": overall["rate"],
                "x1": overall["rate"],
                "y0": 0,
                "y1": 1,
                "line": {"color": "#1a1a1a", "dash": "dash", "width": 2},
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": overall["rate"],
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "text": _("All respondents: %(rate)s", rate=percent_text(overall["rate"])),
            }
        )
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(groups)) + 30,
            showlegend=False,
            yaxis={"autorange": "reversed"},
            xaxis={
                "tickformat": ".0%",
                "range": [0, 1.05],
                "title": {"text": _("Favourable rate")},
            },
            shapes=shapes,
            annotations=annotations,
            margin={"t": 40},
        ),
    }
    rows = []
    for row in [overall, *table["rows"]]:
        suppressed = row["suppressed"]
        name = _("All respondents") if row["kind"] == "all" else group_name(row)
        if row["group"] == reference:
            name = _("%(group)s (reference)", group=name)
        test = ""
        if row.get("test"):
            test = f"{TEST_NAMES[row['test']]}, p = {p_text(row['p_value'])}"
        rows.append(
            Row(
                name,
                (
                    count_cell(row["n"], suppressed),
                    figure_cell(percent_text(row["rate"]), suppressed),
                    figure_cell(interval_text(row["ci"]), suppressed),
                    figure_cell(ratio_text(row["mean"]), suppressed),
                    Cell(ratio_text(row["index"])),
                    Cell(points_text(row["rate_difference"])),
                    Cell(test, numeric=False),
                ),
            )
        )
    data_table = Table(
        caption=_("By group: %(question)s", question=question),
        columns=(
            _("Group"),
            _("Answered"),
            _("Favourable rate"),
            _("95% interval"),
            _("Mean"),
            _("Disparity index"),
            _("Difference from reference"),
            _("Test against the rest"),
        ),
        rows=tuple(rows),
        note=translated_note(table),
    )
    return Figure(
        f"outcome-{table['question']}-{table['dimension']}", question, summary, spec, data_table
    )


def test_summary(test: Mapping) -> str:
    """Return a sentence naming the test of independence and its result."""
    if test["test"] == "not_applicable" or test["p_value"] is None:
        return ""
    if test["p_value"] < 0.05:
        return _(
            "%(test)s finds the groups' answers differ (p = %(p)s).",
            test=TEST_NAMES[test["test"]],
            p=p_text(test["p_value"]),
        )
    return _(
        "%(test)s finds no clear difference between the groups (p = %(p)s).",
        test=TEST_NAMES[test["test"]],
        p=p_text(test["p_value"]),
    )


def distribution_figure(table: dict, min_cell: int) -> Figure:
    """Return each group's answers as shares, for questions without a favourable end."""
    question = table["label"] or table["question"]
    groups = [row for row in [table["overall"], *table["rows"]] if row["kind"] in ("all", "group")]
    choices = [
        c
        for c in table["overall"]["distribution"]
        if c["choice"] not in ("prefer_not_to_answer", "no_answer")
    ]

    def label(row: Mapping) -> str:
        return _("All respondents") if row["kind"] == "all" else short_label(group_name(row))

    data = []
    for index, choice in enumerate(choices):
        shares = []
        for row in groups:
            found = next(c for c in row["distribution"] if c["choice"] == choice["choice"])
            shares.append(found["share"])
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": short_label(choice["label"] or choice["choice"], 28),
                "y": [label(row) for row in groups],
                "x": [share or 0 for share in shares],
                "text": [percent_text(share) if share is not None else "" for share in shares],
                "textposition": "none",
                "hoverinfo": "name+y+text",
                "marker": {
                    "color": PALETTE[index % len(PALETTE)],
                    "pattern": {"shape": PATTERNS[index % len(PATTERNS)]},
                    "line": OUTLINE,
                },
            }
        )
    multiple = table["kind"] == "multiple_choice"
    overall = table["overall"]
    shown = [c for c in overall["distribution"] if c["share"] is not None and c in choices]
    if shown:
        top = max(shown, key=lambda c: c["share"])
        summary = _(
            "The most common answer of all respondents was %(choice)s (%(share)s).",
            choice=top["label"] or top["choice"],
            share=percent_text(top["share"]),
        )
    else:
        summary = _("Too few answers to show how all respondents answered.")
    if multiple:
        summary += " " + _("Respondents could choose several answers, so shares add up to more.")
    test_sentence = test_summary(table["test"])
    if test_sentence:
        summary += " " + test_sentence
    data.append(
        row_notes(
            [label(row) for row in groups],
            [suppressed_text() if row["suppressed"] else "" for row in groups],
        )
    )
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(groups)) + 40,
            barmode="group" if multiple else "stack",
            yaxis={"autorange": "reversed"},
            xaxis={"tickformat": ".0%", "rangemode": "tozero", "title": {"text": _("Share")}},
        ),
    }
    columns = [_("Group"), _("Answered")]
    columns += [c["label"] or c["choice"] for c in choices]
    rows = []
    for row in [table["overall"], *table["rows"]]:
        name = _("All respondents") if row["kind"] == "all" else group_name(row)
        cells = [count_cell(row["n"], row["suppressed"])]
        for choice in choices:
            found = next(c for c in row["distribution"] if c["choice"] == choice["choice"])
            if found["suppressed"]:
                cells.append(Cell(_("suppressed"), suppressed=True))
            else:
                text = count_text(found["n"])
                if found["share"] is not None:
                    text += f" ({percent_text(found['share'])})"
                cells.append(Cell(text))
        rows.append(Row(name, tuple(cells)))
    data_table = Table(
        caption=_("By group: %(question)s", question=question),
        columns=tuple(columns),
        rows=tuple(rows),
        note=translated_note(table),
    )
    return Figure(
        f"outcome-{table['question']}-{table['dimension']}", question, summary, spec, data_table
    )


def sentiment_figures(
    report: dict,
    question: str,
    question_label: str,
    dimension: str | None,
    dimensions: list[tuple[str, str]],
    min_cell: int,
) -> list[Figure]:
    """Return comment sentiment by channel and by group of the chosen dimension."""
    sentiment = report["sentiment"]
    figures = []
    names = dict(dimensions)
    overall = next((row for row in sentiment["by_question"] if row["question"] == question), None)
    groups = (
        (
            "channel",
            _("Comment sentiment by channel"),
            [row for row in sentiment["by_channel"] if row["question"] == question],
            lambda row: channel_name(row["group"]),
        ),
        (
            "language",
            _("Comment sentiment by language"),
            [row for row in sentiment["by_language"] if row["question"] == question],
            lambda row: language_name(row["group"]),
        ),
    )
    if dimension:
        groups += (
            (
                dimension,
                _(
                    "Comment sentiment by group: %(dimension)s",
                    dimension=names.get(dimension, dimension),
                ),
                [
                    row
                    for row in sentiment["by_group"]
                    if row["question"] == question and row["dimension"] == dimension
                ],
                group_name,
            ),
        )
    for key, title, rows, name in groups:
        if not rows:
            continue
        rows = ([overall] if overall else []) + rows
        figures.append(
            sentiment_figure(
                f"sentiment-{question}-{key}", title, question_label, rows, name, min_cell
            )
        )
    return figures


def sentiment_figure(
    key: str, title: str, question_label: str, rows: list[Mapping], name, min_cell: int
) -> Figure:
    """Return stacked shares of negative, neutral and positive comments per row."""

    def label(row: Mapping) -> str:
        if row["dimension"] == "question":
            return _("All comments")
        return short_label(name(row))

    labels = [label(row) for row in rows]
    data = []
    for sentiment, (colour, pattern) in SENTIMENT_STYLE.items():
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(SENTIMENT_NAMES[sentiment]),
                "y": labels,
                "x": [row["shares"].get(sentiment) or 0 for row in rows],
                "text": [percent_text(row["shares"].get(sentiment)) for row in rows],
                "textposition": "none",
                "hoverinfo": "name+y+text",
                "marker": {"color": colour, "pattern": {"shape": pattern}, "line": OUTLINE},
            }
        )
    shown = [row for row in rows[1:] if row["shares"].get("negative") is not None]
    overall = rows[0] if rows and rows[0]["dimension"] == "question" else None
    if overall and overall["scored"]:
        summary = _(
            "Of %(scored)s scored comments, %(negative)s were negative and %(positive)s positive.",
            scored=count_text(overall["scored"]),
            negative=percent_text(overall["shares"]["negative"]),
            positive=percent_text(overall["shares"]["positive"]),
        )
    else:
        summary = _("Too few scored comments to summarise.")
    if len(shown) > 1:
        worst = max(shown, key=lambda row: row["shares"]["negative"])
        summary += " " + _(
            "The highest share of negative comments shown is %(name)s (%(share)s).",
            name=short_label(name(worst), 60),
            share=percent_text(worst["shares"]["negative"]),
        )
    data.append(
        row_notes(
            labels,
            [
                suppressed_text()
                if row["suppressed"]
                else ("" if row["scored"] else _("no scored comments"))
                for row in rows
            ],
        )
    )
    spec = {
        "data": data,
        "layout": base_layout(
            bar_height(len(rows)) + 40,
            barmode="stack",
            yaxis={"autorange": "reversed"},
            xaxis={
                "tickformat": ".0%",
                "range": [0, 1],
                "title": {"text": _("Share of scored comments")},
            },
        ),
    }
    table_rows = []
    for row, text in zip(rows, labels, strict=True):
        cells = [count_cell(row["n"], row["suppressed"] and row["n"] is None)]
        for sentiment in ("negative", "neutral", "positive", "unscored"):
            count = row["counts"].get(sentiment)
            if count is None:
                cells.append(Cell(_("suppressed"), suppressed=True))
                continue
            share = row["shares"].get(sentiment) if sentiment != "unscored" else None
            cells.append(
                Cell(count_text(count) + (f" ({percent_text(share)})" if share is not None else ""))
            )
        table_rows.append(Row(name(row) if row["dimension"] != "question" else text, tuple(cells)))
    table = Table(
        caption=f"{title}: {question_label}",
        columns=(
            _("Group"),
            _("Comments"),
            *(str(SENTIMENT_NAMES[s]) for s in ("negative", "neutral", "positive", "unscored")),
        ),
        rows=tuple(table_rows),
        note=_(
            "Shares are of scored comments. Comments in languages without a sentiment lexicon "
            "are not scored, never counted as neutral."
        ),
    )
    return Figure(key, title, summary, spec, table)


def intersection_figure(
    table: dict, representation: list[dict], min_cell: int, rows_dimension: str | None = None
) -> Figure:
    """Return two dimensions crossed, as a heat map with every count written in its cell.

    ``rows_dimension`` puts that dimension in the rows, whichever way the report crossed them.
    """
    if rows_dimension == table["by_dimension"]:
        table = {
            **table,
            "dimension": table["by_dimension"],
            "by_dimension": table["dimension"],
            "rows": [
                {**row, "group": row["by_group"], "by_group": row["group"]} for row in table["rows"]
            ],
        }
    labels = {
        (rep["dimension"], row["group"]): group_name(row)
        for rep in representation
        for row in rep["rows"]
    }
    titles = {rep["dimension"]: rep["label"] or rep["dimension"] for rep in representation}
    first, second = table["dimension"], table["by_dimension"]
    rows = list(dict.fromkeys(row["group"] for row in table["rows"]))
    columns = list(dict.fromkeys(row["by_group"] for row in table["rows"]))
    cells = {(row["group"], row["by_group"]): row for row in table["rows"]}

    def name(dimension: str, group: str) -> str:
        return labels.get((dimension, group)) or group_name({"group": group})

    z, text = [], []
    for group in rows:
        z.append([cells[(group, column)]["n"] for column in columns])
        text.append(
            [
                _("suppressed")
                if cells[(group, column)]["suppressed"]
                else count_text(cells[(group, column)]["n"])
                for column in columns
            ]
        )
    shown = [row for row in table["rows"] if not row["suppressed"]]
    withheld = len(table["rows"]) - len(shown)
    title = _(
        "%(first)s by %(second)s", first=titles.get(first, first), second=titles.get(second, second)
    )
    if shown:
        top = max(shown, key=lambda row: row["n"])
        summary = _(
            "The largest combination shown is %(one)s and %(two)s, with %(count)s respondents.",
            one=short_label(name(first, top["group"]), 60),
            two=short_label(name(second, top["by_group"]), 60),
            count=count_text(top["n"]),
        )
    else:
        summary = _("Every combination is too small to show.")
    summary += " " + ngettext(
        "%(num)s cell is suppressed.", "%(num)s cells are suppressed.", withheld
    )
    spec = {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": [short_label(name(second, column), 20) for column in columns],
                "y": [short_label(name(first, group)) for group in rows],
                "text": text,
                "texttemplate": "%{text}",
                "hoverinfo": "x+y+text",
                # One hue from light to dark (ColorBrewer Blues): readable in any colour vision,
                # and every count is written in its cell anyway.
                "colorscale": [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]],
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": base_layout(
            140 + 34 * len(rows),
            yaxis={"autorange": "reversed"},
            xaxis={"side": "top", "tickangle": -30},
            margin={"t": 120},
        ),
    }
    data_table = Table(
        caption=title,
        columns=(
            titles.get(first, first),
            *(short_label(name(second, column), 40) for column in columns),
        ),
        rows=tuple(
            Row(
                name(first, group),
                tuple(
                    count_cell(cells[(group, column)]["n"], cells[(group, column)]["suppressed"])
                    for column in columns
                ),
            )
            for group in rows
        ),
        note=translated_note(table),
    )
    return Figure(f"intersection-{first}-{second}", title, summary, spec, data_table)


def group_session_tables(report: dict) -> list[Table]:
    """Return the group sessions' tallies and demographics, their own source."""
    sessions = report["group_sessions"]
    names = {table["question"]: table["label"] for table in report["outcomes"]}
    names.update({table["dimension"]: table["label"] for table in report["representation"]})
    tables = []
    for key, caption, column in (
        ("tallies", _("Group-session tallies"), _("Question")),
        ("demographics", _("Group-session participants by group"), _("Dimension")),
    ):
        rows = sessions[key]
        if rows:
            tables.append(
                Table(
                    caption=caption,
                    columns=(column, _("Answer or group"), _("Participants")),
                    rows=tuple(
                        Row(
                            short_label(names.get(row["dimension"]) or row["dimension"], 80),
                            (
                                Cell(group_name(row), numeric=False),
                                count_cell(row["n"], row["suppressed"]),
                            ),
                        )
                        for row in rows
                    ),
                )
            )
    return tables


def quotes_table(report: dict) -> Table | None:
    """Return the quotes the report may show (the quoting rule and consent applied)."""
    sentiment = report["sentiment"]
    quotes = [
        *sentiment["most_positive"],
        *sentiment["most_negative"],
        *report["group_sessions"]["quotes"],
    ]
    if not quotes:
        return None
    return Table(
        caption=_("Comments that may be quoted"),
        columns=(_("Comment"), _("Sentiment"), _("Source"), _("Speaker")),
        rows=tuple(
            Row(
                quote["text"],
                (
                    Cell(
                        str(SENTIMENT_NAMES.get(quote["sentiment"], quote["sentiment"])),
                        numeric=False,
                    ),
                    Cell(
                        _("Group session")
                        if quote["source"] == "group_session"
                        else _("Respondent"),
                        numeric=False,
                    ),
                    Cell(quote["speaker"] or "", numeric=False),
                ),
                language=quote["language"],
            )
            for quote in quotes
        ),
    )

"""Who responded: responses over time, by channel and by language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.charts.figures import (
    OUTLINE,
    PALETTE,
    Figure,
    Row,
    Table,
    bar_height,
    base_layout,
    count_cell,
    figure_cell,
    suppressed_text,
)
from engage.formatting import count_text, day_text, percent_text
from engage.labels import channel_name, group_name, language_name


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

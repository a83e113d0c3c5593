"""Who responded: responses over time, by channel and by language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

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
    count_axis,
    count_cell,
    figure_cell,
    suppressed_text,
)
from engage.formatting import count_text, day_text, percent_text, tick_day_text
from engage.labels import channel_name, group_name, language_name

# Milliseconds in a day: the unit of widths on a date axis.
DAY_MS = 24 * 3600 * 1000
# Days between ticks of a time axis, the first that leaves at most eight ticks.
DAY_STEPS = (1, 2, 7, 14, 28, 56, 91, 182, 364)


def totals_figures(report: dict, min_cell: int) -> list[Figure]:
    """Return responses over time, by channel and by language."""
    totals = report["totals"]
    respondents = totals["respondents"]
    days = totals["by_day"]
    figures = []
    shown_days = [row for row in days if not row["suppressed"]]
    if days:
        busiest = max(shown_days, key=lambda row: row["n"]) if shown_days else None
        first, last = day_text(days[0]["group"]), day_text(days[-1]["group"])
        if respondents is None and first == last:
            summary = _("Responses were collected on %(day)s, too few to show how many.", day=first)
        elif respondents is None:
            summary = _(
                "Responses were collected from %(first)s to %(last)s, too few to show how many.",
                first=first,
                last=last,
            )
        elif first == last:
            summary = _(
                "%(count)s responses were collected on %(day)s.",
                count=count_text(respondents),
                day=first,
            )
        else:
            summary = _(
                "%(count)s responses were collected from %(first)s to %(last)s.",
                count=count_text(respondents),
                first=first,
                last=last,
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
                    # A day wide (in milliseconds, the unit of a date axis), whatever the gaps.
                    "width": [DAY_MS * 0.8 for _row in shown_days],
                    "name": _("Responses"),
                    "marker": {"color": PALETTE[0], "line": OUTLINE},
                    "hovertext": [
                        f"{day_text(row['group'])}: {count_text(row['n'])}" for row in shown_days
                    ],
                    "hoverinfo": "text",
                },
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [row["group"] for row in withheld],
                    "y": [0 for _row in withheld],
                    "name": suppressed_text(),
                    "marker": {"symbol": "x-thin-open", "size": 12, "color": "#1a1a1a"},
                    "hovertext": [
                        f"{day_text(row['group'])}: {suppressed_text()}" for row in withheld
                    ],
                    "hoverinfo": "text",
                },
            ],
            "layout": base_layout(
                320,
                xaxis=day_axis([row["group"] for row in days], title={"text": _("Day collected")}),
                yaxis=count_axis(
                    max([row["n"] for row in shown_days] + [1]),
                    title={"text": _("Responses")},
                ),
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


def day_axis(days: Sequence[str], **extra) -> dict:
    """Return a date axis over whole days, each tick a day as the reader writes it.

    Plotly would pick its own ticks, hours for a one-day survey ("23:59:59.999"),
    and write them in English; here the ticks are days, a few apart on a long
    survey, and the axis runs half a day beyond the first and last.
    """
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    span = (last - first).days + 1
    step = next((step for step in DAY_STEPS if span / step <= 8), span)
    ticks = [first + timedelta(days=offset) for offset in range(0, span, step)]
    return {
        "type": "date",
        "range": [
            (datetime.combine(first, time()) - timedelta(hours=12)).isoformat(sep=" "),
            (datetime.combine(last, time()) + timedelta(hours=12)).isoformat(sep=" "),
        ],
        "tickmode": "array",
        "tickvals": [tick.isoformat() for tick in ticks],
        "ticktext": [tick_day_text(tick) for tick in ticks],
        **extra,
    }


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
            xaxis=count_axis(
                max([row["n"] or 0 for row in rows] + [1]),
                title={"text": _("Responses")},
                range=[0, 1.45 * max([row["n"] or 0 for row in rows] + [1])],
            ),
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

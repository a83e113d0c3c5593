"""Two dimensions crossed, as a heat map and its table."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.charts.figures import Figure, Row, Table, base_layout, count_cell, translated_note
from engage.formatting import count_text
from engage.labels import group_name, short_label


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

"""Representation: each dimension's respondents against its population."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from engage.charts.figures import (
    OUTLINE,
    PALETTE,
    Cell,
    Figure,
    Row,
    Table,
    bar_height,
    base_layout,
    count_cell,
    figure_cell,
    share_axis,
    suppressed_text,
    translated_note,
)
from engage.formatting import interval_text, percent_text, ratio_text
from engage.labels import FLAG_NAMES, group_name, short_label, summary_name


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
            xaxis=share_axis(
                min(1.0, widest or 1.0),
                title={"text": _("Share")},
                # Room on the right for the shares and flags written beside the bars.
                range=[0, 1.6 * widest if widest else 1.0],
            ),
        ),
    }
    not_asked = [summary_name(row) for row in table["rows"] if row["kind"] == "not_asked"]
    if not_asked:
        summary += " " + _(
            "Not asked in this survey, so left out of the population shares: %(groups)s.",
            groups=", ".join(not_asked),
        )
    rows = []
    for row in table["rows"]:
        suppressed = row["suppressed"]
        if row["kind"] == "not_asked":
            rows.append(
                Row(
                    group_name(row),
                    (*[Cell("")] * 6, Cell(str(FLAG_NAMES["not_asked"]), numeric=False)),
                )
            )
            continue
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

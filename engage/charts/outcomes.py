"""How one question's answers differ between the groups of one dimension."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from engage.charts.differences import test_summary
from engage.charts.figures import (
    OUTLINE,
    PALETTE,
    PATTERNS,
    Cell,
    Figure,
    Row,
    Table,
    bar_height,
    base_layout,
    count_cell,
    figure_cell,
    row_notes,
    share_axis,
    suppressed_text,
    translated_note,
)
from engage.formatting import (
    count_text,
    interval_text,
    p_phrase,
    percent_text,
    points_text,
    ratio_text,
)
from engage.labels import TEST_NAMES, group_name, short_label, summary_name


def outcome_figure(table: dict, min_cell: int) -> Figure:
    """Return one question broken down by one dimension."""
    if (
        any(row["rate"] is not None for row in [table["overall"], *table["rows"]])
        or (table["favourable"])
    ):
        return rate_figure(table, min_cell)
    return distribution_figure(table, min_cell)


def rate_text(row: Mapping) -> str:
    """Return a rate as shown, marked when its estimate has low reliability (a wide interval)."""
    text = percent_text(row["rate"])
    if text and row.get("low_reliability"):
        return _("%(rate)s (low reliability)", rate=text)
    return text


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
    if table["multi_select"]:
        # A select-all question's rate counts respondents choosing at least one of them.
        favourable = _("at least one of %(choices)s", choices=favourable)

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
                else (rate_text(row) if row["rate"] is not None else _("no answers"))
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
            xaxis=share_axis(range=[0, 1.05], title={"text": _("Favourable rate")}),
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
        if row.get("test") and row.get("p_value") is not None:
            adjusted = row.get("p_adjusted")
            test = _(
                "%(test)s, %(p)s (adjusted: %(adjusted)s)",
                test=TEST_NAMES[row["test"]],
                p=p_phrase(row["p_value"]),
                adjusted=p_phrase(adjusted if adjusted is not None else row["p_value"]),
            )
        rows.append(
            Row(
                name,
                (
                    count_cell(row["n"], row["n"] is None),
                    figure_cell(rate_text(row), suppressed),
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
    multiple = table["multi_select"]
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
            # Stacked shares add up to 100%; several answers each reach at most 100%.
            xaxis=share_axis(
                max([share for trace in data for share in trace["x"]] + [0.01])
                if multiple
                else 1.0,
                rangemode="tozero",
                title={"text": _("Share")},
            ),
        ),
    }
    columns = [_("Group"), _("Answered")]
    columns += [c["label"] or c["choice"] for c in choices]
    rows = []
    for row in [table["overall"], *table["rows"]]:
        name = _("All respondents") if row["kind"] == "all" else group_name(row)
        cells = [count_cell(row["n"], row["n"] is None)]
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

"""What the templates render: tables, cells and figures, and the house chart layout."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from engage.formatting import count_text, number_separators, tick_percent_text

# Okabe and Ito's palette, safe for the common colour-vision deficiencies. Bars also get
# a dark outline and, where series share a chart, a fill pattern, so that nothing is
# told by colour alone.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
PATTERNS = ("", "/", "x", ".", "\\", "-", "+", "|")
OUTLINE = {"color": "#1a1a1a", "width": 1}
FONT = {"family": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'}


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
    # A column header's language where it is not the page's (a theme named by its top terms).
    column_languages: tuple[str | None, ...] = ()


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
        # The reader's decimal and thousands symbols for every number Plotly writes.
        "separators": number_separators(),
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


def share_axis(top: float = 1.0, **extra) -> dict:
    """Return a share axis from 0 to ``top``, its ticks written as the reader writes "20 %".

    Plotly would write d3's "20%" whatever the language; ``tickformat`` stays to say
    the axis holds shares.
    """
    ticks = share_ticks(top)
    return {
        "tickformat": ".0%",
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [tick_percent_text(tick) for tick in ticks],
        **extra,
    }


def count_axis(top: float, **extra) -> dict:
    """Return a count axis from 0 with whole-number steps (1, 2, 5, 10, 20...): never 0.2."""
    step = next(
        size * 10**power
        for power in range(12)
        for size in (1, 2, 5)
        if top / (size * 10**power) <= 6
    )
    return {"rangemode": "tozero", "tick0": 0, "dtick": step, "tickformat": ",d", **extra}


def suppressed_text() -> str:
    """Return the label drawn where a bar is withheld.

    Not "fewer than N": complementary suppression also withholds larger counts, and
    saying which were small would undo it. The page states the minimum cell size.
    """
    return _("suppressed")


def question_caption(title: str, question: str) -> str:
    """Return a table's caption naming its question ("Who labelled the comments: Why?").

    Translated, so that each language joins them as it writes (French puts a space
    before the colon, Chinese uses a full-width one).
    """
    return _("%(title)s: %(question)s", title=title, question=question)

"""The dashboard's figures drawn as inline SVG on the server, for pages without JavaScript.

``figure_svg(figure, language)`` returns one ``<svg role="img">`` whose ``<title>`` is
the figure's title and whose ``<desc>`` is its one-sentence summary; the page shows
the figure's data table beside it, as the dashboard does. It reads the chart spec
``engage.charts`` builds for the dashboard (the few Plotly figure fields those
modules write: bars, horizontal or by day, with 95% interval whiskers, grouped or
stacked; text notes on rows; a reference line; a heat map), so the drawing, the
interactive chart and the table always come from the same rows. It needs neither
plotly nor a request: numbers and days are written with Babel in ``language``, and
right-to-left languages (Arabic, Urdu...) get mirrored charts, bars growing from the
right. Nothing is told by colour alone: bars keep their outlines and fill patterns,
every value is written beside or inside its bar, and a withheld value is written
"suppressed" (the text the chart spec carries) or marked × with a legend that says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

from engage.charts.figures import OUTLINE, PALETTE, Figure, suppressed_text
from engage.charts.svg_canvas import (
    AXIS,
    BAND_GAP,
    BAR,
    FONT,
    GRID,
    INK,
    LABEL_LINE,
    MISSING_CELL,
    PAD,
    SMALL,
    STACKED_BAR,
    WIDTH,
    Canvas,
    blend,
    cross,
    halo_text,
    legend,
    nice_ticks,
    number,
    readable_ink,
    text_width,
)


def figure_svg(figure: Figure, language: str = "en", width: int = WIDTH) -> Markup:
    """Return the figure as an accessible inline SVG in ``language`` (empty if not drawable).

    ``width`` is the width charts are laid out in (text stays 12 to 14 units high): a
    narrower one suits pages read on phones.
    """
    spec = figure.spec or {}
    traces = spec.get("data") or []
    layout = spec.get("layout") or {}
    canvas = Canvas(figure.element_id, language, width)
    kinds = {trace.get("type") for trace in traces}
    if "heatmap" in kinds:
        heat_map(canvas, next(t for t in traces if t.get("type") == "heatmap"))
    elif any(t.get("type") == "bar" and t.get("orientation") != "h" for t in traces):
        day_columns(canvas, traces, layout)
    elif "bar" in kinds:
        horizontal_bars(canvas, traces, layout)
    else:
        return Markup("")
    return canvas.svg(figure.title, figure.summary)


# -- horizontal bars: counts, shares with intervals, distributions, sentiment ----------------


def trace_values(trace: dict, field: str, count: int) -> list:
    """Return a per-bar list of a marker field that may be one value or a list."""
    marker = trace.get("marker", {})
    value = marker.get("pattern", {}).get("shape", "") if field == "shape" else marker.get(field)
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] * count


def horizontal_bars(canvas: Canvas, traces: list[dict], layout: dict) -> None:
    """Draw each group's name with its bar(s) below it, shares or counts along the bottom."""
    BarChart(canvas, traces, layout).draw()


class BarChart:
    """Horizontal bars, grouped or stacked, one band per group: its name, then its bars."""

    def __init__(self, canvas: Canvas, traces: list[dict], layout: dict) -> None:
        self.canvas = canvas
        self.layout = layout
        self.bars = [trace for trace in traces if trace.get("type") == "bar"]
        self.notes = {}
        for trace in traces:
            if trace.get("type") == "scatter" and "text" in trace.get("mode", ""):
                self.notes.update(zip(trace.get("y", []), trace.get("text", []), strict=False))
        self.labels = list(self.bars[0].get("y", []))
        count = len(self.labels)
        self.stacked = layout.get("barmode") == "stack" and len(self.bars) > 1
        self.axis = layout.get("xaxis", {})
        self.share = "%" in self.axis.get("tickformat", "")
        pad = [0.0] * count
        self.values = [([v or 0 for v in t.get("x", [])] + pad)[:count] for t in self.bars]
        self.texts = [([*(t.get("text") or [])] + [""] * count)[:count] for t in self.bars]
        self.plus = [whisker(trace, "array", count) for trace in self.bars]
        self.minus = [whisker(trace, "arrayminus", count) for trace in self.bars]
        self.colours = [trace_values(t, "color", count) for t in self.bars]
        self.shapes = [trace_values(t, "shape", count) for t in self.bars]
        self.lines = [s["x0"] for s in layout.get("shapes", []) if s.get("xref") == "x"]
        self.withheld = self.find_withheld()
        self.scale()

    def find_withheld(self) -> set[tuple[int, int]]:
        """Return the (series, group) shares withheld in a group shown otherwise, saying so.

        Shares the dashboard only shows on hover (answers, sentiment: ``textposition``
        "none") have no text where a count is withheld; a group withheld whole has a note.
        """
        withheld = set()
        for row, label in enumerate(self.labels):
            texts = [texts[row] for texts in self.texts]
            if self.notes.get(label) or not any(texts):
                continue
            for index, trace in enumerate(self.bars):
                if trace.get("textposition") == "none" and not texts[index]:
                    self.texts[index][row] = suppressed_text()
                    withheld.add((index, row))
        return withheld

    def scale(self) -> None:
        """Choose the ticks, and the plot's start and width so values written after bars fit."""
        if self.stacked:
            ends = [sum(column) for column in zip(*self.values, strict=True)]
        else:
            ends = [
                v + e
                for vs, es in zip(self.values, self.plus, strict=True)
                for v, e in zip(vs, es, strict=True)
            ]
        top = max([*ends, *self.lines, 0])
        # A favourable rate or a sentiment split is read against the whole 0-100% scale.
        full = self.share and (self.axis.get("range") or [0, 0])[1] >= 1.0
        self.ticks = nice_ticks(1.0 if full else top, self.share)
        self.domain = self.ticks[-1] or 1.0
        width = self.canvas.width
        self.origin = PAD + text_width(self.tick_label(0), SMALL) / 2
        plot = width - PAD - self.origin - text_width(self.tick_label(self.domain), SMALL) / 2
        if not self.stacked:
            for values, texts, plus in zip(self.values, self.texts, self.plus, strict=True):
                for value, text, extra in zip(values, texts, plus, strict=True):
                    if text and value + extra > 0:
                        room = width - PAD - self.origin - 6 - text_width(text, SMALL)
                        plot = min(plot, room * self.domain / (value + extra))
        self.plot = max(plot, (width - 2 * PAD) * 0.5)

    def at(self, value: float) -> float:
        """Return the logical x of a value."""
        return self.origin + self.plot * min(max(value, 0), self.domain) / self.domain

    def tick_label(self, tick: float) -> str:
        """Return a tick's label: a percentage or a count."""
        return self.canvas.percent(tick) if self.share else self.canvas.count(tick)

    def draw(self) -> None:
        """Draw the legend, the bands, then the grid under them and the axis below."""
        canvas, y = self.canvas, PAD
        if len(self.bars) > 1 and self.layout.get("showlegend", True):
            items = [
                (canvas.fill(colours[0] or PALETTE[0], shapes[0] or ""), trace.get("name", ""))
                for trace, colours, shapes in zip(self.bars, self.colours, self.shapes, strict=True)
            ]
            y = legend(canvas, items, y)
        annotations = [a for a in self.layout.get("annotations", []) if a.get("xref") == "x"]
        top = y + (18 if annotations else 0)
        drawn, canvas.parts = canvas.parts, []
        bottom = self.bands(top) - BAND_GAP / 2
        bands, canvas.parts = canvas.parts, drawn
        for tick in self.ticks:
            colour = AXIS if tick == 0 else GRID
            canvas.line(self.at(tick), top, self.at(tick), bottom, stroke=colour)
        canvas.parts.extend(bands)
        for value in self.lines:
            canvas.line(
                self.at(value),
                top - 2,
                self.at(value),
                bottom,
                stroke=INK,
                stroke_width=2,
                stroke_dasharray="6 4",
            )
        for note in annotations:
            text = note.get("text", "")
            half = text_width(text, SMALL) / 2
            centre = min(max(self.at(note.get("x", 0)), PAD + half), canvas.width - PAD - half)
            canvas.text(centre, top - 6, text, "middle", font_size=SMALL)
        for tick in self.ticks:
            label = self.tick_label(tick)
            canvas.text(self.at(tick), bottom + 16, label, "middle", font_size=SMALL)
        title = self.axis.get("title", {}).get("text", "")
        canvas.text(self.origin + self.plot / 2, bottom + 36, title, "middle")
        canvas.height = bottom + 44

    def bands(self, y: float) -> float:
        """Draw every group's band from ``y``; return the y below the last."""
        canvas = self.canvas
        for row, label in enumerate(self.labels):
            halo_text(canvas, self.origin + 3, y + 15, label, "start", size=FONT)
            y += LABEL_LINE
            note = self.notes.get(label)
            if not any(
                values[row] > 0 or texts[row]
                for values, texts in zip(self.values, self.texts, strict=True)
            ):
                # Nothing to draw (withheld, or nobody): the note alone says why.
                halo_text(canvas, self.at(0) + 6, y + 12, note or "", "start", italic=True)
                y += 18 + BAND_GAP
                continue
            if self.stacked:
                self.stack(row, y)
                y += STACKED_BAR
                missing = [
                    f"{trace.get('name', '')}: {self.texts[index][row]}"
                    for index, trace in enumerate(self.bars)
                    if (index, row) in self.withheld
                ]
                if missing:
                    halo_text(canvas, self.at(0), y + 14, "; ".join(missing), "start", italic=True)
                    y += 18
            else:
                for index in range(len(self.bars)):
                    self.bar(index, row, y)
                    y += BAR + 2
            if note:
                halo_text(canvas, self.at(0) + 6, y - 4, note, "start", italic=True)
            y += BAND_GAP
        return y

    def fill(self, index: int, row: int) -> str:
        """Return a bar's fill: its colour, with its pattern."""
        colour = self.colours[index][row] or PALETTE[0]
        return self.canvas.fill(colour, self.shapes[index][row] or "")

    def stack(self, row: int, top: float) -> None:
        """Draw one group's stacked shares, each written inside its part when it fits."""
        start = 0.0
        for index in range(len(self.bars)):
            value, text = self.values[index][row], self.texts[index][row]
            low, high = self.at(start), self.at(start + value)
            if value > 0:
                self.canvas.rect(
                    low,
                    top,
                    high - low,
                    STACKED_BAR,
                    fill=self.fill(index, row),
                    stroke=OUTLINE["color"],
                )
                if text and high - low >= text_width(text, SMALL) + 6:
                    halo_text(self.canvas, (low + high) / 2, top + 15, text)
            start += value

    def bar(self, index: int, row: int, top: float) -> None:
        """Draw one bar, its 95% interval whisker and its value after them (or inside)."""
        canvas, at = self.canvas, self.at
        value, text = self.values[index][row], self.texts[index][row]
        low, high = value - self.minus[index][row], value + self.plus[index][row]
        if value > 0:
            canvas.rect(
                at(0),
                top,
                at(value) - at(0),
                BAR,
                fill=self.fill(index, row),
                stroke=OUTLINE["color"],
            )
        middle, end = top + BAR / 2, at(value)
        if high > low:
            canvas.line(at(low), middle, at(high), middle, stroke=INK, stroke_width=1.5)
            for arm in (low, high):
                canvas.line(at(arm), middle - 5, at(arm), middle + 5, stroke=INK, stroke_width=1.5)
            end = max(end, at(high))
        if not text:
            return
        if end + 6 + text_width(text, SMALL) <= canvas.width - PAD:
            canvas.text(end + 5, middle + 4, text, font_size=SMALL)
        else:
            halo_text(canvas, at(value) - 4, middle + 4, text, "end")


def whisker(trace: dict, field: str, count: int) -> list[float]:
    """Return a bar trace's interval arm lengths (zeros without intervals)."""
    arms = trace.get("error_x", {}).get(field) or []
    return [float(arms[index] or 0) if index < len(arms) else 0.0 for index in range(count)]


# -- responses by day ---------------------------------------------------------------------


def day_columns(canvas: Canvas, traces: list[dict], layout: dict) -> None:
    """Draw counts per day as columns, every day in the range given a slot, days withheld ×."""
    bars = next(trace for trace in traces if trace.get("type") == "bar")
    withheld = [
        trace
        for trace in traces
        if trace.get("type") == "scatter" and "markers" in trace.get("mode", "")
    ]
    counts = {
        day: value or 0 for day, value in zip(bars.get("x", []), bars.get("y", []), strict=False)
    }
    hidden = [day for trace in withheld for day in trace.get("x", [])]
    found = sorted({*counts, *hidden})
    try:
        first, last = date.fromisoformat(found[0][:10]), date.fromisoformat(found[-1][:10])
    except (IndexError, ValueError):
        return
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    axis_y = layout.get("yaxis", {}).get("title", {}).get("text", "")
    axis_x = layout.get("xaxis", {}).get("title", {}).get("text", "")
    ticks = nice_ticks(max([*counts.values(), 0]), share=False)
    gutter = max(text_width(canvas.count(tick), SMALL) for tick in ticks) + 10
    left, right = PAD + gutter, canvas.width - PAD
    plot = right - left
    y = PAD
    if hidden:
        colour = bars.get("marker", {}).get("color", PALETTE[0])
        items = [(colour, bars.get("name", "")), ("cross", withheld[0].get("name", ""))]
        y = legend(canvas, items, y)
    canvas.text(PAD, y + 12, axis_y, font_size=SMALL)
    top = y + 24
    height = 200
    bottom = top + height
    slot = plot / len(days)

    def up(value: float) -> float:
        return bottom - height * value / ticks[-1]

    for tick in ticks:
        canvas.line(left, up(tick), right, up(tick), stroke=AXIS if tick == 0 else GRID)
        canvas.text(left - 6, up(tick) + 4, canvas.count(tick), "end", font_size=SMALL)
    width = max(1.0, slot * 0.75)
    hidden_days = set(hidden)
    for index, day in enumerate(days):
        key = day.isoformat()
        start = left + index * slot + (slot - width) / 2
        value = counts.get(key, 0)
        if value:
            canvas.rect(
                start,
                up(value),
                width,
                bottom - up(value),
                fill=bars.get("marker", {}).get("color", PALETTE[0]),
                stroke=OUTLINE["color"],
                stroke_width=0.5 if width < 4 else 1,
            )
        elif key in hidden_days:
            canvas.add(cross(canvas, start + width / 2, bottom - 6, min(5, max(slot / 2, 2))))
    with_year = first.year != last.year
    label_width = max(text_width(canvas.day(day, with_year), SMALL) for day in (first, last))
    every = max(1, math.ceil(len(days) / max(1, plot // (label_width + 16))))
    for index in range(0, len(days), every):
        centre = left + (index + 0.5) * slot
        label = canvas.day(days[index], with_year)
        canvas.line(centre, bottom, centre, bottom + 4, stroke=AXIS)
        if centre + text_width(label, SMALL) / 2 <= canvas.width:
            canvas.text(centre, bottom + 18, label, "middle", font_size=SMALL)
    canvas.text(left + plot / 2, bottom + 40, axis_x, "middle")
    canvas.height = bottom + 48


# -- two dimensions crossed ----------------------------------------------------------------


def heat_map(canvas: Canvas, trace: dict) -> None:
    """Draw a grid of counts, darker for more, every count (or "suppressed") written in it."""
    rows, columns = list(trace.get("y", [])), list(trace.get("x", []))
    z, texts = trace.get("z", []), trace.get("text", [])
    scale = trace.get("colorscale") or [[0, "#f7fbff"], [1, "#08306b"]]
    largest = max([value for row in z for value in row if value is not None] + [1])
    gutter = max([text_width(label, SMALL) for label in rows] + [0]) + 12
    cell_texts = [text for row in texts for text in row] + ["0000"]
    cell = max(44.0, max(text_width(text, SMALL) for text in cell_texts) + 12)
    # Column names are written slanted (40 degrees) above their columns.
    slant = [text_width(label, SMALL) for label in columns] or [0]
    rise = max(slant) * math.sin(math.radians(40)) + 16
    grid_end = PAD + gutter + cell * len(columns)
    reach = max(
        PAD + gutter + (index + 0.5) * cell + width * math.cos(math.radians(40))
        for index, width in enumerate(slant)
    )
    canvas.width = max(canvas.width, max(grid_end, reach) + PAD)
    top = PAD + rise
    band = 28
    for index, label in enumerate(columns):
        centre = PAD + gutter + (index + 0.5) * cell
        turn = 40 if canvas.rtl else -40
        canvas.add(
            f'<text transform="translate({number(canvas.x(centre))} {number(top - 6)}) '
            f'rotate({turn})" font-size="{SMALL}">{escape(label)}</text>'
        )
    for row, label in enumerate(rows):
        y = top + row * band
        canvas.text(PAD + gutter - 8, y + band / 2 + 4, label, "end", font_size=SMALL)
        for column in range(len(columns)):
            value = z[row][column] if row < len(z) and column < len(z[row]) else None
            text = texts[row][column] if row < len(texts) and column < len(texts[row]) else ""
            colour = MISSING_CELL if value is None else scale_colour(scale, value / largest)
            canvas.rect(PAD + gutter + column * cell + 1, y + 1, cell - 2, band - 2, fill=colour)
            style = {"font_style": "italic"} if value is None else {}
            canvas.text(
                PAD + gutter + (column + 0.5) * cell,
                y + band / 2 + 4,
                text,
                "middle",
                font_size=SMALL,
                fill=readable_ink(colour),
                **style,
            )
    canvas.height = top + band * len(rows) + PAD


def scale_colour(scale: Sequence[Sequence], share: float) -> str:
    """Return the colour at ``share`` along a Plotly colour scale of #rrggbb stops."""
    share = min(max(share, 0.0), 1.0)
    for (low_at, low), (high_at, high) in zip(scale, scale[1:], strict=False):
        if share <= high_at:
            span = (high_at - low_at) or 1
            return blend(low, high, (share - low_at) / span)
    return scale[-1][1]

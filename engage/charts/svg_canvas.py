"""Drawing inline SVG for ``engage.charts.svg``: the canvas, text sizes, colours, patterns.

Charts are laid out in logical coordinates (x from the start of a line) and mirrored
when drawn for a right-to-left language, so one layout serves both directions.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date

from babel import Locale, UnknownLocaleError, dates, numbers
from markupsafe import Markup, escape

from engage.charts.figures import OUTLINE
from engage.formatting import percent_in
from surveys.languages import text_direction

WIDTH = 600  # a chart's width as laid out (a heat map may need more)
SCALE = 1.2  # drawn at most this much larger, so that 12 units of text read as 14.4 px
PAD = 8
FONT = 14
SMALL = 12
INK = "#1a1a1a"
GRID = "#dddddd"
AXIS = "#555555"
BAR = 16  # one bar of a group
STACKED_BAR = 22
LABEL_LINE = 20  # the group's name, written above its bars
BAND_GAP = 12
MISSING_CELL = "#eeeeee"


# -- drawing ----------------------------------------------------------------------------


def number(value: float) -> str:
    """Return a coordinate with at most one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    """Return roughly how wide ``text`` is drawn at ``size`` (no font metrics on a server)."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in "il.,:;'|!() ":
            width += 0.32
        elif char.isupper() or char in "mw%":
            width += 0.72
        elif ord(char) < 0x250:
            width += 0.56
        else:
            width += 0.72
    return width * size


def readable_ink(colour: str) -> str:
    """Return dark or white ink, whichever reads better on ``colour`` (#rrggbb)."""
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#ffffff" if luminance < 0.18 else INK


def blend(low: str, high: str, share: float) -> str:
    """Return the colour ``share`` of the way from ``low`` to ``high``."""
    parts = []
    for index in (1, 3, 5):
        start, end = int(low[index : index + 2], 16), int(high[index : index + 2], 16)
        parts.append(round(start + (end - start) * share))
    return "#" + "".join(f"{part:02x}" for part in parts)


# Pattern strokes drawn over a fill: (rotation, lines); Plotly's shape names.
PATTERN_LINES = {
    "/": (45, "M0 0V8"),
    "\\": (-45, "M0 0V8"),
    "x": (45, "M0 0V8M0 4H8"),
    "+": (0, "M4 0V8M0 4H8"),
    "-": (0, "M0 4H8"),
    "|": (0, "M4 0V8"),
}


class Canvas:
    """One SVG being drawn: its parts, patterns, size and reading direction."""

    def __init__(self, key: str, language: str, width: float = WIDTH) -> None:
        self.key = key
        self.language = language
        self.rtl = text_direction(language) == "rtl"
        try:
            self.locale = Locale.parse(language.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale.parse("en")
        self.width = width
        self.height = 0.0
        self.parts: list[str] = []
        self.patterns: dict[tuple[str, str], str] = {}

    # Logical x runs from the start of the line (left, or right in a right-to-left page).
    def x(self, logical: float) -> float:
        """Return the drawn x of a logical x."""
        return self.width - logical if self.rtl else logical

    def add(self, markup: str) -> None:
        """Add drawn markup."""
        self.parts.append(markup)

    def rect(self, start: float, top: float, length: float, height: float, **attrs) -> None:
        """Draw a rectangle from logical ``start`` over ``length``."""
        left = self.x(start + length) if self.rtl else start
        self.add(
            f'<rect x="{number(left)}" y="{number(top)}" width="{number(max(length, 0))}" '
            f'height="{number(height)}"{attributes(attrs)}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs) -> None:
        """Draw a line between two logical points."""
        self.add(
            f'<line x1="{number(self.x(x1))}" y1="{number(y1)}" x2="{number(self.x(x2))}" '
            f'y2="{number(y2)}"{attributes(attrs)}/>'
        )

    def text(
        self, start: float, baseline: float, text: str, anchor: str = "start", **attrs
    ) -> None:
        """Write text at a logical point; ``anchor`` is logical (start follows the direction)."""
        if not text:
            return
        anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.add(
            f'<text x="{number(self.x(start))}" y="{number(baseline)}"{anchor_attr}'
            f"{attributes(attrs)}>{escape(text)}</text>"
        )

    def fill(self, colour: str, shape: str) -> str:
        """Return a fill: the colour, or a pattern of ``shape`` over it."""
        if shape not in PATTERN_LINES and shape != ".":
            return colour
        if (colour, shape) not in self.patterns:
            self.patterns[(colour, shape)] = f"{self.key}-p{len(self.patterns)}"
        return f"url(#{self.patterns[(colour, shape)]})"

    def pattern_defs(self) -> str:
        """Return the ``<defs>`` of the patterns used."""
        if not self.patterns:
            return ""
        parts = ["<defs>"]
        for (colour, shape), pattern_id in self.patterns.items():
            ink = "#ffffff" if readable_ink(colour) == "#ffffff" else INK
            if shape == ".":
                rotation, mark = 0, f'<circle cx="4" cy="4" r="1.4" fill="{ink}"/>'
            else:
                rotation, path = PATTERN_LINES[shape]
                mark = f'<path d="{path}" stroke="{ink}" stroke-width="1.5"/>'
            if self.rtl:
                rotation = -rotation
            turn = f' patternTransform="rotate({rotation})"' if rotation else ""
            parts.append(
                f'<pattern id="{pattern_id}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse"{turn}><rect width="8" height="8" '
                f'fill="{colour}"/>{mark}</pattern>'
            )
        parts.append("</defs>")
        return "".join(parts)

    def svg(self, title: str, summary: str) -> Markup:
        """Return the finished ``<svg>``, named by its title and described by its summary."""
        width, height = math.ceil(self.width), math.ceil(self.height)
        direction = ' direction="rtl"' if self.rtl else ""
        # Drawn a little larger than laid out where there is room; narrower pages shrink it.
        shown = f'width="{round(width * SCALE)}" height="{round(height * SCALE)}"'
        return Markup(
            f'<svg class="chart-svg" role="img" {shown} '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{self.key}-svg-title" '
            f'aria-describedby="{self.key}-svg-desc" font-size="{FONT}" fill="{INK}"'
            f"{direction}>"
            f'<title id="{self.key}-svg-title">{escape(title)}</title>'
            f'<desc id="{self.key}-svg-desc">{escape(summary)}</desc>'
            f"{self.pattern_defs()}{''.join(self.parts)}</svg>"
        )

    # -- numbers and days in the reader's language ------------------------------------

    def percent(self, value: float) -> str:
        """Return a share as a whole percentage."""
        return percent_in(value, self.locale, 0)

    def count(self, value: float) -> str:
        """Return a count."""
        return numbers.format_decimal(value, "#,##0", locale=self.locale)

    def day(self, value: date, with_year: bool) -> str:
        """Return a short day ("Mar 5", with the year when the days span years)."""
        return dates.format_skeleton("yMMMd" if with_year else "MMMd", value, locale=self.locale)


def attributes(attrs: dict) -> str:
    """Return SVG attributes (``stroke_width`` -> ``stroke-width``), values escaped."""
    return "".join(
        f' {name.replace("_", "-")}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not None
    )


# -- axes, legends ------------------------------------------------------------------------


def nice_ticks(top: float, share: bool) -> list[float]:
    """Return at most six round ticks from 0 covering ``top`` (shares stop at 100%)."""
    if share:
        top = min(max(top, 0.01), 1.0)
        steps = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25)
    else:
        top = max(top, 1.0)
        power = 10 ** max(0, math.floor(math.log10(top)) - 1)
        steps = tuple(step * power for step in (1, 2, 5, 10, 20, 25, 50, 100))
    step = next((step for step in steps if math.ceil(top / step - 1e-9) <= 5), steps[-1])
    count = math.ceil(top / step - 1e-9)
    return [round(index * step, 6) for index in range(count + 1)]


def legend(canvas: Canvas, items: Sequence[tuple[str, str]], top: float) -> float:
    """Draw legend items (a bar's fill, or "cross" for a withheld mark, and a name) in rows.

    Returns the y below them.
    """
    start, row = PAD, 0
    for fill, name in items:
        width = 18 + text_width(name, SMALL) + 16
        if start + width > canvas.width - PAD and start > PAD:
            start, row = PAD, row + 1
        y = top + row * 22
        if fill == "cross":
            canvas.add(cross(canvas, start + 7, y + 7))
        else:
            canvas.rect(start, y, 14, 14, fill=fill, stroke=OUTLINE["color"])
        canvas.text(start + 20, y + 12, name, font_size=SMALL)
        start += width
    return top + (row + 1) * 22 + 4


def cross(canvas: Canvas, centre: float, middle: float, size: float = 5) -> str:
    """Return an × mark (a withheld value) at a logical point."""
    x = canvas.x(centre)
    return (
        f'<path d="M{number(x - size)} {number(middle - size)}l{number(2 * size)} '
        f'{number(2 * size)}m0 {number(-2 * size)}l{number(-2 * size)} {number(2 * size)}" '
        f'stroke="{INK}" stroke-width="2"/>'
    )


def halo_text(
    canvas: Canvas,
    start: float,
    baseline: float,
    text: str,
    anchor: str = "middle",
    size: int = SMALL,
    italic: bool = False,
) -> None:
    """Write dark text with a white outline, readable over gridlines, fills and patterns."""
    canvas.text(
        start,
        baseline,
        text,
        anchor,
        font_size=size if size != FONT else None,
        font_style="italic" if italic else None,
        stroke="#ffffff",
        stroke_width=3,
        paint_order="stroke",
        stroke_linejoin="round",
    )

"""Numbers, shares, intervals and dates as the reader writes them (the interface locale)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

from babel import dates, numbers
from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _


def reader_locale():
    """Return the reader's Babel locale, looked up once per request (pages format hundreds)."""
    if "report_locale" not in g:
        g.report_locale = get_locale()
    return g.report_locale


def format_decimal(value: float, pattern: str | None = None) -> str:
    """Return a number in the reader's locale."""
    return numbers.format_decimal(value, pattern, locale=reader_locale())


def format_percent(value: float, decimals: int = 1) -> str:
    """Return a share as a percentage in the reader's locale, with ``decimals`` decimals.

    The locale's own percent pattern, so French and Spanish get their space before
    the sign ("9,0 %"); an explicit pattern would drop it.
    """
    return percent_in(value, reader_locale(), decimals)


def percent_in(value: float, locale, decimals: int = 1) -> str:
    """Return a share as a percentage in ``locale`` (outside a request too: SVG charts)."""
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(value, locale)


def format_date(value: date, style: str = "medium") -> str:
    """Return a date in the reader's locale."""
    return dates.format_date(value, style, locale=reader_locale())


def number_separators() -> str:
    """Return the reader's decimal and group symbols, as Plotly's ``separators`` reads them."""
    locale = reader_locale()
    return numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale)


def count_text(value: int | None) -> str:
    """Return a count as the reader writes numbers."""
    return "" if value is None else format_decimal(value)


def percent_text(value: float | None) -> str:
    """Return a share as a percentage with one decimal."""
    return "" if value is None else format_percent(value)


def tick_percent_text(value: float) -> str:
    """Return a share as a whole percentage, for a chart's axis."""
    return format_percent(value, 0)


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


def p_phrase(value: float) -> str:
    """Return "p = 0.042", or "p < 0.001" for a very small p-value."""
    if value < 0.001:
        return "p < " + format_decimal(0.001, "0.000")
    return "p = " + format_decimal(value, "0.000")


def day_text(value: str) -> str:
    """Return an ISO day in the reader's long date format."""
    try:
        return format_date(date.fromisoformat(value), "medium")
    except ValueError:
        return value


def tick_day_text(value: date) -> str:
    """Return a day as a chart's axis writes it: day and month ("Jun 2", "2 juin")."""
    return dates.format_skeleton("MMMd", value, locale=reader_locale())

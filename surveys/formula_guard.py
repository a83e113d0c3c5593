"""The one guard against spreadsheet formulas in anything Engage writes for a spreadsheet.

Text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe, as the OWASP guidance on
CSV injection advises. Numbers stay numbers. ``restore`` undoes it for files Engage
reads back (the translators' workbooks).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` safe for a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """Return text as it was before ``neutralise``: without the apostrophe it added."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value

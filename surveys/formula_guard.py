"""The one guard against spreadsheet formulas in anything Engage writes for a spreadsheet.

Text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe, as the OWASP guidance on
CSV injection advises. Numbers stay numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return ``value`` safe for a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

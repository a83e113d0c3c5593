"""Numbers as residents type them and as forms and exports spell them.

A typed number accepts a decimal comma as well as a point (``3,5`` is 3.5, as French
speakers write it) and spaces as thousands separators (``1 500``).
"""

from __future__ import annotations

import re

_NUMBER_PATTERN = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
# Spaces people type as thousands separators (French writes 1 500 or 1 500).
_GROUPING_SPACES = str.maketrans("", "", " \u00a0\u202f")


def format_number(value: float) -> str:
    """Return ``value`` as a form value would spell it: ``7`` not ``7.0``."""
    value = round(float(value), 10)  # absorbs float noise from scale arithmetic
    return str(int(value)) if value.is_integer() else repr(value)


def parse_number(value: str) -> float | None:
    """Parse a typed number with a decimal point or comma; None if it is not one."""
    compact = value.strip().translate(_GROUPING_SPACES)
    if not _NUMBER_PATTERN.fullmatch(compact):
        return None
    return float(compact.replace(",", "."))

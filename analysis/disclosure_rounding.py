"""Random rounding to base 5, Statistics Canada's census practice, as an option on published counts.

Statistics Canada, *Census Dictionary* (2021, "Random rounding"): every count
is rounded up or down to a multiple of 5; "totals and sub-totals are
independently rounded", so they may not equal the sum of their rounded parts,
and percentages calculated on rounded data may not add up to 100%.

Engage uses unbiased random rounding: a count ``5q + r`` (``r`` from 1 to 4)
becomes ``5q + 5`` with probability ``r / 5`` and ``5q`` otherwise, so its
expected value is the count itself; multiples of 5 (and zeros) are unchanged.
The draw is seeded from the survey, the filters and the count's place (its
table and cell), never from the clock: the same download gives the same
figures, so downloading it again and averaging learns nothing, and a count
shown in two tables (a group's respondents in Representation and in an
outcome table) is rounded the same way in both.

What is rounded (``analysis.report.rounding``): every count the report
publishes. Shares of count tables
(respondents by channel, group-session tallies, comment sentiment) are
calculated from the rounded counts, as Statistics Canada's percentages are;
survey estimates (rates, intervals, means, indices, tests) are calculated from
the unrounded answers before rounding, under their own policy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

from analysis.disclosure import ROUNDING_BASE


def random_round(
    count: int | None, seed: str, key: Hashable, base: int = ROUNDING_BASE
) -> int | None:
    """Return ``count`` randomly rounded to a multiple of ``base``, the same for a seed and key."""
    if count is None:
        return None
    low = count - count % base
    remainder = count - low
    if remainder == 0:
        return count
    digest = hashlib.sha256(f"{seed}\x1f{key!r}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64  # uniform on [0, 1)
    return low + base if draw < remainder / base else low

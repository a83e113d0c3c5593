"""The equity and sentiment report: plain counts in, frozen dataclasses out.

``build_report`` takes the counts ``surveys.aggregates.collect`` returns and
the organisation's settings, and returns a ``Report``; ``report_dict`` turns it
into the JSON shape documented in ``docs/report-format.md``. One module per
section (``totals``, ``answers``, ``outcomes``, ``independence``, ``intersections``,
``sentiment``, ``themes``, ``group_sessions``, ``weighted``) reads the tables of
``tables``, suppressed once for the whole report; ``shapes`` holds the result
dataclasses.

Privacy, applied to every table before any figure is derived, under the
policy each output follows (``analysis.disclosure``, ``docs/disclosure.md``):

- Survey estimates (the default for the survey's tables): a group's rate,
  share, mean, interval, index and test are shown when at least ``min_cell``
  respondents answered; counts of respondents are not withheld for being
  small (``analysis.disclosure_estimates``). Wide intervals are flagged
  ``low_reliability``.
- Counts (group-session tallies always; the survey's tables when chosen):
  counts from 1 to ``min_cell - 1`` are withheld with the fewest complements,
  across all the tables that share totals (``analysis.linked_suppression``);
  a rate, share, mean, interval or index is shown only when every count of
  its row is shown.
- A count shown in one table is never withheld in another for the same
  filter; random rounding to base 5, when chosen, rounds every count the
  same way wherever it is shown (``analysis.report.rounding``).
- Every report carries its ``disclosure``: the policy and its reasoning.
- A test of independence is run only on the groups whose answers are all
  shown, so its p-value can be recomputed from the published table.
- A comment is quoted only under the survey's quoting rule, only from a
  question whose number of comments is shown, and never from a group session
  whose participants asked not to be quoted (the query layer enforces that).

Statistics follow ``analysis.stats``: Wilson 95% intervals, the
disproportionality index (share / population share) flagged against the
organisation's thresholds, the disparity index (group rate / reference-group
rate, CIHI's rate ratio) and rate difference, and chi-square or Fisher's exact
test chosen from the expected counts, every p-value of a report adjusted together
for multiple comparisons (Benjamini-Hochberg; ``analysis.report.independence``).
"""

from analysis.report.build import build_report
from analysis.report.shapes import Report, ReportSettings, report_dict
from analysis.report.tables import GROUP, NO_ANSWER, PREFER_NOT
from analysis.stats import Z_95

__all__ = [
    "GROUP",
    "NO_ANSWER",
    "PREFER_NOT",
    "Report",
    "ReportSettings",
    "Z_95",
    "build_report",
    "report_dict",
]

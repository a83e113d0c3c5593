"""Staff reports: the equity dashboard, the comment explorer, downloads and open data.

Every figure on these pages comes from the suppressed report
(``engage.survey_reports`` / ``analysis.report``), so a withheld count never
reaches a page, a chart or a file. ``engage.charts`` turns the report into
Plotly figures, embedded as ``<script type="application/json">`` data blocks
(never executed, so the content security policy stays strict) and drawn by
``static/reports.js`` with plotly.js served from the installed plotly package.

Filters (dates, channels, languages, areas) and the chosen views live in the
query string, so a colleague opening the same address sees the same page.
The statistics stack (SciPy) is imported inside the views that need it, so the
rest of the app starts without it.
"""

from engage.reports import (  # noqa: F401  (each view module registers its routes on bp)
    comments,
    dashboard,
    downloads,
    review,
    themes,
)
from engage.reports.blueprint import bp

__all__ = ["bp"]

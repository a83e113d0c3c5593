"""The report as one HTML file: the one HTML rendering of a report.

``engage report --format html``, ``engage export --html`` and the dashboard's download
all write this document. Every chart is drawn on the server as inline SVG
(``engage.charts.svg``) beside the table of its numbers, and the style sheets are
inlined: no script, nothing loaded from anywhere, so it opens offline, prints, and
stays small (plotly.js alone is about 4.8 MB). It is built from the Jinja environment
with everything it needs passed in, so a command with an app context renders it as a
request does. The dashboard's plotly.js is found here too (``plotly_path``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from analysis.report import Report
from engage import formatting
from engage.charts.dashboard import View, build_dashboard, report_values
from engage.charts.svg import figure_svg
from engage.labels import channel_name, group_name, language_name, short_label
from surveys.languages import normalize_tag, text_direction

STATIC = Path(__file__).parent.parent / "static"


def plotly_path() -> Path:
    """Return the plotly.js bundle shipped inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@cache
def plotly_version() -> str:
    """Return the version of the bundled plotly.js (read from its banner)."""
    with plotly_path().open(encoding="utf-8") as handle:
        head = handle.read(200)
    marker = "plotly.js v"
    start = head.find(marker)
    if start < 0:
        return "unknown"
    return head[start + len(marker) :].split()[0]


# The dashboard's copy of plotly.js's own rules, and the comment on them: no use here.
PLOTLY_RULES = re.compile(
    r"^/\* plotly\.js's own rules.*?\*/\n|^\.(?:js-plotly-plot|plotly-notifier)[^\n]*\n",
    re.MULTILINE | re.DOTALL,
)


def inline_css() -> str:
    """Return the style sheets a one-file report inlines (without plotly.js's rules)."""
    css = "\n".join(
        (STATIC / name).read_text(encoding="utf-8") for name in ("engage.css", "reports.css")
    )
    return PLOTLY_RULES.sub("", css)


def report_html(report: Report) -> str:
    """Return a report as one self-contained HTML document, in the current interface language.

    The page's language and direction are the report's (its labels'); numbers, days
    and charts follow the interface language, like every table of the app.
    """
    language = report.survey.get("language") or current_app.config["DEFAULT_LANGUAGE"]
    interface = normalize_tag(str(get_locale() or language))
    board = build_dashboard(report_values(report), View(), complete=True)
    template = current_app.jinja_env.get_template("reports/standalone.html")
    return template.render(
        board=board,
        references=reference_groups(board.report),
        title=report.survey.get("title") or report.survey.get("slug"),
        css=inline_css(),
        page_language=language,
        page_direction=text_direction(language),
        chart_svg=lambda figure: figure_svg(figure, interface),
        direction=text_direction,
        count_text=formatting.count_text,
        ratio_text=formatting.ratio_text,
        short=short_label,
        language_name=language_name,
        channel_name=channel_name,
    )


def reference_groups(report: dict) -> list[tuple[str, str]]:
    """Return (dimension, group) names of each dimension's reference group."""
    names = []
    for table in report["representation"]:
        group = report["settings"]["reference_groups"].get(table["dimension"])
        if group:
            row = next((row for row in table["rows"] if row["group"] == group), {"group": group})
            names.append((table["label"] or table["dimension"], group_name(row)))
    return names

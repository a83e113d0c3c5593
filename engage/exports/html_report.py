"""What the one-file HTML report inlines: the style sheets, plotly.js and the chart script."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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


def inline_assets() -> dict[str, str]:
    """Return what a one-file report inlines: the style sheets and the scripts.

    ``</script`` inside a script would end it early, so it is escaped.
    """

    def script(path: Path) -> str:
        return path.read_text(encoding="utf-8").replace("</script", "<\\/script")

    return {
        "css": (STATIC / "engage.css").read_text(encoding="utf-8")
        + "\n"
        + (STATIC / "reports.css").read_text(encoding="utf-8"),
        "plotly_js": script(plotly_path()),
        "reports_js": script(STATIC / "reports.js"),
    }

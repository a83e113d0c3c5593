"""The one-file HTML report's size: the demo survey's report against plotly.js.

Loads the demo (``engage demo``: 460 responses, eight dimensions, five questions, a
comment question, group sessions) into a temporary SQLite database, writes its one-file
report with ``engage export --html`` in English, French and Arabic (every question by
every dimension, every pair of dimensions, each chart as inline SVG), and prints each
file's size against the plotly.js bundle the report used to inline, measured from the
installed plotly package in the same run. Exits with status 1 when a report is over the
budget of 1.5 MB.

Usage::

    python bench/html_report.py
    python bench/html_report.py --json figures.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent.parent))

BUDGET_BYTES = 1_500_000
LANGUAGES = ("en", "fr", "ar")


def build_demo(workdir: Path):
    """Return an app whose temporary database holds the demo."""
    from engage import create_app, db
    from engage.demo import load_demo

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
            "INSTANCE_PATH": str(workdir / "instance"),
        }
    )
    db.upgrade(app.extensions["engage.engine"])
    with app.app_context():
        load_demo(app)
    return app


def measure(workdir: Path) -> dict:
    """Write the demo's one-file report in each language; return sizes and times."""
    from engage.demo import DEMO_SLUG
    from engage.exports.html_report import plotly_path, plotly_version

    app = build_demo(workdir)
    runner = app.test_cli_runner()
    figures = {
        "plotly_js": {"version": plotly_version(), "bytes": plotly_path().stat().st_size},
        "reports": {},
    }
    for language in LANGUAGES:
        target = workdir / f"report-{language}.html"
        started = time.perf_counter()
        result = runner.invoke(
            args=["export", DEMO_SLUG, "--html", "-o", str(target)],
            env={"LANGUAGE": language},
        )
        seconds = time.perf_counter() - started
        if result.exit_code != 0:
            raise SystemExit(result.output)
        html = target.read_text(encoding="utf-8")
        figures["reports"][language] = {
            "bytes": target.stat().st_size,
            "charts": html.count('<svg class="chart-svg"'),
            "scripts": html.count("<script"),
            "seconds": round(seconds, 2),
        }
    app.extensions["engage.engine"].dispose()
    return figures


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-html-"))
    try:
        figures = measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    plotly = figures["plotly_js"]
    print(f"plotly.js {plotly['version']} (what the report used to inline): {plotly['bytes']:,} B")
    for language, report in figures["reports"].items():
        print(
            f"one-file report, {language}: {report['bytes']:,} B "
            f"({report['bytes'] / plotly['bytes']:.2f} × plotly.js; "
            f"{report['bytes'] / BUDGET_BYTES:.0%} of the 1.5 MB budget), "
            f"{report['charts']} charts as SVG, {report['scripts']} scripts, "
            f"written in {report['seconds']} s"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 1 if any(r["bytes"] > BUDGET_BYTES for r in figures["reports"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())

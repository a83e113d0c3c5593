"""Dependencies point one way: surveys and analysis never import Flask."""

import pkgutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_surveys_and_analysis_do_not_import_flask():
    modules = [
        info.name
        for package in ("surveys", "analysis")
        for info in pkgutil.walk_packages([str(REPO / package)], prefix=f"{package}.")
    ]
    assert "surveys.models" in modules
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_wtf', "
        "'flask_babel', 'flask_login', 'werkzeug', 'engage'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_analysis_reads_plain_records_without_a_database_library():
    program = (
        "import sys\n"
        "import analysis.report, analysis.report_formats\n"
        "import analysis.weighting, analysis.sentiment, analysis.stats\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(','.join(sorted(loaded & {'sqlalchemy', 'sqlmodel'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""

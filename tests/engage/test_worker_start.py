"""A new web worker builds the app without the libraries only some commands and pages use.

A resident waits for a worker after every restart, so ``create_app`` imports only what
serving a page or a submission needs. Migrations (Alembic, Mako), spreadsheets
(openpyxl), statistics (SciPy), single sign-on (Authlib, requests) and the heavier
analysis libraries are imported inside the functions that use them. NumPy is allowed:
the statistics, disclosure and themes modules import it at start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Top-level modules a worker must not import before it serves anything.
NOT_AT_START = (
    "alembic",
    "mako",
    "openpyxl",
    "scipy",
    "plotly",
    "pandas",
    "matplotlib",
    "sklearn",
    "textblob",
    "nltk",
    "authlib",
    "requests",
    "cryptography",
)


def modules_after(code: str, tmp_path) -> set[str]:
    """Run ``code`` in a fresh interpreter; return the top-level modules it imported.

    Those in ``BEFORE``, if the code sets it, are left out.
    """
    script = f"""
import json, sys
BEFORE = set()
{code}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} - BEFORE)))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "ENGAGE_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_creating_the_app_imports_none_of_the_heavy_libraries(tmp_path):
    loaded = modules_after("import engage\nengage.create_app()", tmp_path)
    assert "flask" in loaded and "engage" in loaded  # the check itself works
    assert sorted(loaded & set(NOT_AT_START)) == []


def test_serving_a_survey_page_and_a_submission_imports_none_of_them(tmp_path):
    code = f"""
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests")!r}]
from pathlib import Path
from sqlmodel import Session
from support import make_app
from tests.engage.test_respond import form_token, make_survey, post

folder = Path({str(tmp_path)!r})
app = make_app("sqlite:///" + str(folder / "start.sqlite3"), folder / "instance")
BEFORE = {{name.split(".")[0] for name in sys.modules}}
with Session(app.extensions["engage.engine"]) as session:
    make_survey(session)
client = app.test_client()
token = form_token(client.get("/s/parks"))
post(client, token, 0, visited="yes", rating="4")
sent = post(client, token, 1, "send", visited="yes", rating="4", comments="Lovely shade")
assert sent.status_code == 303, sent.status_code
"""
    # Migrating the test database imports Alembic before BEFORE; the pages must add nothing.
    loaded = modules_after(code, tmp_path)
    assert sorted(loaded & set(NOT_AT_START)) == []


def test_the_xml_character_rule_matches_openpyxl():
    from openpyxl.cell import cell

    from engage.exports import spreadsheets

    assert spreadsheets.ILLEGAL_CHARACTERS_RE.pattern == cell.ILLEGAL_CHARACTERS_RE.pattern

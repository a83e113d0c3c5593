"""The installed wheel (not only a checkout) finds its templates, translations and migrations."""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_ships_templates_translations_and_migrations_and_runs(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("engage-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "engage/templates/base.html" in names
    assert "engage/translations/messages.pot" in names
    assert "engage/translations/fr/LC_MESSAGES/messages.mo" in names
    assert "engage/migrations/versions/0001_initial_schema.py" in names
    assert "engage/static/engage.css" in names
    assert "engage/data/common-passwords.txt.gz" in names
    assert "engage/data/common-passwords-LICENSE.txt" in names
    assert "analysis/data/sentiment_model.json" in names
    modules = [
        path.relative_to(REPO).as_posix()
        for package in ("engage", "surveys", "analysis")
        for path in (REPO / package).rglob("*.py")
    ]
    assert "engage/intake/entries.py" in modules
    assert [module for module in modules if module not in names] == []

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    program = (
        "import engage, sys\n"
        f"assert engage.__file__.startswith({str(site)!r}), engage.__file__\n"
        "from engage import create_app, db\n"
        f"app = create_app({{'INSTANCE_PATH': {str(tmp_path / 'inst')!r}}})\n"
        "db.upgrade(app.extensions['engage.engine'])\n"
        "page = app.test_client().get('/auth/login?lang=fr').get_data(as_text=True)\n"
        "from analysis.sentiment import score_comment\n"
        "method = score_comment('The bus never comes.', 'en').method\n"
        "print('Se connecter' in page, app.template_folder, method)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    found, template_folder, method = result.stdout.split()
    assert found == "True"
    assert method == "civic-1"  # the sentiment weights ship in the wheel
    assert template_folder.startswith(str(site))

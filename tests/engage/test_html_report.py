"""The one HTML rendering of a report: `engage report --format html`, `engage export --html`
and the dashboard's download write the same self-contained document."""

import json
import re

import pytest
from report_support import add_many, add_responses, choice_question, comment, likert, make_survey

from surveys.models import PopulationBenchmark

LIMIT = 1_500_000  # bytes: the one-file report must stay attachable to an agenda


@pytest.fixture
def survey(session):
    """120 respondents in two age groups and 4 who gave no age (withheld); quotable comments."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
        ],
        settings={"quote_comments": True, "min_cell": 5},
    )
    add_many(
        session,
        survey,
        [
            ({"age": "young", "safe": "agree", "why": "Great buses, lovely drivers."}, 60),
            ({"age": "old", "safe": "disagree"}, 56),
            ({"safe": "agree"}, 4),
        ],
    )
    add_responses(
        session,
        survey,
        {"age": "old", "safe": "agree", "why": "Le service est mauvais."},
        4,
        language="fr",
    )
    return survey


def write_html(runner, tmp_path, *args) -> str:
    target = tmp_path / "report.html"
    result = runner.invoke(args=[*args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def without_time(html: str) -> str:
    """Return the document without the moment its report was built."""
    return re.sub(r"generated [0-9][^<]*<", "generated …<", html)


def test_command_export_and_download_give_one_and_the_same_document(
    runner, client, login_as, survey, tmp_path
):
    from_report = write_html(runner, tmp_path, "report", survey.slug, "--format", "html")
    from_export = write_html(runner, tmp_path, "export", survey.slug, "--html")
    login_as("staff")
    download = client.get(f"/reports/{survey.slug}/download/report.html")

    assert download.status_code == 200
    assert without_time(from_report) == without_time(from_export)
    assert without_time(download.data.decode("utf-8")) == without_time(from_export)


def test_report_html_is_self_contained_accessible_and_says_suppressed_in_words(
    runner, survey, tmp_path
):
    html = write_html(runner, tmp_path, "report", survey.slug, "--format", "html")

    assert html.startswith("<!doctype html>")
    assert '<html lang="en" dir="ltr">' in html
    assert "<script" not in html and "<link" not in html and "http" not in html
    assert "<caption>" in html and '<th scope="col">' in html and '<th scope="row"' in html
    # The 4 respondents without an age are fewer than the minimum cell (5 here).
    assert '<td class="num suppressed">suppressed</td>' in html
    assert "minimum cell size: 5" in html
    assert "<dt>Minimum cell size</dt><dd>5</dd>" in html
    # Every chart is an image named by its title and described by its summary.
    charts = re.findall(r'<svg class="chart-svg" role="img"[^>]*>', html)
    assert len(charts) >= 6
    for chart in charts:
        title = re.search(r'aria-labelledby="([^"]+)"', chart).group(1)
        assert f'<title id="{title}">' in html


def test_quotes_carry_their_own_language(runner, survey, tmp_path):
    html = write_html(runner, tmp_path, "report", survey.slug, "--format", "html")

    assert '<th scope="row" lang="fr" dir="ltr">Le service est mauvais.</th>' in html


def test_page_language_and_direction_follow_the_report_language(runner, survey, tmp_path):
    french = write_html(runner, tmp_path, "report", survey.slug, "--format", "html", "--lang", "fr")
    arabic = write_html(runner, tmp_path, "report", survey.slug, "--format", "html", "--lang", "ar")

    assert '<html lang="fr" dir="ltr">' in french and "<h1>Sondage sur le transport</h1>" in french
    assert "masqué" in french
    assert '<html lang="ar" dir="rtl">' in arabic
    assert 'direction="rtl"' in arabic


def test_weighted_rates_and_the_combined_view_are_in_the_document_when_asked(
    runner, session, survey, tmp_path
):
    for group, population in (("young", 3000), ("old", 7000)):
        session.add(PopulationBenchmark(dimension="age_band", group=group, population=population))
    session.commit()

    html = write_html(
        runner,
        tmp_path,
        *("report", survey.slug, "--format", "html", "--weight-by", "age_band", "--combined"),
    )

    assert "Weighted to the population" in html
    assert "Favourable rate, unweighted and weighted" in html
    assert "Combined view: individual responses and group sessions" in html


def test_demo_one_file_report_is_small_has_no_plotly_and_every_breakdown(demo_app):
    from engage.demo import DEMO_SLUG

    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["report", DEMO_SLUG, "--format", "json"])
    report = json.loads(result.output)
    html = runner.invoke(args=["report", DEMO_SLUG, "--format", "html"]).output

    assert len(html.encode("utf-8")) < LIMIT
    assert "plotly" not in html.lower() and "<script" not in html
    drawn = re.findall(
        r'<svg class="chart-svg" role="img"[^>]*aria-labelledby="chart-outcome-', html
    )
    assert len(drawn) == len(report["outcomes"]) > 1
    crossed = re.findall(r'<svg class="chart-svg"[^>]*aria-labelledby="chart-intersection-', html)
    assert len(crossed) == len(report["intersections"]) > 1

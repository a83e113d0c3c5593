"""The one-file HTML report opens offline in Chromium with its charts and passes axe-core."""

from report_support import add_many, choice_question, comment, likert, make_survey

from engage.demo import DEMO_SLUG


def test_html_report_file_is_accessible_and_needs_nothing_from_the_network(
    runner, session, tmp_path, desktop, axe
):
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("race", ["black", "white"], dimension="race", multiple=True),
            likert("safe"),
            comment("why"),
        ],
        settings={"quote_comments": True},
    )
    add_many(
        session,
        survey,
        [
            ({"age": "young", "race": ["black"], "safe": "agree", "why": "Great buses."}, 30),
            ({"age": "old", "race": ["white"], "safe": "disagree", "why": "Awful delays."}, 25),
            ({"age": "old", "race": ["black", "white"], "safe": "neutral"}, 4),
        ],
    )
    target = tmp_path / "report.html"
    result = runner.invoke(args=["report", survey.slug, "--format", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    requests = []
    desktop.on("request", lambda request: requests.append(request.url))

    desktop.goto(target.as_uri())

    assert requests == [target.as_uri()]
    assert desktop.locator("h1").inner_text() == "Transit survey"
    assert desktop.get_by_text("suppressed").count() > 0
    assert desktop.locator("svg.chart-svg").count() >= 5
    axe(desktop, "HTML report")
    assert desktop.console_errors == []


def test_demo_report_file_draws_every_chart_offline(demo_app, desktop, tmp_path):
    target = tmp_path / "report.html"
    result = demo_app.test_cli_runner().invoke(
        args=["export", DEMO_SLUG, "--html", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    requests = []
    desktop.on("request", lambda request: requests.append(request.url))

    desktop.goto(target.as_uri())

    assert requests == [target.as_uri()]
    figures = desktop.locator("figure.chart-figure")
    charts = desktop.locator("figure.chart-figure > svg.chart-svg")
    assert charts.count() == figures.count() > 40
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert chart.is_visible() and box["width"] > 300 and box["height"] > 60, index
    # A bar chart of shares: bars, interval whiskers and the values written beside them.
    representation = desktop.locator("svg[aria-labelledby^='chart-representation-']").first
    assert representation.locator("rect").count() > 4
    assert representation.locator("line[stroke-width='1.5']").count() > 3
    values = [text for text in representation.locator("text").all_text_contents() if "." in text]
    assert len(values) > 4  # shares with one decimal: the ticks have none
    assert desktop.console_errors == []

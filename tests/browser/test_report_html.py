"""The HTML report file opens offline in Chromium and passes axe-core."""

from report_support import add_many, choice_question, comment, likert, make_survey


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
    assert desktop.locator("h1").inner_text().startswith("Report: Transit survey")
    assert desktop.get_by_text("suppressed").count() > 0
    axe(desktop, "HTML report")
    assert desktop.console_errors == []

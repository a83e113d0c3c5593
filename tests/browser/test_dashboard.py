"""The equity dashboard of the demo survey in the system Chromium: charts, tables, axe."""

import re

import pytest

from engage.demo import DEMO_ACCOUNTS, DEMO_SLUG

DASHBOARD = f"/reports/{DEMO_SLUG}/"
EVERY_CHART_DRAWN = (
    "() => { const charts = document.querySelectorAll('[data-chart]');"
    " return charts.length > 0 && [...charts].every("
    "c => c.dataset.rendered === 'true' && c.querySelector('.main-svg')); }"
)


@pytest.fixture
def app(demo_app):
    """The live server serves the demo."""
    return demo_app


def sign_in_as_staff(page, live_server) -> None:
    _, email, password = next(account for account in DEMO_ACCOUNTS if account[0] == "staff")
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{live_server.url}/auth/")


def tables(page) -> dict[str, list[list[str]]]:
    """Return every data table on the page by caption: rows of cell texts, header first."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => [
            t.caption ? t.caption.textContent.trim() : '',
            [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim()))
        ])"""
    )
    return {caption: rows for caption, rows in found}


def percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


def check_count(cell: str, row: dict) -> None:
    if row.get("kind") == "not_asked":  # a benchmark group the survey does not ask
        assert cell == "", row
    elif row["suppressed"] and row["n"] is None:
        assert cell == "suppressed", row
    else:
        assert cell == f"{row['n']:,}", row


def check_share(cell: str, share: float | None) -> None:
    if share is None:
        assert cell in ("", "suppressed")
    else:
        assert abs(percent(cell) - share) < 0.0005 + 1e-9, (cell, share)


def test_dashboard_draws_every_chart_without_console_errors_and_passes_axe(
    live_server, desktop, axe
):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(live_server.url + DASHBOARD)
    desktop.wait_for_function(EVERY_CHART_DRAWN, timeout=60_000)

    charts = desktop.locator("[data-chart]")
    assert charts.count() >= 12
    assert desktop.locator(".chart-fallback").count() == 0
    assert desktop.console_errors == []
    assert "minimum cell size: 10" in desktop.inner_text(".privacy-note")
    axe(desktop, "equity dashboard")


def test_data_tables_hold_the_numbers_of_the_report_json(live_server, desktop):
    sign_in_as_staff(desktop, live_server)
    query = "?question=satisfaction&dimension=age_band&by=gender"
    desktop.goto(live_server.url + DASHBOARD + query)
    shown = tables(desktop)
    reply = desktop.request.get(
        f"{live_server.url}/reports/{DEMO_SLUG}/download/report.json{query}"
    )
    report = reply.json()

    channels = shown["Responses by channel"]
    for row, cells in zip(report["totals"]["by_channel"], channels[1:], strict=True):
        check_count(cells[1], row)
        check_share(cells[2], row["share"])

    for table in report["representation"]:
        cells = shown[f"Representation: {table['label']}"]
        assert cells[0][:3] == ["Group", "Respondents", "Share"]
        assert len(cells) == len(table["rows"]) + 1
        for row, line in zip(table["rows"], cells[1:], strict=True):
            check_count(line[1], row)
            check_share(line[2], row["share"])
            check_share(line[4], row["population_share"])

    outcome = next(
        t
        for t in report["outcomes"]
        if t["question"] == "satisfaction" and t["dimension"] == "age_band"
    )
    lines = shown[f"By group: {outcome['label']}"]
    assert lines[1][0] == "All respondents"
    for row, line in zip([outcome["overall"], *outcome["rows"]], lines[1:], strict=True):
        check_count(line[1], row)
        # A rate whose interval is wide says so beside it (analysis.disclosure.low_reliability).
        flagged = line[2].endswith(" (low reliability)")
        assert flagged == (row["rate"] is not None and row["low_reliability"]), (line, row)
        check_share(line[2].removesuffix(" (low reliability)"), row["rate"])
        assert line[5] == ("" if row["index"] is None else f"{row['index']:.2f}")
    assert sum(line[0].endswith("(reference)") for line in lines) == 1


def test_comment_explorer_passes_axe_and_labels_are_corrected_from_the_keyboard(
    live_server, desktop, axe
):
    sign_in_as_staff(desktop, live_server)
    # The derived disability status as the group, and group feedback with its own forms.
    query = "?group=disability%3Awith_disability"
    desktop.goto(f"{live_server.url}/reports/{DEMO_SLUG}/comments{query}")
    assert desktop.locator("#group option:checked").inner_text() == "With a disability"
    assert desktop.locator("#group optgroup[label^='Disability']").count() == 1
    feedback = desktop.locator("#group-feedback ~ ol .comment").first
    assert feedback.get_by_role("button", name="Save label (group note 1)").count() == 1
    axe(desktop, "comment explorer")

    first = desktop.locator("#resident-comments ~ ol .comment").first
    first.get_by_label("Sentiment label").select_option("positive")
    first.get_by_label("Reason (optional)").fill("Quoting a neighbour")
    first.get_by_label("Reason (optional)").press("Enter")
    desktop.wait_for_load_state()
    assert "Sentiment label set to Positive." in desktop.inner_text(".flash")
    corrected = desktop.locator("#resident-comments ~ ol .comment").first
    assert re.search(r"set by Demo staff on", corrected.inner_text())

    item = desktop.locator("#group-feedback ~ ol .comment").first
    item_id = item.get_attribute("id")
    item.get_by_label("Sentiment label").select_option("negative")
    item.get_by_label("Reason (optional)").fill("Read in context")
    item.get_by_label("Reason (optional)").press("Enter")
    desktop.wait_for_load_state()
    assert desktop.url.endswith(f"{query}#{item_id}")
    assert "Sentiment label set to Negative." in desktop.inner_text(".flash")
    assert re.search(r"Negative\s+set by Demo staff on", desktop.inner_text(f"#{item_id}"))
    assert desktop.console_errors == []


def test_one_file_report_draws_its_charts_offline(live_server, chromium, desktop, tmp_path):
    sign_in_as_staff(desktop, live_server)
    reply = desktop.request.get(f"{live_server.url}/reports/{DEMO_SLUG}/download/report.html")
    path = tmp_path / "report.html"
    path.write_bytes(reply.body())

    context = chromium.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    # Drawn on the server as inline SVG: nothing to wait for, no script to run.
    charts = page.locator("svg.chart-svg")
    assert charts.count() > 20
    assert charts.first.is_visible() and charts.last.is_visible()
    assert errors == []
    assert requests == [path.as_uri()]
    context.close()

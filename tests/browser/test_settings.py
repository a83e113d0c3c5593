"""The demo survey's analysis settings in the system Chromium: axe, a phone, a refused change."""

import pytest

from engage.demo import DEMO_ACCOUNTS, DEMO_SLUG

SETTINGS = f"/settings/{DEMO_SLUG}/"


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


def test_settings_and_benchmarks_pass_axe_on_a_phone(live_server, phone, axe):
    sign_in_as_staff(phone, live_server)
    for url in (SETTINGS, SETTINGS + "benchmarks"):
        phone.goto(live_server.url + url)
        axe(phone, url)
    # The demo asks adults: the Census's under-18 band is listed as not asked.
    row = phone.locator("#dimension-age_band tr", has_text="Under 18")
    assert "Not asked" in row.inner_text()
    assert phone.console_errors == []


def test_a_refused_cell_size_is_summarised_and_leads_to_its_field(live_server, desktop, axe):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(live_server.url + SETTINGS)
    desktop.get_by_label("Minimum cell size").fill("3")
    desktop.get_by_role("button", name="Save the small-numbers rules").click()

    summary = desktop.locator("#error-summary")
    assert "Enter a whole number from 5 to 100." in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert desktop.evaluate("document.activeElement.id") == "disclosure-min_cell"
    axe(desktop, "settings with an error")

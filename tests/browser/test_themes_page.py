"""An analyst names the demo's comment themes and reads them by group (issue 13), in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from engage.demo import DEMO_ACCOUNTS, DEMO_SLUG

THEMES = f"/reports/{DEMO_SLUG}/comments/themes"


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


def test_an_analyst_edits_a_theme_and_stays_where_they_were(desktop, live_server, axe):
    sign_in_as_staff(desktop, live_server)
    desktop.goto(f"{live_server.url}{THEMES}")
    desktop.get_by_role("button", name="Compute the themes").click()
    expect(desktop.get_by_text("The themes were computed.")).to_be_visible()
    axe(desktop, "themes page")

    # The contents reach the tables without scrolling past every comment.
    contents = desktop.get_by_role("navigation", name="Themes on this page")
    contents.get_by_role("link", name="Themes by group and by channel").click()
    expect(desktop).to_have_url(re.compile("#theme-breakdowns$"))
    desktop.get_by_label("Compare groups of").select_option(
        label="Which ward or area do you live in?"
    )
    desktop.locator("#theme-breakdowns").get_by_role("button", name="Show").click()
    expect(desktop.locator("#theme-breakdowns caption").first).to_contain_text(
        "Which ward or area do you live in?"
    )

    # An unnamed Arabic theme reads right to left, in its heading and in the tables.
    arabic = desktop.locator("section.theme h2[lang='ar']").first
    expect(arabic).to_have_attribute("dir", "rtl")
    expect(desktop.locator("#theme-breakdowns th[lang='ar'][dir='rtl']").first).to_be_visible()

    english = desktop.locator("section.theme", has=desktop.locator("h2[lang='en']")).first
    theme_id = english.get_attribute("id")
    english.get_by_label("Name").fill("Evening bus service")
    english.get_by_role("button", name="Rename").click()
    expect(desktop.get_by_text("The theme was renamed.")).to_be_visible()
    # Back at the theme just renamed, with the tables still by area.
    expect(desktop).to_have_url(re.compile(f"dimension=area.*#{theme_id}$"))
    assert desktop.evaluate("window.scrollY") > 0
    expect(desktop.locator(f"#{theme_id} h2")).to_have_text("Evening bus service")
    header = desktop.locator("#theme-breakdowns th", has_text="Evening bus service").first
    expect(header).to_be_visible()
    assert header.get_attribute("lang") is None
    axe(desktop, "themes page after a rename")
    assert desktop.console_errors == []


def test_the_themes_page_in_arabic_on_a_phone(phone, live_server, axe):
    sign_in_as_staff(phone, live_server)
    phone.goto(f"{live_server.url}{THEMES}?lang=ar")
    phone.locator("form[method='post'] button.primary").click()
    expect(phone.locator("#theme-breakdowns table").first).to_be_visible()
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    axe(phone, "themes page, Arabic, phone")
    assert phone.console_errors == []

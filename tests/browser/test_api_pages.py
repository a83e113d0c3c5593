"""The API tokens page and a survey's webhooks page, in Chromium, with axe-core."""

from api_support import SLUG, make_survey
from support import PASSWORD


def sign_in(page, url, email):
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{url}/auth/")


def test_a_token_is_made_shown_once_and_revoked(live_server, desktop, users, axe):
    sign_in(desktop, live_server.url, users["staff"].email)
    desktop.get_by_role("link", name="API tokens").click()
    axe(desktop, "API tokens, none yet")
    desktop.get_by_label("Name").fill("Open data portal")
    desktop.get_by_label("export: the report and the open-data bundle").check()
    desktop.get_by_role("button", name="Create the token").click()
    secret = desktop.locator("#token").input_value()
    assert secret.startswith("engage_")
    axe(desktop, "new token")
    desktop.get_by_role("link", name="Back to your API tokens").click()
    assert secret not in desktop.content()
    axe(desktop, "API tokens, one")
    desktop.get_by_role("button", name="Revoke Open data portal").click()
    assert "The token is revoked" in desktop.content()


def test_staff_add_a_webhook_and_read_its_log(live_server, desktop, users, session, axe):
    make_survey(session)
    sign_in(desktop, live_server.url, users["staff"].email)
    desktop.goto(f"{live_server.url}/manage/{SLUG}/")
    desktop.get_by_role("link", name="Webhooks: tell other systems about responses").click()
    axe(desktop, "webhooks, none yet")
    desktop.get_by_label("Address").fill("https://receiver.example/hook")
    desktop.get_by_role("button", name="Add the webhook").click()
    assert desktop.locator("#secret").input_value().startswith("whsec_")
    axe(desktop, "webhook added")
    desktop.get_by_role("link", name="Back to the webhooks").click()
    assert "Nothing delivered yet." in desktop.content()
    axe(desktop, "webhooks, one")

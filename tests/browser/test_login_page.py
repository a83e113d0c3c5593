"""The sign-in page as a staff member's browser shows it."""


def test_login_page_has_no_accessibility_violations_in_english_and_arabic(live_server, phone, axe):
    for lang in ("en", "ar"):
        phone.goto(f"{live_server.url}/auth/login?lang={lang}")
        axe(phone, f"login page ({lang})")
    assert phone.console_errors == []


def test_staff_member_signs_in_with_the_keyboard(live_server, desktop, users):
    from support import PASSWORD

    desktop.goto(f"{live_server.url}/auth/login")
    desktop.keyboard.press("Tab")  # skip link
    desktop.keyboard.press("Tab")
    desktop.get_by_label("Email").fill("staff@example.ca")
    desktop.get_by_label("Password").fill(PASSWORD)
    desktop.get_by_label("Password").press("Enter")
    desktop.wait_for_url(f"{live_server.url}/auth/")
    assert "Staff" in desktop.inner_text("h1")

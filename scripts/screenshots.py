"""Regenerate the README's screenshots from the demo, with the system Chromium.

Loads the demo (``engage demo``) into a throwaway instance, serves it on
127.0.0.1 and captures, with Playwright driving ``/usr/bin/chromium`` (never a
downloaded browser):

- ``resident-phone.png``: the demo survey as a resident sees it on a phone;
- ``results-phone.png``: the demo survey's public results page on a phone;
- ``broker-entry.png``: the broker's paper-form entry screen;
- ``dashboard.png``: the top of the staff equity dashboard;
- ``dashboard-outcomes.png``: the dashboard's group comparison with its table.

Usage::

    python scripts/screenshots.py [--output docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("ENGAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
EVERY_CHART_DRAWN = (
    "() => [...document.querySelectorAll('[data-chart]')].every(c => c.dataset.rendered === 'true')"
)


def demo_app(instance: Path):
    """Return an app on a fresh SQLite database in ``instance`` with the demo loaded."""
    from engage import create_app, db
    from engage.demo import load_demo

    app = create_app({"INSTANCE_PATH": str(instance)})
    db.upgrade(app.extensions["engage.engine"])
    with app.app_context():
        load_demo(app)
    return app


def sign_in(page, base: str, role: str) -> None:
    """Sign in with the demo account of ``role``."""
    from engage.demo import DEMO_ACCOUNTS

    _, email, password = next(account for account in DEMO_ACCOUNTS if account[0] == role)
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/auth/")


def capture(base: str, output: Path) -> list[Path]:
    """Take the screenshots; return the files written."""
    from playwright.sync_api import sync_playwright

    from engage.demo import DEMO_SLUG

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        page.goto(f"{base}/s/{DEMO_SLUG}?lang=en")
        written.append(output / "resident-phone.png")
        page.screenshot(path=written[-1], full_page=False)
        page.goto(f"{base}/s/{DEMO_SLUG}/results?lang=en")
        written.append(output / "results-phone.png")
        page.screenshot(path=written[-1], full_page=False)
        phone.close()

        desktop = browser.new_context(**DESKTOP)
        page = desktop.new_page()
        sign_in(page, base, "broker")
        page.goto(f"{base}/intake/{DEMO_SLUG}/enter")
        written.append(output / "broker-entry.png")
        page.screenshot(path=written[-1], full_page=False)
        page.goto(f"{base}/auth/")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, base, "staff")
        page.goto(f"{base}/reports/{DEMO_SLUG}/?question=satisfaction&dimension=race&by=gender")
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=120_000)
        written.append(output / "dashboard.png")
        page.screenshot(path=written[-1], full_page=False)
        top = page.evaluate(
            "document.getElementById('outcomes').getBoundingClientRect().top + window.scrollY"
        )
        written.append(output / "dashboard-outcomes.png")
        page.screenshot(
            path=written[-1],
            full_page=True,
            clip={"x": 0, "y": top - 16, "width": DESKTOP["viewport"]["width"], "height": 1150},
        )
        desktop.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)

    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory(prefix="engage-screenshots-") as folder:
        app = demo_app(Path(folder) / "instance")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            for path in capture(f"http://127.0.0.1:{server.server_port}", args.output):
                print(f"Wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        finally:
            server.shutdown()
            thread.join(timeout=5)
            app.extensions["engage.engine"].dispose()


if __name__ == "__main__":
    main()

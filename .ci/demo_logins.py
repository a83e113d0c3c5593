"""Sign in over HTTP as each demo account that ``engage demo`` printed, as a newcomer would.

Usage: python3 .ci/demo_logins.py BASE_URL DEMO_OUTPUT_FILE. Standard library only: it runs
before (and outside) any virtual environment. Exits 1 naming the first role that fails.
"""

import html
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

LOGIN_LINE = re.compile(r"^\s+(\w+)\s+(\S+@\S+)\s+password: (\S+)\s*$")
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The page each role starts on, and one it must not open (None: nothing to refuse).
ROLE_PAGES = {
    "admin": ("/reports/", None),
    "staff": ("/reports/", None),
    "broker": ("/intake/", "/reports/"),
}


def status_of(opener, url: str, data: bytes | None = None) -> tuple[int, str, str]:
    """Return (status, final URL, body) of a request, following redirects."""
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status, response.url, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8", "replace")


def sign_in(base: str, role: str, email: str, password: str) -> str | None:
    """Sign in as one account; return what went wrong, or None."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, _url, page = status_of(opener, f"{base}/auth/login")
    token = CSRF_FIELD.search(page)
    if status != 200 or not token:
        return f"the sign-in page answered {status} without a form token"
    form = {"csrf_token": html.unescape(token.group(1)), "email": email, "password": password}
    status, url, page = status_of(
        opener, f"{base}/auth/login", urllib.parse.urlencode(form).encode()
    )
    if status != 200 or url.rstrip("/").endswith("/auth/login"):
        return f"signing in answered {status} at {url}"
    start, refused = ROLE_PAGES[role]
    status, url, _page = status_of(opener, base + start)
    if status != 200 or "/auth/login" in url:
        return f"{start} answered {status} at {url}"
    if refused and status_of(opener, base + refused)[0] != 403:
        return f"{refused} did not refuse a {role}"
    return None


def main(base: str, demo_output: str) -> int:
    """Sign in as every printed demo account; 0 when all three roles work."""
    with open(demo_output, encoding="utf-8") as handle:
        logins = [match.groups() for line in handle if (match := LOGIN_LINE.match(line))]
    if sorted(role for role, _email, _password in logins) != sorted(ROLE_PAGES):
        print(f"engage demo printed logins for {logins!r}, expected {sorted(ROLE_PAGES)}")
        return 1
    for role, email, password in logins:
        if problem := sign_in(base, role, email, password):
            print(f"demo {role} ({email}): {problem}")
            return 1
        print(f"demo {role} ({email}): signed in and opened {ROLE_PAGES[role][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

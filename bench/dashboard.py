"""The equity dashboard at scale: server time to render it for 200,000 responses.

Uses the survey ``bench/report_scale.py`` generates (200,000 responses, about
2.4 million answers, with comments and group sessions) and measures, in a fresh
process per run, the time the server takes to answer the dashboard's address
(request in, HTML out; the browser's drawing is not included), for

- ``dashboard``: the default view;
- ``filtered``: the dashboard for web responses in English in one month, with
  another question, dimension and pair of dimensions chosen;
- ``wide``: the dashboard filtered to web responses only, all dates (the widest
  filter: 70 % of the survey);
- ``comments``: the comment explorer searching the text of every comment.

Each view is measured twice, each time in a fresh process:

- ``built``: kept reports off (``REPORT_CACHE_SECONDS=0``), so every request
  builds the report: from the survey's kept counts (``surveys.report_counts``,
  kept up to date as responses are written) when unfiltered, else one counting
  pass over the filtered responses' facts (``surveys.counting``); then suppression
  and statistics. This is
  what the first visitor after a change waits for;
- ``kept``: the app's default, where the first request builds the report and
  keeps it (``engage.report_cache``) and the requests after it reuse it.

The first request of a process (imports cold) and the median of the requests
after it are reported, with the time spent building the report apart.

Usage::

    python bench/dashboard.py                    # SQLite, generating the survey if missing
    python bench/dashboard.py --database URL     # another database (PostgreSQL too)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "sqlite:////tmp/engage-bench/report-scale.sqlite3"
SLUG = "report-scale"
TARGET_SECONDS = 2.0
STAFF_EMAIL = "bench-staff@engage.invalid"
STAFF_PASSWORD = "bench-staff-password"
VIEWS = {
    "dashboard": f"/reports/{SLUG}/",
    "filtered": (
        f"/reports/{SLUG}/?channel=web&language=en&start=2025-03-01&end=2025-03-31"
        "&question=reliable&dimension=race&by=age_band"
    ),
    # The widest filter: every web response (70 % of the survey, about 140,000).
    "wide": f"/reports/{SLUG}/?channel=web",
    # The most a filter makes a pass count: just under half the survey (four wards,
    # 93,650 responses); over half, the rest is counted and subtracted from the kept rows.
    "half": f"/reports/{SLUG}/?area=ward_7&area=ward_8&area=ward_9&area=ward_10",
    "comments": f"/reports/{SLUG}/comments?q=late",
}


def make_app(database: str, keep: bool = True):
    """Return the app on ``database`` with a staff account for the benchmark."""
    from sqlmodel import Session, select

    from engage import create_app, db
    from engage.auth import create_user
    from surveys.models import User

    instance = Path("/tmp/engage-bench/instance")
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "DATABASE_URL": database,
            "INSTANCE_PATH": str(instance),
            "WTF_CSRF_ENABLED": False,
            "REPORT_CACHE_SECONDS": 600 if keep else 0,
        }
    )
    engine = app.extensions["engage.engine"]
    db.upgrade(engine)
    with Session(engine) as session:
        if not session.exec(select(User).where(User.email == STAFF_EMAIL)).first():
            create_user(session, STAFF_EMAIL, "staff", STAFF_PASSWORD, name="Benchmark")
    return app


def measure(database: str, view: str, repeat: int, keep: bool) -> dict:
    """Request one view ``repeat + 1`` times in this process; return the timings."""
    from sqlmodel import Session, delete

    import engage.reports.dashboard as reports
    from surveys.models import StoredReport

    app = make_app(database, keep)
    with Session(app.extensions["engage.engine"]) as session:  # no report kept from a last run
        session.exec(delete(StoredReport))
        session.commit()
    client = app.test_client()
    reply = client.post("/auth/login", data={"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    if reply.status_code != 302:
        raise SystemExit("could not sign in as the benchmark's staff account")
    # Time the report apart from the page by wrapping the function that builds it.
    building: list[float] = []
    build = reports.build_page_report

    def timed_build(*args, **kwargs):
        started = time.perf_counter()
        try:
            return build(*args, **kwargs)
        finally:
            building.append(time.perf_counter() - started)

    reports.build_page_report = timed_build
    seconds, sizes = [], []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        reply = client.get(VIEWS[view])
        body = reply.get_data()
        seconds.append(time.perf_counter() - started)
        if reply.status_code != 200:
            raise SystemExit(f"{VIEWS[view]} answered {reply.status_code}")
        sizes.append(len(body))
    warm = seconds[1:] or seconds
    return {
        "view": view,
        "kept": keep,
        "first_seconds": seconds[0],
        "seconds": statistics.median(warm),
        "all_seconds": [round(s, 3) for s in seconds],
        "report_seconds": statistics.median(building[1:] or building) if building else None,
        "html_kb": sizes[-1] / 1024,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_in_subprocess(database: str, view: str, repeat: int, keep: bool) -> dict:
    """Run ``measure`` in a fresh Python process."""
    result = subprocess.run(
        [
            sys.executable,
            str(HERE),
            "--measure",
            view,
            "--database",
            database,
            "--repeat",
            str(repeat),
            *(["--keep"] if keep else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def ensure_survey(database: str) -> None:
    """Generate the 200,000-response survey with the report benchmark's generator if missing."""
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "report_scale.py"),
            "--generate-only",
            "--database",
            database,
        ],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--repeat", type=int, default=3, help="warm requests per process")
    parser.add_argument("--measure", choices=tuple(VIEWS), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.database, args.measure, args.repeat, args.keep)))
        return
    if args.database.startswith("sqlite:///"):
        Path(args.database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    ensure_survey(args.database)
    results = [
        measure_in_subprocess(args.database, view, args.repeat, keep)
        for view in VIEWS
        for keep in (False, True)
        if keep or view != "comments"  # the explorer builds no report
    ]
    name = args.database.split(":")[0]
    print(f"{name}, load average {os.getloadavg()[0]:.1f}:")
    print(
        "| View | Report | First request | Later requests (median) | Building the report "
        "| HTML | Peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    for result in results:
        report = result["report_seconds"]
        print(
            f"| {result['view']} | {'kept' if result['kept'] else 'built'} "
            f"| {result['first_seconds']:.2f} s | {result['seconds']:.2f} s "
            f"| {f'{report:.2f} s' if report is not None else '-'} | {result['html_kb']:.0f} kB "
            f"| {result['max_rss_mb']:.0f} MB |"
        )
    dashboard = [r for r in results if r["view"] == "dashboard"]
    verdict = all(r["seconds"] < TARGET_SECONDS for r in dashboard)
    print(
        f"Target: dashboard under {TARGET_SECONDS:.0f} s with the report built and with it kept "
        f"(requests after the process's first): {'met' if verdict else 'NOT met'}"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

"""Staff list pages at 100 surveys: server time and SQL statements per page.

A database holds ``--surveys`` open surveys (each the benchmark survey of
``bench/resident.py``: ten questions, titles and texts in the ten interface
languages, a few responses). Signed in as an administrator, the Flask test client
asks each list page (``/``, ``/intake/``, ``/reports/``, ``/manage/``) ``--requests``
times after a warm-up; the same run asks a bare Flask route (a string, no database)
and Engage's ``/healthz`` (one ``SELECT 1``) the same way. Reported: the median and
95th percentile of wall time per request, CPU time per request, and the number of
SQL statements each page runs. The target is at most 50 ms per list page.

Usage::

    python bench/staff_pages.py                       # 100 surveys, 50 requests per page
    python bench/staff_pages.py --surveys 300 --requests 100

Everything runs in process in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))

TARGET_MS = 50.0
PAGES = ("/", "/intake/", "/reports/", "/manage/")
ADMIN_EMAIL = "bench-admin@engage.invalid"
ADMIN_PASSWORD = "bench-admin-password"
RESPONSES_PER_SURVEY = 3


def create_database(url: str, instance: Path, surveys: int) -> None:
    """Create the schema, an administrator and ``surveys`` open surveys with responses."""
    from resident import ANSWERS, ten_question_definition
    from sqlmodel import Session

    from analysis.sentiment import SentimentCutoffs
    from engage import create_app, db
    from engage.auth import create_user
    from engage.demo import NOTICE_TEXTS
    from surveys.models import ROLE_ADMIN, SURVEY_OPEN
    from surveys.recording import Provenance, record_response
    from surveys.responses import validate_submission
    from surveys.store import save_definition, set_texts

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine)
    definition = ten_question_definition()
    with Session(engine, expire_on_commit=False) as session:
        create_user(session, ADMIN_EMAIL, ROLE_ADMIN, ADMIN_PASSWORD, name="Bench admin")
        for number in range(surveys):
            survey = save_definition(
                session, replace(definition, slug=f"survey-{number:03}"), status=SURVEY_OPEN
            )
            set_texts(session, survey, NOTICE_TEXTS)
            session.commit()
            answers = validate_submission(list(survey.questions), ANSWERS).answers
            for response in range(RESPONSES_PER_SURVEY):
                record_response(
                    session,
                    survey,
                    answers,
                    Provenance("web", "en", f"bench-{number}-{response}"),
                    cutoffs=SentimentCutoffs(),
                )
    engine.dispose()


def bare_client():
    """Return a test client of a bare Flask app: one route answering a string."""
    from flask import Flask

    bare = Flask("bare")

    @bare.get("/bare")
    def answer():
        return "bare"

    return bare.test_client()


def measure(client, path: str, requests: int, count_statements=None) -> dict:
    """Ask ``path`` ``requests`` times after a warm-up; return wall and CPU times."""
    for _ in range(5):
        reply = client.get(path)
        assert reply.status_code == 200, (path, reply.status_code)
    walls = []
    cpu_started = time.process_time()
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        walls.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_started) / requests
    walls.sort()
    result = {
        "median_ms": 1000 * statistics.median(walls),
        "p95_ms": 1000 * walls[max(0, int(len(walls) * 0.95) - 1)],
        "cpu_ms": 1000 * cpu,
    }
    if count_statements is not None:
        result["statements"] = count_statements(lambda: client.get(path))
    return result


def measure_pages(workdir: Path, surveys: int, requests: int) -> dict:
    """Build the database, then time the bare route, /healthz and each list page."""
    from sqlalchemy import event

    from engage import create_app

    url = f"sqlite:///{workdir / 'staff.sqlite3'}"
    instance = workdir / "instance"
    create_database(url, instance, surveys)
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    engine = app.extensions["engage.engine"]

    def count_statements(ask) -> int:
        seen = []

        def note(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", note)
        try:
            ask()
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(seen)

    client = app.test_client()
    signed_in = client.post("/auth/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
    results = {"bare route": measure(bare_client(), "/bare", requests)}
    results["/healthz"] = measure(client, "/healthz", requests, count_statements)
    for page in PAGES:
        results[page] = measure(client, page, requests, count_statements)
    engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 when a list page misses the target."""
    from resident import describe_machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    print(describe_machine())
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-staff-"))
    try:
        results = measure_pages(workdir, args.surveys, args.requests)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    bare = results["bare route"]["median_ms"]
    print(
        f"Staff list pages, {args.surveys} surveys, {args.requests} requests each "
        f"(target {TARGET_MS:.0f} ms)"
    )
    print(f"  {'page':<12} {'median':>9} {'p95':>9} {'CPU':>9} {'× bare':>8} {'statements':>11}")
    for page, result in results.items():
        print(
            f"  {page:<12} {result['median_ms']:>6.2f} ms {result['p95_ms']:>6.2f} ms "
            f"{result['cpu_ms']:>6.2f} ms {result['median_ms'] / bare:>8.0f} "
            f"{result.get('statements', ''):>11}"
        )
    if args.json:
        args.json.write_text(json.dumps({"surveys": args.surveys, "pages": results}, indent=2))
    missed = [page for page in PAGES if results[page]["median_ms"] > TARGET_MS]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

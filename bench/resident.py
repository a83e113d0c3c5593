"""Resident pages: page weight in Chromium, and submission throughput under gunicorn.

1. ``weight``: the demo survey's first page (seven questions, its notice of collection)
   in each of the ten interface languages, loaded by the system Chromium at a phone
   viewport with an empty cache. Transferred bytes are what the browser received for
   every response the page needed (the page, engage.css, respond.js): body as sent
   (compressed when the app compressed it) plus headers, from Playwright's
   ``request.sizes()``, on loopback without TLS. The budget is 14 KB (14,336 bytes,
   about what a TCP initial window of ten segments carries) for compressed answers;
   uncompressed ones are printed for the record and not judged.
2. ``throughput``: the real app (``engage.create_app`` under gunicorn, rate limiter on
   with a limit no client reaches) receives complete submissions of a ten-question
   survey (the demo's first seven questions and three from the demographic bank) from
   concurrent clients, each with its own form token. The same run serves a bare
   Flask + SQLModel endpoint that inserts one row per post, under the same gunicorn
   settings and the same SQLite settings. Rounds alternate bare and real; the ratio
   is real / bare, medians over the rounds.
3. ``cpu``: CPU time per request in process with the Flask test client, after a
   warm-up: the survey page (GET) against a bare Flask route answering a string, and
   a complete submission against the bare insert of part 2, in the same run. The
   targets are 3 ms for each.

Usage::

    python bench/resident.py                       # both parts, default sizes
    python bench/resident.py weight
    python bench/resident.py throughput --requests 600 --clients 8 --workers 2 --rounds 3
    python bench/resident.py cpu --cpu-requests 200 --rounds 3

Everything runs on 127.0.0.1 in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_BYTES = 14 * 1024
# Issue 16's targets: CPU per survey page and per complete submission, in process.
CPU_TARGET_SECONDS = 0.003
SLUG = "bench-ten-questions"
SECRET_KEY = "bench-secret-key-not-for-production"
CHROMIUM = os.environ.get("ENGAGE_CHROMIUM", "/usr/bin/chromium")
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# The interface languages (engage.i18n.INTERFACE_LANGUAGES), for the page weight.
LANGUAGES = ("en", "fr", "ar", "ur", "pa", "zh-Hans", "tl", "es", "pt", "ta")
# Untimed posts per gunicorn worker before the rounds.
WARMUP_PER_WORKER = 8
# What the browser accepts: as Chromium asks by itself, gzip only, nothing.
ENCODINGS = {"as Chromium asks": None, "gzip only": "gzip", "uncompressed": "identity"}
# One resident's complete answers to the ten questions.
ANSWERS = {
    "services_used": ["library", "transit"],
    "transit_meets_needs": ["agree"],
    "satisfaction": ["neutral"],
    "felt_welcome": ["yes"],
    "recommend": ["8"],
    "visits": ["4"],
    "comments": ["The buses are late in the evening, but the library staff are wonderful."],
    "age_band": ["age_35_44"],
    "gender": ["woman"],
    "area": ["area_2"],
}


# --- The survey ---------------------------------------------------------------------


def ten_question_definition():
    """Return the benchmark survey: demo questions plus three from the demographic bank."""
    from dataclasses import replace

    from engage.demo import DEMO_AREAS, demo_definition
    from surveys.definition import SECTION
    from surveys.demographics import DEMOGRAPHIC_BANK, area_question

    demo = demo_definition()
    own = [q for q in demo.questions if q.kind != SECTION][:7]
    bank = [*DEMOGRAPHIC_BANK["age_band"], DEMOGRAPHIC_BANK["gender"][1], area_question(DEMO_AREAS)]
    questions = tuple(own + bank)
    assert len(questions) == 10
    return replace(demo, slug=SLUG, questions=questions)


def create_database(url: str, instance: Path) -> None:
    """Create the schema and the open ten-question survey with its notice of collection."""
    from sqlmodel import Session

    from engage import create_app, db
    from engage.demo import NOTICE_TEXTS
    from surveys import report_counts
    from surveys.aggregates import Filters
    from surveys.models import SURVEY_OPEN
    from surveys.store import save_definition, set_texts

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine)
    with Session(engine) as session:
        survey = save_definition(session, ten_question_definition(), status=SURVEY_OPEN)
        set_texts(session, survey, NOTICE_TEXTS)
        session.commit()
        # As once staff have opened its dashboard: each submission keeps the report counts.
        report_counts.kept_rows(session, survey, Filters())
        assert report_counts.trusted(session, survey)
    engine.dispose()


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- 1. Page weight ---------------------------------------------------------------------


def measure_weight(workdir: Path) -> dict:
    """Load the demo survey's first page in Chromium per language; return bytes per resource."""
    from playwright.sync_api import sync_playwright
    from sqlmodel import Session
    from werkzeug.serving import make_server

    from engage import create_app, db
    from engage.demo import DEMO_SLUG, ensure_survey

    url = f"sqlite:///{workdir / 'weight.sqlite3'}"
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": SECRET_KEY}
    )
    db.upgrade(app.extensions["engage.engine"])
    with Session(app.extensions["engage.engine"]) as session:
        ensure_survey(session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for lang, (mode, accept) in itertools.product(LANGUAGES, ENCODINGS.items()):
                headers = {"Accept-Encoding": accept} if accept else {}
                # A new context: empty cache and cookies.
                context = browser.new_context(**PHONE, extra_http_headers=headers)
                page = context.new_page()
                finished: list = []
                page.on("requestfinished", lambda request, seen=finished: seen.append(request))
                page.goto(f"{base}/s/{DEMO_SLUG}?lang={lang}", wait_until="networkidle")
                resources = []
                for request in finished:
                    sizes = request.sizes()
                    response = request.response()
                    resources.append(
                        {
                            "url": request.url.replace(base, ""),
                            "status": response.status if response else None,
                            "encoding": (
                                response.headers.get("content-encoding") if response else None
                            ),
                            "body": sizes["responseBodySize"],
                            "headers": sizes["responseHeadersSize"],
                        }
                    )
                others = [r["url"] for r in resources if not r["url"].startswith("/")]
                results[f"{lang}, {mode}"] = {
                    "total": sum(r["body"] + r["headers"] for r in resources),
                    "resources": resources,
                    "other_hosts": others,
                    # The budget is for compressed answers (every browser asks for them).
                    "judged": accept != "identity",
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["engage.engine"].dispose()
    return results


# --- 2. Submission throughput -------------------------------------------------------------

BARE_APP = '''
"""A bare Flask + SQLModel endpoint: parse the form, insert one row, commit, redirect."""
import os
from datetime import datetime, UTC
from flask import Flask, redirect, request
from sqlmodel import Field, Session, SQLModel
from engage.db import build_engine


class Entry(SQLModel, table=True):
    __tablename__ = "bench_entries"
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=100, unique=True)
    payload: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def create_schema(url):
    engine = build_engine(url)
    Entry.__table__.create(engine)
    engine.dispose()


def create_app():
    app = Flask(__name__)
    engine = build_engine(os.environ["BENCH_DATABASE_URL"])

    @app.post("/insert")
    def insert():
        form = request.form
        payload = "&".join(f"{key}={value}" for key, value in form.items(multi=True))
        with Session(engine) as session:
            session.add(Entry(token=form["token"], payload=payload))
            session.commit()
        return redirect("/done", 303)

    return app
'''


def start_gunicorn(target: str, env: dict, workers: int, threads: int, workdir: Path):
    """Start gunicorn on a free loopback port; return (process, port) once it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--chdir",
        str(workdir),
        "--log-level",
        "warning",
        target,
    ]
    process = subprocess.Popen(command, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {target} exited with {process.returncode}") from None
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn {target} did not start")


def stop(process) -> None:
    """Stop a gunicorn we started."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def signed_visits(count: int, database_url: str, instance: Path) -> list[tuple[str, str]]:
    """Return ``count`` (session cookie, form token) pairs minted by the app's own code.

    Each simulated resident has a session and a token, as after opening the survey
    page; minting them here keeps page rendering out of the submission figure.
    """
    from flask import session

    from engage import create_app
    from engage.respond.tokens import new_form_token

    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY}
    )
    serializer = app.session_interface.get_signing_serializer(app)
    visits = []
    with app.test_request_context():
        for _ in range(count):
            session.clear()
            token = new_form_token(SLUG)
            visits.append((serializer.dumps(dict(session)), token))
    app.extensions["engage.engine"].dispose()
    return visits


def post_batch(args) -> list[tuple[int, float]]:
    """Client process: post each body in turn; return (status, seconds) per request."""
    port, path, bodies = args
    results = []
    for cookie, body in bodies:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = f"session={cookie}"
        started = time.perf_counter()
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", path, body=body, headers=headers)
        status = connection.getresponse().status
        connection.close()
        results.append((status, time.perf_counter() - started))
    return results


def run_clients(port: int, path: str, bodies: list, clients: int) -> dict:
    """Post ``bodies`` from ``clients`` processes at once; return rate and latencies."""
    batches = [bodies[i::clients] for i in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        pool.map(lambda_free_warmup, range(clients))  # processes up before the clock starts
        started = time.perf_counter()
        results = pool.map(post_batch, [(port, path, batch) for batch in batches])
        elapsed = time.perf_counter() - started
    flat = [item for batch in results for item in batch]
    latencies = sorted(seconds for _, seconds in flat)
    return {
        "requests": len(flat),
        "seconds": elapsed,
        "per_second": len(flat) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95) - 1],
        "max_ms": 1000 * latencies[-1],
        "statuses": sorted({status for status, _ in flat}),
    }


def lambda_free_warmup(_index: int) -> None:
    """Do nothing: lets the pool start its processes before timing."""


def count_rows(database_url: str, table: str) -> int:
    """Return the number of rows in ``table``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        number = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return number


def measure_throughput(
    workdir: Path, requests: int, clients: int, workers: int, threads: int, rounds: int
) -> dict:
    """Alternate bare and real rounds; return each round's figures and the median ratio."""
    real_url = f"sqlite:///{workdir / 'real.sqlite3'}"
    bare_url = f"sqlite:///{workdir / 'bare.sqlite3'}"
    instance = workdir / "instance-real"
    create_database(real_url, instance)
    (workdir / "bare_app.py").write_text(BARE_APP)
    subprocess.run(
        [sys.executable, "-c", f"import bare_app; bare_app.create_schema({bare_url!r})"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    real_env = {
        "ENGAGE_DATABASE_URL": real_url,
        "ENGAGE_INSTANCE_PATH": str(instance),
        "ENGAGE_SECRET_KEY": SECRET_KEY,
        "ENGAGE_SUBMISSION_RATE_LIMIT": "1000000 per minute",
    }
    warmup = WARMUP_PER_WORKER * workers
    visits = signed_visits(requests * rounds + warmup, real_url, instance)
    answers = [(f"q.{name}", value) for name, values in ANSWERS.items() for value in values]
    rounds_out = []
    real, port_real = start_gunicorn("engage:create_app()", real_env, workers, threads, workdir)
    bare, port_bare = start_gunicorn(
        "bare_app:create_app()", {"BENCH_DATABASE_URL": bare_url}, workers, threads, workdir
    )

    def bodies(chosen):
        real_bodies = [
            (cookie, urlencode([*answers, ("token", token), ("page", "0"), ("action", "send")]))
            for cookie, token in chosen
        ]
        return real_bodies, [(None, body) for _, body in real_bodies]

    try:
        # Every worker loads its code, opens its database and scores a first comment
        # (TextBlob loads its lexicon) before the clock starts.
        real_bodies, bare_bodies = bodies(visits[-warmup:])
        run_clients(port_bare, "/insert", bare_bodies, workers)
        run_clients(port_real, f"/s/{SLUG}", real_bodies, workers)
        for number in range(rounds):
            real_bodies, bare_bodies = bodies(visits[number * requests : (number + 1) * requests])
            bare_result = run_clients(port_bare, "/insert", bare_bodies, clients)
            real_result = run_clients(port_real, f"/s/{SLUG}", real_bodies, clients)
            rounds_out.append({"bare": bare_result, "real": real_result})
    finally:
        stop(real)
        stop(bare)
    stored = count_rows(real_url, "responses")
    inserted = count_rows(bare_url, "bench_entries")
    counts_match = kept_counts_match(real_url, instance)
    ratios = [r["real"]["per_second"] / r["bare"]["per_second"] for r in rounds_out]
    return {
        "rounds": rounds_out,
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "responses_stored": stored,
        "rows_inserted": inserted,
        "expected": requests * rounds + warmup,
        "kept_counts_match": counts_match,
    }


def kept_counts_match(url: str, instance: Path) -> bool:
    """Return whether the report counts the submissions kept equal the answers grouped afresh."""
    from sqlmodel import Session

    from engage import create_app
    from surveys import report_counts
    from surveys.store import survey_by_slug

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    with Session(app.extensions["engage.engine"]) as session:
        survey = survey_by_slug(session, SLUG)
        return report_counts.trusted(session, survey) and not report_counts.differences(
            session, survey
        )


# --- 3. CPU per request, in process -------------------------------------------------------


def timed_cpu(ask, count: int) -> float:
    """Return the CPU seconds per call of ``ask(i)`` over ``count`` calls (all threads)."""
    started = time.process_time()
    for number in range(count):
        ask(number)
    return (time.process_time() - started) / count


def measure_cpu(workdir: Path, requests: int, rounds: int) -> dict:
    """CPU per survey page and per complete submission, with the Flask test client.

    In the same process and run: a bare Flask route answering a string (against the
    page) and the bare Flask + SQLModel insert of ``BARE_APP`` (against the
    submission). Each figure is the median over ``rounds`` of the CPU time per
    request over ``requests`` requests, after a warm-up of ``requests // 5``.
    """
    from flask import Flask, session

    from engage import create_app
    from engage.respond.tokens import NONCE_KEY, new_form_token

    url = f"sqlite:///{workdir / 'cpu.sqlite3'}"
    instance = workdir / "instance-cpu"
    create_database(url, instance)
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": SECRET_KEY,
            "SUBMISSION_RATE_LIMIT": "1000000 per minute",
        }
    )
    client = app.test_client()
    assert client.get(f"/s/{SLUG}?lang=en").status_code == 200
    with client.session_transaction() as kept:
        nonce = kept[NONCE_KEY]
    warmup = max(1, requests // 5)
    with app.test_request_context():
        session[NONCE_KEY] = nonce
        tokens = [new_form_token(SLUG) for _ in range((warmup + requests) * rounds)]
    answers = [(f"q.{name}", value) for name, values in ANSWERS.items() for value in values]
    bodies = [
        urlencode([*answers, ("token", token), ("page", "0"), ("action", "send")])
        for token in tokens
    ]
    form = "application/x-www-form-urlencoded"

    def page(_number):
        assert client.get(f"/s/{SLUG}").status_code == 200

    def submission(number):
        reply = client.post(f"/s/{SLUG}", data=bodies.pop(), content_type=form)
        assert reply.status_code == 303, reply.status_code

    bare = Flask("bare")
    bare.get("/bare")(lambda: "bare")
    bare_client = bare.test_client()

    def bare_page(_number):
        assert bare_client.get("/bare").status_code == 200

    (workdir / "bare_cpu.py").write_text(BARE_APP)
    sys.path.insert(0, str(workdir))
    os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{workdir / 'bare-cpu.sqlite3'}"
    import bare_cpu

    bare_cpu.create_schema(os.environ["BENCH_DATABASE_URL"])
    insert_client = bare_cpu.create_app().test_client()

    def bare_insert(number):
        body = bodies[number % len(bodies)] + f"&n={number}-{time.monotonic_ns()}"
        body = body.replace("token=", f"token={number}-{time.monotonic_ns()}-", 1)
        assert insert_client.post("/insert", data=body, content_type=form).status_code == 303

    parts = {
        "bare route": bare_page,
        "survey page": page,
        "bare insert": bare_insert,
        "submission": submission,
    }
    figures: dict[str, list[float]] = {name: [] for name in parts}
    for _round in range(rounds):
        for name, ask in parts.items():
            timed_cpu(ask, warmup)
            figures[name].append(timed_cpu(ask, requests))
    app.extensions["engage.engine"].dispose()
    medians = {name: statistics.median(values) for name, values in figures.items()}
    return {
        "requests": requests,
        "rounds": figures,
        "median": medians,
        "stored": count_rows(url, "responses"),
        "expected": (warmup + requests) * rounds,
    }


# --- Report ------------------------------------------------------------------------------


def describe_machine() -> str:
    """Return the CPU count, load and Python version, for the record."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, load average {load}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def print_weight(results: dict) -> None:
    """Print the page weight per language against the budget."""
    print(
        "Page weight, the demo survey's first page, phone viewport, empty cache "
        f"(budget {BUDGET_BYTES} B compressed)"
    )
    for lang, result in results.items():
        verdict = "within" if result["total"] <= BUDGET_BYTES else "OVER"
        verdict = f"{verdict} budget" if result["judged"] else "not judged"
        print(f"  {lang}: {result['total']:>6} B transferred ({verdict})")
        for resource in result["resources"]:
            print(
                f"      {resource['url'][:48]:<48} {resource['status']} "
                f"{resource['encoding'] or 'identity':<8} body {resource['body']:>6} "
                f"headers {resource['headers']:>4}"
            )
        if result["other_hosts"]:
            print(f"      requests to other hosts: {result['other_hosts']}")


def print_throughput(result: dict, clients: int, workers: int, threads: int) -> None:
    """Print each round and the ratio."""
    print(
        f"Submission throughput, gunicorn {workers} workers x {threads} threads, "
        f"{clients} concurrent clients, SQLite (WAL)"
    )
    for number, round_ in enumerate(result["rounds"], start=1):
        for name in ("bare", "real"):
            r = round_[name]
            print(
                f"  round {number} {name}: {r['requests']} posts in {r['seconds']:.2f} s = "
                f"{r['per_second']:.1f}/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
                f"max {r['max_ms']:.0f} ms, "
                f"statuses {r['statuses']}"
            )
    ratios = ", ".join(f"{ratio:.2f}" for ratio in result["ratios"])
    print(f"  real / bare: median {result['ratio_median']:.2f} (rounds: {ratios})")
    print(
        f"  stored: {result['responses_stored']} responses, {result['rows_inserted']} bare rows "
        f"(expected {result['expected']} each); kept report counts match the answers: "
        f"{'yes' if result['kept_counts_match'] else 'NO'}"
    )


def print_cpu(result: dict) -> None:
    """Print CPU per request of each part against its bare counterpart."""
    medians = result["median"]
    print(
        f"CPU per request in process (Flask test client), median of "
        f"{len(result['rounds']['submission'])} rounds of {result['requests']} requests "
        f"(target {1000 * CPU_TARGET_SECONDS:.0f} ms for the page and the submission)"
    )
    for name, against in (("survey page", "bare route"), ("submission", "bare insert")):
        rounds = ", ".join(f"{1000 * value:.2f}" for value in result["rounds"][name])
        print(
            f"  {name}: {1000 * medians[name]:.2f} ms (rounds {rounds}); "
            f"{against}: {1000 * medians[against]:.2f} ms; "
            f"{against} / {name}: {medians[against] / medians[name]:.3f}"
        )
    print(f"  stored: {result['stored']} responses (expected {result['expected']})")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark parts asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "part", nargs="?", choices=("weight", "throughput", "cpu", "all"), default="all"
    )
    parser.add_argument("--requests", type=int, default=600, help="posts per app per round")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu-requests", type=int, default=200, help="requests per CPU round")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-resident-"))
    figures: dict = {"machine": describe_machine()}
    print(figures["machine"])
    try:
        if args.part in ("weight", "all"):
            figures["weight"] = measure_weight(workdir)
            print_weight(figures["weight"])
        if args.part in ("throughput", "all"):
            figures["throughput"] = measure_throughput(
                workdir, args.requests, args.clients, args.workers, args.threads, args.rounds
            )
            print_throughput(figures["throughput"], args.clients, args.workers, args.threads)
        if args.part in ("cpu", "all"):
            figures["cpu"] = measure_cpu(workdir, args.cpu_requests, args.rounds)
            print_cpu(figures["cpu"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    over = any(
        r["judged"] and r["total"] > BUDGET_BYTES for r in figures.get("weight", {}).values()
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""A fresh web worker: how soon it can serve, its first page and submission, its memory.

What a resident waits for after a worker restart (a deploy, gunicorn's ``max_requests``,
a crash). Two parts, each on the ten-question survey of ``bench/resident.py``:

1. ``gunicorn``: the app under gunicorn (one sync worker, no ``--preload``, as
   deployed). A config file's hooks note the time of each ``fork`` and the moment the
   worker has built the app (``post_worker_init``): *ready after fork*. Then one
   complete submission (its first request) is timed from the client, and the worker's
   peak resident memory (``VmHWM``) is read. The worker is then stopped (TERM) and the
   master forks a new one, ``--restarts`` times.
2. ``process``: ``--runs`` fresh interpreters, each timing ``import engage`` plus
   ``create_app()``, then its first survey page (GET) and its first complete submission
   with the Flask test client, and its peak resident memory (``ru_maxrss``); and as
   many again whose very first request is a submission.

The targets: ready at most 1 s after fork; a fresh worker's first submission at most
0.3 s.

Usage::

    python bench/worker.py                 # both parts
    python bench/worker.py gunicorn --restarts 5
    python bench/worker.py process --runs 5

Everything runs on 127.0.0.1 in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))

READY_TARGET_SECONDS = 1.0
FIRST_SUBMISSION_TARGET_SECONDS = 0.3

HOOKS = '''
"""gunicorn hooks: note each worker's fork and the moment it has loaded the app."""
import json, os, time

LOG = os.environ["BENCH_WORKER_LOG"]


def post_fork(server, worker):
    worker.bench_forked_at = time.time()


def post_worker_init(worker):
    with open(LOG, "a") as log:
        log.write(json.dumps({"pid": os.getpid(), "ready": time.time() - worker.bench_forked_at}))
        log.write("\\n")
'''

# A fresh interpreter: build the app, then time its first requests; print the figures.
PROCESS = """
import json, resource, sys, time
started = time.perf_counter()
sys.path[:0] = [{root!r}, {bench!r}]
import engage
app = engage.create_app({{"DATABASE_URL": {url!r}, "INSTANCE_PATH": {instance!r},
    "SECRET_KEY": {secret!r}, "SUBMISSION_RATE_LIMIT": "1000000 per minute"}})
ready = time.perf_counter() - started
from flask import session
from engage.respond.tokens import NONCE_KEY, new_form_token
client = app.test_client()
with app.test_request_context():
    session[NONCE_KEY] = "bench-nonce"
    token = new_form_token({slug!r})
with client.session_transaction() as kept:
    kept[NONCE_KEY] = "bench-nonce"
figures = {{"ready": ready}}
if {with_page!r}:
    moment = time.perf_counter()
    assert client.get("/s/{slug}").status_code == 200
    figures["first_page"] = time.perf_counter() - moment
body = {answers!r} + "&token=" + token + "&page=0&action=send"
moment = time.perf_counter()
reply = client.post("/s/{slug}", data=body, content_type="application/x-www-form-urlencoded")
assert reply.status_code == 303, reply.status_code
figures["first_submission"] = time.perf_counter() - moment
figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def answers_body() -> str:
    """Return the benchmark survey's complete answers, form-encoded."""
    from resident import ANSWERS

    return urlencode([(f"q.{name}", value) for name, values in ANSWERS.items() for value in values])


def measure_process(workdir: Path, runs: int) -> dict:
    """Run fresh interpreters; return each run's figures, page first and submission first."""
    from resident import SECRET_KEY, SLUG, create_database

    url = f"sqlite:///{workdir / 'process.sqlite3'}"
    instance = workdir / "instance-process"
    create_database(url, instance)
    results: dict[str, list[dict]] = {"page then submission": [], "submission first": []}
    for number in range(2 * runs):
        with_page = number % 2 == 0
        code = PROCESS.format(
            root=str(ROOT),
            bench=str(HERE.parent),
            url=url,
            instance=str(instance),
            secret=SECRET_KEY,
            slug=SLUG,
            with_page=with_page,
            answers=answers_body(),
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=workdir
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        results["page then submission" if with_page else "submission first"].append(figures)
    return results


def peak_memory_mb(pid: int) -> float:
    """Return a process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def measure_gunicorn(workdir: Path, restarts: int) -> list[dict]:
    """Start gunicorn with one worker, restart the worker; time each worker's start."""
    from flask import session
    from resident import SECRET_KEY, SLUG, create_database, free_port, stop

    from engage import create_app
    from engage.respond.tokens import NONCE_KEY, new_form_token

    url = f"sqlite:///{workdir / 'gunicorn.sqlite3'}"
    instance = workdir / "instance-gunicorn"
    create_database(url, instance)
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY}
    )
    serializer = app.session_interface.get_signing_serializer(app)
    with app.test_request_context():
        session[NONCE_KEY] = "bench-nonce"
        tokens = [new_form_token(SLUG) for _ in range(restarts + 1)]
        cookie = serializer.dumps(dict(session))
    app.extensions["engage.engine"].dispose()
    log = workdir / "workers.jsonl"
    (workdir / "hooks.py").write_text(HOOKS)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BENCH_WORKER_LOG": str(log),
        "ENGAGE_DATABASE_URL": url,
        "ENGAGE_INSTANCE_PATH": str(instance),
        "ENGAGE_SECRET_KEY": SECRET_KEY,
        "ENGAGE_SUBMISSION_RATE_LIMIT": "1000000 per minute",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--config",
        str(workdir / "hooks.py"),
        "--chdir",
        str(workdir),
        "--log-level",
        "warning",
        "engage:create_app()",
    ]
    master = subprocess.Popen(command, env=env)
    results = []
    try:
        for number in range(restarts + 1):
            started = wait_for_worker(log, number + 1, master)
            body = f"{answers_body()}&token={tokens[number]}&page=0&action=send"
            moment = time.perf_counter()
            connection = HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request(
                "POST",
                f"/s/{SLUG}",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"session={cookie}",
                },
            )
            status = connection.getresponse().status
            connection.close()
            first_submission = time.perf_counter() - moment
            assert status == 303, status
            results.append(
                {
                    "ready": started["ready"],
                    "first_submission": first_submission,
                    "peak_rss_mb": peak_memory_mb(started["pid"]),
                }
            )
            os.kill(started["pid"], 15)  # the master forks a new worker
    finally:
        stop(master)
    return results


def wait_for_worker(log: Path, count: int, master) -> dict:
    """Wait until ``count`` workers have started; return the last one's line."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count:
            time.sleep(0.05)  # the worker accepts connections right after its hook
            return json.loads(lines[count - 1])
        if master.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {master.returncode}")
        time.sleep(0.02)
    raise RuntimeError("no worker started within 60 s")


def summary(values: list[float], scale: float = 1000.0, unit: str = "ms") -> str:
    """Return 'median (min to max)' of some figures."""
    return (
        f"median {scale * statistics.median(values):.0f} {unit} "
        f"({scale * min(values):.0f} to {scale * max(values):.0f})"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for, print the figures, exit 1 when a target is missed."""
    from resident import describe_machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", choices=("gunicorn", "process", "all"), default="all")
    parser.add_argument("--restarts", type=int, default=5, help="worker restarts (gunicorn)")
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters of each kind")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    print(describe_machine())
    workdir = Path(tempfile.mkdtemp(prefix="engage-bench-worker-"))
    figures: dict = {}
    missed = False
    try:
        if args.part in ("gunicorn", "all"):
            runs = figures["gunicorn"] = measure_gunicorn(workdir, args.restarts)
            print(f"gunicorn, one sync worker started {len(runs)} times (no --preload)")
            print(f"  ready after fork: {summary([r['ready'] for r in runs])}")
            print(f"  first submission: {summary([r['first_submission'] for r in runs])}")
            print(f"  peak memory: {summary([r['peak_rss_mb'] for r in runs], 1, 'MB')}")
            missed |= max(r["ready"] for r in runs) > READY_TARGET_SECONDS
            missed |= max(r["first_submission"] for r in runs) > FIRST_SUBMISSION_TARGET_SECONDS
        if args.part in ("process", "all"):
            kinds = figures["process"] = measure_process(workdir, args.runs)
            for kind, runs in kinds.items():
                print(f"fresh interpreter, {kind} ({len(runs)} runs)")
                print(f"  import engage + create_app: {summary([r['ready'] for r in runs])}")
                if "first_page" in runs[0]:
                    print(f"  first survey page: {summary([r['first_page'] for r in runs])}")
                print(f"  first submission: {summary([r['first_submission'] for r in runs])}")
                print(f"  peak memory: {summary([r['peak_rss_mb'] for r in runs], 1, 'MB')}")
                missed |= max(r["first_submission"] for r in runs) > FIRST_SUBMISSION_TARGET_SECONDS
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

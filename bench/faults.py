"""Faults: do residents' submissions survive dying servers? Stored once, whole, or not at all.

The app runs under gunicorn with the deployed settings (``deploy/gunicorn.conf.py``,
several sync workers) on loopback. Simulated residents (threads, each a new browser
session) open the demo survey, answer it page by page as its form asks (the hidden
fields it carries, the answers of the questions on each page, "Next", then "Send") and
start again, while one fault at a time strikes ``--interval`` seconds after the last:

- ``worker-kill``: SIGKILL one worker (gunicorn starts another);
- ``restart``: SIGTERM the master (workers finish their request), then start gunicorn again;
- ``kill-all``: SIGKILL the master and every worker at once, then start gunicorn again
  (after either, the next strike comes ``--interval`` seconds after the server is back);
- ``none``: no fault (the baseline).

A request that gets no answer (connection refused or reset, timeout) or a 5xx is sent
again, the same form with the same token, as a resident tapping "Send" again would.
After ``--seconds`` the faults stop and residents finish the survey they are in. Then
the database is read:

- acknowledged: residents whose "Send" was answered by the thank-you redirect;
- stored: responses in the run's survey;
- duplicates: responses beyond one per resident (matched by every form token the
  resident was given), and responses no resident sent;
- partial: responses whose answer rows or contact details differ from what was sent;
- 5xx: answers with a 5xx status (the app answers 503 when the database stays busy);
- p50 and p95: latency of the answered requests, in milliseconds.

It holds when acknowledged == stored and duplicates, partial, 5xx and unfinished
residents are all 0 (exit status 1 otherwise).

Usage::

    python bench/faults.py                                    # every fault, SQLite
    python bench/faults.py --postgres postgresql://engage@127.0.0.1/engage_bench
    python bench/faults.py --faults worker-kill --residents 32 --workers 4 --seconds 60

``--postgres`` runs each fault on PostgreSQL too (the schema is created or upgraded; each
run adds a survey of its own). Everything runs on 127.0.0.1, in a temporary folder that
is removed afterwards; the numbers of residents, workers and seconds are bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
SECRET_KEY = "faults-bench-secret-key-not-for-production"
FAULTS = ("none", "worker-kill", "restart", "kill-all")
MAX_RESIDENTS = 64
MAX_WORKERS = 16
MAX_SECONDS = 600
# A resident whose survey is not answered this long after the faults stopped gives up.
DRAIN_SECONDS = 60
# Waits between a resident's attempts at one request: doubling, never more than the last.
FIRST_RETRY_SECONDS = 0.05
LONGEST_RETRY_SECONDS = 1.0
REQUEST_TIMEOUT = (3, 30)  # connect, read (seconds)
START_TIMEOUT = 60

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ANSWER_FIELD = re.compile(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*name="q\.([^"]+)"')
FORM_ACTION = re.compile(
    r'<form[^>]*id="survey-form"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*id="survey-form"'
)


# --- The database ----------------------------------------------------------------------


def prepare_survey(url: str, slug: str, instance: Path) -> None:
    """Create or upgrade the schema and add an open copy of the demo survey under ``slug``."""
    from dataclasses import replace

    from sqlmodel import Session

    from engage import create_app, db
    from engage.demo import NOTICE_TEXTS, demo_definition
    from surveys.models import SURVEY_OPEN
    from surveys.store import save_definition, set_texts

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    engine = app.extensions["engage.engine"]
    db.upgrade(engine)
    with Session(engine) as session:
        survey = save_definition(session, replace(demo_definition(), slug=slug), status=SURVEY_OPEN)
        set_texts(session, survey, NOTICE_TEXTS)
        session.commit()
    engine.dispose()


def stored_responses(url: str, slug: str) -> tuple[list, dict[int, int], set[int]]:
    """Return the survey's (response id, token), answer rows per response, and contacts."""
    from sqlalchemy import func, select

    from engage.db import build_engine
    from surveys.models import Answer, Response, ResponseContact, Survey

    engine = build_engine(url)
    with engine.connect() as connection:
        survey_id = connection.execute(select(Survey.id).where(Survey.slug == slug)).scalar_one()
        responses = connection.execute(
            select(Response.id, Response.idempotency_key).where(Response.survey_id == survey_id)
        ).all()
        ids = select(Response.id).where(Response.survey_id == survey_id)
        rows = dict(
            connection.execute(
                select(Answer.response_id, func.count())
                .where(Answer.response_id.in_(ids))
                .group_by(Answer.response_id)
            ).all()
        )
        contacts = set(
            connection.execute(
                select(ResponseContact.response_id).where(ResponseContact.response_id.in_(ids))
            ).scalars()
        )
    engine.dispose()
    return list(responses), rows, contacts


def expected_rows(answers: dict[str, list[str]]) -> int:
    """Return how many answer rows ``answers`` make once validated, as the app stores them."""
    from engage.demo import demo_definition
    from surveys.responses import validate_submission

    result = validate_submission(demo_definition().questions, answers)
    if result.errors:
        raise RuntimeError(f"a simulated resident's answers are invalid: {result.errors}")
    return sum(len(values) for values in result.answers.values())


# --- The server --------------------------------------------------------------------------


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the deployed settings on one loopback port, started again after a fault."""

    def __init__(self, port: int, workers: int, env: dict[str, str], log: Path):
        self.port = port
        self.workers = workers
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn (a new session: its process group is the master's pid)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(GUNICORN_CONFIG),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
        ]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        """Wait until /healthz/ready answers 200."""
        deadline = time.monotonic() + START_TIMEOUT
        probe = requests.Session()
        probe.trust_env = False
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log}"
                )
            try:
                answer = probe.get(self.url("/healthz/ready"), timeout=2)
                if answer.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become ready; see {self.log}")

    def url(self, path: str) -> str:
        """Return the address of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's children (its workers), read from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            # The command may hold spaces and parentheses: the fields after the last ")".
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                children.append(int(entry.name))
        return children

    def kill_worker(self, rng: random.Random) -> bool:
        """SIGKILL one worker; return whether there was one."""
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def terminate(self) -> None:
        """SIGTERM the master and wait for it (its workers finish their requests first)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            self.kill_all()

    def kill_all(self) -> None:
        """SIGKILL the master and every worker (the process group this server started)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop the server at the end of a run."""
        if self.process is not None and self.process.poll() is None:
            self.terminate()
        # A worker orphaned by a killed master would still hold the port.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


# --- The residents -------------------------------------------------------------------------


@dataclass
class Tally:
    """What the residents saw, added up across threads."""

    started: int = 0
    acknowledged: int = 0
    unfinished: int = 0
    requests: int = 0
    no_answer: int = 0
    server_errors: int = 0
    unexpected: int = 0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    # Per resident: every token the pages gave it, its answers, whether it gave contact.
    walks: list[tuple[set[str], dict[str, list[str]], bool, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    slug: str = ""


def page_form(text: str) -> tuple[str | None, list[tuple[str, str]], list[str], bool]:
    """Return a survey page's form: action, hidden fields, answer fields, whether it sends."""
    action = FORM_ACTION.search(text)
    hidden = [(name, html.unescape(value)) for name, value in HIDDEN.findall(text)]
    fields = list(dict.fromkeys(ANSWER_FIELD.findall(text)))
    sends = 'name="action" value="send"' in text
    return (action and html.unescape(action[1] or action[2])), hidden, fields, sends


class Resident:
    """One simulated resident: a browser session answering the survey once."""

    def __init__(self, base: str, slug: str, answers: dict, contact: str | None, tally: Tally):
        self.base = base
        self.slug = slug
        self.answers = answers
        self.contact = contact
        self.tally = tally
        self.browser = requests.Session()
        self.browser.trust_env = False  # loopback: no proxy from the environment
        self.tokens: set[str] = set()

    def send(self, method: str, path: str, give_up_at: float, data=None):
        """Send one request until it is answered without a 5xx; None after ``give_up_at``."""
        wait = FIRST_RETRY_SECONDS
        while time.monotonic() < give_up_at:
            started = time.perf_counter()
            try:
                answer = self.browser.request(
                    method,
                    self.base + path,
                    data=data,
                    allow_redirects=False,
                    timeout=REQUEST_TIMEOUT,
                )
            except requests.RequestException:
                with self.tally.lock:
                    self.tally.no_answer += 1
            else:
                elapsed = time.perf_counter() - started
                with self.tally.lock:
                    self.tally.requests += 1
                    self.tally.latencies.append(elapsed)
                    self.tally.statuses[answer.status_code] += 1
                    if answer.status_code >= 500:
                        self.tally.server_errors += 1
                if answer.status_code < 500:
                    return answer
            time.sleep(wait * random.uniform(0.5, 1.5))
            wait = min(LONGEST_RETRY_SECONDS, wait * 2)
        return None

    def walk(self, give_up_at: float) -> bool:
        """Answer the survey page by page and send it; return whether it was acknowledged."""
        answer = self.send("GET", f"/s/{self.slug}", give_up_at)
        for _page in range(20):  # a survey has far fewer pages: this only bounds a bad loop
            if answer is None:
                return False
            if answer.status_code != 200:
                with self.tally.lock:
                    self.tally.unexpected += 1
                return False
            action, hidden, fields, sends = page_form(answer.text)
            data = [pair for pair in hidden if pair[0] != "action"]
            self.tokens.update(value for name, value in hidden if name == "token")
            data += [
                (f"q.{name}", value) for name in fields for value in self.answers.get(name, ())
            ]
            if sends and self.contact:
                data.append(("contact_email", self.contact))
            data.append(("action", "send" if sends else "next"))
            answer = self.send("POST", action or f"/s/{self.slug}", give_up_at, data=data)
            if answer is not None and answer.status_code == 303:
                return answer.headers["Location"].split("?")[0].endswith(f"/s/{self.slug}/thanks")
        return False


def resident_loop(
    base: str, slug: str, seed: int, stop_at: float, give_up_at: float, tally: Tally
) -> None:
    """Walk the survey as one new resident after another until ``stop_at``."""
    from engage.demo_data import synthetic_answers, synthetic_functioning

    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        answers = synthetic_answers(rng, "en")
        synthetic_functioning(rng, answers)
        contact = (
            f"resident{seed}.{rng.randrange(10**6)}@example.org" if rng.random() < 0.3 else None
        )
        resident = Resident(base, slug, answers, contact, tally)
        with tally.lock:
            tally.started += 1
        acknowledged = resident.walk(give_up_at)
        with tally.lock:
            if acknowledged:
                tally.acknowledged += 1
            else:
                tally.unfinished += 1
            tally.walks.append((resident.tokens, answers, bool(contact), acknowledged))


# --- One run -------------------------------------------------------------------------------


@dataclass
class Figures:
    """One run's figures."""

    database: str
    fault: str
    residents: int
    workers: int
    seconds: float
    faults_injected: int
    started: int
    acknowledged: int
    stored: int
    duplicates: int
    partial: int
    server_errors: int
    unfinished: int
    unexpected: int
    requests: int
    no_answer: int
    p50_ms: float
    p95_ms: float

    @property
    def holds(self) -> bool:
        """Return whether every acknowledged submission is stored once, whole, and no more."""
        return (
            self.acknowledged == self.stored
            and self.duplicates == self.partial == self.server_errors == 0
            and self.unfinished == self.unexpected == 0
        )


def inject(fault: str, server: Server, interval: float, stop_at: float, done: list) -> None:
    """Strike ``fault`` every ``interval`` seconds until ``stop_at``; count strikes in ``done``."""
    rng = random.Random(7)
    while True:
        wake = time.monotonic() + interval
        if wake >= stop_at:
            return
        time.sleep(wake - time.monotonic())
        if fault == "worker-kill":
            if server.kill_worker(rng):
                done.append(fault)
        elif fault in ("restart", "kill-all"):
            if fault == "restart":
                server.terminate()
            else:
                server.kill_all()
            server.start()
            done.append(fault)
            server.wait_ready()  # the next strike comes after as many seconds of service


def outcome(database_url: str, slug: str, walks: list) -> tuple[int, int, int]:
    """Return (stored, duplicates, partial): the survey's responses against what was sent.

    A response belongs to the resident that was given its token; more than one for a
    resident, or one for no resident, is a duplicate. A response whose answer rows or
    contact details are not those its resident sent is partial.
    """
    responses, rows, contacts = stored_responses(database_url, slug)
    by_token = {token: response_id for response_id, token in responses}
    duplicates = partial = 0
    claimed: set[int] = set()
    for tokens, answers, gave_contact, _acknowledged in walks:
        mine = [by_token[token] for token in tokens if token in by_token]
        duplicates += max(0, len(mine) - 1)
        claimed.update(mine)
        want = expected_rows(answers)
        partial += sum(
            1 for rid in mine if rows.get(rid, 0) != want or (rid in contacts) != gave_contact
        )
    duplicates += len(responses) - len(claimed)  # responses no resident sent
    return len(responses), duplicates, partial


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` percentile of ``values`` in milliseconds (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return round(1000 * ordered[rank], 1)


def run_fault(
    database_url: str,
    fault: str,
    *,
    residents: int,
    workers: int,
    seconds: float,
    interval: float,
    workdir: Path,
    database_name: str | None = None,
    tally: Tally | None = None,
) -> Figures:
    """Serve the survey under ``fault`` for ``seconds`` with ``residents``; return the figures."""
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}")
    residents = min(residents, MAX_RESIDENTS)
    workers = min(workers, MAX_WORKERS)
    seconds = min(seconds, MAX_SECONDS)
    slug = f"faults-{fault}-{os.getpid()}-{time.time_ns() % 10**9}"
    instance = workdir / f"instance-{slug}"
    prepare_survey(database_url, slug, instance)
    env = {
        "ENGAGE_DATABASE_URL": database_url,
        "ENGAGE_INSTANCE_PATH": str(instance),
        "ENGAGE_SECRET_KEY": SECRET_KEY,
        # Every resident comes from 127.0.0.1: a limit none of them reaches.
        "ENGAGE_SUBMISSION_RATE_LIMIT": "1000000 per minute",
        "ENGAGE_SERVER_LABEL": f"faults-{fault}",
    }
    server = Server(free_port(), workers, env, workdir / f"gunicorn-{slug}.log")
    tally = tally if tally is not None else Tally()
    tally.slug = slug
    struck: list[str] = []
    server.start()
    try:
        server.wait_ready()
        started = time.monotonic()
        stop_at = started + seconds
        give_up_at = stop_at + DRAIN_SECONDS
        threads = [
            threading.Thread(
                target=resident_loop,
                args=(server.url(""), slug, number, stop_at, give_up_at, tally),
                daemon=True,
            )
            for number in range(residents)
        ]
        for thread in threads:
            thread.start()
        if fault != "none":
            inject(fault, server, interval, stop_at, struck)
        for thread in threads:
            thread.join(timeout=max(1.0, give_up_at - time.monotonic() + 5))
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    stored, duplicates, partial = outcome(database_url, slug, tally.walks)
    return Figures(
        database=database_name or database_url.split(":", 1)[0],
        fault=fault,
        residents=residents,
        workers=workers,
        seconds=round(elapsed, 1),
        faults_injected=len(struck),
        started=tally.started,
        acknowledged=tally.acknowledged,
        stored=stored,
        duplicates=duplicates,
        partial=partial,
        server_errors=tally.server_errors,
        unfinished=tally.unfinished,
        unexpected=tally.unexpected,
        requests=tally.requests,
        no_answer=tally.no_answer,
        p50_ms=percentile(tally.latencies, 0.50),
        p95_ms=percentile(tally.latencies, 0.95),
    )


# --- The command ---------------------------------------------------------------------------


HEADER = (
    f"{'database':<10} {'fault':<11} {'strikes':>7} {'acked':>6} {'stored':>6} {'dup':>4} "
    f"{'partial':>7} {'5xx':>4} {'unfin':>5} {'no ans':>6} {'requests':>8} {'p50 ms':>7} "
    f"{'p95 ms':>7}  holds"
)


def row(figures: Figures) -> str:
    """Return one run's line of the table."""
    f = figures
    return (
        f"{f.database:<10} {f.fault:<11} {f.faults_injected:>7} {f.acknowledged:>6} "
        f"{f.stored:>6} {f.duplicates:>4} {f.partial:>7} {f.server_errors:>4} {f.unfinished:>5} "
        f"{f.no_answer:>6} {f.requests:>8} {f.p50_ms:>7} {f.p95_ms:>7}  "
        f"{'yes' if f.holds else 'NO'}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run every fault on every database asked for; print the table (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", nargs="+", choices=FAULTS, default=list(FAULTS))
    parser.add_argument("--residents", type=int, default=32, help=f"at most {MAX_RESIDENTS}")
    parser.add_argument("--workers", type=int, default=4, help=f"at most {MAX_WORKERS}")
    parser.add_argument("--seconds", type=float, default=20, help=f"per run, at most {MAX_SECONDS}")
    parser.add_argument("--interval", type=float, default=3, help="seconds between strikes")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each fault")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database")
    parser.add_argument("--json", metavar="FILE", help="write every run's figures here")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="engage-faults-"))
    databases = [] if args.no_sqlite else [("sqlite", None)]
    if args.postgres:
        databases.append(("postgresql", args.postgres))
    results: list[Figures] = []
    print(
        f"{args.residents} residents, gunicorn with {args.workers} workers "
        f"(deploy/gunicorn.conf.py), {args.seconds:g} s a run, a strike every "
        f"{args.interval:g} s; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(HEADER)
    try:
        for _round in range(args.rounds):
            for name, url in databases:
                for fault in args.faults:
                    run_url = url or f"sqlite:///{workdir / f'{fault}-{_round}.sqlite3'}"
                    figures = run_fault(
                        run_url,
                        fault,
                        residents=args.residents,
                        workers=args.workers,
                        seconds=args.seconds,
                        interval=args.interval,
                        workdir=workdir,
                        database_name=name,
                    )
                    results.append(figures)
                    print(row(figures), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    total = Counter()
    for figures in results:
        for name in ("acknowledged", "stored", "duplicates", "partial", "server_errors"):
            total[name] += getattr(figures, name)
    print(
        f"all runs: {total['acknowledged']} acknowledged, {total['stored']} stored, "
        f"{total['duplicates']} duplicates, {total['partial']} partial, "
        f"{total['server_errors']} 5xx; load after: {os.getloadavg()[0]:.1f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(f) for f in results], indent=2))
    return 0 if all(f.holds for f in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Webhooks: events noticed in the writer's transaction, signed deliveries to a receiver on
loopback sent by a real Huey worker, retried after a 500, logged; never a wait for residents."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from api_support import SLUG, bearer, make_survey, token_for
from sqlmodel import Session, select

from engage.webhooks import delivery, rules, signing
from engage.webhooks.queue import Queue, queue_of
from surveys.models import (
    DELIVERY_DELIVERED,
    DELIVERY_FAILED,
    AuditEvent,
    Response,
    WebhookDelivery,
)
from surveys.withdrawals import BY_RECEIPT, BY_RESIDENT, Withdrawal, withdraw_response


class Receiver:
    """An HTTP server on a free loopback port that records each request and answers
    with the next status of ``statuses`` (200 once they run out), after ``delay`` s."""

    def __init__(self, statuses=(), delay: float = 0.0):
        self.statuses = list(statuses)
        self.delay = delay
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=(), delay=0.0):
        made.append(Receiver(statuses, delay))
        return made[-1]

    yield make
    for item in made:
        item.close()


@pytest.fixture
def webhook_app(app):
    app.config.update(WEBHOOK_RETRY_SECONDS=0.2, WEBHOOK_MAX_ATTEMPTS=3)
    return app


@pytest.fixture
def worker(webhook_app):
    """A Huey consumer in this process, on the app's queue, as `engage worker` runs one."""
    consumers = []

    def start(queue=None):
        queue = queue or queue_of(webhook_app)
        consumer = queue.huey.create_consumer(
            workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.1
        )
        consumer.start()
        consumers.append(consumer)
        return consumer

    yield start
    for consumer in consumers:
        consumer.stop(graceful=True)


def wait_for(check, seconds=15.0):
    """Poll ``check`` until it returns something true, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out")


def deliveries(app) -> list[WebhookDelivery]:
    with Session(app.extensions["engage.engine"]) as session:
        return list(session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def submit(client, secret, key="k1", answers=None):
    body = {"answers": answers or {"rides": "yes", "comment": "The bus is always late."}}
    reply = client.post(
        f"/api/v1/surveys/{SLUG}/responses",
        json=body,
        headers=bearer(secret, **{"Idempotency-Key": key}),
    )
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


def test_a_submission_is_delivered_signed_and_retried_after_a_500(
    webhook_app, session, users, receiver, worker
):
    hook_receiver = receiver(statuses=[500])
    survey = make_survey(session)
    hook = rules.add_webhook(session, survey, hook_receiver.url, actor_id=users["staff"].id)
    secret = token_for(session, users["staff"], ["submit"])
    client = webhook_app.test_client()
    stored = submit(client, secret)
    assert hook_receiver.received == []  # nothing is sent in the resident's request
    worker()
    done = wait_for(lambda: [d for d in deliveries(webhook_app) if d.status == DELIVERY_DELIVERED])
    [sent] = done
    assert (sent.attempts, sent.last_status_code, sent.event) == (2, 200, "response.created")
    assert len(hook_receiver.received) == 2
    first, second = hook_receiver.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == sent.message_id
    for request in (first, second):
        assert signing.verify(
            hook.secret,
            request["headers"]["webhook-id"],
            request["headers"]["webhook-timestamp"],
            request["body"],
            request["headers"]["webhook-signature"],
        )
        assert not signing.verify(
            signing.new_secret(),
            request["headers"]["webhook-id"],
            request["headers"]["webhook-timestamp"],
            request["body"],
            request["headers"]["webhook-signature"],
        )
    payload = json.loads(second["body"])
    assert payload["type"] == "response.created"
    assert payload["data"]["id"] == stored["id"]
    assert payload["data"]["answers"]["rides"] == ["yes"]
    # The survey quotes no comment: the comment stays out of what leaves.
    assert "comment" not in payload["data"]["answers"]


def test_a_slow_receiver_never_slows_a_submission(webhook_app, session, users, receiver, worker):
    slow = receiver(delay=3.0)
    survey = make_survey(session)
    rules.add_webhook(session, survey, slow.url, actor_id=None)
    secret = token_for(session, users["staff"], ["submit"])
    worker()
    client = webhook_app.test_client()
    started = time.monotonic()
    submit(client, secret)
    assert time.monotonic() - started < 1.5
    wait_for(lambda: slow.received)


def test_a_resident_submission_on_the_web_form_queues_a_delivery(webhook_app, session):
    survey = make_survey(session)
    rules.add_webhook(session, survey, "https://receiver.example/hook", actor_id=None)
    client = webhook_app.test_client()
    page = client.get(f"/s/{SLUG}").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    answers = {"q.rides": "no", "q.trips": "3", "q.comment": "Fine."}
    for number in range(6):  # page by page, as a resident does, then send
        reply = client.post(
            f"/s/{SLUG}", data={"token": token, "page": str(number), "action": "send", **answers}
        )
        if reply.status_code == 303:
            break
    assert reply.status_code == 303
    stored = session.exec(select(Response)).one()
    [item] = deliveries(webhook_app)
    assert (item.event, item.response_public_id) == ("response.created", stored.public_id)
    assert item.payload["data"]["channel"] == "web"


def test_quoting_allowed_comments_are_sent_and_contacts_never(webhook_app, session, users):
    survey = make_survey(session)
    survey.settings = {"quote_comments": True}
    session.add(survey)
    session.commit()
    rules.add_webhook(session, survey, "https://receiver.example/hook", actor_id=None)
    secret = token_for(session, users["staff"], ["submit"])
    submit(webhook_app.test_client(), secret)
    [item] = deliveries(webhook_app)
    assert item.payload["data"]["answers"]["comment"] == ["The bus is always late."]
    assert "contact" not in json.dumps(item.payload)


def test_updates_and_withdrawals_are_events_too(webhook_app, session, users):
    survey = make_survey(session)
    hook = rules.add_webhook(session, survey, "https://receiver.example/hook", actor_id=None)
    secret = token_for(session, users["staff"], ["submit"])
    stored = submit(webhook_app.test_client(), secret)
    response = session.exec(select(Response).where(Response.public_id == stored["id"])).one()
    from surveys.corrections import record_review

    record_review(session, survey, response, "verified", "checked", user_id=users["staff"].id)
    session.commit()
    withdraw_response(session, survey, response, Withdrawal(BY_RESIDENT, BY_RECEIPT))
    session.commit()
    kinds = [(item.event, item.webhook_id) for item in deliveries(webhook_app)]
    assert kinds == [
        ("response.created", hook.id),
        ("response.updated", hook.id),
        ("response.withdrawn", hook.id),
    ]
    withdrawn = deliveries(webhook_app)[-1].payload
    assert withdrawn["data"] == {"id": stored["id"], "survey": SLUG}


def test_only_chosen_events_of_active_webhooks_are_delivered(webhook_app, session, users):
    survey = make_survey(session)
    only_withdrawals = rules.add_webhook(
        session, survey, "https://a.example/hook", ["response.withdrawn"], actor_id=None
    )
    disabled = rules.add_webhook(session, survey, "https://b.example/hook", actor_id=None)
    rules.set_active(session, disabled, False, actor_id=None)
    submit(webhook_app.test_client(), token_for(session, users["staff"], ["submit"]))
    assert deliveries(webhook_app) == []
    assert only_withdrawals.events == ["response.withdrawn"]


def test_a_queued_delivery_survives_its_worker_and_is_sent_once(
    webhook_app, session, users, receiver, worker
):
    target = receiver()
    survey = make_survey(session)
    rules.add_webhook(session, survey, target.url, actor_id=None)
    submit(webhook_app.test_client(), token_for(session, users["staff"], ["submit"]))
    # No worker ran: the task waits in the queue's own storage. A new process's queue
    # (a new Huey on the same storage) sends it.
    later = Queue(webhook_app)
    worker(later)
    wait_for(lambda: target.received)
    time.sleep(0.5)
    assert len(target.received) == 1
    [item] = deliveries(webhook_app)
    assert item.status == DELIVERY_DELIVERED


def test_a_claimed_delivery_is_not_sent_twice(webhook_app, session, users, receiver):
    target = receiver()
    survey = make_survey(session)
    rules.add_webhook(session, survey, target.url, actor_id=None)
    submit(webhook_app.test_client(), token_for(session, users["staff"], ["submit"]))
    [item] = deliveries(webhook_app)
    with Session(webhook_app.extensions["engage.engine"]) as own:
        assert delivery.claim(own, item.id)
        assert delivery.deliver(own, item.id, webhook_app.config) is None  # held: skipped
    assert target.received == []


def test_attempts_stop_at_the_limit_and_staff_redeliver(
    webhook_app, session, users, receiver, worker
):
    failing = receiver(statuses=[500, 500, 500])
    survey = make_survey(session)
    rules.add_webhook(session, survey, failing.url, actor_id=None)
    submit(webhook_app.test_client(), token_for(session, users["staff"], ["submit"]))
    worker()
    [failed] = wait_for(lambda: [d for d in deliveries(webhook_app) if d.status == DELIVERY_FAILED])
    assert (failed.attempts, failed.last_error) == (3, "HTTP 500")
    with Session(webhook_app.extensions["engage.engine"]) as own:
        rules.redeliver(own, own.get(WebhookDelivery, failed.id), actor_id=users["staff"].id)
    from engage.webhooks.queue import enqueue

    enqueue(webhook_app, [failed.id])
    wait_for(lambda: [d for d in deliveries(webhook_app) if d.status == DELIVERY_DELIVERED])
    assert len(failing.received) == 4


def test_the_sweep_finds_overdue_deliveries(webhook_app, session, users):
    survey = make_survey(session)
    rules.add_webhook(session, survey, "https://receiver.example/hook", actor_id=None)
    submit(webhook_app.test_client(), token_for(session, users["staff"], ["submit"]))
    [item] = deliveries(webhook_app)
    with Session(webhook_app.extensions["engage.engine"]) as own:
        assert delivery.overdue(own, grace_seconds=3600) == []
        assert delivery.overdue(own, grace_seconds=-1) == [item.id]


@pytest.mark.parametrize(
    "url",
    ["http://receiver.example/hook", "ftp://x.example/", "https://user:pw@x.example/", "nope"],
)
def test_a_webhook_address_must_be_https_or_loopback(session, url):
    survey = make_survey(session)
    with pytest.raises(rules.WebhookError):
        rules.add_webhook(session, survey, url, actor_id=None)


def test_cli_adds_lists_disables_and_deletes_webhooks(runner, session):
    make_survey(session)
    added = runner.invoke(
        args=[
            "webhooks",
            "add",
            SLUG,
            "https://receiver.example/hook",
            "--events",
            "response.created",
        ]
    )
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    listed = runner.invoke(args=["webhooks", "list"])
    assert "https://receiver.example/hook" in listed.output and "active" in listed.output
    assert secret not in listed.output
    assert runner.invoke(args=["webhooks", "disable", "1"]).exit_code == 0
    assert "disabled" in runner.invoke(args=["webhooks", "list", SLUG]).output
    assert runner.invoke(args=["webhooks", "deliveries", "1"]).exit_code == 0
    assert runner.invoke(args=["webhooks", "delete", "1"]).exit_code == 0
    assert "0 webhooks" in runner.invoke(args=["webhooks", "list"]).output
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["webhook.add", "webhook.disable", "webhook.delete"]
    refused = runner.invoke(args=["webhooks", "add", SLUG, "http://elsewhere.example/"])
    assert refused.exit_code != 0


def test_staff_add_a_webhook_in_the_browser_and_see_its_log(app, client, session, login_as):
    survey = make_survey(session)
    login_as("staff")
    page = client.get(f"/webhooks/{SLUG}/")
    assert page.status_code == 200
    added = client.post(
        f"/webhooks/{SLUG}/",
        data={"url": "https://receiver.example/hook", "events": ["response.created"]},
    )
    assert added.status_code == 200
    assert added.headers["Cache-Control"] == "no-store"
    [hook] = rules.webhooks_of(session, survey.id)
    assert hook.secret in added.get_data(as_text=True)
    assert hook.secret not in client.get(f"/webhooks/{SLUG}/").get_data(as_text=True)
    refused = client.post(f"/webhooks/{SLUG}/", data={"url": "http://elsewhere.example/"})
    assert refused.status_code == 400
    secret = token_for(session, rules_user(session, "staff@example.ca"), ["submit"])
    submit(app.test_client(), secret)
    log = client.get(f"/webhooks/{SLUG}/").get_data(as_text=True)
    assert "response.created" in log and "Waiting" in log
    [item] = deliveries(app)
    assert client.post(f"/webhooks/{SLUG}/deliveries/{item.id}/redeliver").status_code == 302
    assert client.post(f"/webhooks/{SLUG}/{hook.id}/active").status_code == 302
    session.expire_all()
    assert rules.webhooks_of(session, survey.id)[0].active is False
    assert client.post(f"/webhooks/{SLUG}/{hook.id}/delete").status_code == 302
    assert rules.webhooks_of(session, survey.id) == []


def rules_user(session, email):
    from engage.auth import find_user

    return find_user(session, email)


def test_a_broker_cannot_open_webhooks(client, session, login_as):
    make_survey(session)
    login_as("broker")
    assert client.get(f"/webhooks/{SLUG}/").status_code == 403


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on loopback (Debian's package, as the scaled set-up runs one)."""
    import shutil
    import socket
    import subprocess

    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server (Debian package) is not installed; .ci/run installs it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _pings(redis.Redis(port=port)), seconds=10)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:  # not listening yet
        return False


def test_deliveries_go_through_a_redis_queue_too(
    webhook_app, session, users, receiver, worker, redis_url
):
    webhook_app.config["WEBHOOK_QUEUE_URL"] = redis_url
    webhook_app.extensions.pop("engage.webhook_queue", None)
    hook_receiver = receiver()
    survey = make_survey(session)
    rules.add_webhook(session, survey, hook_receiver.url, actor_id=users["staff"].id)
    secret = token_for(session, users["staff"], ["submit"])
    stored = submit(webhook_app.test_client(), secret)
    assert type(queue_of(webhook_app).huey).__name__ == "RedisHuey"
    worker()
    wait_for(lambda: [d for d in deliveries(webhook_app) if d.status == DELIVERY_DELIVERED])
    [request] = hook_receiver.received
    assert json.loads(request["body"])["data"]["id"] == stored["id"]

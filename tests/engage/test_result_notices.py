"""E-mailing residents who asked to be told when results are published (issue 18), through
a real SMTP server on loopback: once per publication, in the resident's language, retried
after a failure, and never in reports or exports."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from report_support import add_responses, choice_question, likert, make_survey
from sqlmodel import select
from support import make_app

from surveys import store
from surveys.models import ResponseContact, ResultNotice

SLUG = "transit-2025"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 10) -> list[email.message.Message]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        time.sleep(0.2)  # and nothing more arrives
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def inbox(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def app(database_url, tmp_path, smtp_port):
    """The app, sending mail to the loopback SMTP server (which a test may not start)."""
    app = make_app(
        database_url,
        tmp_path / "instance",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_port,
        SMTP_TLS=False,
        SMTP_FROM="engage@city.example.ca",
        BASE_URL="https://engage.city.example.ca",
    )
    yield app
    app.extensions["engage.engine"].dispose()


@pytest.fixture
def survey(session):
    survey = make_survey(
        session,
        [choice_question("age", ["young", "old"], dimension="age_band"), likert("safe")],
        settings={"ask_contact": True},
    )
    survey.languages = ["en", "fr"]
    store.set_texts(session, survey, {"title": {"en": "Transit", "fr": "Transport"}})
    session.commit()
    add_responses(session, survey, {"age": "old", "safe": "disagree"}, 12)
    return survey


def send(client, language="en", **answers):
    """Answer the survey as a resident, in ``language``."""
    first = client.get(f"/s/{SLUG}?lang={language}").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', first).group(1)
    data = {"token": token, "page": "0", "action": "send", "q.age": "young", "q.safe": "agree"}
    data.update(answers)
    return client.post(f"/s/{SLUG}?lang={language}", data=data)


def body_of(message) -> str:
    return message.get_content()


def publish(client):
    reply = client.post(f"/manage/{SLUG}/results", data={"results-published": "y"})
    assert reply.status_code == 302


def post_update(client):
    data = {
        "update-language": "en",
        "update-posted_on": "2026-03-02",
        "update-status": "in_progress",
        "update-title": "New bus shelters",
        "update-body": "We are adding 12 shelters on route 5.",
    }
    assert client.post(f"/manage/{SLUG}/results/updates", data=data).status_code == 302


def test_the_last_page_offers_the_box_and_it_needs_an_email(client, survey):
    page = client.get(f"/s/{SLUG}?lang=en").get_data(as_text=True)
    assert 'name="contact_notify" value="1"' in page
    assert "Tell me when results are published" in page
    refused = send(client, contact_notify="1", contact_phone="905-555-0100")
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "Enter an email address to be told when results are published" in text
    assert 'name="contact_notify" value="1" checked' in text  # kept as ticked


def test_residents_who_asked_are_told_once_in_their_language(
    client, session, survey, login_as, inbox
):
    assert (
        send(client, "fr", contact_email="amel@example.ca", contact_notify="1").status_code == 303
    )
    client.get(f"/s/{SLUG}")  # the next resident, in English
    assert send(client, "en", contact_email="bo@example.ca", contact_notify="1").status_code == 303
    # An address left only to be contacted about the answers is never told.
    assert send(client, "en", contact_email="cy@example.ca").status_code == 303
    stored = session.exec(select(ResponseContact).order_by(ResponseContact.id)).all()
    assert [contact.notify_results for contact in stored] == [True, True, False]

    login_as("staff")
    publish(client)
    messages = inbox.wait_for(2)
    assert sorted(message["To"] for message in messages) == ["amel@example.ca", "bo@example.ca"]
    french = next(message for message in messages if message["To"] == "amel@example.ca")
    # In the language the resident answered in: the survey's French title, French words.
    assert french["Subject"] == "Les résultats de « Transport » sont publiés"
    assert f"https://engage.city.example.ca/s/{SLUG}/results" in body_of(french)
    english = next(message for message in messages if message["To"] == "bo@example.ca")
    assert english["Subject"] == "The results of “Transit” are published"

    # Unpublishing and publishing again tells nobody twice.
    client.post(f"/manage/{SLUG}/results", data={})
    publish(client)
    # An update is one more message each.
    post_update(client)
    messages = inbox.wait_for(4)
    assert len(messages) == 4
    updates = {message["To"]: message["Subject"] for message in messages[2:]}
    assert updates == {
        "amel@example.ca": "Ce qui est fait à la suite de « Transport »",
        "bo@example.ca": "What is being done after “Transit”",
    }
    notices = session.exec(select(ResultNotice)).all()
    assert len(notices) == 4 and all(notice.sent_at for notice in notices)


def test_a_failed_send_never_blocks_staff_and_the_command_sends_it_later(
    client, session, survey, login_as, smtp_port, app
):
    assert send(client, contact_email="amel@example.ca", contact_notify="1").status_code == 303
    login_as("staff")
    started = time.monotonic()
    publish(client)  # nothing listens on the SMTP port yet
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        session.expire_all()
        notice = session.exec(select(ResultNotice)).one()
        if notice.attempts:
            break
        time.sleep(0.05)
    assert notice.sent_at is None and notice.attempts == 1 and notice.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = app.test_cli_runner().invoke(args=["notices", "send"])
        assert result.exit_code == 0, result.output
        assert "1 notices sent" in result.output
        assert [message["To"] for message in inbox.wait_for(1)] == ["amel@example.ca"]
        again = app.test_cli_runner().invoke(args=["notices", "send"])
        assert "0 notices sent" in again.output and len(inbox.wait_for(1)) == 1
    finally:
        controller.stop()


def test_withdrawal_deletes_the_address_and_its_notices(client, session, survey, login_as, inbox):
    page = send(client, contact_email="amel@example.ca", contact_notify="1")
    assert page.status_code == 303
    thanks = client.get(f"/s/{SLUG}/thanks").get_data(as_text=True)
    code = re.search(r'<p class="receipt-code" dir="ltr">([0-9A-Z-]+)</p>', thanks).group(1)
    login_as("staff")
    publish(client)
    inbox.wait_for(1)
    client.post("/auth/logout")
    withdrawn = client.post(f"/s/{SLUG}/withdraw", data={"code": code, "confirm": "yes"})
    assert withdrawn.status_code in (200, 302, 303)
    session.expire_all()
    assert session.exec(select(ResponseContact)).all() == []
    assert session.exec(select(ResultNotice)).all() == []


def test_two_senders_never_both_take_a_notice(client, session, survey, login_as):
    from surveys import notices

    assert send(client, contact_email="amel@example.ca", contact_notify="1").status_code == 303
    assert notices.queue_notices(session, survey.id, notices.RESULTS_SUBJECT) == 1
    session.commit()
    assert notices.queue_notices(session, survey.id, notices.RESULTS_SUBJECT) == 0
    (pending,) = notices.pending_notices(session)
    assert notices.claim(session, pending.id) is True
    assert notices.claim(session, pending.id) is False
    assert notices.pending_notices(session) == []

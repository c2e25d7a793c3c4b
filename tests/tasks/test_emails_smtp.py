"""SMTP delivery against a real aiosmtpd server on 127.0.0.1."""

import email
import email.policy
import socket
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from models.outbox import EmailRequest, queue_emails
from models.tables import Message
from tasks.emails.delivery import deliver_pending
from tasks.emails.samples import sample_context
from tasks.emails.transport import SmtpTransport, build_transport

REFUSED = "gone@x.org"


class RecordingHandler:
    """Keeps every accepted message; refuses one mailbox with 550."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler()


@pytest.fixture
def smtp_server(handler, port):
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp_runtime(runtime, port):
    runtime.transport = SmtpTransport(
        host="127.0.0.1", port=port, timeout=5, pool_size=4, retry_attempts=2, retry_backoff_seconds=0.01
    )
    return runtime


def queue_nudges(runtime, recipients) -> None:
    requests = [
        EmailRequest(
            key=f"demo:relationship:nudge:{recipient}:2027-05",
            recipient=recipient,
            purpose="monthly_nudge",
            template="monthly_nudge",
            context=sample_context("monthly_nudge") | {"recipient_name": recipient.split("@")[0]},
        )
        for recipient in recipients
    ]
    with runtime.session() as session:
        queue_emails(session, cohort_id=None, requests=requests, now=runtime.clock.now())


def states(runtime) -> Counter:
    with runtime.session() as session:
        return Counter(row.state for row in session.query(Message))


def test_messages_arrive_with_their_content(smtp_runtime, smtp_server, handler):
    recipients = [f"person{n}@x.org" for n in range(10)]
    queue_nudges(smtp_runtime, recipients)

    report = deliver_pending(smtp_runtime)

    assert report.sent == 10 and report.failed == 0
    assert sorted(rcpts[0] for _, rcpts in handler.envelopes) == sorted(recipients)
    assert {mail_from for mail_from, _ in handler.envelopes} == {"no-reply@mentorflow.local"}
    by_recipient = {message["To"]: message for message in handler.received}
    message = by_recipient["person3@x.org"]
    assert message["Subject"] == "Time to meet Sam Lee?"
    assert message.get_body(("plain",)).get_content().startswith("Dear person3,")
    assert "Sam Lee" in message.get_body(("html",)).get_content()
    assert set(handler.message_ids().values()) == {1}
    assert states(smtp_runtime) == {"sent": 10}


def test_running_delivery_again_sends_nothing_already_sent(smtp_runtime, smtp_server, handler):
    queue_nudges(smtp_runtime, ["a@x.org", "b@x.org"])
    deliver_pending(smtp_runtime)
    queue_nudges(smtp_runtime, ["a@x.org", "b@x.org", "c@x.org"])

    second = deliver_pending(smtp_runtime)
    third = deliver_pending(smtp_runtime)

    assert (second.sent, third.sent) == (1, 0)
    assert len(handler.received) == 3 and set(handler.message_ids().values()) == {1}


def test_two_deliveries_at_the_same_moment_send_each_message_once(smtp_runtime, smtp_server, handler):
    """A cohort's stage and the programme clock delivering together: each run claims what it sends."""
    import threading

    queue_nudges(smtp_runtime, [f"person{n}@x.org" for n in range(400)])
    start = threading.Barrier(2)
    reports = []

    def deliver() -> None:
        start.wait()
        reports.append(deliver_pending(smtp_runtime, batch_size=50))

    runs = [threading.Thread(target=deliver) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)

    assert sorted(handler.message_ids().values()) == [1] * 400, "a message was delivered twice"
    assert sum(report.sent for report in reports) == 400
    assert states(smtp_runtime) == {"sent": 400}


def test_rows_another_run_holds_wait_until_its_claim_ends(smtp_runtime, smtp_server, handler):
    from datetime import UTC, datetime, timedelta

    from models.outbox import claim_messages

    queue_nudges(smtp_runtime, ["a@x.org", "b@x.org"])
    now = datetime.now(UTC)
    with smtp_runtime.session() as session:
        held = session.query(Message).filter_by(recipient="a@x.org").one().id
        assert claim_messages(session, ids=[held], now=now, until=now + timedelta(minutes=15)) == {held}
        assert claim_messages(session, ids=[held], now=now, until=now + timedelta(minutes=15)) == set()

    assert deliver_pending(smtp_runtime).sent == 1  # b only: a is another run's
    assert [rcpts for _, rcpts in handler.envelopes] == [["b@x.org"]]

    with smtp_runtime.session() as session:  # that run died: its claim ends
        session.query(Message).filter_by(id=held).update({"claimed_until": now - timedelta(seconds=1)})
    assert deliver_pending(smtp_runtime).sent == 1
    assert states(smtp_runtime) == {"sent": 2}


def test_a_550_is_recorded_as_permanent_and_the_others_are_delivered(smtp_runtime, smtp_server, handler):
    queue_nudges(smtp_runtime, ["a@x.org", REFUSED, "b@x.org"])

    report = deliver_pending(smtp_runtime)
    again = deliver_pending(smtp_runtime)

    assert report.sent == 2 and report.failed == 1
    assert len(report.permanent_failures) == 1 and report.permanent_failures[0].startswith(f"{REFUSED}: 550")
    assert sorted(message["To"] for message in handler.received) == ["a@x.org", "b@x.org"]
    with smtp_runtime.session() as session:
        refused = session.query(Message).filter_by(recipient=REFUSED).one()
        assert (refused.state, refused.attempts) == ("failed", 1)
        assert "mailbox unavailable" in refused.last_error
    assert (again.sent, again.failed) == (0, 0)


def test_an_outage_keeps_messages_pending_and_they_all_go_out_once_when_the_server_returns(
    smtp_runtime, handler, port
):
    recipients = [f"person{n}@x.org" for n in range(12)]
    queue_nudges(smtp_runtime, recipients)

    during_outage = deliver_pending(smtp_runtime)

    assert during_outage.sent == 0 and during_outage.failed == 12 and during_outage.permanent_failures == []
    assert states(smtp_runtime) == {"pending": 12}

    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        after = deliver_pending(smtp_runtime)
        again = deliver_pending(smtp_runtime)
    finally:
        controller.stop()

    assert after.sent == 12 and again.sent == 0
    assert sorted(message["To"] for message in handler.received) == sorted(recipients)
    assert len(handler.message_ids()) == 12 and set(handler.message_ids().values()) == {1}
    assert states(smtp_runtime) == {"sent": 12}


def test_transient_failures_count_attempts_until_the_limit_makes_them_permanent(runtime, port):
    runtime.settings.mail_max_attempts = 2
    runtime.transport = SmtpTransport(host="127.0.0.1", port=port, timeout=2, retry_attempts=1)
    queue_nudges(runtime, ["a@x.org"])

    first, second = deliver_pending(runtime), deliver_pending(runtime)

    assert first.permanent_failures == []
    assert len(second.permanent_failures) == 1 and "cannot connect" in second.permanent_failures[0]
    with runtime.session() as session:
        row = session.query(Message).one()
        assert (row.state, row.attempts) == ("failed", 2)


def test_settings_choose_the_smtp_transport(settings):
    smtp_settings = settings.model_copy(update={"mail_transport": "smtp", "smtp_port": 2525, "smtp_pool_size": 3})

    transport = build_transport(smtp_settings)

    assert isinstance(transport, SmtpTransport)
    assert (transport.port, transport.pool_size) == (2525, 3)


class GreylistingHandler(RecordingHandler):
    """Answers 451 to each recipient's first attempt, then accepts."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address not in self.seen:
            self.seen.add(address)
            return "451 4.7.1 greylisted, try again"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_4xx_reply_is_retried_within_the_run(runtime, port):
    handler = GreylistingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    runtime.transport = SmtpTransport(host="127.0.0.1", port=port, retry_attempts=3, retry_backoff_seconds=0.01)
    queue_nudges(runtime, ["a@x.org", "b@x.org"])
    try:
        report = deliver_pending(runtime)
    finally:
        controller.stop()

    assert report.sent == 2 and report.failed == 0
    assert sorted(message["To"] for message in handler.received) == ["a@x.org", "b@x.org"]


def test_the_rate_limit_spaces_sends_across_connections(runtime, smtp_server, handler, port):
    runtime.transport = SmtpTransport(host="127.0.0.1", port=port, pool_size=4, rate_limit_per_second=25)
    queue_nudges(runtime, [f"p{n}@x.org" for n in range(6)])

    started = time.perf_counter()
    report = deliver_pending(runtime)
    elapsed = time.perf_counter() - started

    assert report.sent == 6
    assert elapsed >= 5 / 25


def test_an_unreachable_server_is_not_tried_again_for_every_batch(runtime, port):
    runtime.transport = SmtpTransport(host="127.0.0.1", port=port, timeout=2, pool_size=2, retry_attempts=1)
    queue_nudges(runtime, [f"p{n}@x.org" for n in range(20)])

    report = deliver_pending(runtime, batch_size=5)

    assert report.sent == 0 and report.failed == 5
    with runtime.session() as session:
        assert sum(row.attempts for row in session.query(Message)) <= 2
        assert states(runtime) == {"pending": 20}

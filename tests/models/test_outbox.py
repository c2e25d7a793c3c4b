"""The outbox: idempotent queueing and the state of each message."""

from datetime import UTC, datetime

import pytest
from jinja2 import UndefinedError

from models.outbox import (
    Attachment,
    EmailRequest,
    count_messages,
    failed_messages,
    mark_failed,
    mark_sent,
    messages_for,
    pending_messages,
    queue_emails,
    stored_email,
)
from models.tables import Cohort, Programme
from tasks.emails.build import message_id_for
from tasks.emails.samples import sample_context

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def cohort(session) -> Cohort:
    programme = Programme(slug="demo", name="Demo", organisation="Org", phase="pilot", definition={}, updated_at=NOW)
    cohort = Cohort(programme=programme, name="demo", created_at=NOW)
    session.add(cohort)
    session.flush()
    return cohort


def nudge(recipient: str, occurrence: int = 1) -> EmailRequest:
    return EmailRequest(
        key=f"demo:relationship:nudge:{recipient}:{occurrence}",
        recipient=recipient,
        purpose="monthly_nudge",
        template="monthly_nudge",
        context=sample_context("monthly_nudge"),
    )


def test_queueing_the_same_key_twice_keeps_one_row(session, cohort):
    first = queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org"), nudge("b@x.org")], now=NOW)
    again = queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org"), nudge("c@x.org")], now=NOW)
    duplicate_in_one_call = queue_emails(session, cohort_id=cohort.id, requests=[nudge("d@x.org")] * 2, now=NOW)

    assert (first, again, duplicate_in_one_call) == (2, 1, 1)
    recipients = [m.recipient for m in messages_for(session, cohort_id=cohort.id)]
    assert recipients == ["a@x.org", "b@x.org", "c@x.org", "d@x.org"]


def test_a_key_queued_by_another_process_after_the_check_is_skipped_not_an_error(session, cohort, monkeypatch):
    """Two deliveries over one cohort at once: both look, neither sees the other's key, both insert."""
    queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org")], now=NOW)
    monkeypatch.setattr("models.outbox._existing_keys", lambda session, keys: set())

    added = queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org"), nudge("e@x.org")], now=NOW)

    assert added == 1
    assert [m.recipient for m in messages_for(session, cohort_id=cohort.id)] == ["a@x.org", "e@x.org"]


def test_queued_row_stores_subject_context_and_a_stable_message_id(session, cohort):
    invite = Attachment(filename="session.ics", content_type="text/calendar; method=REQUEST", content="BEGIN:VCALENDAR")
    request = nudge("a@x.org").model_copy(update={"attachments": [invite], "easy_read": True})

    queue_emails(session, cohort_id=cohort.id, requests=[request], now=NOW)
    [row] = messages_for(session, cohort_id=cohort.id)

    assert row.subject == "Time to meet Sam Lee?"
    assert row.state == "pending" and row.attempts == 0 and row.sent_at is None
    assert row.message_id == message_id_for(request.key) == message_id_for(request.key)
    assert row.message_id.startswith("<") and row.message_id.endswith("@mentorflow>")
    stored = stored_email(row)
    assert stored.context == sample_context("monthly_nudge")
    assert stored.attachments == [invite] and stored.easy_read is True


def test_a_request_that_cannot_render_is_refused_at_queue_time(session, cohort):
    broken = nudge("a@x.org").model_copy(update={"context": {"recipient_name": "A"}})

    with pytest.raises(UndefinedError):
        queue_emails(session, cohort_id=cohort.id, requests=[broken], now=NOW)


def test_sent_and_failed_rows_leave_the_pending_list(session, cohort):
    queue_emails(session, cohort_id=cohort.id, requests=[nudge(f"{n}@x.org") for n in "abcd"], now=NOW)
    a, b, c, d = pending_messages(session, cohort_id=cohort.id)

    mark_sent(session, message_id_row=a.id, now=NOW)
    mark_failed(session, message_id_row=b.id, error="550 no such mailbox", permanent=True)
    mark_failed(session, message_id_row=c.id, error="421 try later", permanent=False)

    assert [m.recipient for m in pending_messages(session, cohort_id=cohort.id)] == ["c@x.org", "d@x.org"]
    assert [m.recipient for m in pending_messages(session, cohort_id=cohort.id, limit=1)] == ["c@x.org"]
    session.refresh(a), session.refresh(b), session.refresh(c)
    assert (a.state, a.attempts, a.sent_at is not None) == ("sent", 1, True)
    assert (b.state, b.attempts, b.last_error) == ("failed", 1, "550 no such mailbox")
    assert (c.state, c.attempts, c.last_error) == ("pending", 1, "421 try later")
    assert [m.recipient for m in failed_messages(session, cohort_id=cohort.id)] == ["b@x.org"]
    assert count_messages(session, cohort_id=cohort.id) == 4
    assert count_messages(session, cohort_id=cohort.id, state="sent") == 1


def test_a_sent_row_is_never_turned_back_to_failed(session, cohort):
    queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org")], now=NOW)
    [row] = pending_messages(session, cohort_id=cohort.id)

    mark_sent(session, message_id_row=row.id, now=NOW)
    mark_failed(session, message_id_row=row.id, error="late error", permanent=True)

    session.refresh(row)
    assert row.state == "sent" and row.last_error is None


def test_pending_messages_of_one_cohort_or_all(session, cohort):
    queue_emails(session, cohort_id=cohort.id, requests=[nudge("a@x.org")], now=NOW)
    queue_emails(session, cohort_id=None, requests=[nudge("ops@x.org")], now=NOW)

    assert [m.recipient for m in pending_messages(session, cohort_id=cohort.id)] == ["a@x.org"]
    assert [m.recipient for m in pending_messages(session)] == ["a@x.org", "ops@x.org"]

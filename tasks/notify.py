"""Sending a stage's emails: queue them in the outbox (idempotent by key), then deliver."""

from collections.abc import Sequence

from models.outbox import EmailRequest, queue_emails
from tasks.emails.delivery import deliver_pending
from tasks.runtime import get_runtime
from tasks.step import step


@step(name="send-emails")
def send_emails(cohort_id: int, requests: Sequence[EmailRequest]) -> int:
    """Queue what is new and deliver everything pending; returns how many were newly queued."""
    runtime = get_runtime()
    with runtime.session() as session:
        queued = queue_emails(session, cohort_id=cohort_id, requests=requests, now=runtime.clock.now())
    deliver_pending(runtime, cohort_id=cohort_id)
    return queued

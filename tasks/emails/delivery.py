"""Deliver the outbox: render pending rows, build them, send them, record the outcome.

The guarantee, exactly:

* A message exists only as an outbox row, committed by `queue_emails` before any
  attempt to send it, so nothing queued is lost: until a row is marked `sent` or
  `failed` every delivery run tries it again.
* Rows are marked `sent` in a transaction committed after the transport has
  accepted them (a batch at a time, at most `BATCH_SIZE` rows). Delivery is
  therefore **at least once**: if the process dies after the server accepted a
  message and before its row was marked, a run after its claim has ended
  (`CLAIM`, 15 minutes) sends it again, with the
  same Message-ID (derived from the outbox key), the same Date and the same
  bytes, so the receiving side can recognise and drop the copy. The file
  transport overwrites the same `.eml` file, so it never holds a copy.
* In normal operation, and when a flow enters again, nothing is sent twice:
  sent rows are never picked up, and queueing an existing key adds nothing.
  Two delivery runs at the same moment (a cohort's stage and the programme
  clock, say) do not both send a row: each claims the rows of a batch before
  sending them, and skips rows another run holds.
* A permanent refusal (5xx, or a template that cannot render) marks the row
  `failed` with the error, and it is never retried; transient failures leave it
  `pending` with `attempts` and `last_error` updated, until `mail_max_attempts`
  runs have failed, when it becomes `failed` too. Failed rows are listed for
  the programme manager (`models.outbox.failed_messages`).

Rendering and sending are pipelined: the transport's workers pull the next
message from a lazy generator, so templates (compiled once) render while other
messages are on the wire.
"""

import asyncio
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from models.outbox import (
    StoredEmail,
    claim_messages,
    mark_failed,
    mark_sent_many,
    pending_messages,
    release_claims,
    stored_email,
)
from tasks.emails.build import MimeAttachment, OutgoingEmail, build_message
from tasks.emails.render import EmailRenderer, RenderedEmail, default_renderer
from tasks.emails.transport import SendResult

BATCH_SIZE = 500
# How long a run may hold rows it is sending before another run may take them (its process died).
# Real time, not the programme clock: simulated days pass in seconds.
CLAIM = timedelta(minutes=15)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    permanent_failures: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _PendingRow:
    row_id: int
    key: str
    recipient: str
    template: str
    subject: str
    message_id: str
    created_at: datetime
    attempts: int
    stored: StoredEmail


def compose_email(
    renderer: EmailRenderer,
    *,
    key: str,
    template: str,
    context: dict,
    sender: str,
    recipient: str,
    message_id: str,
    date: datetime,
    subject: str | None = None,
    easy_read: bool = False,
    attachments: Sequence[MimeAttachment] = (),
) -> OutgoingEmail:
    """Render (compiled templates) and build one message; production and the benchmark share this."""
    text, html = renderer.render_body(template, context, easy_read=easy_read)
    if subject is None:
        subject = renderer.render_subject(template, context)
    return build_message(
        RenderedEmail(subject=subject, text=text, html=html),
        key=key,
        sender=sender,
        recipient=recipient,
        message_id=message_id,
        date=date,
        attachments=attachments,
    )


def deliver_pending(runtime, *, cohort_id: int | None = None, batch_size: int = BATCH_SIZE) -> DeliveryReport:
    """Send every pending outbox row (of one cohort, or all); safe to call from any thread."""
    return run_coroutine_sync(lambda: _deliver(runtime, cohort_id, batch_size))


def run_coroutine_sync(make_coroutine):
    """Run a coroutine to completion from synchronous code, even inside a running event loop's thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


async def _deliver(runtime, cohort_id: int | None, batch_size: int) -> DeliveryReport:
    report = DeliveryReport()
    transport = runtime.mail_transport()
    renderer = default_renderer()
    last_id = 0
    while True:
        with runtime.session() as session:
            rows = pending_messages(session, cohort_id=cohort_id, limit=batch_size, after_id=last_id)
            if not rows:
                return report
            last_id = rows[-1].id
            now = datetime.now(UTC)
            claimed = claim_messages(session, ids=[row.id for row in rows], now=now, until=now + CLAIM)
            batch = [_snapshot(row) for row in rows if row.id in claimed]
        if not batch:
            continue  # another run is sending these
        results: list[SendResult] = []
        unrenderable: list[tuple[_PendingRow, str]] = []
        outgoing = _compose_all(batch, renderer, runtime.settings.mail_from, unrenderable)
        await transport.send_all(outgoing, results.append)
        _record(runtime, batch, results, unrenderable, report)
        server_unreachable = any(not r.attempted for r in results) and not any(r.delivered for r in results)
        if server_unreachable:
            return report  # leave the remaining rows pending, untouched, for the next run


def _snapshot(row) -> _PendingRow:
    created_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return _PendingRow(
        row_id=row.id,
        key=row.key,
        recipient=row.recipient,
        template=row.template,
        subject=row.subject,
        message_id=row.message_id,
        created_at=created_at,
        attempts=row.attempts,
        stored=stored_email(row),
    )


def _compose_all(
    batch: list[_PendingRow], renderer: EmailRenderer, sender: str, unrenderable: list
) -> Iterator[OutgoingEmail]:
    for row in batch:
        try:
            yield compose_email(
                renderer,
                key=row.key,
                template=row.template,
                context=row.stored.context,
                sender=sender,
                recipient=row.recipient,
                message_id=row.message_id,
                date=row.created_at,
                subject=row.subject,
                easy_read=row.stored.easy_read,
                attachments=[MimeAttachment(**a.model_dump()) for a in row.stored.attachments],
            )
        except Exception as error:  # a template that cannot render will not render next time either
            unrenderable.append((row, f"cannot render {row.template}: {type(error).__name__}: {error}"))


def _record(runtime, batch, results, unrenderable, report: DeliveryReport) -> None:
    rows_by_key = {row.key: row for row in batch}
    max_attempts = runtime.settings.mail_max_attempts
    delivered = [rows_by_key[result.email.key].row_id for result in results if result.delivered]
    with runtime.session() as session:
        mark_sent_many(session, message_id_rows=delivered, now=runtime.clock.now())
        report.sent += len(delivered)
        failures = [(rows_by_key[r.email.key], r.error, r.permanent, r.attempted) for r in results if not r.delivered]
        failures += [(row, error, True, True) for row, error in unrenderable]
        for row, error, permanent, attempted in failures:
            report.failed += 1
            if not attempted:
                continue
            gives_up = permanent or row.attempts + 1 >= max_attempts
            mark_failed(session, message_id_row=row.row_id, error=error, permanent=gives_up)
            if gives_up:
                report.permanent_failures.append(f"{row.recipient}: {error}")
        release_claims(session, ids=[row.row_id for row in batch])

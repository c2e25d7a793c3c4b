"""The outbox: repository functions for the `messages` table.

Every email is queued here under a unique key (cohort, person, purpose,
occurrence) before anything is sent; queueing the same key again does nothing,
so a flow that re-enters never sends an email twice. A row is `pending` until
delivery marks it `sent`, or `failed` when it can never be delivered (a
permanent refusal such as 550, or too many transient failures).

A delivery run first claims the rows it is about to send (`claim_messages`): another run at
the same moment skips them until the claim ends, when they are sent, given up or released.
A run that dies holding a claim leaves it to expire, and a later run sends the row then.

`Message.context` holds everything needed to render the message again exactly:
`{"context": {...template variables...}, "attachments": [...], "easy_read": bool}`.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from models.tables import Message
from tasks.emails.build import message_id_for

PENDING, SENT, FAILED = "pending", "sent", "failed"
_KEY_CHUNK = 500  # values per IN (…): well under SQLite's limit on bound parameters


def _chunks(values: Sequence) -> Iterable[Sequence]:
    for start in range(0, len(values), _KEY_CHUNK):
        yield values[start : start + _KEY_CHUNK]


class Attachment(BaseModel):
    filename: str
    content_type: str
    content: str


class EmailRequest(BaseModel):
    key: str = Field(min_length=1, max_length=300)
    recipient: str
    purpose: str
    template: str
    context: dict[str, Any]
    attachments: list[Attachment] = []
    easy_read: bool = False


class StoredEmail(BaseModel):
    """What a row needs to be rendered again, identically."""

    context: dict[str, Any]
    attachments: list[Attachment] = []
    easy_read: bool = False


def stored_email(message: Message) -> StoredEmail:
    return StoredEmail.model_validate(message.context)


def queue_emails(session: Session, *, cohort_id: int | None, requests: Sequence[EmailRequest], now: datetime) -> int:
    """Add an outbox row for each request whose key is new; returns how many were added.

    Each message is rendered once here, so a template error (a missing variable)
    fails the caller now rather than at delivery; the subject is stored, and the
    context is stored in its JSON form so a retry renders exactly the same text.
    Delivery reads rows in its own transaction: commit the session (leave its
    `session_scope`) before calling `deliver_pending`.
    """
    from tasks.emails.render import default_renderer

    renderer = default_renderer()
    unique_requests = list({request.key: request for request in requests}.values())
    existing = _existing_keys(session, [request.key for request in unique_requests])
    rows = []
    for request in unique_requests:
        if request.key in existing:
            continue
        stored = StoredEmail(
            context=request.context, attachments=request.attachments, easy_read=request.easy_read
        ).model_dump(mode="json")
        rendered = renderer.render(request.template, stored["context"], easy_read=request.easy_read)
        rows.append(
            {
                "key": request.key,
                "cohort_id": cohort_id,
                "recipient": request.recipient,
                "purpose": request.purpose,
                "template": request.template,
                "subject": rendered.subject,
                "context": stored,
                "state": PENDING,
                "attempts": 0,
                "message_id": message_id_for(request.key),
                "created_at": now,
            }
        )
    if not rows:
        return 0
    added = _insert_new_keys(session, rows)
    session.flush()
    return added


def _insert_new_keys(session: Session, rows: list[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT (key) DO NOTHING: a key that another process queued after
    `_existing_keys` looked is skipped, where a plain INSERT would fail the whole call."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        session.execute(insert(Message), rows)
        return len(rows)
    statement = dialect_insert(Message).on_conflict_do_nothing(index_elements=[Message.key]).returning(Message.id)
    return len(session.execute(statement, rows).all())


def _existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(session.scalars(select(Message.key).where(Message.key.in_(chunk))))
    return found


def pending_messages(
    session: Session, *, cohort_id: int | None = None, limit: int | None = None, after_id: int = 0
) -> list[Message]:
    """Rows waiting to be sent, oldest first; `cohort_id=None` means every cohort."""
    query = select(Message).where(Message.state == PENDING, Message.id > after_id).order_by(Message.id)
    if cohort_id is not None:
        query = query.where(Message.cohort_id == cohort_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def claim_messages(session: Session, *, ids: Sequence[int], now: datetime, until: datetime) -> set[int]:
    """Claim the rows among `ids` still pending and not held by another run's unexpired claim;
    returns the ids claimed. A row's UPDATE is atomic, so two runs never both claim it."""
    claimed: set[int] = set()
    for chunk in _chunks(ids):
        claimed.update(session.scalars(
            update(Message)
            .where(Message.id.in_(chunk), Message.state == PENDING,
                   or_(Message.claimed_until.is_(None), Message.claimed_until < now))
            .values(claimed_until=until)
            .returning(Message.id)
            .execution_options(synchronize_session=False)
        ))
    session.flush()
    return claimed


def release_claims(session: Session, *, ids: Sequence[int]) -> None:
    """Let rows still pending (not delivered this run) be taken by the next run at once."""
    for chunk in _chunks(ids):
        session.execute(
            update(Message)
            .where(Message.id.in_(chunk), Message.state == PENDING)
            .values(claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()


def mark_sent(session: Session, *, message_id_row: int, now: datetime) -> None:
    mark_sent_many(session, message_id_rows=[message_id_row], now=now)


def mark_sent_many(session: Session, *, message_id_rows: Iterable[int], now: datetime) -> None:
    ids = list(message_id_rows)
    for chunk in _chunks(ids):
        session.execute(
            update(Message)
            .where(Message.id.in_(chunk), Message.state != SENT)
            .values(state=SENT, sent_at=now, attempts=Message.attempts + 1, last_error=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    session.expire_all()


def mark_failed(session: Session, *, message_id_row: int, error: str, permanent: bool) -> None:
    """Record a failed attempt; a permanent failure stops retries, a transient one leaves the row pending."""
    session.execute(
        update(Message)
        .where(Message.id == message_id_row, Message.state != SENT)
        .values(
            state=FAILED if permanent else PENDING,
            attempts=Message.attempts + 1,
            last_error=error[:2000],
        )
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.expire_all()


def messages_for(session: Session, *, cohort_id: int) -> list[Message]:
    return list(session.scalars(select(Message).where(Message.cohort_id == cohort_id).order_by(Message.id)))


def failed_messages(session: Session, *, cohort_id: int | None = None) -> list[Message]:
    """Messages that will not be delivered, to show the programme manager."""
    query = select(Message).where(Message.state == FAILED).order_by(Message.id)
    if cohort_id is not None:
        query = query.where(Message.cohort_id == cohort_id)
    return list(session.scalars(query))


def count_messages(session: Session, *, cohort_id: int | None, state: str | None = None) -> int:
    query = select(func.count()).select_from(Message)
    if cohort_id is not None:
        query = query.where(Message.cohort_id == cohort_id)
    if state is not None:
        query = query.where(Message.state == state)
    return session.scalar(query) or 0

"""Repository functions for training sessions and attendance."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Attendance, TrainingSessionRow


def save_session(
    session: Session,
    *,
    cohort_id: int,
    name: str,
    audience: str,
    kind: str,
    starts_at: datetime,
    duration_minutes: int,
    required: bool,
    uid: str,
) -> TrainingSessionRow:
    """Insert the session, or update it; a changed time raises its sequence so calendar invites update."""
    row = session.scalar(
        select(TrainingSessionRow).where(TrainingSessionRow.cohort_id == cohort_id, TrainingSessionRow.name == name)
    )
    if row is None:
        row = TrainingSessionRow(cohort_id=cohort_id, name=name, uid=uid, sequence=0, starts_at=starts_at)
        session.add(row)
    elif row.starts_at != starts_at or row.duration_minutes != duration_minutes:
        row.sequence += 1
        row.starts_at = starts_at
    row.audience, row.kind, row.duration_minutes, row.required = audience, kind, duration_minutes, required
    session.flush()
    return row


def cohort_sessions(session: Session, *, cohort_id: int) -> list[TrainingSessionRow]:
    return list(
        session.scalars(
            select(TrainingSessionRow).where(TrainingSessionRow.cohort_id == cohort_id).order_by(TrainingSessionRow.starts_at)
        )
    )


def record_attendance(session: Session, *, session_id: int, attended_by: dict[int, bool], now: datetime) -> None:
    """Set attendance for many participants of one session (insert or update)."""
    existing = {
        a.participation_id: a
        for a in session.scalars(select(Attendance).where(Attendance.session_id == session_id))
    }
    for participation_id, attended in attended_by.items():
        row = existing.get(participation_id)
        if row is None:
            session.add(Attendance(session_id=session_id, participation_id=participation_id, attended=attended, recorded_at=now))
        else:
            row.attended, row.recorded_at = attended, now
    session.flush()


def attendance_by_session(session: Session, *, cohort_id: int) -> dict[int, dict[int, bool]]:
    rows = session.execute(
        select(Attendance.session_id, Attendance.participation_id, Attendance.attended)
        .join(TrainingSessionRow, TrainingSessionRow.id == Attendance.session_id)
        .where(TrainingSessionRow.cohort_id == cohort_id)
    )
    result: dict[int, dict[int, bool]] = {}
    for session_id, participation_id, attended in rows:
        result.setdefault(session_id, {})[participation_id] = attended
    return result

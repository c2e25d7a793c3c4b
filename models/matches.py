"""Repository functions for pairs (matches) and the meetings they log."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from models.tables import Match, Meeting, Participation

LIVE = ("active", "stalled")


def replace_proposed(session: Session, *, cohort_id: int, run_id: int, pairs: Iterable[dict], now: datetime) -> list[Match]:
    """Supersede the pairs still only proposed and propose these instead (a matching rework)."""
    session.execute(
        update(Match).where(Match.cohort_id == cohort_id, Match.status == "proposed").values(status="superseded")
    )
    rows = [Match(cohort_id=cohort_id, run_id=run_id, status="proposed", started_at=now, **pair) for pair in pairs]
    session.add_all(rows)
    session.flush()
    return rows


def cohort_matches(session: Session, *, cohort_id: int, statuses: Iterable[str] | None = None) -> list[Match]:
    query = (
        select(Match)
        .where(Match.cohort_id == cohort_id)
        .options(
            selectinload(Match.mentor).selectinload(Participation.person),
            selectinload(Match.mentee).selectinload(Participation.person),
        )
        .order_by(Match.id)
    )
    if statuses is not None:
        query = query.where(Match.status.in_(list(statuses)))
    return list(session.scalars(query))


def activate_proposed(session: Session, *, cohort_id: int, started_at: datetime) -> int:
    result = session.execute(
        update(Match)
        .where(Match.cohort_id == cohort_id, Match.status == "proposed")
        .values(status="active", started_at=started_at)
    )
    return result.rowcount


def set_match_status(session: Session, *, match_ids: Iterable[int], status: str, closed_at: datetime | None = None) -> None:
    values: dict = {"status": status}
    if closed_at is not None:
        values["closed_at"] = closed_at
    ids = list(match_ids)
    if ids:
        session.execute(update(Match).where(Match.id.in_(ids)).values(**values))


def log_meetings(session: Session, *, meetings: dict[int, list[datetime]], minutes: int) -> None:
    """Record meetings per match, skipping any already logged at the same moment (re-entry safe)."""
    for match_id, moments in meetings.items():
        known = set(session.scalars(select(Meeting.held_on).where(Meeting.match_id == match_id)))
        session.add_all(Meeting(match_id=match_id, held_on=m, minutes=minutes) for m in moments if m not in known)
    session.flush()


def meeting_counts(session: Session, *, match_ids: Iterable[int], until: datetime | None = None) -> dict[int, int]:
    ids = list(match_ids)
    if not ids:
        return {}
    query = select(Meeting.match_id, func.count()).where(Meeting.match_id.in_(ids)).group_by(Meeting.match_id)
    if until is not None:
        query = query.where(Meeting.held_on <= until)
    counts = {match_id: count for match_id, count in session.execute(query)}
    return {match_id: counts.get(match_id, 0) for match_id in ids}

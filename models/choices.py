"""Repository functions for mentees' ranked choices of mentor (mentee_choice and hybrid matching)."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.tables import MenteeChoice


def replace_choices(session: Session, *, cohort_id: int, choices: dict[int, list[int]], now: datetime) -> int:
    """Store each listed mentee's ranking (mentee participation id -> mentor ids, first choice first),
    replacing what that mentee chose before; other mentees' choices stay. Returns rows stored."""
    if choices:
        session.execute(delete(MenteeChoice).where(MenteeChoice.mentee_id.in_(list(choices))))
    stored = 0
    for mentee_id, mentor_ids in choices.items():
        for rank, mentor_id in enumerate(mentor_ids, start=1):
            session.add(MenteeChoice(cohort_id=cohort_id, mentee_id=mentee_id, mentor_id=mentor_id, rank=rank, imported_at=now))
            stored += 1
    session.flush()
    return stored


def cohort_choices(session: Session, *, cohort_id: int) -> dict[int, list[int]]:
    """Mentee participation id -> mentor participation ids, first choice first."""
    rows = session.scalars(
        select(MenteeChoice).where(MenteeChoice.cohort_id == cohort_id).order_by(MenteeChoice.mentee_id, MenteeChoice.rank)
    )
    choices: dict[int, list[int]] = {}
    for row in rows:
        choices.setdefault(row.mentee_id, []).append(row.mentor_id)
    return choices

"""Read-only queries for a programme's history: its cohorts in order and what each evaluation stored."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Cohort, Programme, StageRun


class CohortRecord(BaseModel):
    cohort_id: int
    name: str
    state: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    evaluation: dict[str, Any] | None = None


class ProgrammeNotFound(LookupError):
    def __init__(self, slug: str):
        super().__init__(
            f"no programme {slug!r} in the database: it appears once a cohort of it has been started"
            f" (`mentorflow cohort start {slug} --cohort NAME`)"
        )


def programme_cohorts(session: Session, *, programme_slug: str) -> tuple[Programme, list[CohortRecord]]:
    """The programme and its cohorts, oldest first, each with its latest evaluation output if it has one."""
    programme = session.scalar(select(Programme).where(Programme.slug == programme_slug))
    if programme is None:
        raise ProgrammeNotFound(programme_slug)
    cohorts = list(
        session.scalars(select(Cohort).where(Cohort.programme_id == programme.id).order_by(Cohort.created_at, Cohort.id))
    )
    evaluations = _latest_evaluation_outputs(session, cohort_ids=[c.id for c in cohorts])
    return programme, [
        CohortRecord(
            cohort_id=c.id, name=c.name, state=c.state, created_at=c.created_at, started_at=c.started_at,
            finished_at=c.finished_at, evaluation=evaluations.get(c.id),
        )
        for c in cohorts
    ]


def _latest_evaluation_outputs(session: Session, *, cohort_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not cohort_ids:
        return {}
    rows = session.execute(
        select(StageRun.cohort_id, StageRun.output)
        .where(StageRun.cohort_id.in_(cohort_ids), StageRun.stage == "evaluation")
        .order_by(StageRun.cohort_id, StageRun.round)
    )
    # A JSON column may hold JSON null rather than SQL NULL, so empty outputs are dropped here.
    return {cohort_id: output for cohort_id, output in rows if output}  # later rounds overwrite earlier ones

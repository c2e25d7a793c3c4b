"""Repository functions for programmes and cohorts."""

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.programme import Phase, ProgrammeDefinition
from models.tables import Cohort, Match, Message, Participation, Programme


class CohortNotFound(LookupError):
    def __init__(self, name: str):
        super().__init__(f"no cohort named {name!r}: start one with `mentorflow cohort start PROGRAMME --cohort {name}`")


class CohortConflict(ValueError):
    pass


def save_programme(session: Session, *, definition: ProgrammeDefinition, source_file: Path | None, now: datetime) -> Programme:
    """Insert or refresh a programme from its definition; the phase in the database wins once set to BAU."""
    programme = session.scalar(select(Programme).where(Programme.slug == definition.slug))
    payload = definition.model_dump(mode="json")
    if programme is None:
        programme = Programme(slug=definition.slug, phase=definition.phase.value)
        session.add(programme)
    programme.name = definition.name
    programme.organisation = definition.organisation
    programme.definition = payload
    programme.source_file = str(source_file) if source_file else None
    programme.updated_at = now
    session.flush()
    return programme


def find_programme_row(session: Session, *, slug: str) -> Programme | None:
    return session.scalar(select(Programme).where(Programme.slug == slug))


def programme_definition(programme: Programme) -> ProgrammeDefinition:
    definition = ProgrammeDefinition.model_validate(programme.definition)
    return definition.model_copy(update={"phase": Phase(programme.phase)})


def create_cohort(
    session: Session, *, programme: Programme, name: str, now: datetime, simulated: bool = False, seed: int = 7
) -> Cohort:
    """Create the cohort, or return it when it already exists for the same programme (a restart)."""
    cohort = session.scalar(select(Cohort).where(Cohort.name == name))
    if cohort is not None:
        if cohort.programme_id != programme.id:
            raise CohortConflict(
                f"cohort {name!r} already belongs to programme {cohort.programme.slug!r}; choose another --cohort name"
            )
        return cohort
    cohort = Cohort(programme=programme, name=name, state="created", created_at=now, simulated=simulated, seed=seed)
    session.add(cohort)
    session.flush()
    return cohort


def find_cohort(session: Session, *, name: str) -> Cohort | None:
    return session.scalar(select(Cohort).where(Cohort.name == name))


def require_cohort(session: Session, *, name: str) -> Cohort:
    cohort = find_cohort(session, name=name)
    if cohort is None:
        raise CohortNotFound(name)
    return cohort


def cohort_by_id(session: Session, *, cohort_id: int) -> Cohort:
    return session.get_one(Cohort, cohort_id)


def set_cohort_state(
    session: Session, *, cohort_id: int, state: str, now: datetime, flow_run_id: str | None = None
) -> None:
    cohort = session.get_one(Cohort, cohort_id)
    cohort.state = state
    if flow_run_id:
        cohort.flow_run_id = flow_run_id
    if state == "running" and cohort.started_at is None:
        cohort.started_at = now
    if state in {"completed", "stopped"}:
        cohort.finished_at = now


def cohort_counts(session: Session, *, cohort_id: int) -> dict[str, int]:
    def count_role(role: str) -> int:
        return session.scalar(
            select(func.count()).where(Participation.cohort_id == cohort_id, Participation.role == role)
        )

    pairs = session.scalar(
        select(func.count()).where(Match.cohort_id == cohort_id, Match.status.not_in(["proposed", "superseded", "rematched"]))
    )
    messages = session.scalar(select(func.count()).where(Message.cohort_id == cohort_id))
    return {"mentors": count_role("mentor"), "mentees": count_role("mentee"), "pairs": pairs, "messages": messages}


def programme_cohorts(session: Session, *, slug: str) -> list[Cohort]:
    return list(
        session.scalars(select(Cohort).join(Programme).where(Programme.slug == slug).order_by(Cohort.created_at))
    )

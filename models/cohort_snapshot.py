"""A read-only picture of one cohort's state, for the programme clock's reminder planning.

`load_snapshot` only reads. The planner (`tasks.reminders.plan`) is a pure function of a
snapshot, the programme and `now`; it ignores anything in the snapshot dated after `now`
(a meeting, a response, a gate), so tests can describe a whole year in one snapshot.
"""

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cohorts import cohort_by_id, programme_definition
from models.matches import LIVE, cohort_matches
from models.participants import participations
from models.programme import STAGES, ProgrammeDefinition
from models.stage_runs import latest_stage_run, waiting_gates
from models.tables import Cohort, Meeting, Message, Response, Survey
from models.training import cohort_sessions

ACTIVE_COHORT_STATES = ("running", "waiting")


class PersonState(BaseModel):
    participation_id: int
    email: str
    name: str
    role: str
    status: str
    line_manager_email: str | None = None


class SessionState(BaseModel):
    name: str
    audience: str
    kind: str
    uid: str
    sequence: int = 0
    starts_at: datetime
    duration_minutes: int


class PairState(BaseModel):
    match_id: int
    mentor_id: int
    mentee_id: int
    status: str
    started_at: datetime
    closed_at: datetime | None = None
    meetings: list[datetime] = Field(default_factory=list)


class SurveyState(BaseModel):
    kind: str
    opened_at: datetime
    responses: dict[int, datetime] = Field(default_factory=dict, description="participation id -> submitted at")


class GateState(BaseModel):
    stage: str
    round: int
    opened_at: datetime
    decided_at: datetime | None = None


class CohortSnapshot(BaseModel):
    cohort_id: int
    cohort: str
    state: str
    simulated: bool = False
    seed: int = 7
    people: list[PersonState] = Field(default_factory=list)
    sessions: list[SessionState] = Field(default_factory=list)
    pairs: list[PairState] = Field(default_factory=list)
    surveys: list[SurveyState] = Field(default_factory=list)
    gates: list[GateState] = Field(default_factory=list, description="gates waiting for a decision")
    stages: dict[str, str] = Field(default_factory=dict, description="latest state of each stage entered")
    queued_keys: frozenset[str] = frozenset()


def active_cohort_ids(session: Session, *, name: str | None = None) -> list[int]:
    """Cohorts whose lifecycle has started and not ended (optionally only the one named)."""
    query = select(Cohort.id).where(Cohort.state.in_(ACTIVE_COHORT_STATES)).order_by(Cohort.id)
    if name is not None:
        query = query.where(Cohort.name == name)
    return list(session.scalars(query))


def cohort_programme(session: Session, *, cohort_id: int) -> ProgrammeDefinition:
    return programme_definition(cohort_by_id(session, cohort_id=cohort_id).programme)


def load_snapshot(session: Session, *, cohort_id: int) -> CohortSnapshot:
    cohort = cohort_by_id(session, cohort_id=cohort_id)
    people = [
        PersonState(
            participation_id=p.id, email=p.person.email, name=p.person.name, role=p.role, status=p.status,
            line_manager_email=p.person.line_manager_email,
        )
        for p in participations(session, cohort_id=cohort_id)
    ]
    sessions = [
        SessionState(name=s.name, audience=s.audience, kind=s.kind, uid=s.uid, sequence=s.sequence,
                     starts_at=s.starts_at, duration_minutes=s.duration_minutes)
        for s in cohort_sessions(session, cohort_id=cohort_id)
    ]
    matches = cohort_matches(session, cohort_id=cohort_id, statuses=LIVE)
    meetings = _meetings_by_match(session, match_ids=[m.id for m in matches])
    pairs = [
        PairState(match_id=m.id, mentor_id=m.mentor_id, mentee_id=m.mentee_id, status=m.status,
                  started_at=m.started_at, closed_at=m.closed_at, meetings=meetings.get(m.id, []))
        for m in matches
    ]
    gates = [
        GateState(stage=stage_run.stage, round=stage_run.round, opened_at=stage_run.gate_opened_at)
        for _, stage_run in waiting_gates(session, cohort_id=cohort_id)
        if stage_run.gate_opened_at is not None
    ]
    stages = {}
    for stage in STAGES:
        stage_run = latest_stage_run(session, cohort_id=cohort_id, stage=stage.value)
        if stage_run is not None:
            stages[stage.value] = stage_run.state
    return CohortSnapshot(
        cohort_id=cohort.id, cohort=cohort.name, state=cohort.state, simulated=cohort.simulated, seed=cohort.seed,
        people=people, sessions=sessions, pairs=pairs, surveys=_surveys(session, cohort_id=cohort_id), gates=gates,
        stages=stages,
        queued_keys=frozenset(session.scalars(select(Message.key).where(Message.cohort_id == cohort_id))),
    )


def _meetings_by_match(session: Session, *, match_ids: list[int]) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    for start in range(0, len(match_ids), 500):
        chunk = match_ids[start : start + 500]
        rows = session.execute(
            select(Meeting.match_id, Meeting.held_on).where(Meeting.match_id.in_(chunk)).order_by(Meeting.held_on)
        )
        for match_id, held_on in rows:
            found[match_id].append(held_on)
    return found


def _surveys(session: Session, *, cohort_id: int) -> list[SurveyState]:
    surveys = list(session.scalars(select(Survey).where(Survey.cohort_id == cohort_id).order_by(Survey.opened_at)))
    responses: dict[int, dict[int, datetime]] = defaultdict(dict)
    rows = session.execute(
        select(Response.survey_id, Response.participation_id, Response.submitted_at).where(
            Response.survey_id.in_([s.id for s in surveys])
        )
    )
    for survey_id, participation_id, submitted_at in rows:
        responses[survey_id][participation_id] = submitted_at
    return [SurveyState(kind=s.kind, opened_at=s.opened_at, responses=responses[s.id]) for s in surveys]

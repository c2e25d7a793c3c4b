"""Read-only queries that gather everything a cohort's evaluation needs into plain records.

The records hold consented demographics per participation so the evaluation can count
groups; nothing here is ever published per person (see tasks/evaluation/equity.py).
"""

from collections import defaultdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.programme import ProgrammeDefinition
from models.tables import (
    Attendance,
    Cohort,
    Demographic,
    GateDecisionRow,
    Match,
    Meeting,
    Participation,
    Response,
    StageRun,
    Survey,
    TrainingSessionRow,
)

DAYS_PER_MONTH = 30.44


class ParticipantRecord(BaseModel):
    participation_id: int
    role: str
    status: str
    demographics: dict[str, str] = Field(default_factory=dict, description="consented answers only")


class MatchRecord(BaseModel):
    match_id: int
    mentor_id: int
    mentee_id: int
    status: str
    agreement: dict[str, Any] = Field(default_factory=dict)
    meetings_held: int = 0
    months_active: float = 0.0
    started_at: datetime | None = None
    closed_at: datetime | None = None


class AttendanceRecord(BaseModel):
    participation_id: int
    session_name: str
    audience: str
    kind: str
    required: bool
    attended: bool
    starts_at: datetime | None = None


class MidpointActions(BaseModel):
    reviewed: bool = False
    flagged: int = 0
    reenergised: int = 0
    rematched: int = 0
    closed_early: int = 0
    source: str = "midpoint review"


class GateRecord(BaseModel):
    stage: str
    decision: str
    accepted: bool


class EvaluationData(BaseModel):
    cohort_id: int
    cohort_name: str
    programme: ProgrammeDefinition
    participants: list[ParticipantRecord] = Field(default_factory=list)
    responses: dict[str, dict[int, dict[str, Any]]] = Field(
        default_factory=dict, description="survey kind -> participation id -> answers"
    )
    matches: list[MatchRecord] = Field(default_factory=list)
    attendance: list[AttendanceRecord] = Field(default_factory=list)
    midpoint: MidpointActions = MidpointActions()
    stage_states: dict[str, str] = Field(default_factory=dict, description="stage -> state of its latest round")
    gate_decisions: list[GateRecord] = Field(default_factory=list)


def load_evaluation_data(session: Session, *, cohort_id: int, as_of: datetime | None = None) -> EvaluationData:
    """Everything the evaluation measures, for one cohort.

    `as_of` is the end date for relationships still open; without it an open relationship
    counts up to its latest meeting.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise LookupError(f"no cohort with id {cohort_id}")
    programme = ProgrammeDefinition.model_validate(cohort.programme.definition)
    participations = session.scalars(select(Participation).where(Participation.cohort_id == cohort_id)).all()
    ids = [p.id for p in participations]

    demographics: dict[int, dict[str, str]] = defaultdict(dict)
    for row in session.scalars(select(Demographic).where(Demographic.participation_id.in_(ids))):
        demographics[row.participation_id][row.attribute] = row.value
    participants = [
        ParticipantRecord(participation_id=p.id, role=p.role, status=p.status, demographics=demographics.get(p.id, {}))
        for p in participations
    ]

    return EvaluationData(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        programme=programme,
        participants=participants,
        responses=_responses(session, cohort_id=cohort_id),
        matches=_matches(session, cohort_id=cohort_id, as_of=as_of),
        attendance=_attendance(session, cohort_id=cohort_id),
        midpoint=_midpoint_actions(session, cohort_id=cohort_id),
        stage_states=_stage_states(session, cohort_id=cohort_id),
        gate_decisions=[
            GateRecord(stage=g.stage, decision=g.decision, accepted=g.accepted)
            for g in session.scalars(select(GateDecisionRow).where(GateDecisionRow.cohort_id == cohort_id))
        ],
    )


def previous_cohort_id(session: Session, *, cohort_id: int) -> int | None:
    """The latest other cohort of the same programme created before this one that has finished.

    Finished means its state is `completed` or it has an evaluation stage run.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        return None
    evaluated = select(StageRun.cohort_id).where(StageRun.stage == "evaluation")
    query = (
        select(Cohort.id)
        .where(
            Cohort.programme_id == cohort.programme_id,
            Cohort.id != cohort.id,
            Cohort.created_at <= cohort.created_at,
            (Cohort.state == "completed") | Cohort.id.in_(evaluated),
        )
        .order_by(Cohort.created_at.desc(), Cohort.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _responses(session: Session, *, cohort_id: int) -> dict[str, dict[int, dict[str, Any]]]:
    rows = session.execute(
        select(Survey.kind, Response.participation_id, Response.answers)
        .join(Response, Response.survey_id == Survey.id)
        .where(Survey.cohort_id == cohort_id)
    )
    by_kind: dict[str, dict[int, dict[str, Any]]] = {}
    for kind in session.scalars(select(Survey.kind).where(Survey.cohort_id == cohort_id)):
        by_kind.setdefault(kind, {})
    for kind, participation_id, answers in rows:
        by_kind.setdefault(kind, {})[participation_id] = dict(answers or {})
    return by_kind


def _matches(session: Session, *, cohort_id: int, as_of: datetime | None) -> list[MatchRecord]:
    meetings = dict(
        session.execute(
            select(Meeting.match_id, func.count(Meeting.id))
            .join(Match, Match.id == Meeting.match_id)
            .where(Match.cohort_id == cohort_id)
            .group_by(Meeting.match_id)
        ).all()
    )
    last_meeting = dict(
        session.execute(
            select(Meeting.match_id, func.max(Meeting.held_on))
            .join(Match, Match.id == Meeting.match_id)
            .where(Match.cohort_id == cohort_id)
            .group_by(Meeting.match_id)
        ).all()
    )
    records = []
    for match in session.scalars(select(Match).where(Match.cohort_id == cohort_id).order_by(Match.id)):
        end = match.closed_at or as_of or last_meeting.get(match.id) or match.started_at
        records.append(
            MatchRecord(
                match_id=match.id,
                mentor_id=match.mentor_id,
                mentee_id=match.mentee_id,
                status=match.status,
                agreement=dict(match.agreement or {}),
                meetings_held=meetings.get(match.id, 0),
                months_active=round(max(0.0, _days_between(match.started_at, end) / DAYS_PER_MONTH), 2),
                started_at=match.started_at,
                closed_at=match.closed_at,
            )
        )
    return records


def _days_between(start: datetime, end: datetime) -> float:
    # SQLite hands back naive datetimes; compare like with like.
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return (end - start).total_seconds() / 86400


def _attendance(session: Session, *, cohort_id: int) -> list[AttendanceRecord]:
    rows = session.execute(
        select(Attendance, TrainingSessionRow)
        .join(TrainingSessionRow, TrainingSessionRow.id == Attendance.session_id)
        .where(TrainingSessionRow.cohort_id == cohort_id)
    )
    return [
        AttendanceRecord(
            participation_id=attendance.participation_id,
            session_name=training.name,
            audience=training.audience,
            kind=training.kind,
            required=training.required,
            attended=attendance.attended,
            starts_at=training.starts_at,
        )
        for attendance, training in rows
    ]


def _latest_stage_run(session: Session, *, cohort_id: int, stage: str) -> StageRun | None:
    return session.scalars(
        select(StageRun).where(StageRun.cohort_id == cohort_id, StageRun.stage == stage).order_by(StageRun.round.desc())
    ).first()


def _stage_states(session: Session, *, cohort_id: int) -> dict[str, str]:
    states: dict[str, str] = {}
    for run in session.scalars(select(StageRun).where(StageRun.cohort_id == cohort_id).order_by(StageRun.round)):
        states[run.stage] = run.state
    return states


def _count(value: Any) -> int:
    if isinstance(value, list | tuple | set | dict):
        return len(value)
    return int(value or 0)


def _midpoint_actions(session: Session, *, cohort_id: int) -> MidpointActions:
    run = _latest_stage_run(session, cohort_id=cohort_id, stage="midpoint")
    output = (run.output if run else None) or {}
    keys = ("flagged", "reenergised", "rematched", "closed_early")
    if any(key in output for key in keys):
        return MidpointActions(reviewed=True, **{key: _count(output.get(key)) for key in keys})
    statuses = list(session.scalars(select(Match.status).where(Match.cohort_id == cohort_id)))
    return MidpointActions(
        reviewed=run is not None,
        flagged=sum(s in {"stalled", "rematched", "ended_early"} for s in statuses),
        reenergised=0,
        rematched=statuses.count("rematched"),
        closed_early=statuses.count("ended_early"),
        source="match statuses (no midpoint review output)",
    )

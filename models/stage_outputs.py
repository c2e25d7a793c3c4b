"""The typed output of each stage, stored with its stage run and handed to the next stage."""

from pydantic import BaseModel, Field


class ObjectiveLine(BaseModel):
    id: str
    description: str
    measure: str
    target: float
    by: str


class Charter(BaseModel):
    programme: str
    organisation: str
    phase: str
    aims: list[str]
    objectives: list[ObjectiveLine]
    audience: str
    target_pairs: int
    sponsor: str
    programme_manager: str
    steering_committee: list[str]
    approvers: dict[str, list[str]]
    drivers: list[str]
    barriers: list[str]
    budget: str | None
    admin_hours_per_week: float | None
    problems: list[str] = Field(default_factory=list, description="gaps the approver should see before approving")


class RosterLine(BaseModel):
    participation_id: int
    name: str
    role: str
    organisation: str
    grade: int


class Roster(BaseModel):
    invited: int
    applied: int
    eligible_mentors: int
    eligible_mentees: int
    ineligible: int
    ineligible_reasons: dict[str, int]
    target_pairs: int
    closes_on: str
    eligible: list[RosterLine]


class SessionLine(BaseModel):
    name: str
    audience: str
    kind: str
    starts_at: str
    invited: int
    attended: int


class TrainedRoster(BaseModel):
    sessions: list[SessionLine]
    trained_mentors: int
    trained_mentees: int
    untrained_mentors: int
    untrained_mentees: int
    line_managers_briefed: int


class PairLine(BaseModel):
    match_id: int
    mentor: str
    mentee: str
    score: float
    reason: str


class MatchingOutcome(BaseModel):
    run_id: int
    mode: str
    solver: str
    pairs: list[PairLine]
    unmatched: list[dict[str, str]]
    objective: float
    optimal: bool
    notes: list[str]
    fairness: dict
    diff: dict | None = None


class HealthLine(BaseModel):
    match_id: int
    mentor: str
    mentee: str
    meetings: int
    expected_meetings: int
    rating: float | None
    flag: str | None
    action: str | None


class MidpointReview(BaseModel):
    pairs: int
    responses: int
    response_rate: float
    flagged: int
    reenergised: int
    rematched: int
    closed_early: int
    health: list[HealthLine]


class ClosureRecord(BaseModel):
    closed_pairs: int
    completed_mentees: int
    alumni: int
    invited_to_mentor: int
    closing_event: str
    closing_event_at: str


class ImpactReport(BaseModel):
    headline: str
    objectives: list[dict]
    response_rate: float
    report_path: str
    markdown: str

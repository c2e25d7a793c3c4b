"""Domain models passed between tasks: participants as matching and eligibility see them."""

from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    mentor = "mentor"
    mentee = "mentee"


class ParticipantStatus(StrEnum):
    invited = "invited"
    applied = "applied"
    eligible = "eligible"
    ineligible = "ineligible"
    trained = "trained"
    untrained = "untrained"
    matched = "matched"
    unmatched = "unmatched"
    completed = "completed"
    withdrawn = "withdrawn"


class ParticipantProfile(BaseModel):
    """Everything a stage's pure logic needs about one participant.

    `demographics` holds consented answers only; `identity_match` is the mentee's opt-in
    to be matched on them. Neither may be logged or published per person.
    """

    participation_id: int
    email: str
    name: str
    role: Role
    organisation: str = ""
    team: str = ""
    sector: str = ""
    region: str = ""
    grade: int = 0
    topics: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    availability: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)
    line_manager_email: str | None = None
    manager_chain: list[str] = Field(default_factory=list, description="line manager, their manager, and so on up")
    capacity: int = 1
    nominated_by: str | None = None
    trained: bool = False
    identity_match: bool = False
    demographics: dict[str, str] = Field(default_factory=dict)


class Pair(BaseModel):
    mentor_id: int
    mentee_id: int
    score: float
    reasons: list[str]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "feasible pair"


class Unmatched(BaseModel):
    mentee_id: int
    why: str


class MatchResult(BaseModel):
    pairs: list[Pair]
    unmatched: list[Unmatched]
    solver: str
    objective: float
    optimal: bool = True
    upper_bound: float | None = None  # certified: no result of these inputs scores more (None: not known)
    notes: list[str] = Field(default_factory=list)
    fairness: dict = Field(default_factory=dict)

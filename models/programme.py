"""The programme definition: what a programme lead writes in config/programmes/<name>.yaml."""

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator


class Stage(StrEnum):
    scoping = "scoping"
    recruitment = "recruitment"
    training = "training"
    matching = "matching"
    midpoint = "midpoint"
    closure = "closure"
    evaluation = "evaluation"


STAGES: tuple[Stage, ...] = tuple(Stage)


class Phase(StrEnum):
    pilot = "pilot"
    bau = "bau"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contact(Strict):
    name: str = Field(min_length=1)
    email: EmailStr


class Objective(Strict):
    """A SMART objective: measurable (`measure`), with a target and a time frame."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str
    measure: Literal[
        "match_rate",
        "completion_rate",
        "response_rate",
        "would_recommend_share",
        "improved_share",
        "mean_change",
        "outcome_share",
        "pairs_matched",
    ]
    item: str | None = Field(default=None, description="the rating or outcome item the measure reads")
    target: float
    by: str = Field(default="end of cohort", description="the time-bound part of the objective")

    @model_validator(mode="after")
    def _item_when_needed(self) -> "Objective":
        if self.measure in {"improved_share", "mean_change", "outcome_share"} and not self.item:
            raise ValueError(f"measure {self.measure!r} needs an `item` naming the evaluation item it reads")
        return self


class GradeRange(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "GradeRange":
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class AudienceRule(Strict):
    description: str = ""
    grades: GradeRange | None = None
    sectors: list[str] | None = Field(default=None, description="allowed sectors; any when absent")
    regions: list[str] | None = Field(default=None, description="allowed regions; any when absent")
    nomination_required: bool = False


class Audience(Strict):
    description: str
    target_pairs: int = Field(gt=0)
    mentees: AudienceRule
    mentors: AudienceRule


class GateRule(Strict):
    approvers: list[EmailStr] = Field(min_length=1)


class Governance(Strict):
    sponsor: Contact
    programme_manager: Contact
    steering_committee: list[Contact] = Field(min_length=1)
    gates: dict[Stage, GateRule]
    transition_approvers: list[EmailStr] = Field(default_factory=list)

    @model_validator(mode="after")
    def _every_stage_gated(self) -> "Governance":
        missing = [stage.value for stage in STAGES if stage not in self.gates]
        if missing:
            raise ValueError(f"every stage needs approvers; missing gates: {', '.join(missing)}")
        return self


class TrainingSession(Strict):
    name: str
    audience: Literal["mentors", "mentees", "line_managers"]
    kind: Literal["initial", "webinar", "briefing", "masterclass", "event"]
    offset_days: int = Field(description="days after the recruitment window closes")
    duration_hours: float = Field(gt=0)
    required: bool = True


class TrainingPlan(Strict):
    sessions: list[TrainingSession] = Field(min_length=1)
    mentors_trained_before_matching: bool = True

    @model_validator(mode="after")
    def _initial_for_both(self) -> "TrainingPlan":
        for audience in ("mentors", "mentees"):
            if not any(s.audience == audience and s.kind == "initial" for s in self.sessions):
                raise ValueError(f"the plan needs an initial session for {audience}")
        return self


class MeetingCadence(Strict):
    every: Literal["weekly", "fortnightly", "monthly"] = "monthly"
    minutes: int = Field(default=60, gt=0)

    @property
    def per_month(self) -> float:
        return {"weekly": 4.0, "fortnightly": 2.0, "monthly": 1.0}[self.every]


class Calendar(Strict):
    timezone: str = "Europe/London"
    start: date = Field(description="the day the recruitment window opens")
    recruitment_days: int = Field(default=28, gt=0)
    relationship_months: int = Field(default=12, gt=0)
    midpoint_month: int | None = Field(default=None, description="defaults to half the relationship")
    meetings: MeetingCadence = MeetingCadence()
    closing_event_name: str = "End-of-scheme celebration"

    @model_validator(mode="after")
    def _midpoint_inside(self) -> "Calendar":
        if self.midpoint_month is not None and not 0 < self.midpoint_month < self.relationship_months:
            raise ValueError("midpoint_month must fall inside the relationship period")
        return self

    @property
    def midpoint(self) -> int:
        return self.midpoint_month or max(1, self.relationship_months // 2)


class HardRules(Strict):
    not_line_manager: Literal[True] = True
    same_organisation_allowed: bool = True
    cross_sector_required: bool = False
    shared_language_required: bool = False


class Weights(Strict):
    goals: float = Field(default=5, ge=0, le=10)
    cross_sector: float = Field(default=1, ge=0, le=10)
    seniority: float = Field(default=2, ge=0, le=10)
    geography: float = Field(default=1, ge=0, le=10)
    availability: float = Field(default=0, ge=0, le=10)
    identity: float = Field(default=0, ge=0, le=10)


class MatchingPolicy(Strict):
    mode: Literal["assigned", "mentee_choice", "hybrid"] = "assigned"
    objective: Literal["count_first", "score_first"] = "count_first"
    shortlist_size: int = Field(default=3, ge=1, le=20)
    mentor_capacity: int = Field(default=1, ge=1, le=20)
    hard_rules: HardRules = HardRules()
    weights: Weights = Weights()
    cross_sector: Literal["prefer", "avoid", "ignore"] = "ignore"
    seniority_gap: GradeRange = GradeRange(min=1, max=3)


class RatingItem(Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    question: str
    scale: tuple[int, int] = (1, 5)


class OutcomeItem(Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    question: str


class EvaluationPlan(Strict):
    ratings: list[RatingItem] = Field(min_length=1, description="asked before and after")
    outcomes: list[OutcomeItem] = Field(default_factory=list, description="yes/no, asked after")
    would_recommend_question: str = "Would you recommend the programme to a colleague?"
    satisfaction_question: str = "How satisfied were you with the programme overall?"
    min_n_for_test: int = Field(default=10, ge=2)
    suppress_below: int = Field(default=5, ge=1)


REMINDER_KINDS: tuple[str, ...] = (
    "recruitment_closing_reminder",
    "training_reminder",
    "monthly_nudge",
    "survey_chaser",
    "gate_reminder",
    "gate_escalation",
    "stalled_pair",
)


class ReminderPlan(Strict):
    training_lead_days: list[int] = Field(default_factory=lambda: [7, 1])
    recruitment_close_lead_days: int = 7
    survey_chaser_days: int = 7
    gate_remind_days: int = 3
    gate_escalate_days: list[int] = Field(default_factory=lambda: [7, 14])
    monthly_nudge: bool = True
    easy_read: bool = False
    disabled: list[str] = Field(default_factory=list, description="reminder kinds switched off, e.g. [monthly_nudge]")
    grace_days: int = Field(default=2, ge=0, description="how late a missed reminder may still go out")
    monthly_nudge_day: int = Field(default=20, ge=1, le=28, description="day of the month quiet pairs are nudged")
    stalled_after_months: int = Field(default=2, ge=1, description="months without a meeting before the manager hears")

    @model_validator(mode="after")
    def _known_kinds(self) -> "ReminderPlan":
        unknown = sorted(set(self.disabled) - set(REMINDER_KINDS))
        if unknown:
            raise ValueError(f"reminders.disabled names unknown kind(s) {', '.join(unknown)}; known: {', '.join(REMINDER_KINDS)}")
        return self


class ProgrammeDefinition(Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="short name used on the command line")
    name: str
    organisation: str
    phase: Phase = Phase.pilot
    aims: list[str] = Field(min_length=1)
    objectives: list[Objective] = Field(min_length=1)
    drivers: list[str] = Field(default_factory=list)
    barriers: list[str] = Field(default_factory=list)
    budget: str | None = None
    admin_hours_per_week: float | None = Field(default=None, ge=0)
    topics: list[str] = Field(min_length=1, description="goal/expertise vocabulary for profiles and matching")
    audience: Audience
    governance: Governance
    calendar: Calendar
    training: TrainingPlan
    matching: MatchingPolicy = MatchingPolicy()
    evaluation: EvaluationPlan
    reminders: ReminderPlan = ReminderPlan()
    schedule: str | None = Field(default=None, description="RRULE for annual cohorts once BAU")

    @model_validator(mode="after")
    def _objective_items_exist(self) -> "ProgrammeDefinition":
        rating_keys = {r.key for r in self.evaluation.ratings}
        outcome_keys = {o.key for o in self.evaluation.outcomes}
        for objective in self.objectives:
            if objective.measure in {"improved_share", "mean_change"} and objective.item not in rating_keys:
                raise ValueError(f"objective {objective.id!r} reads rating {objective.item!r}, which evaluation.ratings does not define")
            if objective.measure == "outcome_share" and objective.item not in outcome_keys:
                raise ValueError(f"objective {objective.id!r} reads outcome {objective.item!r}, which evaluation.outcomes does not define")
        return self

    def approvers_for(self, stage: Stage) -> list[str]:
        return [str(a).lower() for a in self.governance.gates[stage].approvers]

"""The evaluation report: every measure of a cohort, as plain typed values ready to render.

Nothing in it is per person: counts, shares and grouped free text only.
"""

from pydantic import BaseModel, Field


class ResponseRate(BaseModel):
    survey: str
    role: str
    invited: int
    responded: int
    rate: float | None


class PrePostChange(BaseModel):
    """Paired change on one rating item, for people who answered both pre and post."""

    key: str
    question: str
    role: str
    scale: tuple[int, int] = (1, 5)
    n_pairs: int
    n_unpaired: int = Field(description="answered pre or post but not both; left out")
    pre_mean: float | None
    post_mean: float | None
    mean_change: float | None
    median_change: float | None
    improved: int
    unchanged: int
    worse: int
    improved_share: float | None
    test: str | None = Field(description="the test run, or None when n is below the minimum")
    statistic: float | None = None
    p_value: float | None = None
    test_note: str = ""
    pre_distribution: list[int] = Field(default_factory=list, description="count per scale point, paired people")
    post_distribution: list[int] = Field(default_factory=list)


class Share(BaseModel):
    key: str
    label: str
    population: str
    numerator: int
    denominator: int
    share: float | None


class Satisfaction(BaseModel):
    role: str
    n: int
    mean: float | None


class Relationships(BaseModel):
    pairs: int
    completed: int
    completion_rate: float | None
    ended_early: int
    rematched: int
    still_open: int
    meetings_held: int
    meetings_expected: float
    meetings_ratio: float | None
    pairs_meeting_cadence: int
    goals_answered: int
    goals_reached: dict[str, int] = Field(default_factory=dict, description="yes / partly / no")


class ObjectiveResult(BaseModel):
    id: str
    description: str
    measure: str
    item: str | None
    by: str
    target: float
    actual: float | None
    met: bool
    target_display: str
    actual_display: str
    evidence: str


class EquityRow(BaseModel):
    group: str
    suppressed: bool = Field(description="the row stands for fewer than the threshold: no figures shown")
    combined: bool = Field(default=False, description="small groups folded together")
    counts: dict[str, str] = Field(default_factory=dict, description="stage -> count as shown ('<5' when suppressed)")
    rates: dict[str, str] = Field(default_factory=dict, description="stage -> share of the base, as shown")
    numbers: dict[str, int] = Field(default_factory=dict, description="stage -> count; empty when suppressed")


class EquityTable(BaseModel):
    role: str
    attribute: str
    stages: list[str]
    rows: list[EquityRow]
    total: EquityRow


class OutcomeCell(BaseModel):
    shown: str
    numerator: int | None = None
    denominator: int | None = None


class EquityOutcomes(BaseModel):
    attribute: str
    measures: list[str]
    rows: dict[str, dict[str, OutcomeCell]] = Field(description="group -> measure -> cell")


class ComparisonRow(BaseModel):
    key: str
    label: str
    kind: str = "share"
    this: float | None
    previous: float | None
    this_display: str
    previous_display: str
    change_display: str


class CommentGroup(BaseModel):
    survey: str
    role: str
    question: str
    comments: list[str]


class StandardEvidence(BaseModel):
    frameworks: list[str]
    heading: str
    shows: str
    source: str
    ok: bool | None = None


class KeyFigure(BaseModel):
    key: str
    label: str
    value: float | None
    kind: str = Field(description="share, count, mean or change: decides how it is shown")


class EvaluationReport(BaseModel):
    cohort_name: str
    programme_name: str
    programme_slug: str
    organisation: str
    suppress_below: int
    min_n_for_test: int
    response_rates: list[ResponseRate]
    pre_post: list[PrePostChange]
    shares: list[Share]
    satisfaction: list[Satisfaction]
    relationships: Relationships
    objectives: list[ObjectiveResult]
    equity: list[EquityTable] = Field(default_factory=list)
    equity_outcomes: list[EquityOutcomes] = Field(default_factory=list)
    key_figures: list[KeyFigure] = Field(default_factory=list)
    previous_cohort_name: str | None = None
    previous_key_figures: list[KeyFigure] = Field(default_factory=list)
    comparison: list[ComparisonRow] = Field(default_factory=list)
    comments: list[CommentGroup] = Field(default_factory=list)
    standards: list[StandardEvidence] = Field(default_factory=list)
    method_notes: list[str] = Field(default_factory=list)

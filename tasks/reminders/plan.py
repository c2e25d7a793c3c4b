"""The programme calendar's planner: every reminder and escalation due for one cohort at `now`.

Pure: a function of a read-only `CohortSnapshot`, the programme and `now`. Each message
carries a stable key (cohort, purpose, occurrence, person), so planning twice on one day
yields the same keys and the outbox turns the second queueing into a no-op.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from config.settings import Settings
from models.cohort_snapshot import CohortSnapshot
from models.outbox import EmailRequest
from models.programme import ProgrammeDefinition
from tasks.reminders.governance import gate_escalations, gate_reminders, stalled_pair_alerts
from tasks.reminders.kinds import monthly_nudges, recruitment_closing_reminders, survey_chasers, training_reminders
from tasks.reminders.moments import PlanInput

DEFAULT_SURVEY_BASE_URL: str = Settings.model_fields["survey_base_url"].default

PLANNERS: dict[str, Callable[[PlanInput], list[EmailRequest]]] = {
    "recruitment_closing_reminder": recruitment_closing_reminders,
    "training_reminder": training_reminders,
    "monthly_nudge": monthly_nudges,
    "survey_chaser": survey_chasers,
    "gate_reminder": gate_reminders,
    "gate_escalation": gate_escalations,
    "stalled_pair": stalled_pair_alerts,
}

# The calendar milestones a cohort waits for, and the stage that waits on each.
MILESTONE_STAGES = {
    "recruitment_closes": "recruitment",
    "matching_at": "matching",
    "midpoint_at": "midpoint",
    "closure_at": "closure",
    "evaluation_at": "evaluation",
}


def due_messages(
    snapshot: CohortSnapshot,
    programme: ProgrammeDefinition,
    now: datetime,
    *,
    survey_base_url: str = DEFAULT_SURVEY_BASE_URL,
) -> list[EmailRequest]:
    """Every reminder and escalation due at `now`, whether or not it was queued already.

    `purpose` on each request names its kind; kinds in `reminders.disabled` are left out.
    """
    plan = PlanInput(snapshot=snapshot, programme=programme, now=now, survey_base_url=survey_base_url)
    disabled = set(programme.reminders.disabled)
    return [request for kind, planner in PLANNERS.items() if kind not in disabled for request in planner(plan)]


def unsent(requests: Iterable[EmailRequest], queued_keys: Iterable[str]) -> list[EmailRequest]:
    """The requests whose key is not in the outbox yet (each key once)."""
    seen = set(queued_keys)
    fresh = []
    for request in requests:
        if request.key not in seen:
            seen.add(request.key)
            fresh.append(request)
    return fresh


def count_by_kind(requests: Iterable[EmailRequest]) -> dict[str, int]:
    return dict(sorted(Counter(request.purpose for request in requests).items()))


def milestones_reached(snapshot: CohortSnapshot, programme: ProgrammeDefinition, now: datetime) -> list[str]:
    """Calendar milestones that have passed while the stage waiting on them is still running.

    For whoever wakes cohorts waiting on a date (the recruitment window's close, the midpoint…).
    """
    calendar = PlanInput(snapshot=snapshot, programme=programme, now=now, survey_base_url="").calendar
    return [
        milestone
        for milestone, stage in MILESTONE_STAGES.items()
        if getattr(calendar, milestone) <= now and snapshot.stages.get(stage) == "running"
    ]


def cohort_due_to_wake(snapshot: CohortSnapshot, programme: ProgrammeDefinition, now: datetime) -> bool:
    return bool(milestones_reached(snapshot, programme, now))

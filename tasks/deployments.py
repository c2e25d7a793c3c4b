"""What `mentorflow serve` serves: a lifecycle deployment per programme file and the daily programme clock."""

from pydantic import BaseModel

from models.cohorts import find_programme_row
from models.programme_file import load_programme
from tasks.runtime import Runtime

LIFECYCLE = "cohort-lifecycle"
CLOCK = "programme-clock"
CLOCK_DEPLOYMENT = "daily"
# Workers start each flow run with this (flows/engine_client.py): forked from `mentorflow worker`'s
# preloaded engine, or `python -m prefect.engine` under a plain `prefect worker start`.
ENGINE_COMMAND = "mentorflow-engine"


class LifecyclePlan(BaseModel):
    slug: str
    phase: str
    rrule: str | None
    timezone: str
    schedule_active: bool


def lifecycle_plans(runtime: Runtime, *, schedule_pilots: bool = False) -> list[LifecyclePlan]:
    """One per programme file. The annual schedule is on once the programme is BAU (the database's
    phase wins over the file's: a pilot becomes BAU by an approved transition), or when asked."""
    plans = []
    for path in sorted(runtime.settings.programmes_dir.glob("*.yaml")):
        definition = load_programme(path)
        with runtime.session() as session:
            stored = find_programme_row(session, slug=definition.slug)
        phase = stored.phase if stored else definition.phase.value
        active = bool(definition.schedule) and (phase == "bau" or schedule_pilots or bool(stored and stored.schedule_active))
        plans.append(LifecyclePlan(slug=definition.slug, phase=phase, rrule=definition.schedule,
                                   timezone=definition.calendar.timezone, schedule_active=active))
    return plans


def deployment_name(slug: str) -> str:
    return f"{LIFECYCLE}/{slug}"


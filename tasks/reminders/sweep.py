"""The programme clock's tasks: find the cohorts to sweep, and plan what each is due today."""

from pydantic import BaseModel

from models.cohort_snapshot import active_cohort_ids, cohort_programme, load_snapshot
from models.cohorts import require_cohort
from models.outbox import EmailRequest
from tasks.reminders.plan import count_by_kind, due_messages, unsent
from tasks.runtime import get_runtime
from tasks.step import step


class CohortSweep(BaseModel):
    cohort_id: int
    cohort: str
    requests: list[EmailRequest]

    @property
    def counts(self) -> dict[str, int]:
        return count_by_kind(self.requests)


@step(name="find-active-cohorts")
def find_active_cohorts(cohort: str | None = None) -> list[int]:
    """Every running cohort, or the one named (an error naming it when it does not exist)."""
    with get_runtime().session() as session:
        if cohort is not None:
            require_cohort(session, name=cohort)
        return active_cohort_ids(session, name=cohort)


@step(name="plan-reminders")
def plan_reminders(cohort_id: int) -> CohortSweep:
    """What is due for the cohort today and not in its outbox yet."""
    runtime = get_runtime()
    with runtime.session() as session:
        snapshot = load_snapshot(session, cohort_id=cohort_id)
        programme = cohort_programme(session, cohort_id=cohort_id)
    due = due_messages(snapshot, programme, runtime.clock.now(), survey_base_url=runtime.settings.survey_base_url)
    return CohortSweep(cohort_id=cohort_id, cohort=snapshot.cohort, requests=unsent(due, snapshot.queued_keys))

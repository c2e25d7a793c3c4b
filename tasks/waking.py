"""Waking cohorts that sleep until a date: the programme clock resumes their suspended runs."""

from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from sqlalchemy import select

from models.tables import Cohort
from tasks.clock import SimulatedClock
from tasks.resuming import resume_with_retry
from tasks.runtime import get_runtime
from tasks.step import step


@step(name="wake-due-cohorts")
def wake_due_cohorts(cohort: str | None = None) -> list[str]:
    """Resume every waiting cohort whose date has come; returns their names."""
    runtime = get_runtime()
    now = runtime.clock.now()
    with runtime.session() as session:
        query = select(Cohort).where(Cohort.state == "waiting", Cohort.wake_at <= now, Cohort.flow_run_id.is_not(None))
        if cohort is not None:
            query = query.where(Cohort.name == cohort)
        due = [(c.id, c.name, c.flow_run_id) for c in session.scalars(query)]
    woken = []
    for cohort_id, name, flow_run_id in due:
        if is_paused(flow_run_id):
            if isinstance(runtime.clock, SimulatedClock):
                hand_over_simulated_time(cohort_id, now)
            resume_with_retry(flow_run_id)
            woken.append(name)
    return woken


def hand_over_simulated_time(cohort_id: int, now) -> None:
    """A woken run's simulated clock starts where this sweep's clock is (see tasks.dates.restore_clock)."""
    with get_runtime().session() as session:
        row = session.get(Cohort, cohort_id)
        row.clock_at = max(row.clock_at or now, now)


def is_paused(flow_run_id: str) -> bool:
    with get_client(sync_client=True) as client:
        try:
            run = client.read_flow_run(UUID(flow_run_id))
        except ObjectNotFound:
            return False
    return bool(run.state and run.state.is_paused())
